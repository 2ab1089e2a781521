"""Messages (the outbox), people's message settings, and update rounds before a committee.

A message row is written in the same transaction as the change that causes it; a sender
claims it with one UPDATE guarded by its status (``queued`` -> ``claimed``), so two senders,
on two hosts, never both hand it to a transport. See tracker/messages/outbox.py.
"""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.base import Base, enum_check, utcnow

if TYPE_CHECKING:
    from tracker.models.decisions import Decision
    from tracker.models.organisations import Organisation
    from tracker.models.recommendations import Action
    from tracker.models.users import User

MESSAGE_KINDS = (
    "invitation", "password_reset", "round_request", "round_reminder", "digest",
    "escalation_action", "escalation_response", "school_reminder", "challenge_answered", "sign_in_slowed",
    "impact_review", "escalation_impact",
)
# queued: waiting; claimed: taken by a sender, not yet handed to a transport; sending: handed
# to a transport (if the sender dies now nobody knows whether it left: it is never re-sent
# by itself, an administrator decides); sent; failed (after the last try, or interrupted).
MESSAGE_STATUSES = ("queued", "claimed", "sending", "sent", "failed")
DIGEST_FREQUENCIES = ("weekly", "daily")


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (
        enum_check("kind", MESSAGE_KINDS),
        enum_check("status", MESSAGE_STATUSES),
        sa.Index("ix_messages_status_next_attempt_at", "status", "next_attempt_at"),
        sa.Index("ix_messages_recipient_id_created_at", "recipient_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(30))
    recipient_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    to_address: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(300))
    body_text: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    # The fields a GOV.UK Notify template fills in (subject, body, link, council).
    personalisation: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    # One message per (kind, recipient, period): a second run, or two at once, adds nothing.
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(200), unique=True)
    # A one-time link (invitation, reset) is kept only until the message leaves: the stored
    # bodies say ((link)) and the sender fills it in.
    secret_link: Mapped[str | None] = mapped_column(sa.String(500))
    status: Mapped[str] = mapped_column(sa.String(20), default="queued")
    attempts: Mapped[int] = mapped_column(sa.Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    claim_token: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    claimed_until: Mapped[dt.datetime | None] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(sa.String(500))
    transport: Mapped[str | None] = mapped_column(sa.String(20))
    provider_reference: Mapped[str | None] = mapped_column(sa.String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column()
    resent_from_id: Mapped[int | None] = mapped_column(sa.ForeignKey("messages.id"))

    recipient: Mapped[User | None] = relationship(foreign_keys=[recipient_id])

    def __repr__(self) -> str:
        return f"<Message {self.id} {self.kind} to {self.to_address} {self.status}>"


class MessageSetting(Base):
    """A person's choice of digest frequency (weekly unless they choose daily)."""

    __tablename__ = "message_settings"
    __table_args__ = (enum_check("digest_frequency", DIGEST_FREQUENCIES),)

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), primary_key=True)
    digest_frequency: Mapped[str] = mapped_column(sa.String(10), default="weekly")
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ReminderSchedule(Base):
    """Intervals an administrator sets (one row): how often school leads are reminded."""

    __tablename__ = "reminder_schedules"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_reminder_days: Mapped[int] = mapped_column(sa.Integer, default=28)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))


round_decisions = sa.Table(
    "update_round_decisions",
    Base.metadata,
    sa.Column("round_id", sa.ForeignKey("update_rounds.id"), primary_key=True),
    sa.Column("decision_id", sa.ForeignKey("decisions.id"), primary_key=True),
)


class UpdateRound(Base):
    """Updates due by ``due_on`` for the committee meeting on ``meeting_on``."""

    __tablename__ = "update_rounds"
    __table_args__ = (sa.CheckConstraint("reminder_days > 0", name="reminder_days_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    committee: Mapped[str] = mapped_column(sa.String(200))
    meeting_on: Mapped[dt.date] = mapped_column(sa.Date, index=True)
    due_on: Mapped[dt.date] = mapped_column(sa.Date)
    reminder_days: Mapped[int] = mapped_column(sa.Integer, default=7)
    opened_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    opened_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    decisions: Mapped[list[Decision]] = relationship(secondary=round_decisions)
    items: Mapped[list[RoundItem]] = relationship(back_populates="round", order_by="RoundItem.id")

    @property
    def title(self) -> str:
        return f"{self.committee}, {self.meeting_on:%-d %B %Y}"


class RoundItem(Base):
    """An action whose owner was asked for an update in a round; returned once an update is
    recorded on it after the round opened. The owner is the person, or the organisation
    (whose partner officers were asked), that owned the action when the round opened."""

    __tablename__ = "round_items"
    __table_args__ = (
        sa.UniqueConstraint("round_id", "action_id"),
        sa.CheckConstraint("(owner_id IS NULL) <> (owner_organisation_id IS NULL)",
                           name="person_or_organisation_asked"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("update_rounds.id"))
    action_id: Mapped[int] = mapped_column(sa.ForeignKey("actions.id"), index=True)
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    owner_organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id"), index=True)

    round: Mapped[UpdateRound] = relationship(back_populates="items")
    action: Mapped[Action] = relationship()
    owner: Mapped[User | None] = relationship()
    owner_organisation: Mapped[Organisation | None] = relationship()

    @property
    def owner_name(self) -> str:
        if self.owner is not None:
            return self.owner.name
        return self.owner_organisation.owner_name if self.owner_organisation else "No owner"
