"""Weekly adoption figures kept as weeks close, so the adoption chart reads a few hundred
stored points instead of every school's history on each request.

A point of the weekly adoption series (``progress_series.adoption_by_week``) for a closed week
(a Sunday whose end has passed) is the adoption figure as at that Sunday over the schools as
they are. Once computed it can change only if something recorded later reaches back into
that week: an adoption event recorded (backdated) before the week's end, a
school recorded as created before it, or any change to a school's row (its scope, phase,
opening or closure: every such change is audited). So each kept point carries the highest
adoption event, school and school-change audit ids it saw, and is read only while nothing
above them reaches back (:func:`kept_points`: two queries). Otherwise the series is computed
afresh from the schools (``series.adoption_by_week``, itself proven equal to the rules) and
its closed weeks kept again (:func:`keep`).

The last point (the "as at" day itself, unless a closed Sunday) is never kept: it is the
figure by phase's total, counted in SQL for the same day.

tests/dashboard/test_adoption_weeks.py proves, over generated histories on SQLite and
PostgreSQL, that the series read back equals ``progress_series.adoption_by_week``, also after
a backdated event, a new school and a change of scope.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import NamedTuple

import sqlalchemy as sa

from tracker import progress
from tracker.dashboard.history import CHANGES
from tracker.dashboard.keeping import after, upsert
from tracker.extensions import db
from tracker.models import AdoptionEvent, AdoptionWeek, AuditEvent, School
from tracker.progress_series import SeriesPoint


class Stamps(NamedTuple):
    """The highest ids seen: what a kept point was computed from."""
    events: int
    schools: int
    audit: int


def _school_changes() -> list[sa.ColumnElement[bool]]:
    return [AuditEvent.object_type == School.__name__, AuditEvent.action.in_(CHANGES)]


def highest() -> list[sa.ScalarSelect[int]]:
    """The highest adoption event, school and school-change audit ids now, as subqueries."""
    return [sa.select(sa.func.coalesce(sa.func.max(AdoptionEvent.id), 0)).scalar_subquery(),
            sa.select(sa.func.coalesce(sa.func.max(School.id), 0)).scalar_subquery(),
            sa.select(sa.func.coalesce(sa.func.max(AuditEvent.id), 0))
            .where(*_school_changes()).scalar_subquery()]


def stamps() -> Stamps:
    """The highest adoption event, school and school-change audit ids now (one query)."""
    return Stamps(*db.session.execute(sa.select(*highest())).one())


def reaching(seen: Stamps, end: dt.datetime) -> list[sa.Exists]:
    """Whether anything recorded after ``seen`` reaches back before ``end``, one EXISTS
    each: an adoption event (of any version: a walk of the ids above the stamp only; a
    backdated event of another version refuses more than it must, never less) or a school
    stamped before it, or any change to a school's row."""
    return [sa.select(AdoptionEvent.id).where(after(AdoptionEvent.id, seen.events),
                                              AdoptionEvent.recorded_at < end).exists(),
            sa.select(School.id).where(after(School.id, seen.schools),
                                       School.created_at < end).exists(),
            sa.select(AuditEvent.id).where(after(AuditEvent.id, seen.audit),
                                           *_school_changes()).exists()]


def closed(weeks: Sequence[dt.date], now: dt.datetime) -> list[dt.date]:
    """The weeks of a series that can be kept: every point but the last, whose day has ended
    (the last is the "as at" day's figure, counted afresh)."""
    return [week for week in weeks[:-1] if progress.end_of_day_utc(week) <= now]


def kept_points(version_id: int, weeks: Sequence[dt.date]) -> list[SeriesPoint] | None:
    """The kept points of these closed weeks, or None when one is missing or something
    recorded since reaches back into them."""
    if not weeks:
        return []
    rows = list(db.session.execute(
        sa.select(AdoptionWeek.week_ending, AdoptionWeek.adopted, AdoptionWeek.counted,
                  AdoptionWeek.events_through, AdoptionWeek.schools_through,
                  AdoptionWeek.audit_through)
        .where(AdoptionWeek.guidance_version_id == version_id,
               AdoptionWeek.week_ending >= weeks[0], AdoptionWeek.week_ending <= weeks[-1])
        .order_by(AdoptionWeek.week_ending)))
    if [row.week_ending for row in rows] != list(weeks):
        return None
    seen = Stamps(min(r.events_through for r in rows), min(r.schools_through for r in rows),
                  min(r.audit_through for r in rows))
    if db.session.scalar(sa.select(sa.or_(*reaching(seen, progress.end_of_day_utc(weeks[-1]))))):
        return None
    return [SeriesPoint(row.week_ending, row.adopted, row.counted,
                        progress.share_complete(row.adopted, row.counted)) for row in rows]


def keep(version_id: int, points: Sequence[SeriesPoint], seen: Stamps) -> None:
    """Keep these points (closed weeks of a series computed from the schools as they were
    when ``seen`` was read), replacing any kept for the same weeks. One statement."""
    if not points:
        return
    upsert(AdoptionWeek, ["guidance_version_id", "week_ending"], [
        {"guidance_version_id": version_id, "week_ending": p.week_ending,
         "adopted": p.numerator, "counted": p.denominator, "events_through": seen.events,
         "schools_through": seen.schools, "audit_through": seen.audit} for p in points])
