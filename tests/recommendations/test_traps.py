"""Traps that changed data wrongly: a revised due date in the past or before the original, a
status chosen for the user, and a create form sent twice storing two things."""
from __future__ import annotations

import datetime as dt
import html
import re

import sqlalchemy as sa

from tests.recommendations.conftest import as_user, date_parts, update_form
from tracker.clock import today as london_today
from tracker.models import Action, Challenge, FormToken, ProgressUpdate


def _count(db_session, model, **where) -> int:  # type: ignore[no-untyped-def]
    query = sa.select(sa.func.count()).select_from(model)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    return db_session.scalar(query)


def _error(page: str) -> str:
    found = re.search(r'<ul class="govuk-list govuk-error-summary__list">(.*?)</ul>', page, re.S)
    assert found, "no error summary"
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split()))


def _token(page: str) -> str:
    found = re.search(r'name="once" type="hidden" value="([^"]+)"', page) or \
        re.search(r'id="once" name="once" type="hidden" value="([^"]+)"', page)
    assert found, "no one-time token on the form"
    return found.group(1)


def test_a_revised_due_date_before_the_original_is_refused(client, world, db_session):
    as_user(client, world.owner)
    original = world.action.due_on
    page = client.post_form(f"/actions/{world.action.id}/updates/new", update_form(
        revised_due_on=date_parts(original - dt.timedelta(days=1)),
        revised_due_reason="The police asked for more time")).get_data(as_text=True)
    assert _error(page) == ("The revised due date must be after the original due date, "
                            f"{original.day} {original:%B %Y}")
    assert _count(db_session, ProgressUpdate, action_id=world.action.id) == 0


def test_a_revised_due_date_in_the_past_is_refused(client, make, world, db_session):
    action = make.action(world.rec, title="Late already", owner=world.owner,
                         due_on=london_today() - dt.timedelta(days=30))
    as_user(client, world.owner)
    page = client.post_form(f"/actions/{action.id}/updates/new", update_form(
        revised_due_on=date_parts(london_today() - dt.timedelta(days=1)),
        revised_due_reason="The police asked for more time")).get_data(as_text=True)
    assert _error(page) == "The revised due date must be today or in the future"
    assert _count(db_session, ProgressUpdate, action_id=action.id) == 0


def test_a_revised_due_date_needs_a_real_reason(client, world, db_session):
    as_user(client, world.owner)
    later = date_parts(world.action.due_on + dt.timedelta(days=30))
    page = client.post_form(f"/actions/{world.action.id}/updates/new", update_form(
        revised_due_on=later, revised_due_reason="x")).get_data(as_text=True)
    assert _error(page) == "Say in a few words why the due date has changed"
    assert _count(db_session, ProgressUpdate, action_id=world.action.id) == 0
    assert client.post_form(f"/actions/{world.action.id}/updates/new", update_form(
        revised_due_on=later, revised_due_reason="Police review of the draft")).status_code == 302
    assert db_session.get(Action, world.action.id).current_due_on == \
        world.action.due_on + dt.timedelta(days=30)


def test_the_update_form_does_not_choose_a_status_or_rag(client, make, world):
    make.update(world.action, status="in_progress", rag="amber")
    as_user(client, world.owner)
    page = client.get(f"/actions/{world.action.id}/updates/new").get_data(as_text=True)
    radios = re.findall(r'<input[^>]*name="(?:status|rag)"[^>]*>', page)
    assert len(radios) == 8 and not any("checked" in r for r in radios)


def test_a_progress_update_sent_twice_is_stored_once(client, world, db_session):
    as_user(client, world.owner)
    url = f"/actions/{world.action.id}/updates/new"
    data = update_form() | {"once": _token(client.get(url).get_data(as_text=True))}
    first, second = client.post_form(url, data), client.post_form(url, data)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert second.headers["Location"].endswith(f"/recommendations/{world.rec.id}#action-{world.action.id}")
    assert _count(db_session, ProgressUpdate, action_id=world.action.id) == 1
    assert _count(db_session, FormToken, user_id=world.owner.id) == 1


def test_a_question_sent_twice_is_asked_once(client, world, db_session):
    as_user(client, world.member)
    url = f"/recommendations/{world.rec.id}/challenges/new"
    data = {"question": "When will the protocol be agreed?",
            "once": _token(client.get(url).get_data(as_text=True))}
    assert client.post_form(url, data).status_code == 302
    again = client.post_form(url, data, follow_redirects=True)
    assert "saved once, not twice" in again.get_data(as_text=True)
    assert _count(db_session, Challenge, recommendation_id=world.rec.id) == 1


def test_an_action_sent_twice_is_added_once(client, world, db_session):
    as_user(client, world.owner)
    url = f"/recommendations/{world.rec.id}/actions/new"
    due = london_today() + dt.timedelta(days=20)
    data = {"title": "Brief the heads", "description": "", "owner_id": str(world.owner.id),
            "due_on": date_parts(due), "once": _token(client.get(url).get_data(as_text=True))}
    assert client.post_form(url, data).status_code == 302
    assert client.post_form(url, data).status_code == 302
    assert _count(db_session, Action, recommendation_id=world.rec.id, title="Brief the heads") == 1


def test_a_form_shown_again_with_an_error_keeps_its_token_and_saves_once_fixed(
        client, world, db_session):
    as_user(client, world.owner)
    url = f"/actions/{world.action.id}/updates/new"
    token = _token(client.get(url).get_data(as_text=True))
    refused = client.post_form(url, update_form(narrative="", once=token)).get_data(as_text=True)
    assert _token(refused) == token and _count(db_session, FormToken) == 0
    assert client.post_form(url, update_form(once=token)).status_code == 302
    assert _count(db_session, ProgressUpdate, action_id=world.action.id) == 1


def test_evidence_says_it_is_a_link_and_refuses_a_file_path(client, world, db_session):
    as_user(client, world.owner)
    url = f"/actions/{world.action.id}/updates/new"
    form_page = client.get(url).get_data(as_text=True)
    hint = re.search(r'id="evidence_url_1-hint"[^>]*>(.*?)</div>', form_page, re.S)
    assert hint and "SharePoint" in hint.group(1) and "https://" in hint.group(1)
    page = client.post_form(url, update_form(
        evidence_url_1=r"C:\Users\olu\Documents\protocol.docx",
        evidence_description_1="Protocol")).get_data(as_text=True)
    assert _error(page) == (
        "Evidence is a link to where the document is kept (SharePoint, the council's document "
        "system), not a file on your computer or a shared drive: open the document there, "
        "copy its web address, starting https://, and paste it here")
    assert _count(db_session, ProgressUpdate, action_id=world.action.id) == 0


def test_red_or_amber_needs_a_reason(client, world, db_session):
    as_user(client, world.owner)
    page = client.post_form(f"/actions/{world.action.id}/updates/new",
                            update_form(rag="red")).get_data(as_text=True)
    assert _error(page) == "Give the reason for the red rating in a few words"
    assert _count(db_session, ProgressUpdate, action_id=world.action.id) == 0
    assert client.post_form(f"/actions/{world.action.id}/updates/new", update_form(
        rag="red", reason="The police have not replied.")).status_code == 302
    assert db_session.get(Action, world.action.id).rag == "red"


def test_an_update_marking_complete_carries_no_red_or_amber(client, world, db_session):
    as_user(client, world.owner)
    page = client.post_form(f"/actions/{world.action.id}/updates/new", update_form(
        status="complete", rag="amber", reason="Late but done.")).get_data(as_text=True)
    assert _error(page) == ("An update marking the action complete carries no red or amber "
                            "rating: choose green, or no rating")
    assert _count(db_session, ProgressUpdate, action_id=world.action.id) == 0


def test_a_slipping_action_needs_a_revised_due_date(client, make, world, db_session):
    action = make.action(world.rec, title="Late already", owner=world.owner,
                         due_on=london_today() - dt.timedelta(days=3))
    as_user(client, world.owner)
    assert client.post_form(f"/actions/{action.id}/updates/new",
                            update_form()).status_code == 302  # green: on track, no new date
    page = client.post_form(f"/actions/{action.id}/updates/new", update_form(
        rag="amber", reason="The police have not replied.")).get_data(as_text=True)
    due = action.due_on
    assert _error(page) == (f"The action was due on {due.day} {due:%B %Y}: enter a revised "
                            "due date, with the reason it has changed")
    assert _count(db_session, ProgressUpdate, action_id=action.id) == 1
    assert client.post_form(f"/actions/{action.id}/updates/new", update_form(
        rag="amber", reason="The police have not replied.",
        revised_due_on=date_parts(london_today() + dt.timedelta(days=30)),
        revised_due_reason="The police asked for more time")).status_code == 302
    assert client.post_form(f"/actions/{action.id}/updates/new", update_form(
        status="complete", rag="")).status_code == 302  # finishing late needs no new date
