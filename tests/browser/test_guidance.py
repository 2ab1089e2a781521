"""Guidance for any decision, in a real browser: an administrator imports a decision whose
part approves guidance, adds the guidance from the decision page (the part said what to do
next and linked to it), and a school lead adopts it at their school. Every page passes axe."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_axe_violations, sign_in_as

pytestmark = pytest.mark.browser

SEED = Path(__file__).resolve().parents[2] / "tracker" / "demo" / "seed"
ADMIN, LEAD = "admin@example.gov.uk", "schoollead@example.gov.uk"
TITLE = "Model harmful sexual behaviour guidance"


def test_an_administrator_adds_guidance_to_an_imported_decision_and_a_lead_adopts_it(
        page, live_server):
    sign_in_as(page, live_server, ADMIN)
    page.goto(f"{live_server}/decisions/import")
    notice = (SEED / "decision-I50035813.txt").read_text(encoding="utf-8") \
        .replace("50035813", "50099913") \
        .replace("Review of peer on peer abuse cases", "Review of harmful sexual behaviour cases")
    page.get_by_label("Paste the text of the notice").fill(notice)
    page.get_by_role("button", name="Read the pasted notice").click()
    expect(page.locator("h1")).to_have_text("Check what was read from the notice")
    page.get_by_role("button", name="Save the decision").click()
    expect(page.locator("h1")).to_contain_text("Review of harmful sexual behaviour cases")

    # The part that approved guidance says none is linked yet, and links to adding it.
    expect(page.locator("#part-c-no-guidance")).to_contain_text("no school can record adopting it")
    assert_no_axe_violations(page)
    page.locator("#part-c-add-guidance").click()
    expect(page.locator("h1")).to_have_text("Add the guidance this part approved")
    assert_no_axe_violations(page)
    page.get_by_label("Title of the guidance").fill(TITLE)
    page.get_by_label("Title of this version").fill("Guidance for schools 2026")
    page.get_by_label("Link to the guidance").fill("https://example.org/hsb-guidance.pdf")
    page.get_by_role("button", name="Add the guidance").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"{TITLE} added")
    expect(page.locator("#part-c")).to_contain_text(f"Guidance: {TITLE} (version 1")
    assert page.locator("#part-c-no-guidance").count() == 0
    assert_no_axe_violations(page)

    # A school lead finds it on their school's page and records adopting it.
    page.context.clear_cookies()
    sign_in_as(page, live_server, LEAD)
    page.goto(f"{live_server}/schools")
    page.locator("main table a[href^='/schools/']").first.click()
    table = page.locator("#other-guidance")
    expect(table).to_contain_text(TITLE)
    assert_no_axe_violations(page)
    table.get_by_role("link", name=re.compile(re.escape(TITLE))).click()
    expect(page.locator("main")).to_contain_text(TITLE)
    page.get_by_role("link", name=re.compile(r"^Record adoption")).click()
    expect(page.locator("main")).to_contain_text(TITLE)
    assert_no_axe_violations(page)
    page.get_by_label("Under review").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Under review")
    expect(page.locator("main")).to_contain_text(TITLE)
    assert_no_axe_violations(page)
