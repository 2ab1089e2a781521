"""Themes of learning (record keeping, information sharing, ...) and links between
recommendations that repeat or relate to one another (docs/search-and-themes.md)."""
from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.base import Base, Example, Timestamped, Versioned, Withdrawable, enum_check
from tracker.vocab import LINK_KINDS

if TYPE_CHECKING:
    from tracker.models.recommendations import Recommendation
    from tracker.models.users import User

recommendation_themes = sa.Table(
    "recommendation_themes", Base.metadata,
    sa.Column("recommendation_id", sa.ForeignKey("recommendations.id"), primary_key=True),
    sa.Column("theme_id", sa.ForeignKey("themes.id"), primary_key=True, index=True),
)


class Theme(Timestamped, Versioned, Withdrawable, Example, Base):
    """A theme kept by administrators; a recommendation has any number of them."""

    __tablename__ = "themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str | None] = mapped_column(sa.Text)

    recommendations: Mapped[list[Recommendation]] = relationship(
        secondary=recommendation_themes, order_by="Recommendation.id", viewonly=True)

    def __repr__(self) -> str:
        return f"<Theme {self.name!r}>"


class RecommendationLink(Timestamped, Withdrawable, Base):
    """``recommendation`` repeats (or is related to) ``earlier``: learning that came back.
    Linked by an administrator; withdrawn, never deleted."""

    __tablename__ = "recommendation_links"
    __table_args__ = (
        enum_check("kind", LINK_KINDS),
        sa.CheckConstraint("recommendation_id <> earlier_id", name="not_itself"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(sa.ForeignKey("recommendations.id"),
                                                   index=True)
    earlier_id: Mapped[int] = mapped_column(sa.ForeignKey("recommendations.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    linked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    recommendation: Mapped[Recommendation] = relationship(foreign_keys=[recommendation_id])
    earlier: Mapped[Recommendation] = relationship(foreign_keys=[earlier_id])
    linked_by: Mapped[User | None] = relationship(foreign_keys=[linked_by_id])
