"""Update rounds: an administrator opens one over chosen decisions; each owner gets one
message listing all their actions with a link to each update form; the round page shows
returned and outstanding; reminders go at the interval to those still outstanding; the
committee report for the meeting lists the actions with no update in the round."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from tests.messages.pages import text_by_id
from tests.recommendations.conftest import as_user, date_parts, update_form
from tracker import clock
from tracker.messages import outbox, reminders
from tracker.models import Message, RoundItem, UpdateRound


def _setup(make):
    admin = make.user(role="admin")
    ann = make.user(role="officer", name="Ann Owner", email="ann@council.example")
    bob = make.user(role="officer", name="Bob Owner", email="bob@council.example")
    decision = make.decision(title="Safeguarding review")
    other = make.decision(title="Another decision")
    rec = make.recommendation(make.part(decision), reference="3.1", owner_id=ann.id)
    due = clock.today() + dt.timedelta(days=30)
    a1 = make.action(rec, title="Draft the protocol", owner_id=ann.id, due_on=due)
    a2 = make.action(rec, title="Train the staff", owner_id=ann.id, due_on=due)
    b1 = make.action(rec, title="Audit the records", owner_id=bob.id, due_on=due)
    done = make.action(rec, title="Already complete", owner_id=bob.id, due_on=due,
                       status="complete")
    elsewhere = make.action(make.recommendation(make.part(other), owner_id=bob.id),
                            title="Not in the round", owner_id=bob.id, due_on=due)
    return admin, ann, bob, decision, (a1, a2, b1, done, elsewhere)


def _open(client, admin, decision, **kw):
    as_user(client, admin)
    today = clock.today()
    data = {"committee": "Children's Scrutiny Committee",
            "meeting_on": date_parts(today + dt.timedelta(days=21)),
            "due_on": date_parts(today + dt.timedelta(days=14)), "reminder_days": "7",
            "decision_ids": [str(decision.id)]} | kw
    return client.post_form("/admin/rounds/new", data)


def test_opening_a_round_asks_each_owner_once_with_links_to_each_update_form(
        client, make, db_session, smtp):
    admin, ann, bob, decision, (a1, a2, b1, done, elsewhere) = _setup(make)
    response = _open(client, admin, decision)
    assert response.status_code == 302
    round_ = db_session.scalar(sa.select(UpdateRound))
    assert {i.action_id for i in round_.items} == {a1.id, a2.id, b1.id}

    assert outbox.deliver().sent == 2
    by_person = {mail.recipients[0]: mail for mail in smtp.received}
    ann_mail = by_person["ann@council.example"]
    assert ann_mail.subject.startswith("Updates due by")
    text = ann_mail.part("plain")
    assert "Draft the protocol" in text and "Train the staff" in text
    assert "Audit the records" not in text
    for action in (a1, a2):
        assert f"https://tracker.council.example/actions/{action.id}/updates/new" in text
        assert f'href="https://tracker.council.example/actions/{action.id}/updates/new"' in \
            ann_mail.part("html")
    assert "Not in the round" not in by_person["bob@council.example"].part("plain")


def test_round_page_shows_returned_and_outstanding_per_owner_and_action(
        client, make, db_session, configure):
    admin, ann, bob, decision, (a1, a2, b1, *_rest) = _setup(make)
    _open(client, admin, decision)
    round_ = db_session.scalar(sa.select(UpdateRound))
    as_user(client, ann)
    assert client.post_form(f"/actions/{a1.id}/updates/new", update_form()).status_code == 302

    page = client.get(f"/rounds/{round_.id}").get_data(as_text=True)
    assert "Returned" in text_by_id(page, f"item-{a1.id}")
    assert "Outstanding" in text_by_id(page, f"item-{a2.id}")
    assert "Ann Owner: 1 of 2 returned" in text_by_id(page, f"owner-{ann.id}")
    assert "Bob Owner: 0 of 1 returned" in text_by_id(page, f"owner-{bob.id}")


def test_reminders_at_the_interval_to_owners_still_outstanding(client, make, db_session,
                                                               configure):
    admin, ann, bob, decision, (a1, a2, b1, *_rest) = _setup(make)
    _open(client, admin, decision)
    as_user(client, bob)
    client.post_form(f"/actions/{b1.id}/updates/new", update_form())
    start = clock.now()

    def run(days: int) -> int:
        with clock.travel_to(start + dt.timedelta(days=days)):
            return reminders.queue_due(clock.now())["round_reminder"]

    assert run(6) == 0
    assert run(7) == 1  # Ann only: Bob returned his
    assert run(8) == 0
    [reminder] = db_session.scalars(sa.select(Message).where(Message.kind == "round_reminder"))
    assert reminder.recipient_id == ann.id
    assert "Draft the protocol" in reminder.body_text and "Train the staff" in reminder.body_text
    as_user(client, ann)
    client.post_form(f"/actions/{a1.id}/updates/new", update_form())
    client.post_form(f"/actions/{a2.id}/updates/new", update_form())
    assert run(14) == 0  # everything returned
    assert run(40) == 0  # and the meeting has passed anyway


def test_committee_report_for_the_meeting_lists_actions_with_no_update(client, make, db_session,
                                                                       configure):
    admin, ann, bob, decision, (a1, a2, b1, *_rest) = _setup(make)
    _open(client, admin, decision)
    round_ = db_session.scalar(sa.select(UpdateRound))
    as_user(client, ann)
    client.post_form(f"/actions/{a1.id}/updates/new", update_form())
    as_user(client, admin)
    meeting = round_.meeting_on
    with clock.travel_to(dt.datetime(meeting.year, meeting.month, meeting.day, 12,
                                     tzinfo=dt.timezone.utc)):
        page = client.get("/reports/committee", query_string={
            "decision": "all", "as_at": meeting.isoformat()}
        ).get_data(as_text=True)
    assert "2 action(s) had no update in the round" in page
    assert "Train the staff (recommendation 3.1; owner Ann Owner)" in page
    assert "Audit the records (recommendation 3.1; owner Bob Owner)" in page
    assert "Draft the protocol (recommendation" not in page


def test_a_round_needs_sensible_dates_and_a_decision(client, make, db_session):
    admin, _, _, decision, _ = _setup(make)
    today = clock.today()
    page = _open(client, admin, decision, due_on=date_parts(today - dt.timedelta(days=1)))
    assert page.status_code == 200
    assert "must be today or in the future" in page.get_data(as_text=True)
    page = _open(client, admin, decision, decision_ids=[])
    assert "Choose at least one decision" in page.get_data(as_text=True)
    page = _open(client, admin, decision, meeting_on=date_parts(today + dt.timedelta(days=3)))
    assert "The meeting must be on or after" in page.get_data(as_text=True)
    assert db_session.scalar(sa.select(sa.func.count(UpdateRound.id))) == 0
    assert db_session.scalar(sa.select(sa.func.count(Message.id))) == 0
    assert db_session.scalar(sa.select(sa.func.count(RoundItem.id))) == 0
