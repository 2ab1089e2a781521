"""Decisions in a real browser: paste the seed notice, check the preview, confirm, see the
decision; and axe (WCAG 2.2 AA) finds nothing on the register, decision, import and preview
pages or on the forms an administrator uses."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_axe_violations, sign_in_as

pytestmark = pytest.mark.browser

SEED = Path(__file__).resolve().parents[2] / "tracker" / "demo" / "seed"
ADMIN = "admin@example.gov.uk"


def test_paste_preview_confirm_and_see_the_decision(page, live_server):
    sign_in_as(page, live_server, ADMIN)
    page.goto(f"{live_server}/decisions")
    assert page.locator("h1").inner_text() == "Decisions"
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Read a decision notice").click()
    expect(page.locator("h1")).to_have_text("Read a decision notice")
    assert_no_axe_violations(page)

    notice = (SEED / "decision-I50035813.txt").read_text(encoding="utf-8")
    page.get_by_label("Paste the text of the notice").fill(notice)
    page.get_by_role("button", name="Read the pasted notice").click()
    expect(page.locator("h1")).to_have_text("Check what was read from the notice")
    content = page.content()
    assert "Written statement of a decision (text taken from its PDF)" in content
    assert "Leader of the Council (Councillor David Hitchiner)" in content
    assert "Esquer et alle esquiei" in content  # what could not be placed is listed
    assert_no_axe_violations(page)

    # The demo already holds this decision (same issue reference): the preview shows what
    # would change, and the button updates it.
    save = page.get_by_role("button", name=re.compile(r"^(Save|Update) the decision$"))
    if save.count():
        save.click()
    else:  # nothing would change: go to the decision it matched
        page.locator(".govuk-inset-text a").first.click()
    expect(page.locator("h1")).to_contain_text("Review of peer on peer abuse cases")
    assert "Issue I50035813" in page.locator(".govuk-caption-l").first.inner_text()
    content = page.content()
    for text in ("Part (a)", "Part (d)", "Call-in:", "Leader of the Council (Councillor David Hitchiner)",
                 "4 December 2020"):
        assert text in content, text
    assert_no_axe_violations(page)


def test_a_new_decision_from_a_modern_gov_page(page, live_server):
    """A page without a reference whose title is new: the preview asks for what it lacks."""
    sign_in_as(page, live_server, ADMIN)
    page.goto(f"{live_server}/decisions/import")
    notice = (SEED / "moderngov-issue-decisions-50035813.txt").read_text(encoding="utf-8")
    page.get_by_label("Paste the text of the notice").fill(
        notice.replace("Review of peer on peer abuse cases", "Review of record keeping"))
    page.get_by_role("button", name="Read the pasted notice").click()
    expect(page.locator("h1")).to_have_text("Check what was read from the notice")
    page.get_by_role("button", name="Save the decision").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()  # what it lacks, explained
    assert_no_axe_violations(page)
    page.get_by_label("Decision maker").fill("Cabinet")
    page.get_by_label("Day").fill("26")
    page.get_by_label("Month").fill("11")
    page.get_by_label("Year").fill("2020")
    page.get_by_label("Report exemption class").select_option("open")
    page.get_by_role("button", name="Save the decision").click()
    expect(page.locator("h1")).to_contain_text("Review of record keeping")
    assert "Date published" in page.content()


@pytest.mark.parametrize("path,heading", [
    ("/decisions/1/edit", "Edit the decision"),
    ("/decisions/1/call-in", "Record a call-in"),
    ("/decisions/1/parts/new", "Add a part"),
    ("/decisions/1/documents/new", "Add a document"),
    ("/admin/terminology/", "Terminology rules"),
    ("/admin/terminology/new", "Add a terminology rule"),
])
def test_administrators_forms_are_accessible(page, live_server, path, heading):
    sign_in_as(page, live_server, ADMIN)
    page.goto(f"{live_server}{path}")
    assert page.locator("h1").inner_text() == heading
    assert_no_axe_violations(page)


def test_school_lead_register_is_accessible(page, live_server):
    sign_in_as(page, live_server, "schoollead@example.gov.uk")
    page.goto(f"{live_server}/decisions?call_in=implementable")
    assert page.locator("h1").inner_text() == "Decisions"
    assert_no_axe_violations(page)


def test_several_notice_files_at_once(page, live_server, tmp_path):
    """A PDF and a Word notice chosen together: one preview each, then the full check of one."""
    from tests.decisions.notice_documents import as_docx, as_pdf

    pdf, word = tmp_path / "details.pdf", tmp_path / "record.docx"
    pdf.write_bytes(as_pdf((SEED / "moderngov-decision-details-7356.txt").read_text(encoding="utf-8")))
    word.write_bytes(as_docx((SEED / "decision-I50035813.txt").read_text(encoding="utf-8")))
    sign_in_as(page, live_server, ADMIN)
    page.goto(f"{live_server}/decisions/import")
    page.get_by_label("Or upload notice files").set_input_files([str(pdf), str(word)])
    page.get_by_role("button", name="Read the files").click()
    expect(page.locator("h1")).to_have_text("Check what was read from 2 notice files")
    expect(page.locator("main h2")).to_have_text(["1. details.pdf", "2. record.docx"])
    assert_no_axe_violations(page)
    page.locator("#check-1").click()
    expect(page.locator("h1")).to_have_text("Check what was read from the notice")
    expect(page.get_by_text("Review of peer on peer abuse cases").first).to_be_visible()
