"""The one adapter from rows to :mod:`tracker.progress` facts for guidance adoption.

Every adoption figure shown anywhere (pages, exports, dashboard charts) is
``progress.adoption_figure`` (or ``progress_series``) over the facts built here. Two queries
whatever the number of schools: one for the schools in scope, one for the adoption events of
the guidance version; no query per school.

Facts carry each school's phase, scope and closure as they are now. For a past "as at"
date, pages restate them as recorded by then (a later GIAS import may have changed them)
with ``tracker.dashboard.adoption.facts_as_at``, which builds on ``school_facts`` here.

Adoption rows are created lazily (see services): a school with no Adoption for a version has
no events, which the rules read as "not started". That is why a new version needs no rows to
start its round, and why the facts start from the schools, not from the adoptions.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

import sqlalchemy as sa

from tracker import clock, progress
from tracker.extensions import db
from tracker.models import Adoption, AdoptionEvent, Guidance, GuidanceVersion, School
from tracker.progress import AdoptionEventFact, AdoptionFigure, SchoolFact


def school_facts(version: GuidanceVersion | int, *, school_ids: list[int] | None = None,
                 in_scope_only: bool = True) -> list[SchoolFact]:
    """A SchoolFact per school (in scope by default: others never count), carrying the full
    history of its adoption of ``version``. ``school_ids`` narrows the schools (a lead's)."""
    version_id = version if isinstance(version, int) else version.id
    schools = sa.select(School.id, School.phase, School.in_scope, School.created_at,
                        School.open_date, School.closed_recorded_at)
    events = (sa.select(Adoption.school_id, AdoptionEvent.recorded_at, AdoptionEvent.status)
              .join(Adoption, Adoption.id == AdoptionEvent.adoption_id)
              .where(Adoption.guidance_version_id == version_id))
    if in_scope_only:
        schools = schools.where(School.in_scope.is_(True))
        events = events.join(School, School.id == Adoption.school_id).where(
            School.in_scope.is_(True))
    if school_ids is not None:
        schools = schools.where(School.id.in_(school_ids))
        events = events.where(Adoption.school_id.in_(school_ids))
    history: dict[int, list[AdoptionEventFact]] = defaultdict(list)
    for school_id, recorded_at, status in db.session.execute(
            events.order_by(AdoptionEvent.recorded_at, AdoptionEvent.id)):
        history[school_id].append(AdoptionEventFact(recorded_at=recorded_at, status=status))
    return [SchoolFact(id=row.id, phase=row.phase, in_scope=row.in_scope,
                       recorded_at=row.created_at, open_date=row.open_date,
                       closed_recorded_at=row.closed_recorded_at,
                       adoption_events=tuple(history.get(row.id, ())))
            for row in db.session.execute(schools.order_by(School.id))]


def version_as_at(guidance: Guidance, as_at: dt.date | None = None) -> GuidanceVersion | None:
    """The version that was current as at the end of ``as_at`` (today if None): the latest
    live version the tracker had recorded by then. Versions are recorded, not typed, so a
    version added later never changes an earlier figure."""
    cutoff = clock.end_of_day_utc(as_at or clock.today())
    return db.session.scalar(
        sa.select(GuidanceVersion).where(
            GuidanceVersion.guidance_id == guidance.id, GuidanceVersion.withdrawn_at.is_(None),
            GuidanceVersion.created_at < cutoff)
        .order_by(GuidanceVersion.number.desc()).limit(1))


def adoption_figure(version: GuidanceVersion, as_at: dt.date | None = None) -> AdoptionFigure:
    """The adoption figure (docs/rules-of-progress.md) for ``version`` as at the end of ``as_at`` (default today),
    over the schools as they are now (see the module docstring for past dates)."""
    return progress.adoption_figure(school_facts(version), as_at=as_at or clock.today())
