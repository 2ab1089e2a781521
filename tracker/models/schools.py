"""Schools (from GIAS), the model guidance with its versions, and adoption with its history."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.base import (
    Base, Example, Timestamped, Versioned, Withdrawable, enum_check, utcnow,
)
from tracker.models.users import user_schools
from tracker.vocab import ADOPTION_STATUSES, ADOPTION_VIA, SCHOOL_STATUSES

if TYPE_CHECKING:
    from tracker.models.decisions import DecisionPart
    from tracker.models.users import User


class School(Timestamped, Versioned, Example, Base):
    """An establishment as Get Information About Schools describes it. Never deleted:
    GIAS closes schools, and a closed school leaves the adoption figures."""

    __tablename__ = "schools"
    __table_args__ = (
        enum_check("status", SCHOOL_STATUSES),
        sa.Index("ix_schools_phase", "phase"),
        sa.Index("ix_schools_type_name", "type_name"),  # the list's type choices
        sa.Index("ix_schools_trust_code", "trust_code"),
        sa.Index("ix_schools_in_scope_status", "in_scope", "status"),
        # The schools list: in scope, by name then URN, a page at a time (read in order).
        sa.Index("ix_schools_in_scope_name", "in_scope", "name", "urn"),
        sa.Index("ix_schools_la_code", "la_code"),
        # The schools whose counting the day decides (schools.facts.counts_from_kept).
        sa.Index("ix_schools_open_date", "open_date"),
        sa.Index("ix_schools_created_at", "created_at"),
        sa.Index("ix_schools_closed_recorded_at", "closed_recorded_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    urn: Mapped[int] = mapped_column(sa.Integer, unique=True)
    name: Mapped[str] = mapped_column(sa.String(300))
    la_code: Mapped[str | None] = mapped_column(sa.String(10))
    la_name: Mapped[str | None] = mapped_column(sa.String(200))
    type_name: Mapped[str | None] = mapped_column(sa.String(200))
    type_group: Mapped[str | None] = mapped_column(sa.String(200))
    phase: Mapped[str | None] = mapped_column(sa.String(100))
    status: Mapped[str] = mapped_column(sa.String(30), default="open")
    open_date: Mapped[dt.date | None] = mapped_column(sa.Date)
    close_date: Mapped[dt.date | None] = mapped_column(sa.Date)
    trust_code: Mapped[str | None] = mapped_column(sa.String(20))
    trust_name: Mapped[str | None] = mapped_column(sa.String(300))
    postcode: Mapped[str | None] = mapped_column(sa.String(10))
    in_scope: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    # When the tracker recorded the school as closed: "as at" figures use this, not CloseDate.
    closed_recorded_at: Mapped[dt.datetime | None] = mapped_column()
    predecessor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("schools.id"), index=True)

    predecessor: Mapped[School | None] = relationship(remote_side=[id])
    leads: Mapped[list[User]] = relationship(secondary=user_schools, back_populates="schools")
    adoptions: Mapped[list[Adoption]] = relationship(back_populates="school")

    @property
    def is_open(self) -> bool:
        return self.status != "closed"

    def __repr__(self) -> str:
        return f"<School {self.urn} {self.name!r}>"


class Guidance(Timestamped, Versioned, Withdrawable, Example, Base):
    __tablename__ = "guidance"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    part_id: Mapped[int | None] = mapped_column(sa.ForeignKey("decision_parts.id"), index=True)

    part: Mapped[DecisionPart | None] = relationship()
    versions: Mapped[list[GuidanceVersion]] = relationship(
        back_populates="guidance", order_by="GuidanceVersion.number")

    @property
    def current_version(self) -> GuidanceVersion | None:
        live = [v for v in self.versions if not v.is_withdrawn]
        return live[-1] if live else None


class GuidanceVersion(Timestamped, Versioned, Withdrawable, Base):
    """A version of the guidance; each starts a new round of adoption for schools in scope."""

    __tablename__ = "guidance_versions"
    __table_args__ = (sa.UniqueConstraint("guidance_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    guidance_id: Mapped[int] = mapped_column(sa.ForeignKey("guidance.id"))
    number: Mapped[int] = mapped_column(sa.Integer)
    title: Mapped[str] = mapped_column(sa.String(300))
    approved_on: Mapped[dt.date] = mapped_column(sa.Date)
    approved_by_part_id: Mapped[int | None] = mapped_column(sa.ForeignKey("decision_parts.id"))
    url: Mapped[str | None] = mapped_column(sa.String(2000))
    changes: Mapped[str | None] = mapped_column(sa.Text)

    guidance: Mapped[Guidance] = relationship(back_populates="versions")
    approved_by_part: Mapped[DecisionPart | None] = relationship()


class Adoption(Timestamped, Versioned, Base):
    """One school's adoption of one guidance version; every change adds an AdoptionEvent."""

    __tablename__ = "adoptions"
    __table_args__ = (
        sa.UniqueConstraint("school_id", "guidance_version_id"),
        enum_check("status", ADOPTION_STATUSES),
        sa.CheckConstraint("status <> 'declined' OR (reason IS NOT NULL AND reason <> '')",
                           name="reason_when_declined"),
        sa.CheckConstraint("status <> 'embedded' OR trained_on IS NOT NULL",
                           name="trained_on_when_embedded"),
        sa.Index("ix_adoptions_guidance_version_id_status", "guidance_version_id", "status"),
        sa.Index("ix_adoptions_guidance_version_id_latest_event_at", "guidance_version_id",
                 "latest_event_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(sa.ForeignKey("schools.id"))
    guidance_version_id: Mapped[int] = mapped_column(sa.ForeignKey("guidance_versions.id"))
    status: Mapped[str] = mapped_column(sa.String(20), default="not_started")
    adopted_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    policy_url: Mapped[str | None] = mapped_column(sa.String(2000))
    trained_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    reason: Mapped[str | None] = mapped_column(sa.Text)
    note: Mapped[str | None] = mapped_column(sa.Text)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    carried_from_id: Mapped[int | None] = mapped_column(sa.ForeignKey("adoptions.id"))
    # Kept on write (tracker/schools/kept.py, the only writer): the status of its latest event,
    # that event and when it was recorded. The adoption figure reads these.
    latest_status: Mapped[str] = mapped_column(sa.String(20), default="not_started")
    latest_event_id: Mapped[int | None] = mapped_column(sa.Integer)
    latest_event_at: Mapped[dt.datetime | None] = mapped_column()

    school: Mapped[School] = relationship(back_populates="adoptions")
    guidance_version: Mapped[GuidanceVersion] = relationship()
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    events: Mapped[list[AdoptionEvent]] = relationship(
        back_populates="adoption", order_by="AdoptionEvent.recorded_at")


class AdoptionEvent(Base):
    """A dated record of an adoption as it stood after a change: the adoption's history."""

    __tablename__ = "adoption_events"
    __table_args__ = (
        enum_check("status", ADOPTION_STATUSES),
        enum_check("via", ADOPTION_VIA),
        sa.Index("ix_adoption_events_adoption_id_recorded_at", "adoption_id", "recorded_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    adoption_id: Mapped[int] = mapped_column(sa.ForeignKey("adoptions.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    via: Mapped[str] = mapped_column(sa.String(20))
    status: Mapped[str] = mapped_column(sa.String(20))
    adopted_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    policy_url: Mapped[str | None] = mapped_column(sa.String(2000))
    trained_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    reason: Mapped[str | None] = mapped_column(sa.Text)
    note: Mapped[str | None] = mapped_column(sa.Text)

    adoption: Mapped[Adoption] = relationship(back_populates="events")
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])
