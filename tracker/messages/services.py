"""Writes of the messages feature, each audited in its own transaction: links by email,
a person's digest choice, the school reminder interval, and telling a member their
question was answered."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import current_app

from tracker import audit
from tracker.auth.services import find_user_by_email, issue_token
from tracker.clock import now
from tracker.extensions import db
from tracker.messages import outbox, recipients
from tracker.messages.composing import LINK_PLACEHOLDER, compose, link
from tracker.models import Challenge, MessageSetting, ReminderSchedule, User, UserToken

RESET_LINKS_PER_HOUR = 3


def queue_link(user: User, purpose: str, raw_token: str) -> None:
    """Queue the invitation or reset email carrying a one-time link (caller commits)."""
    if not recipients.valid_address(user.email):
        return
    url = link("auth.set_password", token=raw_token)
    kind = "invitation" if purpose == "invitation" else "password_reset"
    subject = ("You have been invited to the tracker" if kind == "invitation"
               else "Reset your password")
    outbox.add(compose(kind, user, subject, page_link=LINK_PLACEHOLDER, secret_link=url,
                       hours=current_app.config["TOKEN_VALID_HOURS"]))


def issue_and_send_link(user: User, purpose: str, created_by: User | None) -> str:
    """A fresh one-time link, and its email, in one transaction; returns the raw token."""
    raw = issue_token(user, purpose, created_by, commit=False)
    queue_link(user, purpose, raw)
    db.session.commit()
    return raw


def forgot_password(email: str) -> None:
    """Self-service reset: a link is emailed only to an active account with a password or
    an invitation; whatever the address, the person is told the same thing."""
    user = find_user_by_email(email)
    if user is None or not user.active:
        audit.record("token_issued", summary=f"Password reset asked for an address with no "
                     f"active account: {email.strip()[:200]!r}", actor=None,
                     actor_label="anonymous")
        db.session.commit()
        return
    purpose = "password_reset" if user.password_hash else "invitation"
    since = now() - dt.timedelta(hours=1)
    recent = db.session.scalar(sa.select(sa.func.count(UserToken.id)).where(
        UserToken.user_id == user.id, UserToken.created_at >= since)) or 0
    if recent >= RESET_LINKS_PER_HOUR:  # per account, counted in the database (every worker)
        audit.record("token_issued", user, summary="Password reset asked again: no new link "
                     f"(at most {RESET_LINKS_PER_HOUR} an hour)", actor=None,
                     actor_label="anonymous")
        db.session.commit()
        return
    issue_and_send_link(user, purpose, None)


def set_digest_frequency(user: User, frequency: str) -> None:
    setting = db.session.get(MessageSetting, user.id)
    before = setting.digest_frequency if setting else "weekly"
    if setting is None:
        setting = MessageSetting(user_id=user.id, digest_frequency=frequency)
        db.session.add(setting)
    setting.digest_frequency = frequency
    db.session.flush()
    if before != frequency:
        audit.record("update", user, summary=f"Summary emails changed to {frequency}",
                     before={"digest_frequency": before}, after={"digest_frequency": frequency})
    db.session.commit()


def digest_frequency(user: User) -> str:
    setting = db.session.get(MessageSetting, user.id)
    return setting.digest_frequency if setting else "weekly"


def set_school_reminder_days(days: int, actor: User) -> None:
    schedule = db.session.scalar(sa.select(ReminderSchedule).order_by(ReminderSchedule.id))
    if schedule is None:
        schedule = ReminderSchedule(school_reminder_days=days, updated_by_id=actor.id)
        audit.created(schedule, f"School reminders every {days} days")
    else:
        audit.updated(schedule, {"school_reminder_days": days, "updated_by_id": actor.id},
                      f"School reminders every {days} days")
    db.session.commit()


def tell_asker(challenge: Challenge) -> None:
    """Queue "your question has been answered" for the member who asked (caller commits)."""
    asker = challenge.asked_by
    if asker is None or not recipients.reachable([asker.id]):
        return
    rec = challenge.recommendation
    outbox.add(compose(
        "challenge_answered", asker, "Your question has been answered",
        page_link=link("recommendations.show_recommendation", recommendation_id=rec.id,
                       _anchor="challenges"),
        dedupe_key=f"challenge_answered:{challenge.id}", reference=rec.reference,
        asked_on=challenge.asked_at.date()))
