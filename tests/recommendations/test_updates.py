"""Progress updates through the pages: status, RAG, reasons, revised due dates, evidence,
the action cache, and the call-in guard."""
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from tests.recommendations.conftest import as_user, date_parts, update_form
from tracker.clock import today as london_today
from tracker.models import Action, ProgressUpdate


def _updates(db_session, action_id):
    return db_session.scalars(sa.select(ProgressUpdate).where(
        ProgressUpdate.action_id == action_id)).all()


def test_update_with_evidence_shows_on_the_timeline(client, world, db_session):
    as_user(client, world.owner)
    response = client.post_form(f"/actions/{world.action.id}/updates/new", update_form(
        narrative="Protocol drafted with the police.",
        evidence_url_1="https://intranet.example.gov.uk/protocol.pdf",
        evidence_description_1="Draft protocol",
        evidence_url_2="http://example.org/minutes", evidence_description_2="Minutes"))
    assert response.status_code == 302
    page = client.get(f"/recommendations/{world.rec.id}").get_data(as_text=True)
    assert "Protocol drafted with the police." in page
    assert 'href="https://intranet.example.gov.uk/protocol.pdf"' in page and "Draft protocol" in page
    assert "Minutes" in page
    (update,) = _updates(db_session, world.action.id)
    assert len(update.evidence) == 2 and update.author_id == world.owner.id


def test_evidence_must_be_http_or_https_with_a_description(client, world, db_session):
    as_user(client, world.owner)
    page = client.post_form(f"/actions/{world.action.id}/updates/new", update_form(
        evidence_url_1="javascript:alert(1)", evidence_description_1="x",
        evidence_url_2="https://example.org/a", evidence_description_2=""))
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "starting with http:// or https://" in text
    assert "Describe evidence 2" in text
    assert _updates(db_session, world.action.id) == []


def test_paused_and_cancelled_need_a_reason(client, world, db_session):
    as_user(client, world.owner)
    for status in ("paused", "cancelled"):
        page = client.post_form(f"/actions/{world.action.id}/updates/new",
                                update_form(status=status, rag="amber"))
        assert f"Give the reason the action is {status}" in page.get_data(as_text=True)
    assert _updates(db_session, world.action.id) == []
    assert client.post_form(f"/actions/{world.action.id}/updates/new", update_form(
        status="paused", rag="amber", reason="Waiting for the police")).status_code == 302
    page = client.get(f"/recommendations/{world.rec.id}").get_data(as_text=True)
    assert "Paused" in page and "Waiting for the police" in page


def test_status_and_rag_are_required_while_in_progress(client, world):
    as_user(client, world.owner)
    text = client.post_form(f"/actions/{world.action.id}/updates/new",
                            update_form(status="", rag="")).get_data(as_text=True)
    assert "Choose the status of the action" in text
    text = client.post_form(f"/actions/{world.action.id}/updates/new",
                            update_form(rag="")).get_data(as_text=True)
    assert "Choose a RAG rating" in text


def test_revised_due_date_needs_a_reason_and_keeps_the_original_visible(client, world,
                                                                         db_session):
    original = world.action.due_on
    revised = original + dt.timedelta(days=30)
    as_user(client, world.owner)
    text = client.post_form(f"/actions/{world.action.id}/updates/new", update_form(
        revised_due_on=date_parts(revised))).get_data(as_text=True)
    assert "Give the reason the due date is revised" in text
    assert client.post_form(f"/actions/{world.action.id}/updates/new", update_form(
        revised_due_on=date_parts(revised), revised_due_reason="Police review")).status_code == 302
    action = db_session.get(Action, world.action.id)
    assert (action.due_on, action.current_due_on) == (original, revised)
    page = client.get(f"/recommendations/{world.rec.id}").get_data(as_text=True)
    assert f"originally {original.day} {original:%B %Y}" in page
    assert "Police review" in page


def test_the_action_cache_follows_every_update(client, world, db_session):
    as_user(client, world.owner)
    client.post_form(f"/actions/{world.action.id}/updates/new",
                     update_form(rag="amber", reason="Police comments awaited."))
    action = db_session.get(Action, world.action.id)
    assert (action.status, action.rag) == ("in_progress", "amber")
    client.post_form(f"/actions/{world.action.id}/updates/new",
                     update_form(status="complete", rag=""))
    db_session.refresh(action)
    assert (action.status, action.rag) == ("complete", None)


def test_updates_cannot_be_edited_or_deleted(app):
    rules = {r.rule for r in app.url_map.iter_rules()}
    assert not [r for r in rules if "/updates/" in r and r != "/actions/<int:action_id>/updates/new"]


def test_call_in_refuses_work_started_or_complete_with_reason_and_date(client, world, make,
                                                                      db_session):
    today = london_today()
    open_decision = make.decision(decided_on=today, call_in_expires_on=today + dt.timedelta(days=5))
    rec = make.recommendation(make.part(open_decision), owner=world.owner)
    action = make.action(rec, owner=world.owner, due_on=today + dt.timedelta(days=90))
    as_user(client, world.owner)
    form = client.get(f"/actions/{action.id}/updates/new").get_data(as_text=True)
    assert "open to call-in" in form
    for status in ("in_progress", "complete"):
        page = client.post_form(f"/actions/{action.id}/updates/new", update_form(status=status))
        text = page.get_data(as_text=True)
        assert page.status_code == 200
        start = today + dt.timedelta(days=6)
        assert f"from {start.day} {start:%B %Y}" in text
    assert _updates(db_session, action.id) == []
    assert client.post_form(f"/actions/{action.id}/updates/new", update_form(
        status="paused", rag="amber", reason="Called-in period")).status_code == 302


def test_call_in_refuses_adding_actions_and_they_need_a_taken_up_recommendation(client, world,
                                                                             make, db_session):
    today = london_today()
    called = make.decision(call_in_record="called_in", called_in_on=today)
    rec = make.recommendation(make.part(called), owner=world.owner)
    as_user(client, world.owner)
    page = client.post_form(f"/recommendations/{rec.id}/actions/new", {
        "title": "Start work", "description": "", "owner_id": str(world.owner.id),
        "due_on": date_parts(today + dt.timedelta(days=30))})
    assert page.status_code == 200
    assert "called in" in page.get_data(as_text=True)
    waiting = make.recommendation(None, source="scrutiny", owner=world.owner)
    page = client.post_form(f"/recommendations/{waiting.id}/actions/new", {
        "title": "Start work", "description": "", "owner_id": str(world.owner.id),
        "due_on": date_parts(today + dt.timedelta(days=30))})
    assert "once the executive has taken this recommendation up" in page.get_data(as_text=True)
    assert db_session.scalar(sa.select(sa.func.count(Action.id)).where(
        Action.recommendation_id.in_((rec.id, waiting.id)))) == 0


def test_owner_adds_an_action_with_a_due_date(client, world, db_session):
    as_user(client, world.owner)
    due = london_today() + dt.timedelta(days=20)
    response = client.post_form(f"/recommendations/{world.rec.id}/actions/new", {
        "title": "Brief the schools", "description": "", "owner_id": str(world.other.id),
        "due_on": date_parts(due)})
    assert response.status_code == 302
    action = db_session.scalar(sa.select(Action).where(Action.title == "Brief the schools"))
    assert (action.owner_id, action.due_on, action.current_due_on, action.status) == (
        world.other.id, due, due, "not_started")
    page = client.post_form(f"/recommendations/{world.rec.id}/actions/new", {
        "title": "No date", "description": "", "owner_id": str(world.other.id),
        "due_on": date_parts(None)})
    assert "Enter the date the action is due" in page.get_data(as_text=True)


def test_terminology_and_personal_data_warn_once_then_save(client, world, make, db_session):
    make.terminology_rule(term="alleged victim", replacement="victim")
    as_user(client, world.owner)
    data = update_form(narrative="Met the alleged victim's school. UPN A123456789012? no.")
    first = client.post_form(f"/actions/{world.action.id}/updates/new", data).get_data(as_text=True)
    assert "should be written “victim”" in first
    assert "Do not record personal information about children" in first
    assert _updates(db_session, world.action.id) == []
    import re
    seen = re.search(r'name="warnings_seen" type="hidden" value="([^"]+)"', first).group(1)
    data["warnings_seen"] = seen
    assert client.post_form(f"/actions/{world.action.id}/updates/new", data).status_code == 302



def test_a_long_timeline_is_paged_newest_first_with_its_count(client, world, make):
    """A recommendation updated for years has hundreds of updates: its page shows them 25 at a
    time, newest first, says how many there are, and pages through the rest (GOV.UK
    pagination landing on the timeline). The reader's view: a second action's updates too."""
    import lxml.html

    second = make.action(world.rec, title="Train the staff", owner=world.owner)
    start = dt.datetime(2024, 1, 1, 9, tzinfo=dt.timezone.utc)
    for n in range(30):
        make.update(world.action if n % 2 else second, narrative=f"Week {n} report.",
                    recorded_at=start + dt.timedelta(days=7 * n))
    as_user(client, world.member)

    def timeline(query: str = "") -> tuple[Any, list[str]]:
        page = lxml.html.fromstring(client.get(f"/recommendations/{world.rec.id}{query}")
                                    .get_data(as_text=True))
        return page, [" ".join(li.xpath("string(./p[@class='govuk-body'])").split())
                      for li in page.xpath("//li[@class='tracker-timeline__item']")]

    def words(page: Any, xpath: str) -> str:
        return " ".join(page.xpath(f"string({xpath})").split())

    page, shown = timeline()
    assert shown == [f"Week {n} report." for n in range(29, 4, -1)]
    assert words(page, "//*[@id='updates-count']") == (
        "30 progress updates, newest first, 25 to a page: these are 1 to 25.")
    (pager,) = page.xpath("//nav[@aria-label='Pages of progress updates']")
    assert pager.xpath(".//a[@rel='next']/@href") == [
        f"/recommendations/{world.rec.id}?updates_page=2#updates"]

    page, shown = timeline("?updates_page=2")
    assert shown == [f"Week {n} report." for n in range(4, -1, -1)]
    assert words(page, "//*[@id='updates-count']").endswith("these are 26 to 30.")
    page, shown = timeline("?updates_page=99")   # past the last: the last page
    assert shown[0] == "Week 4 report."


def test_a_short_timeline_has_no_pages_and_no_count(client, world, make):
    make.update(world.action, narrative="Only update.")
    as_user(client, world.member)
    page = client.get(f"/recommendations/{world.rec.id}").get_data(as_text=True)
    assert "Only update." in page
    assert 'id="updates-count"' not in page and "Pages of progress updates" not in page
