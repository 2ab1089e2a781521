"""Outcome, closing and impact in a real browser, with axe (WCAG 2.2 AA) on every page: a
scrutiny recommendation goes accepted -> implemented -> impact evidenced; another is closed
as not implemented (risk accepted) and re-opened."""
from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_axe_violations, sign_in_as
from tracker.clock import now, travel_to

pytestmark = pytest.mark.browser


def _as(browser, live_server, email):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in_as(page, live_server, email)
    return context, page


def _open(page, live_server, link_name):
    page.goto(f"{live_server}/recommendations")
    page.get_by_role("link", name=link_name).click()
    return page.url


def test_accepted_then_implemented_then_impact_evidenced(browser, live_server):
    # The owner completes the last open action of SC1 (accepted "By April 2021": late) and
    # states the intended outcome and its measure.
    context, page = _as(browser, live_server, "officer2@example.gov.uk")
    url = _open(page, live_server, "SC1 (Scrutiny)")
    expect(page.locator("#timetable")).to_have_text("30 April 2021 Late")
    expect(page.locator("#outcome-needed")).to_contain_text("must be recorded before")
    page.get_by_role("link", name="Record an update on Check each school knows its contact "
                                  "(termly)").click()
    page.get_by_role("radio", name="Complete").check()
    page.get_by_label("What has happened").fill("Every school confirmed its MASH contact.")
    page.get_by_role("button", name="Record the update").click()
    expect(page.locator("#status")).to_contain_text("Awaiting sign-off")
    page.get_by_role("link", name="Record the intended outcome of recommendation SC1").click()
    assert_no_axe_violations(page)
    page.get_by_label("Intended outcome").fill("Schools get advice the same day they ask.")
    page.get_by_label("How it will be measured").fill("MASH call log, sampled each term.")
    page.get_by_role("button", name="Save the outcome").click()
    expect(page.locator("#how-measured")).to_have_text("MASH call log, sampled each term.")
    context.close()

    # An administrator signs it off: implemented, its impact review six months on.
    context, page = _as(browser, live_server, "admin@example.gov.uk")
    page.goto(url)
    page.get_by_role("button", name="Sign off as complete").click()
    assert_no_axe_violations(page)
    page.get_by_label("Committee meeting that agreed closure (if any)").fill(
        "Children and young people scrutiny committee, 14 March 2022")
    page.get_by_role("button", name="Sign off as complete").click()
    expect(page.locator("#status")).to_contain_text("Complete")
    expect(page.locator("#impact")).to_have_text("Implemented")
    expect(page.locator("#timetable")).to_have_text("30 April 2021")  # complete: no longer late
    assert_no_axe_violations(page)
    context.close()

    with travel_to(now() + dt.timedelta(days=200)):
        # The review is due: the owner records the evidence and a judgement.
        context, page = _as(browser, live_server, "officer2@example.gov.uk")
        page.goto(url)
        expect(page.locator("#impact")).to_have_text("Impact review due")
        page.get_by_role("button", name="Record the impact review").click()
        assert_no_axe_violations(page)
        page.get_by_label("Evidence of impact").fill(
            "The call log shows every school's question answered the same day.")
        page.get_by_role("radio", name="Impact evidenced").check()
        page.get_by_label("Evidence link 1").fill("https://intranet.example.gov.uk/call-log.xlsx")
        page.get_by_label("Description of evidence 1").fill("MASH call log, autumn term")
        page.get_by_role("button", name="Record the impact review").click()
        expect(page.locator("#impact")).to_have_text("Impact review due")  # not yet confirmed
        expect(page.locator("#impact-reviews")).to_contain_text("not confirmed")
        context.close()

        # A scrutiny member confirms it: impact evidenced, counted apart from implemented.
        context, page = _as(browser, live_server, "member@example.gov.uk")
        page.goto(url)
        page.get_by_role("button", name="Confirm the impact review").click()
        assert_no_axe_violations(page)
        expect(page.locator("#judgement")).to_have_text("Impact evidenced")
        page.get_by_role("button", name="Confirm this impact review").click()
        expect(page.locator("#impact")).to_have_text("Impact evidenced")
        expect(page.locator("#implemented")).to_contain_text("Yes: signed off")
        expect(page.get_by_role("link", name="MASH call log, autumn term")).to_have_attribute(
            "href", "https://intranet.example.gov.uk/call-log.xlsx")
        assert_no_axe_violations(page)
        context.close()


def test_closed_as_not_implemented_then_re_opened(browser, live_server):
    context, page = _as(browser, live_server, "admin@example.gov.uk")
    _open(page, live_server, "3.5 (Review)")
    expect(page.locator("#status .tracker-rag")).to_have_text("No actions yet")
    page.get_by_role("button", name="Close another way").click()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Close the recommendation").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Give the reason it is closed")
    assert_no_axe_violations(page)
    page.get_by_role("radio", name="Closed as not implemented: the risk is accepted").check()
    page.get_by_label("Who accepted the risk (if closed as not implemented)").fill(
        "Director of Children's Services")
    page.get_by_label("Reason", exact=True).fill("No budget for it in this financial year.")
    page.get_by_label("Committee meeting that agreed it (if any)").fill("Cabinet, 3 March 2022")
    page.get_by_role("button", name="Close the recommendation").click()
    expect(page.locator("#status .tracker-rag")).to_have_text(
        "Closed: not implemented, risk accepted")
    expect(page.locator("#closing-history")).to_contain_text(
        "risk accepted by Director of Children's Services")
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Re-open").click()
    assert_no_axe_violations(page)
    page.get_by_label("Reason", exact=True).fill("Budget found in the spring.")
    page.get_by_role("button", name="Re-open the recommendation").click()
    expect(page.locator("#status .tracker-rag")).to_have_text("No actions yet")
    expect(page.locator("#closing-history tbody tr")).to_have_count(2)
    expect(page.locator("#closing-history")).to_contain_text("Budget found in the spring.")
    assert_no_axe_violations(page)
    context.close()
