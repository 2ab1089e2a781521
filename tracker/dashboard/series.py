"""Weekly series for the charts: the figures of ``tracker.progress_series``, computed only at
the weeks where something was recorded.

``progress_series.actions_complete_by_week`` judges every recommendation afresh at every week:
over six years of a large decision (300 weeks x 200 recommendations x 10 actions) that is
seconds of work per page. But a figure "as at" a week changes only when something is recorded
in that week (or, for a school, when it opens): history is append-only. So each action is
judged by the rules (``progress.recommendation_state`` and ``progress.rollup`` on the
recommendation with that one action, ``progress.adoption_figure`` on one school) at the first
week and at each week where one of its facts was recorded, and carried between; the totals
are sums, as ``rollup`` and ``adoption_figure`` add them up.

Nothing here decides a rule: what counts, what is complete and what is adopted are the rules'
answers. tests/dashboard/test_series.py checks, on random histories, that every point equals
``progress_series``'s.
"""
from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import replace

from tracker import progress
from tracker.progress import RecommendationFact, SchoolFact
from tracker.progress_series import SeriesPoint, week_endings


def _weeks(start: dt.date, as_at: dt.date) -> tuple[list[dt.date], list[dt.datetime]]:
    weeks = week_endings(start, as_at)
    return weeks, [progress.end_of_day_utc(week) for week in weeks]


def _first_weeks(cutoffs: list[dt.datetime], moments: Iterable[dt.datetime | None]) -> set[int]:
    """For each moment, the first week whose figure includes it (past the last: dropped)."""
    found = {bisect_right(cutoffs, moment) for moment in moments if moment is not None}
    found.discard(len(cutoffs))
    return found


def _points(weeks: Sequence[dt.date], top: list[int], bottom: list[int]) -> list[SeriesPoint]:
    points, numerator, denominator = [], 0, 0
    for n, week in enumerate(weeks):
        numerator += top[n]
        denominator += bottom[n]
        points.append(SeriesPoint(week, numerator, denominator,
                                  progress.share_complete(numerator, denominator)))
    return points


def actions_complete_by_week(recommendations: Iterable[RecommendationFact], *, start: dt.date,
                             as_at: dt.date, today: dt.date) -> list[SeriesPoint]:
    """= ``progress_series.actions_complete_by_week``."""
    weeks, cutoffs = _weeks(start, as_at)
    top, bottom = [0] * len(weeks), [0] * len(weeks)
    for rec in recommendations:
        shared = [rec.created_at, rec.withdrawn_at, *(r.recorded_at for r in rec.responses)]
        for action in rec.actions:
            alone = replace(rec, actions=(action,))
            moments = [*shared, action.created_at, action.withdrawn_at,
                       *(u.recorded_at for u in action.updates)]
            before = (0, 0)
            for n in sorted(_first_weeks(cutoffs, moments) | {0}):
                total = progress.rollup([progress.recommendation_state(
                    alone, today=today, as_at=weeks[n])])
                now = (total.complete_actions, total.counted_actions)
                top[n] += now[0] - before[0]
                bottom[n] += now[1] - before[1]
                before = now
    return _points(weeks, top, bottom)


def adoption_by_week(schools: Iterable[SchoolFact], *, start: dt.date,
                     as_at: dt.date) -> list[SeriesPoint]:
    """= ``progress_series.adoption_by_week``. Schools are many and their facts few, so each
    week judges together the schools with something recorded in it, as at that week and as at
    the week before (their figure until then): the difference is the week's change."""
    weeks, cutoffs = _weeks(start, as_at)
    every = tuple(schools)
    changed: list[list[SchoolFact]] = [[] for _ in weeks]
    for school in every:
        found = _first_weeks(cutoffs, [school.recorded_at, school.closed_recorded_at,
                                       *(e.recorded_at for e in school.adoption_events)])
        if school.open_date is not None:
            found.add(bisect_left(weeks, school.open_date))
        for n in found:
            if 0 < n < len(weeks):
                changed[n].append(school)
    first = progress.adoption_figure(every, as_at=weeks[0])
    top, bottom = [first.adopted] + [0] * (len(weeks) - 1), \
        [first.in_scope_open] + [0] * (len(weeks) - 1)
    for n in range(1, len(weeks)):
        if changed[n]:
            after = progress.adoption_figure(changed[n], as_at=weeks[n])
            before = progress.adoption_figure(changed[n], as_at=weeks[n - 1])
            top[n] = after.adopted - before.adopted
            bottom[n] = after.in_scope_open - before.in_scope_open
    return _points(weeks, top, bottom)
