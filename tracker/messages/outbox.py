"""The durable outbox: messages are queued in the transaction of their cause, and a sender
delivers them, at most once each, with retries and back-off.

How a message moves (every step one guarded UPDATE, committed before the next):

  queued --claim--> claimed --start--> sending --> sent
     ^                 |                  |   \\--> queued again later (temporary failure)
     |   lease ends    |                  |    \\-> failed (permanent, or the last try)
     +-----------------+                  +-- lease ends: failed, "may or may not have left"

``claim`` picks due rows (PostgreSQL: ``FOR UPDATE SKIP LOCKED``, so senders take different
rows without waiting) and then runs ``UPDATE messages SET status='claimed', claim_token=T
WHERE id IN (...) AND status='queued'``: the database lets exactly one sender change a row
from queued, so two senders on two hosts never both hold it; ``start`` moves it on only
while the token is still the sender's own.
A sender killed before ``start`` loses nothing (the lease ends and the message is queued
again); one killed while a transport holds the message leaves it "failed" with a reason, for
an administrator to resend: it is never sent twice by itself.
"""
from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from tracker import audit
from tracker.clock import now
from tracker.extensions import db
from tracker.messages import transports
from tracker.messages.composing import LINK_PLACEHOLDER, Pending, fill
from tracker.models import Message

INTERRUPTED = ("The sender stopped while handing this message to the mail service, so it may "
               "or may not have arrived. Resend it if the person did not get it.")
WAITING = ("queued", "claimed", "sending")


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    held: int = 0  # waiting because no transport is configured

    def __str__(self) -> str:
        if self.held:
            return (f"No email transport is configured: {self.held} message(s) wait in the "
                    "outbox (set MAIL_SERVER or NOTIFY_API_KEY)")
        return f"Sent {self.sent}, to retry {self.retried}, failed {self.failed}"


# --- Queueing --------------------------------------------------------------------------------
def add(message: Message) -> Message:
    """Add a message to the caller's transaction (the caller commits with its change)."""
    message.status = "queued"
    message.next_attempt_at = message.next_attempt_at or now()
    message.created_at = now()
    db.session.add(message)
    return message


def add_unique(pending: list[Pending]) -> list[Message]:
    """Write and add the messages whose key is new; returns those added. Keys already in
    the outbox are skipped before any writing; one added meanwhile by another run is
    skipped by the unique key."""
    keys = [p.key for p in pending]
    known: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        known.update(k for k in db.session.scalars(
            sa.select(Message.dedupe_key).where(Message.dedupe_key.in_(chunk))) if k)
    db.session.commit()  # on SQLite a transaction holds the write lock: not while writing
    fresh = [p.build() for p in pending if p.key not in known]
    try:
        with db.session.begin_nested():
            for message in fresh:
                add(message)
            db.session.flush()
        return fresh
    except IntegrityError:  # another run added some of them since we looked: one by one
        added = []
        for message in fresh:
            copy = _copy(message)
            try:
                with db.session.begin_nested():
                    add(copy)
                    db.session.flush()
                added.append(copy)
            except IntegrityError:
                continue
        return added


def _copy(message: Message) -> Message:
    return Message(kind=message.kind, recipient_id=message.recipient_id,
                   to_address=message.to_address, subject=message.subject,
                   body_text=message.body_text, body_html=message.body_html,
                   personalisation=dict(message.personalisation or {}),
                   dedupe_key=message.dedupe_key, secret_link=message.secret_link)


def resend(message: Message) -> Message:
    """A new queued copy of a message (not of one carrying a one-time link: issue a new link
    instead, as that link has been used or has been thrown away)."""
    if message.secret_link is None and LINK_PLACEHOLDER in message.body_text:
        raise ValueError("This message carried a one-time link, which is not kept: "
                         "issue a new link from the user's page instead")
    copy = _copy(message)
    copy.dedupe_key = None
    copy.resent_from_id = message.id
    add(copy)
    db.session.flush()
    audit.record("create", copy, summary=f"Resent message {message.id} to {message.to_address}",
                 after={"kind": copy.kind, "to": copy.to_address, "resent_from": message.id})
    return copy


# --- Delivering ------------------------------------------------------------------------------
def _lease() -> dt.timedelta:
    return dt.timedelta(seconds=current_app.config["MAIL_LEASE_SECONDS"])


def release_expired() -> None:
    """Claims whose sender has gone: unsent ones are queued again; one a transport held is
    marked failed (it may have left, and is never sent twice by itself)."""
    moment = now()
    db.session.execute(sa.update(Message).where(
        Message.status == "claimed", Message.claimed_until < moment).values(
        status="queued", claim_token=None, claimed_until=None)
        .execution_options(synchronize_session=False))
    db.session.execute(sa.update(Message).where(
        Message.status == "sending", Message.claimed_until < moment).values(
        status="failed", claim_token=None, claimed_until=None, secret_link=None,
        last_error=INTERRUPTED).execution_options(synchronize_session=False))
    db.session.commit()


def claim(limit: int) -> tuple[str, list[int]]:
    """Take up to ``limit`` due messages for this sender, in one guarded UPDATE."""
    token = secrets.token_hex(16)
    moment = now()
    due = (sa.select(Message.id).where(Message.status == "queued",
                                       Message.next_attempt_at <= moment)
           .order_by(Message.next_attempt_at, Message.id).limit(limit))
    if db.session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)  # others take the next rows, not wait
    candidates = list(db.session.scalars(due))
    if candidates:
        db.session.execute(sa.update(Message).where(
            Message.id.in_(candidates), Message.status == "queued").values(
            status="claimed", claim_token=token, claimed_until=moment + _lease())
            .execution_options(synchronize_session=False))
    db.session.commit()
    ids = list(db.session.scalars(sa.select(Message.id).where(
        Message.claim_token == token, Message.status == "claimed").order_by(Message.id)))
    db.session.commit()
    return token, ids


def _start(message_id: int, token: str) -> Message | None:
    """claimed -> sending, only while the claim is still this sender's."""
    moment = now()
    result = db.session.execute(sa.update(Message).where(
        Message.id == message_id, Message.claim_token == token,
        Message.status == "claimed").values(
        status="sending", attempts=Message.attempts + 1, claimed_until=moment + _lease())
        .execution_options(synchronize_session=False))
    db.session.commit()
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return db.session.get(Message, message_id, populate_existing=True)


def _retry_or_fail(message: Message, reason: str, permanent: bool = False) -> str:
    last = message.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]
    values: dict[str, object] = {"claim_token": None, "claimed_until": None,  # nosec B105: cleared
                                 "last_error": reason[:500]}
    if permanent or last:
        values |= {"status": "failed", "secret_link": None}  # nosec B105: the link is dropped
        outcome = "failed"
    else:
        wait = current_app.config["MAIL_RETRY_SECONDS"] * 2 ** max(message.attempts - 1, 0)
        values |= {"status": "queued", "next_attempt_at": now() + dt.timedelta(seconds=wait)}
        outcome = "retried"
    db.session.execute(sa.update(Message).where(Message.id == message.id).values(**values)
                       .execution_options(synchronize_session=False))
    db.session.commit()
    return outcome


def _sent(message: Message, transport: str, reference: str | None) -> None:
    moment = now()
    db.session.execute(sa.update(Message).where(Message.id == message.id).values(
        status="sent", sent_at=moment, transport=transport, provider_reference=reference,
        claim_token=None, claimed_until=None, secret_link=None, last_error=None)
        .execution_options(synchronize_session=False))
    audit.record("update", message, summary=(
        f"Email sent to {message.to_address}: {message.subject}")[:500],
        before={"status": "sending"},
        after={"status": "sent", "kind": message.kind, "to": message.to_address,
               "transport": transport, "sent_at": moment.isoformat()})
    db.session.commit()


def deliver(batch_size: int = 50, transport: transports.Transport | None = None,
            limit: int | None = None) -> DeliveryReport:
    """Deliver what is due, batch by batch, until nothing is left (or ``limit`` is reached)."""
    report = DeliveryReport()
    release_expired()
    transport = transport or transports.configured()
    if transport is None:
        report.held = db.session.scalar(sa.select(sa.func.count(Message.id)).where(
            Message.status.in_(WAITING))) or 0
        return report
    handled = 0
    while limit is None or handled < limit:
        token, ids = claim(batch_size if limit is None else min(batch_size, limit - handled))
        if not ids:
            break
        handled += len(ids)
        _deliver_batch(transport, token, ids, report)
    return report


def _deliver_batch(transport: transports.Transport, token: str, ids: list[int],
                   report: DeliveryReport) -> None:
    try:
        with transport.connect() as connection:
            for message_id in ids:
                message = _start(message_id, token)
                if message is None:
                    continue
                try:
                    reference = connection.send(message, fill(message.body_text, message),
                                                fill(message.body_html, message))
                except transports.Temporary as error:
                    outcome = _retry_or_fail(message, str(error))
                    setattr(report, outcome, getattr(report, outcome) + 1)
                except transports.Permanent as error:
                    _retry_or_fail(message, str(error), permanent=True)
                    report.failed += 1
                else:
                    _sent(message, transport.name, reference)
                    report.sent += 1
    except transports.Temporary as error:  # could not reach the mail service at all
        for message_id in ids:
            message = _start(message_id, token)
            if message is not None:
                outcome = _retry_or_fail(message, f"Could not connect: {error}")
                setattr(report, outcome, getattr(report, outcome) + 1)

