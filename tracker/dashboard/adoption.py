"""Guidance adoption for the dashboard and the report: for each guidance a decision part
approved, its version current as at the date, adoption by week and by phase.

Facts come from the schools adapter (``tracker.schools.facts``), figures from the rules of
progress. A school's phase, scope and recorded closure are taken as at the date (a GIAS
import after it may change them; ``tracker.dashboard.history``), so a past figure stays put.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

from tracker import clock, progress
from tracker.dashboard import adoption_weeks, figures, keeping
from tracker.dashboard.history import ValuesAsAt
from tracker.models import Decision, Guidance, School
from tracker.progress import SchoolFact
from tracker.progress_series import SeriesPoint, week_endings
from tracker.schools import facts as school_facts

AS_AT_FIELDS = ("phase", "in_scope", "open_date", "closed_recorded_at")


@dataclass(frozen=True)
class GuidanceFigures:
    part_id: int | None
    title: str                       # "Model guidance, version 2"
    weekly: figures.WeeklySeries     # empty when not asked for
    phases: figures.AdoptionByPhase

    @property
    def total(self) -> progress.AdoptionFigure:
        return self.phases.total

    @property
    def words(self) -> str:
        total = self.total
        return (f"{progress.format_share(total.share)} of schools adopted "
                f"({total.adopted} of {total.in_scope_open})")


def facts_as_at(version_id: int, values: ValuesAsAt) -> list[SchoolFact]:
    """Every school's fact for the version, with phase and scope as at the cut-off."""
    changed = set(values.changed_since(School))  # nothing when the cut-off is now
    every = school_facts.school_facts(version_id, in_scope_only=not changed)
    if not changed:
        return every
    rows = {s.id: s for s in _schools(changed)}
    values.load(School, list(rows))
    restated = []
    for fact in every:
        school = rows.get(fact.id)
        if school is not None and values.changed(school):
            fact = replace(fact, **{name: values.value(school, name) for name in AS_AT_FIELDS})
        if fact.in_scope:
            restated.append(fact)
    return restated


def _schools(ids: set[int]) -> list[School]:
    import sqlalchemy as sa

    from tracker.extensions import db

    found: list[School] = []
    ordered = sorted(ids)
    for start in range(0, len(ordered), 500):
        found += db.session.scalars(sa.select(School).where(
            School.id.in_(ordered[start:start + 500])))
    return found


def _weekly(version_id: int, title: str, start: dt.date, as_at: dt.date,
            total: progress.AdoptionFigure) -> figures.WeeklySeries:
    """The weekly series over the schools as they are: its closed weeks kept
    (``adoption_weeks``), the last point the day's figure ``total``; when a kept week is
    missing or out of date, computed from every school and kept again (in a request: a
    short write of its own, as an export's audit event is)."""
    weeks = week_endings(start, as_at)
    shut = adoption_weeks.closed(weeks, clock.now())
    kept = adoption_weeks.kept_points(version_id, shut) if len(shut) == len(weeks) - 1 else None
    if kept is not None:
        last = SeriesPoint(weeks[-1], total.adopted, total.in_scope_open, total.share)
        return figures.WeeklySeries(title, (*kept, last))
    seen = adoption_weeks.stamps()
    weekly = figures.adoption_by_week(title, school_facts.school_rows(version_id),
                                      start=start, as_at=as_at)
    keeping.write_aside(
        lambda: adoption_weeks.keep(version_id, weekly.points[:len(shut)], seen))
    return weekly


def guidance_figures(guidance: Sequence[Guidance], decision: Decision, values: ValuesAsAt, *,
                     as_at: dt.date, with_weeks: bool) -> tuple[GuidanceFigures, ...]:
    found = []
    for item in guidance:
        version = school_facts.version_as_at(item, as_at)
        if version is None:
            continue
        title = f"{values.value(item, 'title')}, version {version.number}"
        start = min(version.approved_on, decision.decided_on, as_at)
        if not values.changed_since(School):
            # Schools read as they are now: counted by phase in the database (as at today
            # from the kept counts), and for the weekly series read as plain rows (see
            # school_facts.SchoolRow).
            phases = figures.adoption_by_phase_counted(
                title, school_facts.adoption_counts(version.id, as_at), as_at)
            weekly = (_weekly(version.id, title, start, as_at, phases.total)
                      if with_weeks else figures.WeeklySeries(title, ()))
            found.append(GuidanceFigures(item.part_id, title, weekly, phases))
            continue
        schools = facts_as_at(version.id, values)
        weekly = (figures.adoption_by_week(title, schools, start=start, as_at=as_at)
                  if with_weeks else figures.WeeklySeries(title, ()))
        found.append(GuidanceFigures(item.part_id, title, weekly,
                                     figures.adoption_by_phase(title, schools, as_at)))
    return tuple(found)
