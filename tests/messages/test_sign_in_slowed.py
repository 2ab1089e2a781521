"""When wrong passwords slow an account's sign-in down, its holder is told by email: queued
in the transaction that counts the failure, once an episode (not per attempt), delivered
through the outbox; the person trying learns nothing about it."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from tests.conftest import PASSWORD, Client
from tracker.clock import now
from tracker.messages import outbox
from tracker.models import AuditEvent, Message

WRONG = "not the password at all"


def _try(app, email: str, password: str = WRONG):  # type: ignore[no-untyped-def]
    app.test_client_class = Client
    """One sign-in attempt from a fresh browser (not one that has signed in before)."""
    client = app.test_client()
    client.fetch_csrf("/sign-in")
    return client.post_form("/sign-in", {"email": email, "password": password})


def _slowed_messages(db_session) -> list[Message]:  # type: ignore[no-untyped-def]
    return list(db_session.scalars(sa.select(Message).where(Message.kind == "sign_in_slowed")
                                   .order_by(Message.id)))


def test_the_holder_is_told_once_by_email_when_sign_in_is_slowed(app, make, db_session, smtp):
    officer = make.user(role="officer", name="Olu Officer", email="olu@council.example")
    for attempt in range(4):
        _try(app, officer.email)
        assert _slowed_messages(db_session) == [], f"told after {attempt + 1} failures"
    _try(app, officer.email)
    [message] = _slowed_messages(db_session)
    assert (message.recipient_id, message.to_address, message.status) == (
        officer.id, "olu@council.example", "queued")
    # Written with the failure that started the slowing, and the audit says so.
    event = db_session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "sign_in_failed").order_by(AuditEvent.id.desc()))
    assert event.summary.endswith("sign-in slowed down; the account holder is told by email")

    # Further failures in the same episode (waiting, or after the wait) add no message.
    _try(app, officer.email)
    db_session.refresh(officer)
    officer.locked_until = now() - dt.timedelta(seconds=1)
    db_session.commit()
    _try(app, officer.email)
    assert len(_slowed_messages(db_session)) == 1

    assert outbox.deliver().sent == 1
    [mail] = smtp.received
    assert mail.recipients == ["olu@council.example"]
    assert mail.subject == "Sign-in to your account was slowed down – Herefordshire Council"
    text = mail.part("plain")
    assert "Dear Olu Officer," in text
    assert "a wrong password for your" in text and "5 times in a row" in text
    assert "https://tracker.council.example/forgot-password" in text
    assert WRONG not in text + mail.part("html")


def test_a_new_episode_after_a_successful_sign_in_tells_the_holder_again(app, make, db_session):
    officer = make.user(role="officer")
    for _ in range(5):
        _try(app, officer.email)
    db_session.refresh(officer)
    officer.locked_until = now() - dt.timedelta(seconds=1)  # the wait passes
    db_session.commit()
    assert _try(app, officer.email, PASSWORD).status_code == 302  # the count starts again
    for _ in range(5):
        _try(app, officer.email)
    assert len(_slowed_messages(db_session)) == 2


def test_the_person_trying_cannot_tell_whether_the_address_exists_or_was_emailed(app, make,
                                                                                db_session):
    known = make.user(role="officer", email="known@council.example")
    answers = {}
    for address in (known.email, "nobody@council.example"):
        pages = [_try(app, address) for _ in range(6)]
        assert {p.status_code for p in pages} == {200}
        answers[address] = [p.get_data(as_text=True).replace(address, "X")
                            .split('name="csrf_token"')[0] for p in pages]
    assert answers[known.email][-2:] == answers["nobody@council.example"][-2:]
    [message] = _slowed_messages(db_session)
    assert message.to_address == "known@council.example"


def test_an_address_a_mail_service_would_refuse_is_not_queued(app, make, db_session):
    odd = make.user(role="officer", email="no-at-sign")
    for _ in range(5):
        _try(app, odd.email)
    db_session.refresh(odd)
    assert odd.locked_until is not None and _slowed_messages(db_session) == []
