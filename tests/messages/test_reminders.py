"""What ``reminders.queue_due`` queues, with time moved through the one clock: digests on
their day, escalation after 28 days, executive responses to administrators, school
reminders at the administrator's interval (never about an exempt decision), and each only
once per period however often it runs."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from tracker import clock
from tracker.messages import reminders, services
from tracker.models import Message

MONDAY = dt.date(2031, 3, 3)
assert MONDAY.weekday() == 0


def at(day: dt.date, hour: int = 7) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.timezone.utc)


def run(day: dt.date) -> dict[str, int]:
    with clock.travel_to(at(day)):
        return reminders.queue_due(clock.now())


def messages(db_session, kind: str, to=None) -> list[Message]:
    query = sa.select(Message).where(Message.kind == kind).order_by(Message.id)
    if to is not None:
        query = query.where(Message.recipient_id == to.id)
    return list(db_session.scalars(query))


def _world(make, due_on: dt.date):
    accountable = make.user(role="officer", name="Ada Accountable")
    owner = make.user(role="officer", name="Omar Owner")
    rec = make.recommendation(make.part(make.decision()), reference="3.1", owner_id=accountable.id)
    action = make.action(rec, title="Draft the protocol", owner_id=owner.id, due_on=due_on)
    return accountable, owner, rec, action


def test_weekly_digest_once_a_week_on_its_day_daily_every_day(db_session, make, configure):
    _, owner, _, action = _world(make, due_on=MONDAY + dt.timedelta(days=10))
    daily = make.user(role="officer")
    make.action(action.recommendation, title="Daily action", owner_id=daily.id,
                due_on=MONDAY - dt.timedelta(days=2))
    services.set_digest_frequency(daily, "daily")

    assert run(MONDAY)["digest"] == 2
    [weekly_digest] = messages(db_session, "digest", owner)
    assert weekly_digest.subject.startswith("Your weekly summary: 0 overdue, 1 due soon")
    assert "Draft the protocol" in weekly_digest.body_text
    assert f"https://tracker.council.example/actions/{action.id}/updates/new" in weekly_digest.body_text

    assert run(MONDAY + dt.timedelta(days=1))["digest"] == 1  # the daily one only
    assert run(MONDAY + dt.timedelta(days=1))["digest"] == 0  # running again adds nothing
    assert len(messages(db_session, "digest", owner)) == 1
    assert len(messages(db_session, "digest", daily)) == 2
    assert "1 overdue" in messages(db_session, "digest", daily)[0].subject

    assert run(MONDAY + dt.timedelta(days=7))["digest"] == 2  # the next week
    assert len(messages(db_session, "digest", owner)) == 2


def test_missed_monday_is_caught_up_once(db_session, make, configure):
    _, owner, _, _ = _world(make, due_on=MONDAY + dt.timedelta(days=10))
    assert run(MONDAY + dt.timedelta(days=2))["digest"] == 1  # cron was down Monday and Tuesday
    assert run(MONDAY + dt.timedelta(days=3))["digest"] == 0


def test_no_digest_when_there_is_nothing_to_say(db_session, make, configure):
    _world(make, due_on=MONDAY + dt.timedelta(days=40))  # not due within 14 days
    assert run(MONDAY)["digest"] == 0


def test_questions_awaiting_an_answer_are_in_the_owners_digest(db_session, make, configure):
    accountable, _, rec, _ = _world(make, due_on=MONDAY + dt.timedelta(days=40))
    make.challenge(rec, question="Why has the audit not started?",
                   asked_at=at(MONDAY - dt.timedelta(days=3)))
    run(MONDAY)
    [digest] = messages(db_session, "digest", accountable)
    assert "Questions waiting for your answer (1)" in digest.body_text
    assert "Why has the audit" not in digest.body_text + digest.body_html  # no narrative


def test_escalation_after_28_days_overdue_to_the_accountable_owner(db_session, make, configure):
    due = MONDAY - dt.timedelta(days=28)
    accountable, owner, _, action = _world(make, due_on=due)
    assert run(MONDAY)["escalation_action"] == 0  # exactly 28 days: not yet
    assert run(MONDAY + dt.timedelta(days=1))["escalation_action"] == 1
    [message] = messages(db_session, "escalation_action")
    assert message.recipient_id == accountable.id
    assert "Draft the protocol" in message.body_text and "owner Omar Owner" in message.body_text
    assert "29 days overdue" in message.body_text
    assert run(MONDAY + dt.timedelta(days=2))["escalation_action"] == 0  # once a week
    assert run(MONDAY + dt.timedelta(days=8))["escalation_action"] == 1


def test_escalation_days_are_configurable(db_session, make, configure):
    configure(ESCALATION_OVERDUE_DAYS=7)
    _world(make, due_on=MONDAY - dt.timedelta(days=8))
    assert run(MONDAY)["escalation_action"] == 1


def test_completed_action_is_not_escalated(db_session, make, configure):
    _, _, _, action = _world(make, due_on=MONDAY - dt.timedelta(days=60))
    action.status = "complete"
    db_session.flush()
    assert run(MONDAY)["escalation_action"] == 0


def test_executive_response_due_or_late_goes_to_administrators(db_session, make, configure):
    admin = make.user(role="admin")
    make.user(role="officer")
    due_soon = make.recommendation(source="scrutiny", part=None, reference="S1",
                                   response_due_on=MONDAY + dt.timedelta(days=10))
    late = make.recommendation(source="scrutiny", part=None, reference="S2",
                               response_due_on=MONDAY - dt.timedelta(days=1))
    answered = make.recommendation(source="scrutiny", part=None, reference="S3",
                                   response_due_on=MONDAY + dt.timedelta(days=3))
    make.response(answered)
    make.recommendation(source="scrutiny", part=None, reference="S4",
                        response_due_on=MONDAY + dt.timedelta(days=30))
    assert run(MONDAY)["escalation_response"] == 1
    [message] = messages(db_session, "escalation_response")
    assert message.recipient_id == admin.id
    assert "1 late, 1 due within 14 days" in message.subject
    assert "Recommendation S1" in message.body_text and "Recommendation S2" in message.body_text
    assert "S3" not in message.body_text and "S4" not in message.body_text
    assert due_soon and late


def _guidance(make, exemption="open", approved_on=MONDAY):
    part = make.part(make.decision(exemption=exemption), kind="approve_guidance")
    version = make.guidance_version(make.guidance(part, title="Model guidance"),
                                    approved_on=approved_on)
    return version


def test_school_leads_and_trust_lead_are_reminded_at_the_interval(db_session, make, configure):
    version = _guidance(make)
    behind = make.school(name="Behind Primary", trust_code="TR1", trust_name="River Trust")
    adopted = make.school(name="Done Primary", trust_code="TR1")
    make.adoption(adopted, version, status="adopted")
    lead = make.user(role="school_lead", schools=[behind])
    trust_lead = make.user(role="school_lead", trust_code="TR1")
    admin = make.user(role="admin")
    services.set_school_reminder_days(14, admin)

    assert run(MONDAY)["school_reminder"] == 2
    [to_lead] = messages(db_session, "school_reminder", lead)
    [to_trust] = messages(db_session, "school_reminder", trust_lead)
    assert "Behind Primary" in to_lead.body_text and "Done Primary" not in to_lead.body_text
    assert "As lead for River Trust" in to_trust.body_text and "Behind Primary" in to_trust.body_text
    assert run(MONDAY + dt.timedelta(days=13))["school_reminder"] == 0
    assert run(MONDAY + dt.timedelta(days=14))["school_reminder"] == 2


def test_a_school_lead_is_never_told_about_an_exempt_decision(db_session, make, configure):
    _guidance(make, exemption="para_3")
    school = make.school()
    make.user(role="school_lead", schools=[school])
    assert run(MONDAY)["school_reminder"] == 0


def test_a_lead_is_reminded_of_each_guidance_document_on_its_own(db_session, make, configure):
    first = _guidance(make)
    second = make.guidance_version(make.guidance(first.guidance.part, title="Interview checklist"),
                                   approved_on=MONDAY)
    school = make.school(name="Hill Primary")
    make.adoption(school, first, status="adopted", adopted_on=MONDAY)
    lead = make.user(role="school_lead", schools=[school])
    assert run(MONDAY)["school_reminder"] == 1
    [message] = messages(db_session, "school_reminder", lead)
    assert message.subject.startswith("1 school(s) yet to adopt Interview checklist version 1")
    assert (f"https://tracker.council.example/schools/{school.id}"
            f"?guidance={second.guidance_id}") in message.body_text
    assert run(MONDAY)["school_reminder"] == 0  # once a period, as for the first document


def test_the_member_who_asked_is_told_when_their_question_is_answered(db_session, make,
                                                                     configure):
    from tracker.recommendations.services import answer_challenge

    member = make.user(role="member")
    accountable, _, rec, _ = _world(make, due_on=MONDAY)
    challenge = make.challenge(rec, asked_by=member, question="What about the audit?")
    answer_challenge(accountable, challenge, "The audit starts in May with the lead officer.",
                     challenge.version_id)
    [message] = messages(db_session, "challenge_answered")
    assert message.to_address == member.email
    assert f"recommendations/{rec.id}#challenges" in message.body_text
    assert "audit" not in (message.body_text + message.body_html).lower()  # no question or answer


def test_people_without_a_valid_address_are_skipped_not_failed(db_session, make, configure):
    owner = make.user(role="officer", email="not-an-address")
    rec = make.recommendation(make.part(make.decision()))
    make.action(rec, owner_id=owner.id, due_on=MONDAY)
    assert run(MONDAY)["digest"] == 0
