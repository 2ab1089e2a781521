"""Closing a recommendation and reviewing its impact (docs/rules-of-progress.md, "Closing
and impact"): each step is a history row, never edited, so "as at" reads it as it stood.

* ``RecommendationClosure``: one step of closing history: signed off, superseded, closed as
  not implemented with the risk accepted, withdrawn, re-opened, sign-off undone, or a new
  impact review date. Who, when, the meeting and minute where there is one, the reason.
* ``ImpactReview``: the owner's impact evidence (narrative and links) and judgement at the
  review date; confirmed once by a member or administrator (who and when). A fresh review is
  a new row; the rules read the latest confirmed one since the sign-off.
"""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.base import Base, Versioned, enum_check, utcnow
from tracker.progress import CLOSURE_EVENTS, JUDGEMENTS

if TYPE_CHECKING:
    from tracker.models.recommendations import Recommendation
    from tracker.models.users import User


class RecommendationClosure(Base):
    """One step of a recommendation's closing history; never edited or deleted."""

    __tablename__ = "recommendation_closures"
    __table_args__ = (
        enum_check("kind", CLOSURE_EVENTS),
        sa.CheckConstraint(
            "kind IN ('signed_off', 'review_date_set') OR (reason IS NOT NULL AND reason <> '')",
            name="reason_unless_signed_off"),
        sa.CheckConstraint("kind <> 'superseded' OR superseded_by_id IS NOT NULL",
                           name="superseded_by_which"),
        sa.CheckConstraint(
            "kind <> 'risk_accepted' OR (risk_accepted_by IS NOT NULL AND risk_accepted_by <> '')",
            name="risk_accepted_by_whom"),
        sa.CheckConstraint("kind <> 'review_date_set' OR review_on IS NOT NULL",
                           name="review_date_given"),
        sa.Index("ix_recommendation_closures_recommendation_id_recorded_at",
                 "recommendation_id", "recorded_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(sa.ForeignKey("recommendations.id"))
    kind: Mapped[str] = mapped_column(sa.String(20))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    meeting: Mapped[str | None] = mapped_column(sa.String(200))
    minute: Mapped[str | None] = mapped_column(sa.String(100))
    reason: Mapped[str | None] = mapped_column(sa.Text)
    superseded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("recommendations.id"))
    risk_accepted_by: Mapped[str | None] = mapped_column(sa.String(200))
    review_on: Mapped[dt.date | None] = mapped_column(sa.Date)

    recommendation: Mapped[Recommendation] = relationship(
        back_populates="closures", foreign_keys=[recommendation_id])
    superseded_by: Mapped[Recommendation | None] = relationship(
        foreign_keys=[superseded_by_id])
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])


class ImpactReview(Versioned, Base):
    """The owner's impact evidence and judgement; confirmed once, by a member or an
    administrator."""

    __tablename__ = "impact_reviews"
    __table_args__ = (
        enum_check("judgement", JUDGEMENTS),
        sa.CheckConstraint("(confirmed_at IS NULL) = (confirmed_by_id IS NULL)",
                           name="confirmed_by_whom"),
        sa.Index("ix_impact_reviews_recommendation_id_recorded_at",
                 "recommendation_id", "recorded_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(sa.ForeignKey("recommendations.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    narrative: Mapped[str] = mapped_column(sa.Text)
    judgement: Mapped[str] = mapped_column(sa.String(20))
    confirmed_at: Mapped[dt.datetime | None] = mapped_column()
    confirmed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    recommendation: Mapped[Recommendation] = relationship(back_populates="impact_reviews")
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])
    confirmed_by: Mapped[User | None] = relationship(foreign_keys=[confirmed_by_id])
    links: Mapped[list[ImpactEvidenceLink]] = relationship(
        back_populates="review", order_by="ImpactEvidenceLink.id")


class ImpactEvidenceLink(Base):
    """A link (http or https only) to impact evidence, with a description."""

    __tablename__ = "impact_evidence_links"
    __table_args__ = (
        sa.CheckConstraint("url LIKE 'http://%' OR url LIKE 'https://%'", name="http_or_https"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(sa.ForeignKey("impact_reviews.id"), index=True)
    url: Mapped[str] = mapped_column(sa.String(2000))
    description: Mapped[str] = mapped_column(sa.String(500))

    review: Mapped[ImpactReview] = relationship(back_populates="links")
