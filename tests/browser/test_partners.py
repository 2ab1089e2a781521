"""A partner officer in a real browser, with axe (WCAG 2.2 AA) on every page: the police's
partner officer signs in, sees only their agency's action (not the council's beside it, not
the health body's), records a progress update on it, and finds the health body's action
answers "Page not found"."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_axe_violations, sign_in_as
from tracker.extensions import db
from tracker.models import Action
from tracker.organisations.demo import AGENCIES

pytestmark = pytest.mark.browser

POLICE_ACTION, HEALTH_ACTION = AGENCIES[0][3], AGENCIES[1][3]


def _action_id(live_server, title: str) -> int:  # type: ignore[no-untyped-def]
    with live_server.app.app_context():
        found = db.session.scalar(sa.select(Action.id).where(Action.title == title))
        db.session.remove()
    return found


def test_a_partner_officer_sees_and_updates_only_their_agencys_action(page, live_server):
    sign_in_as(page, live_server, "police.partner@example.org")
    main = page.locator("main")
    expect(main).to_contain_text("West Mercia Police (example): its actions")
    expect(main).to_contain_text(POLICE_ACTION)
    expect(main).not_to_contain_text(HEALTH_ACTION)
    menu = page.get_by_role("navigation", name="Main menu")
    expect(menu.get_by_role("link", name="Recommendations")).to_be_visible()
    expect(menu.get_by_role("link", name="Decisions")).to_have_count(0)
    expect(menu.get_by_role("link", name="Dashboard")).to_have_count(0)
    assert_no_axe_violations(page)

    page.goto(f"{live_server}/recommendations")
    expect(page.get_by_role("link", name="3.3 (Review)")).to_be_visible()
    expect(page.get_by_role("link", name="3.1 (Review)")).to_have_count(0)
    assert_no_axe_violations(page)
    page.get_by_role("link", name="3.3 (Review)").click()
    expect(page.locator("h1")).to_have_text("Recommendation 3.3")
    actions = page.get_by_role("table", name="Actions under recommendation 3.3")
    expect(actions).to_contain_text(POLICE_ACTION)
    expect(actions).to_contain_text("Pat Police-Partner (West Mercia Police (example))")
    expect(main).not_to_contain_text("Audit a sample of MASH records")
    expect(main).not_to_contain_text(HEALTH_ACTION)
    assert_no_axe_violations(page)

    page.get_by_role("link", name=f"Record an update on {POLICE_ACTION}").click()
    expect(page.locator("h1")).to_have_text("Record a progress update")
    assert_no_axe_violations(page)
    page.get_by_role("group", name="Status after this update").get_by_label("In progress").check()
    page.get_by_role("group", name="RAG rating").get_by_label("Green").check()
    page.get_by_label("What has happened").fill("Referral records for the sample sent to the MASH.")
    page.get_by_role("button", name="Record the update").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Progress update recorded")
    expect(main).to_contain_text("Referral records for the sample sent to the MASH.")
    assert_no_axe_violations(page)

    page.goto(f"{live_server}/actions/{_action_id(live_server, HEALTH_ACTION)}/updates/new")
    expect(page.locator("h1")).to_have_text("Page not found")
