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
from typing import NamedTuple

import sqlalchemy as sa

from tracker import clock, progress
from tracker.extensions import db
from tracker.models import Adoption, AdoptionEvent, Guidance, GuidanceVersion, School
from tracker.models.base import UTCDateTime
from tracker.planning import written_in
from tracker.progress import AdoptionEventFact, AdoptionFigure, SchoolFact
from tracker.schools import counts


def school_facts(version: GuidanceVersion | int, *, school_ids: list[int] | None = None,
                 in_scope_only: bool = True, _row: bool = False) -> list[SchoolFact]:
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
    # An event repeating the status before it changes no figure as at any date (the status
    # as at a date is the last event's by then): the database leaves those out.
    prior = sa.func.lag(AdoptionEvent.status).over(
        partition_by=AdoptionEvent.adoption_id,
        order_by=(AdoptionEvent.recorded_at, AdoptionEvent.id))
    ranked = events.add_columns(AdoptionEvent.id.label("event_id"),
                                prior.label("prior")).subquery()
    history: dict[int, list[AdoptionEventFact]] = defaultdict(list)
    for school_id, recorded_at, status in db.session.execute(
            sa.select(ranked.c.school_id, ranked.c.recorded_at, ranked.c.status)
            .where(sa.or_(ranked.c.prior.is_(None), ranked.c.prior != ranked.c.status))
            .order_by(ranked.c.recorded_at, ranked.c.event_id)):
        history[school_id].append(EventRow(recorded_at, status) if _row else
                                  AdoptionEventFact(recorded_at=recorded_at, status=status))
    if _row:
        return [SchoolRow(row.id, row.phase, row.in_scope, row.created_at, row.open_date,
                          row.closed_recorded_at, tuple(history.get(row.id, ())))
                for row in db.session.execute(schools.order_by(School.id))]  # type: ignore
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
    over the schools as they are now (see the module docstring for past dates): the schools
    counted in the database (:func:`adoption_counts`), the figure made by the rules."""
    day = as_at or clock.today()
    every: dict[str, int] = {}
    for by_status in adoption_counts(version.id, day).values():
        for status, count in by_status.items():
            every[status] = every.get(status, 0) + count
    return progress.figure_from_counts(every, as_at=day)


def counted_clause(as_at: dt.date) -> list[sa.ColumnElement[bool]]:
    """``progress.school_counts`` in SQL, on ``School``: in scope, recorded by the end of
    ``as_at``, opened by then and not recorded closed by then. The one SQL form of the rule
    (the chasing list, a lead's outstanding schools, :func:`counts_by_phase` and
    :func:`counts_from_kept` use it);
    tests/progress/test_condensed.py proves it against the rule."""
    cutoff = progress.end_of_day_utc(as_at)
    return [School.in_scope.is_(True), School.created_at < cutoff,
            sa.or_(School.open_date.is_(None), School.open_date <= as_at),
            sa.or_(School.closed_recorded_at.is_(None), School.closed_recorded_at >= cutoff)]


def _status_as_at(cutoff: dt.datetime) -> sa.ColumnElement[str]:
    """The adoption's status as recorded by ``cutoff``, on ``Adoption`` (outer joined: None
    with no adoption): its kept status when nothing was recorded after the cut-off, else its
    latest event by then (a correlated subquery the database runs for those rows only)."""
    by_then = (sa.select(AdoptionEvent.status)
               .where(AdoptionEvent.adoption_id == Adoption.id,
                      AdoptionEvent.recorded_at < cutoff)
               .order_by(AdoptionEvent.recorded_at.desc(), AdoptionEvent.id.desc())
               .limit(1).correlate(Adoption).scalar_subquery())
    return sa.func.coalesce(sa.case((Adoption.latest_event_at >= cutoff, by_then),
                                    else_=Adoption.latest_status),
                            progress.ADOPTION_NOT_STARTED)


def _of_version(version_id: int) -> sa.ColumnElement[bool]:
    return sa.and_(Adoption.school_id == School.id, Adoption.guidance_version_id == version_id)


def counts_by_phase(version_id: int, as_at: dt.date) -> dict[str | None, dict[str, int]]:
    """Schools counted in the adoption figure as at ``as_at`` (``progress.school_counts``),
    by phase and by their adoption status as recorded by the end of ``as_at``, counted in
    the database (phases and scope as they are now: the caller checks nothing changed since).

    One query, over schools and their adoption of the version. An adoption whose latest event
    was recorded before the cut-off reads its status kept on write (``tracker.schools.kept``:
    nothing recorded since, so it is its status as at the cut-off): as at today that is every
    adoption, a plain count. Only an adoption with an event recorded after the cut-off looks up
    its latest event by then (a correlated subquery the database runs for those rows only).
    tests/progress/test_kept_adoption.py and tests/progress/test_condensed.py prove it equal
    to the rules over generated histories. The pages read :func:`adoption_counts`."""
    counted = (sa.select(School.phase, _status_as_at(progress.end_of_day_utc(as_at))
                         .label("status"))
               .outerjoin(Adoption, _of_version(version_id))
               .where(*counted_clause(as_at))).subquery()
    query = (sa.select(counted.c.phase, counted.c.status, sa.func.count())
             .group_by(counted.c.phase, counted.c.status))
    found: dict[str | None, dict[str, int]] = {}
    for phase, adoption_status, count in db.session.execute(query):
        found.setdefault(phase, {})[adoption_status] = count
    return found


def counts_from_kept(version_id: int, as_at: dt.date) -> dict[str | None, dict[str, int]]:
    """:func:`counts_by_phase`, from the counts kept on write (``tracker.schools.counts``:
    the schools in scope and never recorded closed, by phase and kept status) corrected by
    the schools whose counting the day decides, counted in SQL: those not in the tracker
    by the end of the day, not open by then, recorded closed after it, or with something
    recorded about their adoption after it. Each of those leaves the kept counts (if it is
    kept) and comes back as the rule counts it on the day (if it counts). As at today they
    are few (schools opening later), found by index; as at a past date, most adoptions
    (``adoption_counts`` asks :func:`counts_by_phase` then). Two queries.
    tests/progress/test_kept_adoption_counts.py proves it equal to :func:`counts_by_phase`
    over generated histories, as at any date."""
    cutoff = progress.end_of_day_utc(as_at)
    # The day written into the statement (tracker.planning): planned for any day,
    # PostgreSQL took each of these for a third of the schools and read them all (340 ms
    # at 25,800 schools) where the indexes find the few at once.
    end, day = written_in(cutoff, UTCDateTime()), written_in(as_at, sa.Date)
    decided = sa.union(
        sa.select(School.id).where(School.created_at >= end),
        sa.select(School.id).where(School.open_date > day),
        sa.select(School.id).where(School.closed_recorded_at >= end),
        sa.select(Adoption.school_id).where(Adoption.guidance_version_id == version_id,
                                            Adoption.latest_event_at >= end))
    kept_status = sa.func.coalesce(Adoption.latest_status, progress.ADOPTION_NOT_STARTED)
    was = sa.case((sa.and_(*counts.kept_clause(School)), kept_status))
    now = sa.case((sa.and_(*counted_clause(as_at)), _status_as_at(cutoff)))
    found = counts.read(db.session.connection(), version_id)
    for phase, before, after, n in db.session.execute(
            sa.select(School.phase, was, now, sa.func.count())
            .outerjoin(Adoption, _of_version(version_id))
            .where(School.id.in_(decided))  # scope is in both CASEs: the few rows by id
            .group_by(School.phase, was, now)):
        if before is not None:
            found[(version_id, phase, before)] -= n
        if after is not None:
            found[(version_id, phase, after)] += n
    by_phase: dict[str | None, dict[str, int]] = {}
    for (_, phase, status), n in found.items():
        if n:
            by_phase.setdefault(phase, {})[status] = n
    return by_phase


def adoption_counts(version_id: int, as_at: dt.date) -> dict[str | None, dict[str, int]]:
    """:func:`counts_by_phase`, read from the kept counts (:func:`counts_from_kept`) as at
    today or later, counted from every school as at a past date."""
    if as_at >= clock.today():
        return counts_from_kept(version_id, as_at)
    return counts_by_phase(version_id, as_at)


class EventRow(NamedTuple):
    recorded_at: dt.datetime
    status: str


class SchoolRow(NamedTuple):
    """A school's fields the adoption rules read, as a plain row: what the weekly series
    (``tracker.dashboard.series.adoption_by_week``) reads for every school in scope, where
    building 25,000 checked facts would cost more than the series itself."""
    id: int
    phase: str | None
    in_scope: bool
    recorded_at: dt.datetime
    open_date: dt.date | None
    closed_recorded_at: dt.datetime | None
    adoption_events: tuple[EventRow, ...]


def school_rows(version_id: int) -> list[SchoolRow]:
    """``school_facts(version_id)`` as rows (the same two queries, the same events)."""
    return school_facts(version_id, _row=True)  # type: ignore[return-value]
