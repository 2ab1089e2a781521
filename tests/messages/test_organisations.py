"""Work owned by an organisation reaches its people: its active partner officers with a valid
address get the update round's request and reminders, the digest and (for a recommendation
the organisation is accountable for) the escalation, through the same outbox, once per
period; an organisation with nobody to tell is shown to administrators, never dropped
silently. A partner officer is told only of their organisation's actions."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from tests.messages.pages import text_by_id
from tests.messages.test_reminders import MONDAY, messages, run
from tests.messages.test_rounds import _open
from tests.recommendations.conftest import as_user, update_form
from tracker import clock
from tracker.messages import outbox, reminders
from tracker.models import Message, RoundItem, UpdateRound
from tracker.permissions import PARTNER


def _agencies(make, due_on: dt.date):
    officer = make.user(role="officer", name="Olu Owner", email="olu@council.example")
    police = make.organisation(name="Northshire Police", kind="police")
    dee = make.user(role=PARTNER, name="Dee Constable", email="dee@police.example")
    sam = make.user(role=PARTNER, name="Sam Sergeant", email="sam@police.example")
    gone = make.user(role=PARTNER, name="Gone Away", email="gone@police.example",
                     active=False)
    for person in (dee, sam, gone):
        person.organisation = police
    health = make.organisation(name="Northshire Health", kind="health")  # nobody to tell
    decision = make.decision(title="Review of information sharing")
    rec = make.recommendation(make.part(decision), reference="1", owner_id=officer.id)
    police_action = make.action(rec, title="Police referral desk", due_on=due_on,
                                owner_organisation_id=police.id)
    council_action = make.action(rec, title="Council referral form", due_on=due_on,
                                 owner_id=officer.id)
    health_action = make.action(rec, title="Health visitor audit", due_on=due_on,
                                owner_organisation_id=health.id)
    return locals()


def test_a_round_asks_an_organisations_partner_officers_for_its_actions(
        client, make, db_session, smtp):
    w = _agencies(make, clock.today() + dt.timedelta(days=30))
    admin = make.user(role="admin")
    assert _open(client, admin, w["decision"]).status_code == 302
    round_ = db_session.scalar(sa.select(UpdateRound))
    items = {i.action_id: i for i in round_.items}
    assert set(items) == {w["police_action"].id, w["council_action"].id, w["health_action"].id}
    assert items[w["police_action"].id].owner_organisation_id == w["police"].id
    assert items[w["police_action"].id].owner_id is None

    assert outbox.deliver().sent == 3  # Olu, Dee, Sam: not the inactive officer, not health
    mail = {m.recipients[0]: m for m in smtp.received}
    assert set(mail) == {"olu@council.example", "dee@police.example", "sam@police.example"}
    text = mail["dee@police.example"].part("plain")
    police_id = w["police_action"].id
    assert "Police referral desk" in text
    assert "each of Northshire Police's 1 open action(s)" in text
    assert "Your organisation's actions: https://tracker.council.example/my-actions" in text
    assert f"https://tracker.council.example/actions/{police_id}/updates/new" in text
    assert "Council referral form" not in text and "Health visitor audit" not in text
    assert "Police referral desk" not in mail["olu@council.example"].part("plain")

    page = client.get(f"/rounds/{round_.id}").get_data(as_text=True)
    for name in ("police", "health"):
        assert f"{w[name].name}: 0 of 1 returned" in text_by_id(
            page, f"organisation-{w[name].id}")


def test_round_reminders_reach_the_organisation_until_its_action_is_returned(
        client, make, db_session, configure):
    w = _agencies(make, clock.today() + dt.timedelta(days=30))
    _open(client, make.user(role="admin"), w["decision"])
    start = clock.now()

    def reminded(days: int) -> set[int]:
        with clock.travel_to(start + dt.timedelta(days=days)):
            reminders.queue_due(clock.now())
        return {m.recipient_id for m in messages(db_session, "round_reminder")}

    assert reminded(7) == {w["officer"].id, w["dee"].id, w["sam"].id}
    assert len(messages(db_session, "round_reminder")) == 3
    [dee_reminder] = messages(db_session, "round_reminder", w["dee"])
    assert "1 of Northshire Police's actions" in dee_reminder.body_text
    assert "Police referral desk" in dee_reminder.body_text
    assert "Council referral form" not in dee_reminder.body_text
    assert reminded(8) == {w["officer"].id, w["dee"].id, w["sam"].id}  # nothing twice
    assert len(messages(db_session, "round_reminder")) == 3
    as_user(client, w["dee"])  # Dee returns the police's action: Sam is not chased for it
    assert client.post_form(f"/actions/{w['police_action'].id}/updates/new",
                            update_form()).status_code == 302
    before = len(messages(db_session, "round_reminder"))
    reminded(14)
    new = [m for m in messages(db_session, "round_reminder")][before:]
    assert {m.recipient_id for m in new} == {w["officer"].id}


def test_the_digest_reaches_an_organisations_people_once_a_week(db_session, make, configure):
    w = _agencies(make, MONDAY + dt.timedelta(days=10))
    assert run(MONDAY)["digest"] == 3
    [dee_digest] = messages(db_session, "digest", w["dee"])
    assert "Police referral desk" in dee_digest.body_text
    assert "Council referral form" not in dee_digest.body_text
    assert "Health visitor audit" not in dee_digest.body_text
    assert dee_digest.to_address == "dee@police.example"
    assert messages(db_session, "digest", w["gone"]) == []
    assert run(MONDAY + dt.timedelta(days=2))["digest"] == 0  # once a week


def test_an_organisation_accountable_for_a_recommendation_gets_its_escalation(
        db_session, make, configure):
    w = _agencies(make, MONDAY - dt.timedelta(days=40))
    rec = make.recommendation(w["rec"].part, reference="2",
                              owner_organisation_id=w["police"].id)
    make.action(rec, title="Police training overdue", due_on=MONDAY - dt.timedelta(days=40),
                owner_organisation_id=w["police"].id)
    make.action(rec, title="Council part overdue", due_on=MONDAY - dt.timedelta(days=40),
                owner_id=w["officer"].id)
    run(MONDAY)
    [dee_escalation] = messages(db_session, "escalation_action", w["dee"])
    assert "Police training overdue" in dee_escalation.body_text
    assert "Council part overdue" not in dee_escalation.body_text  # not theirs to see
    assert f"agency={w['police'].id}" in dee_escalation.body_text
    assert len(messages(db_session, "escalation_action", w["sam"])) == 1
    assert run(MONDAY + dt.timedelta(days=1))["escalation_action"] == 0  # once a week


def test_an_organisation_with_nobody_to_tell_is_shown_to_administrators(
        client, make, db_session, configure):
    w = _agencies(make, clock.today() + dt.timedelta(days=30))
    as_user(client, make.user(role="admin"))
    page = client.get("/admin/messages").get_data(as_text=True)
    listed = text_by_id(page, "unreachable-organisations").replace(" :", ":")
    assert "Northshire Health: nobody to tell" in listed
    assert "Northshire Police" not in listed
    # A police officer's address goes bad and the other leaves: the police are listed too.
    w["dee"].email = "not-an-address"
    w["sam"].active = False
    db_session.flush()
    page = client.get("/admin/messages").get_data(as_text=True)
    assert "Northshire Police: nobody to tell" in text_by_id(
        page, "unreachable-organisations").replace(" :", ":")
    assert db_session.scalar(sa.select(sa.func.count(RoundItem.id))) == 0
    assert db_session.scalar(sa.select(sa.func.count(Message.id))) == 0


def test_the_committee_report_names_the_organisation_whose_action_had_no_update(
        client, make, db_session, configure):
    w = _agencies(make, clock.today() + dt.timedelta(days=30))
    admin = make.user(role="admin")
    _open(client, admin, w["decision"])
    round_ = db_session.scalar(sa.select(UpdateRound))
    meeting = round_.meeting_on
    with clock.travel_to(dt.datetime(meeting.year, meeting.month, meeting.day, 12,
                                     tzinfo=dt.timezone.utc)):
        page = client.get("/reports/committee", query_string={
            "decision": "all", "as_at": meeting.isoformat()}).get_data(as_text=True)
    assert "3 action(s) had no update in the round" in page
    assert "Police referral desk (recommendation 1; owner Northshire Police)" in page
    assert "Health visitor audit (recommendation 1; owner Northshire Health)" in page
