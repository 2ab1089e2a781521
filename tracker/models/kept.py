"""Figures kept for speed, each provably what the rules of progress compute from history
(docs/rules-of-progress.md, "Figures kept on write")."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Base, UTCDateTime


class AdoptionWeek(Base):
    """A guidance version's adoption figure as at the end of a closed week (a Sunday whose end
    has passed), over the schools as they were when it was kept
    (``tracker.dashboard.adoption_weeks``). ``events_through``, ``schools_through`` and
    ``audit_through`` are the highest adoption event, school and audit event ids it saw: it
    is used only while nothing recorded after them reaches back into its weeks."""

    __tablename__ = "adoption_weeks"

    guidance_version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("guidance_versions.id"), primary_key=True)
    week_ending: Mapped[dt.date] = mapped_column(sa.Date, primary_key=True)
    adopted: Mapped[int] = mapped_column(sa.Integer)
    counted: Mapped[int] = mapped_column(sa.Integer)
    events_through: Mapped[int] = mapped_column(sa.Integer)
    schools_through: Mapped[int] = mapped_column(sa.Integer)
    audit_through: Mapped[int] = mapped_column(sa.Integer)


class AdoptionCount(Base):
    """How many schools of a phase have an adoption status, for a guidance version: the
    schools whose counting no day can change (in scope, never recorded closed), kept on write
    by ``tracker.schools.counts``; the adoption figure as at today corrects them with the few
    the day decides (``schools.facts.counts_from_kept``). ``phase`` is "" with ``no_phase``
    for schools with none (a key has no NULL)."""

    __tablename__ = "adoption_counts"

    guidance_version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("guidance_versions.id"), primary_key=True)
    no_phase: Mapped[bool] = mapped_column(sa.Boolean, primary_key=True)
    phase: Mapped[str] = mapped_column(sa.String(100), primary_key=True)
    status: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    schools: Mapped[int] = mapped_column(sa.Integer)


class ThroughIds:
    """The highest ids a decision's kept figure saw, of each record that can reach back into
    its day (``tracker.dashboard.action_weeks.reaches_back``): it is used only while nothing
    recorded after them does."""

    updates_through: Mapped[int] = mapped_column(sa.Integer)
    responses_through: Mapped[int] = mapped_column(sa.Integer)
    actions_through: Mapped[int] = mapped_column(sa.Integer)
    recommendations_through: Mapped[int] = mapped_column(sa.Integer)
    audit_through: Mapped[int] = mapped_column(sa.Integer)


class ActionWeek(ThroughIds, Base):
    """A decision's actions complete and counted as at the end of a closed week, over the
    recommendations under its parts when it was kept (``tracker.dashboard.action_weeks``),
    with the ids it saw (``ThroughIds``)."""

    __tablename__ = "action_weeks"
    # Covering the dashboard's sums over many decisions by week (``action_weeks.kept_sums``):
    # read in the order of the weeks, the table itself never read.
    __table_args__ = (sa.Index(
        "ix_action_weeks_week_ending", "week_ending", "decision_id", "complete", "counted",
        "updates_through", "responses_through", "actions_through", "recommendations_through",
        "audit_through"),)

    decision_id: Mapped[int] = mapped_column(sa.ForeignKey("decisions.id"), primary_key=True)
    week_ending: Mapped[dt.date] = mapped_column(sa.Date, primary_key=True)
    complete: Mapped[int] = mapped_column(sa.Integer)
    counted: Mapped[int] = mapped_column(sa.Integer)


class ActionWeekSums(ThroughIds, Base):
    """The kept weekly points of a set of decisions summed (``action_weeks.kept_sums``), so
    a chart over hundreds of decisions reads one row, not every decision's every week.
    ``scope``: a digest of the decisions' ids; ``points``: [week ending (ISO), complete,
    counted] for each closed week, oldest first; with the lowest ids any point summed had
    seen (``ThroughIds``): it is used only while nothing recorded after them reaches back."""

    __tablename__ = "action_week_sums"

    scope: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    points: Mapped[list[list[object]]] = mapped_column(sa.JSON)


class AgeingPoint(ThroughIds, Base):
    """A decision's ageing figures (``progress.ageing`` over the recommendations under its
    parts when it was kept) as at the end of a day that has ended: a month's end, or the
    date of a report for a past day (``tracker.dashboard.ageing_points``). The counts add
    up over decisions; the average days to complete is ``days_taken`` over ``complete``;
    with the ids it saw (``ThroughIds``)."""

    __tablename__ = "ageing_points"

    decision_id: Mapped[int] = mapped_column(sa.ForeignKey("decisions.id"), primary_key=True)
    as_at: Mapped[dt.date] = mapped_column(sa.Date, primary_key=True)
    recs_under_3: Mapped[int] = mapped_column(sa.Integer)
    recs_3_to_6: Mapped[int] = mapped_column(sa.Integer)
    recs_6_to_12: Mapped[int] = mapped_column(sa.Integer)
    recs_over_12: Mapped[int] = mapped_column(sa.Integer)
    actions_under_3: Mapped[int] = mapped_column(sa.Integer)
    actions_3_to_6: Mapped[int] = mapped_column(sa.Integer)
    actions_6_to_12: Mapped[int] = mapped_column(sa.Integer)
    actions_over_12: Mapped[int] = mapped_column(sa.Integer)
    complete: Mapped[int] = mapped_column(sa.Integer)
    days_taken: Mapped[int] = mapped_column(sa.Integer)
    on_time: Mapped[int] = mapped_column(sa.Integer)


class RecommendationRollup(Base):
    """A recommendation's figures as recorded now, before a day is asked
    (``progress.RecordedState``), kept on write by ``tracker.recommendations.rollups`` in
    the transaction of every write that changes them; today's pages judge them on the day
    (overdue, impact review due, late). ``shown`` is False once it is withdrawn."""

    __tablename__ = "recommendation_rollups"

    recommendation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("recommendations.id"), primary_key=True)
    shown: Mapped[bool] = mapped_column(sa.Boolean)
    label: Mapped[str | None] = mapped_column(sa.String(30))
    rag: Mapped[str | None] = mapped_column(sa.String(10))
    counted_actions: Mapped[int] = mapped_column(sa.Integer)
    complete_actions: Mapped[int] = mapped_column(sa.Integer)
    open_due_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    response: Mapped[str | None] = mapped_column(sa.String(30))
    timetable_due_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    review_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    confirmed_impact: Mapped[str | None] = mapped_column(sa.String(30))


class StoredReport(Base):
    """A committee report as built once (the page's report body, or a download's bytes),
    under ``key``: a digest of what it shows (the decisions shown to the reader, the date,
    theme, kind and layout version, and what it reads as it is now:
    ``tracker.dashboard.stored``). For a past date, ``through`` holds the highest ids it saw
    of each record that can reach back into its date (``ThroughIds``' kinds, adoption events,
    schools, parts, guidance versions, closures and reviews): it is served only while nothing
    recorded after them does. For a day not yet over (today's report), ``live_on`` is the
    London day it was built on and ``through`` the highest ids of every record it reads and
    of every change audited: it is served only that day, while they are still the same."""

    __tablename__ = "stored_reports"

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(10))
    as_at: Mapped[dt.date] = mapped_column(sa.Date)
    body: Mapped[bytes] = mapped_column(sa.LargeBinary)
    through: Mapped[dict[str, int]] = mapped_column(sa.JSON)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    last_read_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    live_on: Mapped[dt.date | None] = mapped_column(sa.Date)
