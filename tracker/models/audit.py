"""The audit trail: append-only; database triggers refuse any UPDATE or DELETE."""
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.base import Base, enum_check, utcnow
from tracker.models.users import User
from tracker.vocab import AUDIT_ACTIONS


# Audited actions that change no tracked data (a stored body is served across them), and the
# condition of the index of the others by kind of record (ix_audit_events_changes).
NOT_CHANGES = ("sign_in", "sign_in_failed", "sign_out", "access_refused", "export",
               "password_changed", "token_issued", "token_used")
CHANGES_ONLY = "action NOT IN ({})".format(", ".join(f"'{a}'" for a in NOT_CHANGES))


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (
        enum_check("action", AUDIT_ACTIONS),
        sa.Index("ix_audit_events_object_type_object_id", "object_type", "object_id"),
        # The latest change of each kind of record (a stored body's stamp of what it reads,
        # ``tracker.dashboard.stored``), found at the index's end, not by reading back over
        # every progress update and sign-in since.
        sa.Index("ix_audit_events_changes", "object_type", "id",
                 postgresql_where=sa.text(CHANGES_ONLY), sqlite_where=sa.text(CHANGES_ONLY)),
        sa.Index("ix_audit_events_actor_id_occurred_at", "actor_id", "occurred_at"),
        sa.Index("ix_audit_events_occurred_at", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # Who acted, in words: a user's email, or "command line as <email>".
    actor_label: Mapped[str] = mapped_column(sa.String(300))
    action: Mapped[str] = mapped_column(sa.String(30))
    object_type: Mapped[str | None] = mapped_column(sa.String(50))
    object_id: Mapped[int | None] = mapped_column(sa.Integer)
    summary: Mapped[str] = mapped_column(sa.String(500))
    before: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    ip_address: Mapped[str | None] = mapped_column(sa.String(64))

    actor: Mapped[User | None] = relationship()

    def changes(self) -> list[tuple[str, Any, Any]]:
        """(field, before, after) for each field that differs."""
        before, after = self.before or {}, self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class RefusalTally(Base):
    """How many requests of a user were refused in the current ten-minute window: refusals
    are counted here and written to the audit trail only at the first and the 10th, 100th,
    ... (``tracker.audit.record_refusal``), so a flood of them cannot flood the trail. The
    one mutable row per user; audit events themselves never change."""

    __tablename__ = "refusal_tallies"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), primary_key=True)
    window_started_at: Mapped[dt.datetime] = mapped_column()
    refusals: Mapped[int] = mapped_column(sa.Integer, default=0)
