"""A recommendation's life in a real browser, with axe (WCAG 2.2 AA) on every page of it:
an officer records an update with evidence, a scrutiny member challenges, the officer
answers, and an administrator signs the recommendation off."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_axe_violations, sign_in_as

pytestmark = pytest.mark.browser


def _open_recommendation(page, live_server, reference: str) -> str:
    page.goto(f"{live_server}/recommendations")
    page.get_by_role("link", name=f"Recommendation {reference} (Review)").click()
    expect(page.locator("h1")).to_have_text(f"Recommendation {reference}")
    return page.url


def test_update_challenge_answer_and_sign_off(browser, live_server, sign_in_as):
    def new_page():
        context = browser.new_context()
        pg = context.new_page()
        pg.set_default_timeout(10_000)
        return context, pg

    # An officer records an update with evidence, completing the recommendation's only action.
    context, page = new_page()
    sign_in_as(page, live_server, "officer@example.gov.uk")
    page.goto(f"{live_server}/recommendations")
    assert_no_axe_violations(page)
    url = _open_recommendation(page, live_server, "3.4")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Record an update on Next six-monthly progress report").click()
    expect(page.locator("h1")).to_have_text("Record a progress update")
    assert_no_axe_violations(page)
    page.get_by_role("radio", name="Complete").check()
    page.get_by_label("What has happened").fill("Report presented to the committee.")
    page.get_by_label("Evidence link 1").fill("https://intranet.example.gov.uk/report-2021.pdf")
    page.get_by_label("Description of evidence 1").fill("Six-monthly progress report")
    page.get_by_role("button", name="Record the update").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Progress update recorded")
    expect(page.get_by_role("link", name="Six-monthly progress report", exact=True)).to_have_attribute(
        "href", "https://intranet.example.gov.uk/report-2021.pdf")
    expect(page.locator("main")).to_contain_text("Awaiting sign-off")
    assert_no_axe_violations(page)
    # The owner states the intended outcome and its measure: needed before sign-off.
    page.get_by_role("link", name="Record the intended outcome of recommendation 3.4").click()
    assert_no_axe_violations(page)
    page.get_by_label("Intended outcome").fill("Members see every six months what has changed.")
    page.get_by_label("How it will be measured").fill("Reports received on time.")
    page.get_by_role("button", name="Save the outcome").click()
    expect(page.locator("#intended-outcome")).to_have_text(
        "Members see every six months what has changed.")
    page.goto(f"{live_server}/my-actions")
    assert_no_axe_violations(page)
    context.close()

    # A scrutiny member asks a question.
    context, page = new_page()
    sign_in_as(page, live_server, "member@example.gov.uk")
    page.goto(url)
    page.get_by_role("button", name="Ask a question about this recommendation").click()
    assert_no_axe_violations(page)
    page.get_by_label("Your question").fill("Which committee meeting received the report?")
    page.get_by_role("button", name="Ask the question").click()
    expect(page.locator("#challenges")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Which committee meeting received the report?")
    page.goto(f"{live_server}/executive-responses")
    assert_no_axe_violations(page)
    context.close()

    # The officer who owns the recommendation answers.
    context, page = new_page()
    sign_in_as(page, live_server, "officer@example.gov.uk")
    page.goto(url)
    page.get_by_role("link", name="Answer this question from Councillor Morgan Member").click()
    assert_no_axe_violations(page)
    page.get_by_label("Answer").fill("The committee of 13 September 2021, minute 27.")
    page.get_by_role("button", name="Send the answer").click()
    expect(page.locator("main")).to_contain_text("The committee of 13 September 2021, minute 27.")
    expect(page.locator("main")).to_contain_text("Answered")
    context.close()

    # An administrator signs it off, recording the meeting and minute.
    context, page = new_page()
    sign_in_as(page, live_server, "admin@example.gov.uk")
    page.goto(url)
    page.get_by_role("button", name="Sign off as complete").click()
    assert_no_axe_violations(page)
    page.get_by_label("Committee meeting that agreed closure (if any)").fill(
        "Children and young people scrutiny committee, 13 September 2021")
    page.get_by_label("Minute reference (if any)").fill("27")
    page.get_by_role("button", name="Sign off as complete").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("signed off as complete")
    expect(page.locator("main .tracker-rag").first).to_have_text("Complete")
    assert_no_axe_violations(page)
    context.close()


@pytest.mark.parametrize("path", ["/recommendations/new", "/admin/recommendations/import",
                                  "/recommendations?status=red&overdue=y"])
def test_administrator_pages_are_accessible(page, live_server, path):
    sign_in_as(page, live_server, "admin@example.gov.uk")
    page.goto(f"{live_server}{path}")
    assert page.locator("h1").count() == 1
    assert_no_axe_violations(page)


def test_form_errors_are_accessible(page, live_server):
    sign_in_as(page, live_server, "officer@example.gov.uk")
    _open_recommendation(page, live_server, "3.3")
    page.get_by_role("link", name="Record an update on Update the MASH recording guidance").click()
    page.get_by_role("radio", name="Paused").check()
    page.get_by_role("button", name="Record the update").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say what has happened")
    assert_no_axe_violations(page)
    page.get_by_label("What has happened").fill("Waiting for the MASH managers.")
    page.get_by_role("button", name="Record the update").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Give the reason")
    assert_no_axe_violations(page)


@pytest.mark.parametrize("email", ["member@example.gov.uk", "schoollead@example.gov.uk"])
def test_decision_page_shows_each_part_progress_accessibly(page, live_server, email):
    sign_in_as(page, live_server, email)
    page.goto(f"{live_server}/decisions")
    page.get_by_role("link", name="Review of peer on peer abuse cases").first.click()
    expect(page.locator("main")).to_contain_text("Recommendations under part (a)")
    expect(page.locator("main")).to_contain_text("In progress: Red")
    assert_no_axe_violations(page)
