"""The committee report on paper, checked from the PDF Chromium makes of it (Playwright's
page.pdf, read back with pypdf): A4 pages, text inside the margins, a page number on every
page, the council's name with the "as at" and printed dates on the first; and, in print
media, no status tag clipped and every chart's legend inside its chart and the page."""
from __future__ import annotations

import io
from typing import Any

from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import sign_in_as

MM = 72 / 25.4                      # PDF points per millimetre
A4 = (210 * MM, 297 * MM)
MARGIN = {"top": 18 * MM, "right": 15 * MM, "bottom": 20 * MM, "left": 15 * MM}
SEED = "I50035813: Review of peer on peer abuse cases"


def _show_report(page: Any, live_server: Any) -> None:
    sign_in_as(page, live_server, "member@example.gov.uk")
    page.goto(f"{live_server}/reports/committee")
    page.get_by_label("Decision", exact=True).select_option(label=SEED)
    page.get_by_label("Day", exact=True).fill("30")
    page.get_by_label("Month", exact=True).fill("6")
    page.get_by_label("Year", exact=True).fill("2021")
    with page.expect_navigation():
        page.get_by_role("button", name="Show the report").click()
    assert "as_at=2021-06-30" in page.url
    expect(page.locator("body[data-charts-drawn]")).to_have_count(1)


def _text_positions(pdf_page: Any) -> list[tuple[float, float, str]]:
    """Each piece of text on a PDF page with where it starts, in points from the bottom left."""
    found: list[tuple[float, float, str]] = []

    def visit(text: str, cm: Any, tm: Any, *_: Any) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((x, y, text.strip()))

    pdf_page.extract_text(visitor_text=visit)
    return found


def test_the_printed_report_has_a4_pages_margins_page_numbers_and_its_dates(page, live_server):
    _show_report(page, live_server)
    pdf = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True, print_background=True)))
    pages = pdf.pages
    assert len(pages) > 2
    for number, pdf_page in enumerate(pages, 1):
        width, height = float(pdf_page.mediabox.width), float(pdf_page.mediabox.height)
        assert abs(width - A4[0]) < 1 and abs(height - A4[1]) < 1, (number, width, height)
        text = " ".join(pdf_page.extract_text().split())
        assert f"Page {number} of {len(pages)}" in text, number
        placed = _text_positions(pdf_page)
        folio = [(x, y) for x, y, words in placed if words == "Page"]
        assert folio and all(y < MARGIN["bottom"] for _, y in folio), (number, folio)
        body = [(x, y, w) for x, y, w in placed if y >= MARGIN["bottom"]]
        assert body, number
        assert min(x for x, _, _ in body) >= MARGIN["left"] - 1, number
        assert max(y for _, y, _ in body) <= height - MARGIN["top"] + 1, number
    first = " ".join(pages[0].extract_text().split())
    assert live_server.app.config["COUNCIL_NAME"] in first
    assert "Committee progress report as at 30 June 2021" in first
    assert "Printed on " in first and "(UK time)" in first


def test_in_print_no_tag_is_clipped_and_every_legend_is_inside_its_chart(page, live_server):
    _show_report(page, live_server)
    page.emulate_media(media="print")
    clipped = page.evaluate("""() => [...document.querySelectorAll('.govuk-tag')]
        .filter(t => t.offsetParent !== null
                && (t.scrollWidth > t.clientWidth + 1 || t.scrollHeight > t.clientHeight + 1))
        .map(t => t.textContent.trim())""")
    assert clipped == []
    charts = page.evaluate("""() => [...document.querySelectorAll('.tracker-chart__plot.js-plotly-plot')]
        .map(p => {
          const box = p.getBoundingClientRect()
          const legend = p.querySelector('.legend')
          const l = legend ? legend.getBoundingClientRect() : box
          return {id: p.id, width: box.width, inside: l.left >= box.left - 1 && l.right <= box.right + 1}
        })""")
    assert charts
    for chart in charts:
        assert chart["inside"], chart
        assert chart["width"] <= 170 * 96 / 25.4 + 1, chart   # never wider than the page's text
