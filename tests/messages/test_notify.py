"""GOV.UK Notify through its official client, against a stand-in on 127.0.0.1 that checks
each request as Notify's API documents it (see servers.NotifyStandIn) and answers as
Notify does, errors included."""
from __future__ import annotations

import datetime as dt

from tests.messages.conftest import NOTIFY_TEMPLATES
from tests.messages.servers import notify_error
from tracker import clock
from tracker.messages import outbox
from tracker.messages.composing import LINK_PLACEHOLDER, compose


def _queue(user, kind="invitation"):
    if kind in ("invitation", "password_reset"):
        message = compose(kind, user, "You have been invited", hours=72,
                          page_link=LINK_PLACEHOLDER,
                          secret_link="https://tracker.council.example/set-password/tok")
    else:
        message = compose("challenge_answered", user, "Your question has been answered",
                          page_link="https://tracker.council.example/recommendations/7",
                          reference="S3", asked_on=dt.date(2021, 2, 1))
    return outbox.add(message)


def test_notify_gets_the_template_of_the_kind_and_the_fields_it_fills(db_session, make, notify):
    user = make.user(name="Bea Lead", email="bea@council.example")
    message = _queue(user)
    answered = _queue(user, "challenge_answered")
    _queue(user, "password_reset")
    db_session.commit()

    report = outbox.deliver()

    assert report.sent == 3 and notify.refused == []
    first, second, third = notify.accepted
    assert third["template_id"] == NOTIFY_TEMPLATES["password_reset"]
    assert first["email_address"] == "bea@council.example"
    assert first["template_id"] == NOTIFY_TEMPLATES["invitation"]
    assert first["personalisation"]["link"] == "https://tracker.council.example/set-password/tok"
    assert first["personalisation"]["subject"] == "You have been invited – Herefordshire Council"
    assert "https://tracker.council.example/set-password/tok" in first["personalisation"]["body"]
    assert first["reference"] == f"message-{message.id}"
    assert second["template_id"] == NOTIFY_TEMPLATES["challenge_answered"]
    db_session.refresh(message)
    assert message.transport == "notify" and message.provider_reference
    assert answered.id


def test_notify_bad_request_fails_the_message_with_notifys_reason(db_session, make, notify):
    message = _queue(make.user())
    db_session.commit()
    notify.force = notify_error(400, "BadRequestError",
                                "Can't send to this recipient using a team-only API key")
    assert outbox.deliver().failed == 1
    db_session.refresh(message)
    assert message.status == "failed"
    assert "400" in message.last_error and "team-only API key" in message.last_error


def test_notify_rate_limit_and_server_errors_are_retried(db_session, make, notify, configure):
    configure(MAIL_RETRY_SECONDS=10)
    message = _queue(make.user())
    db_session.commit()
    notify.force = notify_error(429, "RateLimitError",
                                "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds")
    assert outbox.deliver().retried == 1
    notify.force = notify_error(500, "Exception", "Internal server error")
    with clock.travel_to(clock.now() + dt.timedelta(seconds=11)):
        assert outbox.deliver().retried == 1
    db_session.refresh(message)
    assert "500" in message.last_error
    notify.force = None
    with clock.travel_to(clock.now() + dt.timedelta(seconds=40)):
        assert outbox.deliver().sent == 1
    assert len(notify.accepted) == 1


def test_a_key_notify_does_not_know_is_refused_and_kept(db_session, make, notify, configure):
    wrong = "test_key-26785a09-ab16-4eb0-8407-a37497a57506-00000000-0000-0000-0000-000000000000"
    configure(NOTIFY_API_KEY=wrong)
    message = _queue(make.user())
    db_session.commit()
    assert outbox.deliver().retried == 1
    assert notify.refused == [(403, "AuthError")]
    db_session.refresh(message)
    assert message.status == "queued" and "403" in message.last_error


def test_a_kind_without_a_template_id_waits_with_a_reason(db_session, make, notify, configure):
    configure(NOTIFY_TEMPLATES={})
    message = _queue(make.user())
    db_session.commit()
    outbox.deliver()
    db_session.refresh(message)
    assert message.status == "queued"
    assert "NOTIFY_TEMPLATE_INVITATION" in message.last_error
