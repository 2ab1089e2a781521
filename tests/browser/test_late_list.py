"""The late list in a real browser: on the dashboard, the decision page and the committee
report every late action shows on its own row (its own latest update, never a sibling's),
the most days late first, its title shown as typed (markup as text); the late chart draws
beside it; at 375 px the list scrolls inside its own region; the report links to the Word
paper, which downloads."""
from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_axe_violations, sign_in_as
from tracker.clock import today

pytestmark = pytest.mark.browser

MEMBER = "member@example.gov.uk"
TITLE = "Audit <b>every</b> file"
DAYS = 400


@pytest.fixture(scope="module", autouse=True)
def late_action(live_server):
    """A demo recommendation gets an action 400 days late, never updated, and a sibling
    updated today (the report's latest update for the recommendation)."""
    import sqlalchemy as sa

    from tracker.extensions import db
    from tracker.models import Action, Decision, ProgressUpdate, Recommendation

    with live_server.app.app_context():
        decision = db.session.scalars(sa.select(Decision).where(
            Decision.reference == "I50035813")).one()
        rec = db.session.scalars(sa.select(Recommendation).where(
            Recommendation.part_id.in_([p.id for p in decision.parts]))
            .order_by(Recommendation.id)).first()
        due = today() - dt.timedelta(days=DAYS)
        late = Action(recommendation=rec, title=TITLE, due_on=due, current_due_on=due,
                      owner_id=rec.owner_id)
        sibling = Action(recommendation=rec, title="A sibling kept up to date",
                         due_on=today() + dt.timedelta(days=30),
                         current_due_on=today() + dt.timedelta(days=30))
        db.session.add_all([late, sibling])
        db.session.flush()
        db.session.add(ProgressUpdate(action=sibling, status="in_progress", rag="green",
                                      narrative="Sibling news."))
        db.session.commit()
        ids = {"decision": decision.id, "action": late.id, "reference": rec.reference}
        db.session.remove()
    return ids


def _days_column(page) -> list[int]:
    cells = page.locator("[data-late-list] tbody tr td.govuk-table__cell--numeric")
    return [int(text) for text in cells.all_inner_texts()]


def test_the_dashboard_lists_each_late_action_most_days_late_first(page, live_server,
                                                                     late_action):
    sign_in_as(page, live_server, MEMBER)
    page.goto(f"{live_server}/dashboard")
    row = page.locator(f"[data-late-action='{late_action['action']}']")
    expect(row).to_be_visible()
    expect(row.locator("th")).to_contain_text(TITLE)             # markup shown as text
    expect(row.locator("td.govuk-table__cell--numeric")).to_have_text(str(DAYS))
    expect(row).to_contain_text("No update yet")                 # its own, not the sibling's
    days = _days_column(page)
    assert days == sorted(days, reverse=True) and DAYS in days
    page.wait_for_selector("body[data-charts-drawn]")
    chart = page.locator("#dashboard-late-by-days")
    expect(chart).to_have_attribute("role", "img")
    labels = chart.evaluate("el => el.data[0].y")
    assert any(TITLE.replace("<", "&lt;").replace(">", "&gt;") in label for label in labels)
    assert page.locator("#dashboard-late-by-days b").count() == 0
    assert_no_axe_violations(page)


def test_the_report_and_decision_page_list_it_and_the_word_paper_downloads(page, live_server,
                                                                           late_action):
    sign_in_as(page, live_server, MEMBER)
    page.goto(f"{live_server}/decisions/{late_action['decision']}")
    expect(page.get_by_role("heading", name="Late actions")).to_be_visible()
    expect(page.locator(f"[data-late-action='{late_action['action']}']")).to_contain_text(TITLE)

    page.goto(f"{live_server}/reports/committee?decision={late_action['decision']}")
    row = page.locator(f"[data-late-action='{late_action['action']}']")
    expect(row).to_contain_text(TITLE)
    # the recommendation's row names the late action beside its sibling's later update
    expect(page.locator(f"[data-late-action-of='{late_action['reference']}']").first
           ).to_contain_text(f"Late: {TITLE}")
    with page.expect_download() as download:
        page.locator("[data-word-paper]").click()
    assert download.value.suggested_filename.endswith(f"-as-at-{today():%Y-%m-%d}.docx")


def test_at_375_px_the_late_list_scrolls_in_its_own_region(browser, live_server, late_action):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    try:
        sign_in_as(page, live_server, MEMBER)
        page.goto(f"{live_server}/dashboard")
        region = page.get_by_role("region", name="Late actions: table")
        expect(region).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        assert region.evaluate("el => el.scrollWidth > el.clientWidth")
    finally:
        context.close()
