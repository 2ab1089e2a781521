"""The outbox on one database connection: what is queued is delivered through the transport
configured, retried with back-off when the server refuses or times out, failed after the
last try with its reason, and never lost."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from tests.messages.servers import SilentServer
from tracker import clock
from tracker.messages import outbox
from tracker.messages.composing import LINK_PLACEHOLDER, compose, later
from tracker.models import AuditEvent, Message


def _invitation(user, link="https://tracker.council.example/set-password/abc123"):
    message = compose("invitation", user, "You have been invited", page_link=LINK_PLACEHOLDER,
                      secret_link=link, hours=72)
    outbox.add(message)
    return message


def test_queued_message_arrives_with_recipient_subject_and_link(db_session, make, smtp):
    user = make.user(name="Ann Owner", email="ann@council.example")
    message = _invitation(user)
    db_session.commit()

    report = outbox.deliver()

    assert (report.sent, report.retried, report.failed) == (1, 0, 0)
    [mail] = smtp.received
    assert mail.recipients == ["ann@council.example"]
    assert mail.subject == "You have been invited – Herefordshire Council"
    assert "https://tracker.council.example/set-password/abc123" in mail.part("plain")
    assert 'href="https://tracker.council.example/set-password/abc123"' in mail.part("html")
    db_session.refresh(message)
    assert (message.status, message.transport, message.attempts) == ("sent", "smtp", 1)
    assert message.secret_link is None  # the one-time link is not kept once sent
    event = db_session.scalar(sa.select(AuditEvent).where(
        AuditEvent.object_type == "Message", AuditEvent.object_id == message.id))
    assert event.summary.startswith("Email sent to ann@council.example")


def test_delivering_again_sends_nothing_new(db_session, make, smtp):
    _invitation(make.user())
    db_session.commit()
    outbox.deliver()
    assert outbox.deliver().sent == 0
    assert len(smtp.received) == 1


def test_nothing_configured_keeps_messages_in_the_outbox(db_session, make, configure):
    message = _invitation(make.user())
    db_session.commit()
    report = outbox.deliver()
    assert report.held == 1
    assert "No email transport is configured" in str(report)
    db_session.refresh(message)
    assert message.status == "queued"


def test_rolled_back_change_sends_nothing(db_session, make, smtp):
    user = make.user()
    db_session.commit()
    with db_session.begin_nested() as cause:
        _invitation(user)
        db_session.flush()
        cause.rollback()
    assert outbox.deliver().sent == 0
    assert smtp.received == []


def test_refusing_server_leads_to_retries_with_back_off_then_delivery(db_session, make, smtp,
                                                                     configure):
    configure(MAIL_RETRY_SECONDS=60, MAIL_MAX_ATTEMPTS=3)
    message = _invitation(make.user())
    db_session.commit()
    smtp.handler.refuse_with = "451 4.3.0 Mailbox busy, try again later"

    report = outbox.deliver()
    db_session.refresh(message)
    assert (report.retried, message.status, message.attempts) == (1, "queued", 1)
    assert "451" in message.last_error
    assert message.secret_link is not None  # kept for the next try
    first_wait = message.next_attempt_at - clock.now()
    assert dt.timedelta(seconds=50) < first_wait <= dt.timedelta(seconds=60)
    assert outbox.deliver().sent == 0  # not due yet

    with clock.travel_to(clock.now() + dt.timedelta(seconds=61)):
        outbox.deliver()
        db_session.refresh(message)
        assert message.attempts == 2
        second_wait = message.next_attempt_at - clock.now()
        assert dt.timedelta(seconds=110) < second_wait <= dt.timedelta(seconds=120)  # doubled

    smtp.handler.refuse_with = None
    with clock.travel_to(clock.now() + dt.timedelta(seconds=190)):
        assert outbox.deliver().sent == 1
    db_session.refresh(message)
    assert (message.status, message.attempts) == ("sent", 3)
    assert len(smtp.received) == 1


def test_after_the_last_try_a_message_shows_as_failed_with_its_reason(db_session, make, smtp,
                                                                     configure):
    configure(MAIL_RETRY_SECONDS=1, MAIL_MAX_ATTEMPTS=2)
    message = _invitation(make.user())
    db_session.commit()
    smtp.handler.refuse_with = "451 4.3.0 Try later"
    outbox.deliver()
    with clock.travel_to(clock.now() + dt.timedelta(seconds=5)):
        report = outbox.deliver()
    db_session.refresh(message)
    assert report.failed == 1
    assert (message.status, message.attempts) == ("failed", 2)
    assert "451 4.3.0 Try later" in message.last_error
    assert message.secret_link is None


def test_a_permanent_refusal_fails_at_once(db_session, make, smtp):
    message = _invitation(make.user())
    db_session.commit()
    smtp.handler.refuse_with = "550 5.1.1 No such user here"
    assert outbox.deliver().failed == 1
    db_session.refresh(message)
    assert message.status == "failed" and "550" in message.last_error


def test_server_that_times_out_leads_to_a_retry_and_nothing_lost(db_session, make, configure):
    message = _invitation(make.user())
    db_session.commit()
    with SilentServer() as silent:
        configure(MAIL_SERVER="127.0.0.1", MAIL_PORT=silent.port, MAIL_TIMEOUT=0.5)
        report = outbox.deliver()
    db_session.refresh(message)
    assert report.retried == 1
    assert message.status == "queued" and message.attempts == 1
    assert "timed out" in message.last_error.lower()


def test_unreachable_server_is_retried(db_session, make, configure):
    from tests.messages.servers import free_port

    message = _invitation(make.user())
    db_session.commit()
    configure(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_TIMEOUT=1.0)
    assert outbox.deliver().retried == 1
    db_session.refresh(message)
    assert message.status == "queued" and message.last_error.startswith("Could not connect")


def test_claim_is_taken_back_when_the_sender_is_gone(db_session, make, smtp, configure):
    configure(MAIL_LEASE_SECONDS=60)
    message = _invitation(make.user())
    db_session.commit()
    token, ids = outbox.claim(10)  # a sender claims it, then dies before sending
    assert ids == [message.id]
    assert outbox.deliver().sent == 0  # claimed by the other: left alone
    with clock.travel_to(clock.now() + dt.timedelta(seconds=61)):
        assert outbox.deliver().sent == 1
    assert len(smtp.received) == 1


def test_a_message_a_dead_sender_was_handing_over_is_failed_not_resent(db_session, make, smtp,
                                                                      configure):
    configure(MAIL_LEASE_SECONDS=60)
    message = _invitation(make.user())
    db_session.commit()
    token, _ = outbox.claim(10)
    assert outbox._start(message.id, token) is not None  # handed to a transport, then death
    with clock.travel_to(clock.now() + dt.timedelta(seconds=61)):
        assert outbox.deliver().sent == 0
    db_session.refresh(message)
    assert message.status == "failed"
    assert message.last_error == outbox.INTERRUPTED
    assert smtp.received == []
    copy = outbox.resend(message) if message.secret_link else None
    assert copy is None  # its one-time link is gone: a new link must be issued


def test_resend_queues_a_copy(db_session, make, smtp):
    user = make.user()
    message = compose("challenge_answered", user, "Your question has been answered",
                      page_link="https://tracker.council.example/recommendations/1",
                      reference="R1", asked_on=dt.date(2021, 1, 5))
    outbox.add(message)
    db_session.commit()
    smtp.handler.refuse_with = "550 5.7.1 Blocked"
    outbox.deliver()
    smtp.handler.refuse_with = None
    copy = outbox.resend(message)
    db_session.commit()
    assert outbox.deliver().sent == 1
    assert copy.resent_from_id == message.id
    assert smtp.received[0].subject.startswith("Your question has been answered")


def test_dedupe_key_adds_a_message_once(db_session, make):
    user = make.user()

    def digest():
        return later("challenge_answered", user, "Answered", page_link="https://x.example/",
                     reference="R1", asked_on=dt.date(2021, 1, 5), dedupe_key=f"k:{user.id}")
    assert len(outbox.add_unique([digest()])) == 1
    assert outbox.add_unique([digest()]) == []
    db_session.commit()
    assert db_session.scalar(sa.select(sa.func.count(Message.id)).where(
        Message.dedupe_key == f"k:{user.id}")) == 1
