"""Breakdowns and weekly series for the dashboard charts and the tables beside them.

Built only on :mod:`tracker.progress`, so a chart shows the same figures as every page: each
point of a weekly series is exactly the figure "as at" that week's last day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from tracker import progress
from tracker.progress import (
    AdoptionFigure,
    RecommendationFact,
    RecommendationState,
    SchoolFact,
    adoption_figure,
    recommendation_state,
    rollup,
)


@dataclass(frozen=True)
class SeriesPoint:
    week_ending: date          # a Sunday, or the "as at" date for the last, part week
    numerator: int             # actions complete / schools adopted
    denominator: int           # actions counted / schools in scope and open
    share: Fraction | None     # None for 0/0, shown "–"


def week_endings(start: date, as_at: date) -> list[date]:
    """Every Sunday from ``start`` up to ``as_at``, then ``as_at`` itself if not a Sunday,
    so the last point of a chart is the figure in the report it sits in."""
    if start > as_at:
        raise ValueError(f"a series cannot start ({start}) after its end ({as_at})")
    first_sunday = start + timedelta(days=6 - start.weekday())
    weeks = (as_at - first_sunday).days // 7 + 1
    days = [first_sunday + timedelta(weeks=n) for n in range(weeks)]
    if not days or days[-1] != as_at:
        days.append(as_at)
    return days


def actions_complete_by_week(
    recommendations: Iterable[RecommendationFact], *, start: date, as_at: date, today: date
) -> list[SeriesPoint]:
    """Share of counted actions complete (recommendations in totals), as at each week end."""
    recs = tuple(recommendations)
    points = []
    for day in week_endings(start, as_at):
        total = rollup(recommendation_state(rec, today=today, as_at=day) for rec in recs)
        points.append(SeriesPoint(day, total.complete_actions, total.counted_actions, total.share))
    return points


def adoption_by_week(
    schools: Iterable[SchoolFact], *, start: date, as_at: date
) -> list[SeriesPoint]:
    """Adoption share as at each week end: the running (cumulative) figure, which can fall
    when a school declines after adopting or closes."""
    every = tuple(schools)
    points = []
    for day in week_endings(start, as_at):
        figure = adoption_figure(every, as_at=day)
        points.append(SeriesPoint(day, figure.adopted, figure.in_scope_open, figure.share))
    return points


def adoption_by_phase(
    schools: Iterable[SchoolFact], as_at: date
) -> dict[str | None, AdoptionFigure]:
    """One figure per phase that has a school counted as at the date, in phase name order;
    schools without a phase come last, under None."""
    by_phase: dict[str | None, list[SchoolFact]] = {}
    for school in schools:
        by_phase.setdefault(school.phase, []).append(school)
    named = sorted(phase for phase in by_phase if phase is not None)
    order = [*named, None] if None in by_phase else named
    figures = {phase: adoption_figure(by_phase[phase], as_at=as_at) for phase in order}
    return {phase: figure for phase, figure in figures.items() if figure.in_scope_open}


def overdue_by_owner(states: Iterable[RecommendationState | None]) -> dict[int | None, int]:
    """Overdue actions per owner over recommendations in totals, most overdue first."""
    counts: dict[int | None, int] = {}
    for state in states:
        if state is None or not state.in_totals:
            continue
        for action in state.action_states:
            if action.overdue:
                counts[action.owner_id] = counts.get(action.owner_id, 0) + 1
    return dict(sorted(counts.items(), key=lambda item: -item[1]))



def month_endings(start: date, as_at: date) -> list[date]:
    """The last day of every month from ``start``'s month up to ``as_at``, then ``as_at``
    itself if not a month's last day: the last point is the figure of the report."""
    if start > as_at:
        raise ValueError(f"a series cannot start ({start}) after its end ({as_at})")
    days = []
    month = date(start.year, start.month, 1)
    while (end := _month_end(month)) < as_at:
        days.append(end)
        month = progress.add_months(month, 1)
    days.append(as_at)
    return days


def _month_end(first: date) -> date:
    """The last day of the month that begins on ``first``."""
    return progress.add_months(first, 1) - timedelta(days=1)


def ageing_by_month(recommendations: Iterable[RecommendationFact], *, start: date,
                    as_at: date, today: date, latest: int | None = None
                    ) -> list[progress.Ageing]:
    """The ageing figures (``progress.ageing``) as at the end of each month (the last point
    the report's date); only the ``latest`` points when given."""
    recs = tuple(recommendations)
    days = month_endings(start, as_at)
    if latest is not None:
        days = days[-latest:]
    return [progress.ageing(recs, today=today, as_at=day) for day in days]
