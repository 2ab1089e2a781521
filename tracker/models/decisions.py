"""Cabinet decisions, their lettered parts and the documents they refer to."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.base import Base, Example, Timestamped, Versioned, Withdrawable, enum_check
from tracker.vocab import (
    CALL_IN_OUTCOMES, CALL_IN_RECORDS, DOCUMENT_KINDS, EXEMPTION_LABELS, EXEMPTIONS, PART_KINDS,
)

if TYPE_CHECKING:
    from tracker.models.recommendations import Recommendation
    from tracker.models.users import User


class Decision(Timestamped, Versioned, Withdrawable, Example, Base):
    __tablename__ = "decisions"
    __table_args__ = (
        enum_check("exemption", EXEMPTIONS),
        enum_check("call_in_record", CALL_IN_RECORDS),
        enum_check("call_in_outcome", CALL_IN_OUTCOMES, nullable=True),
        sa.Index("ix_decisions_decided_on", "decided_on"),
        sa.Index("ix_decisions_decision_maker", "decision_maker"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str | None] = mapped_column(sa.String(40), unique=True)
    title: Mapped[str] = mapped_column(sa.String(500))
    decision_maker: Mapped[str] = mapped_column(sa.String(200))
    key_decision: Mapped[bool | None] = mapped_column(sa.Boolean)
    decided_on: Mapped[dt.date] = mapped_column(sa.Date)
    published_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    exemption: Mapped[str] = mapped_column(sa.String(10), default="open")
    purpose: Mapped[str | None] = mapped_column(sa.Text)
    decision_text: Mapped[str | None] = mapped_column(sa.Text)
    reasons: Mapped[str | None] = mapped_column(sa.Text)
    options_considered: Mapped[str | None] = mapped_column(sa.Text)
    interests_declared: Mapped[str | None] = mapped_column(sa.Text)
    subject_to_call_in: Mapped[bool | None] = mapped_column(sa.Boolean)
    call_in_expires_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    effective_from: Mapped[dt.date | None] = mapped_column(sa.Date)
    # What was recorded about call-in beyond the dates (see tracker.decisions.callin).
    call_in_record: Mapped[str] = mapped_column(sa.String(20), default="none")
    called_in_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    call_in_outcome: Mapped[str | None] = mapped_column(sa.String(30))
    call_in_outcome_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    signed_by: Mapped[str | None] = mapped_column(sa.String(300))
    signed_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    notice_text: Mapped[str | None] = mapped_column(sa.Text)
    notice_layout: Mapped[str | None] = mapped_column(sa.String(40))

    parts: Mapped[list[DecisionPart]] = relationship(
        back_populates="decision", order_by="DecisionPart.position")
    documents: Mapped[list[Document]] = relationship(
        back_populates="decision", order_by="Document.position")

    @property
    def is_exempt(self) -> bool:
        return self.exemption != "open"

    @property
    def exemption_label(self) -> str:
        return EXEMPTION_LABELS[self.exemption]

    @property
    def live_parts(self) -> list[DecisionPart]:
        return [p for p in self.parts if not p.is_withdrawn]

    def __repr__(self) -> str:
        return f"<Decision {self.reference or self.id} {self.title[:30]!r}>"


class DecisionPart(Timestamped, Versioned, Withdrawable, Base):
    __tablename__ = "decision_parts"
    __table_args__ = (
        sa.UniqueConstraint("decision_id", "label"),
        enum_check("kind", PART_KINDS),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(sa.ForeignKey("decisions.id"), index=True)
    label: Mapped[str] = mapped_column(sa.String(10))
    position: Mapped[int] = mapped_column(sa.Integer, default=0)
    text: Mapped[str] = mapped_column(sa.Text)
    kind: Mapped[str] = mapped_column(sa.String(30), default="note")
    # The officer who owns the work this part set in motion (e.g. adoption of guidance).
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)

    decision: Mapped[Decision] = relationship(back_populates="parts")
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    recommendations: Mapped[list[Recommendation]] = relationship(
        back_populates="part", order_by="Recommendation.position")
    documents: Mapped[list[Document]] = relationship(back_populates="part")

    def __repr__(self) -> str:
        return f"<DecisionPart ({self.label}) of {self.decision_id}>"


class Document(Timestamped, Versioned, Withdrawable, Base):
    """A report, appendix or minutes a decision (or one of its parts) refers to."""

    __tablename__ = "documents"
    __table_args__ = (enum_check("kind", DOCUMENT_KINDS),)

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(sa.ForeignKey("decisions.id"), index=True)
    part_id: Mapped[int | None] = mapped_column(sa.ForeignKey("decision_parts.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20), default="appendix")
    label: Mapped[str | None] = mapped_column(sa.String(50))  # e.g. "Appendix 1"
    title: Mapped[str] = mapped_column(sa.String(500))
    url: Mapped[str | None] = mapped_column(sa.String(2000))
    position: Mapped[int] = mapped_column(sa.Integer, default=0)

    decision: Mapped[Decision] = relationship(back_populates="documents")
    part: Mapped[DecisionPart | None] = relationship(back_populates="documents")
