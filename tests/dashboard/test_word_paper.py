"""The committee paper in Word: opened with python-docx, its tables hold the same figures as
the CSV for the same date; it has a cover, header rows repeated on each page, the council's
name and dates in the page header and footer, page numbers, and charts as images where the
server can draw them."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from tests.conftest import sign_in
from tests.dashboard.conftest import D, at
from tracker.clock import today

PAST = "as_at=2021-03-15"


def _csv_sections(data: bytes) -> dict[str, list[list[str]]]:
    sections: dict[str, list[list[str]]] = {}
    for block in data.decode("utf-8-sig").split("\r\n\r\n"):
        rows = list(csv.reader(io.StringIO(block)))
        if rows and rows[0]:
            sections[rows[0][0]] = rows[1:]
    return sections


def _tables(document: Document) -> list[list[list[str]]]:
    return [[[cell.text for cell in row.cells] for row in table.rows]
            for table in document.tables]


@pytest.fixture()
def slipping(built, make, db_session):
    make.update(built.actions["A2"], status="in_progress", rag="red",
                reason="The trainer is off sick.", revised_due_on=D(2021, 2, 28),
                revised_due_reason="Trainer off sick.", narrative="Second draft started.",
                recorded_at=at(D(2021, 2, 1)))
    make.update_round([built.decision], committee="Children's scrutiny committee",
                      meeting_on=D(2021, 3, 22), due_on=D(2021, 3, 8))
    db_session.flush()
    return built


def test_the_word_paper_holds_the_csvs_figures(client, slipping):
    sign_in(client, slipping.users["member"])
    query = f"decision={slipping.decision.id}&{PAST}"
    paper = client.get(f"/reports/committee.docx?{query}")
    assert paper.status_code == 200
    assert paper.mimetype == ("application/vnd.openxmlformats-officedocument."
                              "wordprocessingml.document")
    document = Document(io.BytesIO(paper.data))
    found = _tables(document)
    csv_sections = _csv_sections(client.get(f"/reports/committee.csv?{query}").data)

    decisions = csv_sections["Decisions"]
    assert decisions in found                       # the summary: every column, every row
    late = csv_sections["Late actions"]
    assert late in found
    assert late[1][:8] == ["I50000001", "R1", "Write the course", "Priya Patel", "",
                           "2021-01-25", "2021-02-28", "15"]
    phases = csv_sections["Guidance adoption by phase"]
    assert phases in found
    responses = csv_sections["Executive response to the scrutiny committee's recommendations"]
    keep = [0, 1, 2, 3, 4, 6, 7, 8, 9, 11]          # the paper leaves out two long columns
    assert [[row[i] for i in keep] for row in responses] in found
    recs = csv_sections["Recommendations"]
    part_a = [row[2:] for row in recs[1:] if row[1] == "a"]
    assert [recs[0][2:], *part_a] in found          # each part's table
    assert part_a[0][:4] == ["R1", "Review", "Train every designated safeguarding lead.",
                             "In progress: Red"]

    text = "\n".join(p.text for p in document.paragraphs)
    assert "Committee: Children's scrutiny committee" in text
    assert "Meeting: 22 March 2021" in text
    assert "As at: 15 March 2021" in text
    section = document.sections[0]
    assert section.header.paragraphs[0].text == (
        "Herefordshire Council \u2014 Committee progress report as at 15 March 2021")
    day = today()
    footer = section.footer.paragraphs[0]
    assert footer.text.startswith(f"As at 15 March 2021. Printed {day.day} {day:%B %Y}. Page ")
    assert " PAGE " in [t.text for t in footer._p.iter(qn("w:instrText"))]
    assert round(section.left_margin.cm, 1) == 2.0
    for table in document.tables:
        header = table.rows[0]._tr.trPr
        assert header is not None and header.find(qn("w:tblHeader")) is not None
    assert not document.inline_shapes                # images are off in tests


def test_the_word_paper_takes_an_iso_date_and_the_report_links_to_it(client, slipping):
    sign_in(client, slipping.users["member"])
    by_iso = client.get(f"/reports/committee.docx?decision={slipping.decision.id}"
                        "&as_at=2021-03-15")
    assert by_iso.status_code == 200
    assert 'filename="committee-report-i50000001-as-at-2021-03-15.docx"' in \
        by_iso.headers["Content-Disposition"]
    page = client.get(f"/reports/committee?decision={slipping.decision.id}&{PAST}")
    assert (f'href="/reports/committee.docx?decision={slipping.decision.id}'
            '&amp;as_at=2021-03-15"') in page.get_data(as_text=True)


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs Debian's chromium")
def test_the_word_paper_has_the_charts_as_images_where_the_server_can_draw_them(
        app, client, slipping):
    app.config["CHART_IMAGES"] = True
    try:
        sign_in(client, slipping.users["member"])
        paper = client.get(f"/reports/committee.docx?decision={slipping.decision.id}&{PAST}")
    finally:
        app.config["CHART_IMAGES"] = False
    document = Document(io.BytesIO(paper.data))
    assert len(document.inline_shapes) == 3          # late, status by source, ageing
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert "I50000001: late actions by days late" in headings
