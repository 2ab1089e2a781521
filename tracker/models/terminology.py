"""Terminology rules: words a decision or national guidance says are to be written otherwise."""
from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.base import Base, Timestamped, Versioned, Withdrawable, enum_check
from tracker.vocab import TERM_SOURCES

if TYPE_CHECKING:
    from tracker.models.decisions import Decision


class TerminologyRule(Timestamped, Versioned, Withdrawable, Base):
    __tablename__ = "terminology_rules"
    __table_args__ = (
        enum_check("source_kind", TERM_SOURCES),
        sa.CheckConstraint("source_kind <> 'decision' OR decision_id IS NOT NULL",
                           name="decision_when_from_decision"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    term: Mapped[str] = mapped_column(sa.String(200))
    replacement: Mapped[str] = mapped_column(sa.String(200))
    explanation: Mapped[str | None] = mapped_column(sa.Text)
    source_kind: Mapped[str] = mapped_column(sa.String(30))
    decision_id: Mapped[int | None] = mapped_column(sa.ForeignKey("decisions.id"), index=True)
    source_title: Mapped[str | None] = mapped_column(sa.String(300))
    source_url: Mapped[str | None] = mapped_column(sa.String(2000))

    decision: Mapped[Decision | None] = relationship()
