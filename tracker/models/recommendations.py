"""Recommendations, their executive responses, actions, progress updates and challenges."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.base import (
    Base, Example, Timestamped, Versioned, Withdrawable, enum_check, utcnow,
)
from tracker.progress import OPEN_STATUSES
from tracker.vocab import ACTION_STATUSES, RAGS, RESPONSES, SOURCES

if TYPE_CHECKING:
    from tracker.models.closing import ImpactReview, RecommendationClosure
    from tracker.models.decisions import DecisionPart
    from tracker.models.organisations import Organisation
    from tracker.models.users import User


SCRUTINY_LIVE = "source = 'scrutiny' AND withdrawn_at IS NULL"   # ix_recommendations_scrutiny


class Recommendation(Timestamped, Versioned, Withdrawable, Example, Base):
    """A recommendation of a review, a scrutiny committee or a referral.

    A scrutiny recommendation may exist before the executive takes it up (``part_id`` empty);
    its response falls due two months after the committee's report was published
    (section 9FE of the Local Government Act 2000).
    """

    __tablename__ = "recommendations"
    __table_args__ = (
        enum_check("source", SOURCES),
        sa.Index("ix_recommendations_part_id_source", "part_id", "source"),
        # The live ones a reader may see and their order under each part (the lists), read
        # from the index alone.
        sa.Index("ix_recommendations_listed", "withdrawn_at", "part_id", "position", "id"),
        # The live scrutiny recommendations in the executive response table's order, with
        # their parts (who may see them): its page and count, and the responses due, read
        # from the index alone.
        sa.Index("ix_recommendations_scrutiny", "committee", "meeting_on", "position",
                 "reference", "id", "part_id", postgresql_where=sa.text(SCRUTINY_LIVE),
                 sqlite_where=sa.text(SCRUTINY_LIVE)),
        sa.CheckConstraint("owner_id IS NULL OR owner_organisation_id IS NULL",
                           name="person_or_organisation_owns"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    part_id: Mapped[int | None] = mapped_column(sa.ForeignKey("decision_parts.id"))
    source: Mapped[str] = mapped_column(sa.String(20))
    reference: Mapped[str] = mapped_column(sa.String(40))
    position: Mapped[int] = mapped_column(sa.Integer, default=0)
    text: Mapped[str] = mapped_column(sa.Text)
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    # Owned by a person or by an organisation (shown as its named lead), never both.
    owner_organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id"), index=True)
    lead_service: Mapped[str | None] = mapped_column(sa.String(200))
    # Scrutiny committee fields
    committee: Mapped[str | None] = mapped_column(sa.String(200))
    meeting_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    minute_reference: Mapped[str | None] = mapped_column(sa.String(100))
    report_published_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    response_due_on: Mapped[dt.date | None] = mapped_column(sa.Date, index=True)
    # Sign-off of completion by an administrator
    signed_off_at: Mapped[dt.datetime | None] = mapped_column()
    signed_off_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    sign_off_meeting: Mapped[str | None] = mapped_column(sa.String(200))
    sign_off_minute: Mapped[str | None] = mapped_column(sa.String(100))
    # Outcome: required before sign-off (tracker.progress.outcome_problem)
    intended_outcome: Mapped[str | None] = mapped_column(sa.Text)
    how_measured: Mapped[str | None] = mapped_column(sa.Text)

    part: Mapped[DecisionPart | None] = relationship(back_populates="recommendations")
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    owner_organisation: Mapped[Organisation | None] = relationship()
    signed_off_by: Mapped[User | None] = relationship(foreign_keys=[signed_off_by_id])
    responses: Mapped[list[ExecutiveResponse]] = relationship(
        back_populates="recommendation", order_by="ExecutiveResponse.recorded_at")
    actions: Mapped[list[Action]] = relationship(
        back_populates="recommendation", order_by="Action.id")
    challenges: Mapped[list[Challenge]] = relationship(
        back_populates="recommendation", order_by="Challenge.asked_at")
    closures: Mapped[list[RecommendationClosure]] = relationship(
        back_populates="recommendation", order_by="RecommendationClosure.recorded_at",
        foreign_keys="RecommendationClosure.recommendation_id")
    impact_reviews: Mapped[list[ImpactReview]] = relationship(
        back_populates="recommendation", order_by="ImpactReview.recorded_at")

    @property
    def current_response(self) -> ExecutiveResponse | None:
        return self.responses[-1] if self.responses else None

    @property
    def owner_name(self) -> str | None:
        """The person who owns it, or the organisation's named lead."""
        if self.owner_organisation is not None:
            return self.owner_organisation.owner_name
        return self.owner.name if self.owner is not None else None

    @property
    def live_actions(self) -> list[Action]:
        return [a for a in self.actions if not a.is_withdrawn]

    def __repr__(self) -> str:
        return f"<Recommendation {self.reference} ({self.source})>"


class ExecutiveResponse(Base):
    """One recorded executive response; the latest is current, earlier ones are history."""

    __tablename__ = "executive_responses"
    __table_args__ = (
        enum_check("response", RESPONSES),
        sa.CheckConstraint(
            "response = 'accepted' OR (reason IS NOT NULL AND reason <> '')",
            name="reason_unless_accepted"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(sa.ForeignKey("recommendations.id"), index=True)
    response: Mapped[str] = mapped_column(sa.String(30))
    response_text: Mapped[str | None] = mapped_column(sa.Text)
    reason: Mapped[str | None] = mapped_column(sa.Text)
    cabinet_member: Mapped[str | None] = mapped_column(sa.String(200))
    lead_officer: Mapped[str | None] = mapped_column(sa.String(200))
    timetable: Mapped[str | None] = mapped_column(sa.String(500))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    recommendation: Mapped[Recommendation] = relationship(back_populates="responses")
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])


# An action still open (progress.OPEN_STATUSES), as SQL
_OPEN = ", ".join(f"'{s}'" for s in OPEN_STATUSES)


class Action(Timestamped, Versioned, Withdrawable, Example, Base):
    """Work under a recommendation. ``status``, ``rag``, ``current_due_on``,
    ``latest_update_id``, ``latest_update_at``, ``completed_at``, ``days_to_complete`` and
    ``completed_by_due`` are figures kept on write
    from its progress updates by the rules (``tracker.recommendations.kept``), written with
    each update."""

    __tablename__ = "actions"
    __table_args__ = (
        enum_check("status", ACTION_STATUSES),
        enum_check("rag", RAGS, nullable=True),
        sa.Index("ix_actions_owner_id_status", "owner_id", "status"),
        # Whether a person owns a live action (the lists' owner choices, person by person),
        # answered from the index alone.
        sa.Index("ix_actions_owner_id_live", "owner_id", "withdrawn_at"),
        sa.Index("ix_actions_current_due_on", "current_due_on"),
        # "Overdue" (recommendations.queries.overdue_clause) answered from the index alone.
        sa.Index("ix_actions_overdue", "current_due_on", "status", "recommendation_id",
                 "withdrawn_at"),
        # The same of the open actions only (the clause written in, so any plan may use it):
        # the recommendations list's "only with an overdue action" reads a third of the
        # actions' entries, not every action past its due date.
        sa.Index("ix_actions_open_due", "current_due_on", "recommendation_id",
                 postgresql_where=sa.text(f"withdrawn_at IS NULL AND status IN ({_OPEN})"),
                 sqlite_where=sa.text(f"withdrawn_at IS NULL AND status IN ({_OPEN})")),
        sa.CheckConstraint("owner_id IS NULL OR owner_organisation_id IS NULL",
                           name="person_or_organisation_owns"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(sa.ForeignKey("recommendations.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(500))
    description: Mapped[str | None] = mapped_column(sa.Text)
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # Owned by a person or by an organisation (shown as its named lead), never both.
    owner_organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id"), index=True)
    due_on: Mapped[dt.date] = mapped_column(sa.Date)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(sa.String(20), default="not_started")
    rag: Mapped[str | None] = mapped_column(sa.String(10))
    current_due_on: Mapped[dt.date] = mapped_column(sa.Date)
    # No foreign key: progress_updates already refers to actions (no cycle to order).
    latest_update_id: Mapped[int | None] = mapped_column(sa.Integer)
    latest_update_at: Mapped[dt.datetime | None] = mapped_column()
    completed_at: Mapped[dt.datetime | None] = mapped_column()  # progress.completed_at
    # progress.completion of a complete action: days taken, and by its original due date
    days_to_complete: Mapped[int | None] = mapped_column(sa.Integer)
    completed_by_due: Mapped[bool | None] = mapped_column(sa.Boolean)

    recommendation: Mapped[Recommendation] = relationship(back_populates="actions")
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    owner_organisation: Mapped[Organisation | None] = relationship()
    updates: Mapped[list[ProgressUpdate]] = relationship(
        back_populates="action", order_by="ProgressUpdate.recorded_at")

    @property
    def owner_name(self) -> str | None:
        """The person who owns it, or the organisation's named lead."""
        if self.owner_organisation is not None:
            return self.owner_organisation.owner_name
        return self.owner.name if self.owner is not None else None

    def __repr__(self) -> str:
        return f"<Action {self.id} {self.title[:30]!r}>"


class ProgressUpdate(Base):
    """A progress update: never edited or deleted; a correction is a new update."""

    __tablename__ = "progress_updates"
    __table_args__ = (
        enum_check("status", ACTION_STATUSES),
        enum_check("rag", RAGS, nullable=True),
        sa.CheckConstraint(
            "status NOT IN ('paused', 'cancelled') OR (reason IS NOT NULL AND reason <> '')",
            name="reason_when_paused_or_cancelled"),
        sa.CheckConstraint(
            "revised_due_on IS NULL OR (revised_due_reason IS NOT NULL AND revised_due_reason <> '')",
            name="reason_for_revised_due_date"),
        sa.Index("ix_progress_updates_action_id_recorded_at", "action_id", "recorded_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(sa.ForeignKey("actions.id"))
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(sa.String(20))
    rag: Mapped[str | None] = mapped_column(sa.String(10))
    narrative: Mapped[str] = mapped_column(sa.Text, default="")
    reason: Mapped[str | None] = mapped_column(sa.Text)
    revised_due_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    revised_due_reason: Mapped[str | None] = mapped_column(sa.Text)
    is_example: Mapped[bool] = mapped_column(sa.Boolean, default=False)

    action: Mapped[Action] = relationship(back_populates="updates")
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    evidence: Mapped[list[EvidenceLink]] = relationship(
        back_populates="update", order_by="EvidenceLink.id")


class EvidenceLink(Base):
    """A link (http or https only) to evidence, with a description, carried by an update."""

    __tablename__ = "evidence_links"
    __table_args__ = (
        sa.CheckConstraint("url LIKE 'http://%' OR url LIKE 'https://%'", name="http_or_https"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    update_id: Mapped[int] = mapped_column(sa.ForeignKey("progress_updates.id"), index=True)
    url: Mapped[str] = mapped_column(sa.String(2000))
    description: Mapped[str] = mapped_column(sa.String(500))

    update: Mapped[ProgressUpdate] = relationship(back_populates="evidence")


class Challenge(Timestamped, Versioned, Withdrawable, Base):
    """A scrutiny member's question on a recommendation; open until answered."""

    __tablename__ = "challenges"
    __table_args__ = (sa.Index("ix_challenges_recommendation_id_answered_at",
                               "recommendation_id", "answered_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(sa.ForeignKey("recommendations.id"))
    asked_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    asked_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    question: Mapped[str] = mapped_column(sa.Text)
    answer: Mapped[str | None] = mapped_column(sa.Text)
    answered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    answered_at: Mapped[dt.datetime | None] = mapped_column()

    recommendation: Mapped[Recommendation] = relationship(back_populates="challenges")
    asked_by: Mapped[User] = relationship(foreign_keys=[asked_by_id])
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])

    @property
    def is_open(self) -> bool:
        return self.answered_at is None and not self.is_withdrawn
