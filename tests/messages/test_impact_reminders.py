"""The impact review reminder (docs/rules-of-progress.md, "impact evidence awaited"): when a
signed-off recommendation's impact review date is reached and no impact evidence has been
recorded, whoever records it (its owner; with no person as owner, the administrators) is
told once per review date; more than ESCALATION_OVERDUE_DAYS late, the administrators are
told weekly. Through the pages: sign-off, a moved review date, the owner's evidence."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from tests.messages.test_reminders import messages
from tests.recommendations.conftest import as_user
from tests.recommendations.test_closing import _ready_to_sign_off, _sign_off
from tracker import clock
from tracker.messages import reminders
from tracker.models import Message


def _run(days: int) -> dict[str, int]:
    with clock.travel_to(clock.now() + dt.timedelta(days=days)):
        return reminders.queue_due(clock.now())


def _signed_off(client, world, make, db_session, review_in: int = 10) -> dt.date:
    _ready_to_sign_off(client, world, make)
    review_on = clock.today() + dt.timedelta(days=review_in)
    assert _sign_off(client, world, db_session, review_on=[
        str(review_on.day), str(review_on.month), str(review_on.year)]).status_code == 302
    return review_on


def test_the_owner_is_told_once_when_the_impact_review_falls_due(
        client, world, make, db_session, configure):
    review_on = _signed_off(client, world, make, db_session)
    assert _run(9)["impact_review"] == 0  # the day before
    assert _run(10)["impact_review"] == 1
    assert _run(10)["impact_review"] == 0  # running again adds nothing
    assert _run(13)["impact_review"] == 0  # nor a later day (once per review date)
    [message] = messages(db_session, "impact_review")
    assert message.recipient_id == world.owner.id
    assert message.subject.startswith(f"Impact review due for recommendation {world.rec.reference}")
    assert f"{review_on.day} {review_on:%B %Y}" in message.body_text
    assert (f"https://tracker.council.example/recommendations/{world.rec.id}/impact"
            in message.body_text)


def test_no_reminder_once_the_owner_has_recorded_the_evidence(
        client, world, make, db_session, configure):
    _signed_off(client, world, make, db_session, review_in=3)
    with clock.travel_to(clock.now() + dt.timedelta(days=4)):
        as_user(client, world.owner)
        assert client.post_form(f"/recommendations/{world.rec.id}/impact", {
            "narrative": "Audit of ten reports.", "judgement": "evidenced"}).status_code == 302
    assert _run(5)["impact_review"] == 0  # recorded, awaiting confirmation: not the owner's
    assert _run(60)["escalation_impact"] == 0


def test_a_moved_review_date_is_reminded_of_again(client, world, make, db_session, configure):
    _signed_off(client, world, make, db_session, review_in=3)
    assert _run(3)["impact_review"] == 1
    later_on = clock.today() + dt.timedelta(days=20)
    as_user(client, world.admin)
    assert client.post_form(f"/recommendations/{world.rec.id}/review-date", {
        "review_on": [str(later_on.day), str(later_on.month), str(later_on.year)],
        "reason": "The audit moves to next term.",
        "version_id": str(world.rec.version_id)}).status_code == 302
    assert _run(5)["impact_review"] == 0  # not due any more
    assert _run(20)["impact_review"] == 1
    assert len(messages(db_session, "impact_review", world.owner)) == 2


def test_late_impact_reviews_are_escalated_to_administrators_weekly(
        client, world, make, db_session, configure):
    _signed_off(client, world, make, db_session, review_in=3)
    assert _run(3 + 28)["escalation_impact"] == 0  # exactly 28 days: not yet
    assert _run(3 + 29)["escalation_impact"] == 1
    [message] = messages(db_session, "escalation_impact")
    assert message.recipient_id == world.admin.id
    assert f"Recommendation {world.rec.reference}" in message.body_text
    assert _run(3 + 30)["escalation_impact"] == 0  # once a week
    assert _run(3 + 29 + 7)["escalation_impact"] == 1


def test_with_no_person_as_owner_the_administrators_are_told(
        client, world, make, db_session, configure):
    _signed_off(client, world, make, db_session, review_in=3)
    police = make.organisation(name="Northshire Police", kind="police")
    world.rec.owner_id = None
    world.rec.owner_organisation_id = police.id
    db_session.commit()
    assert _run(3)["impact_review"] == 1
    assert [m.recipient_id for m in messages(db_session, "impact_review")] == [world.admin.id]
    assert db_session.scalar(sa.select(sa.func.count(Message.id)).where(
        Message.recipient_id == world.owner.id, Message.kind == "impact_review")) == 0
