"""Weekly series for the charts: the figures of ``tracker.progress_series``, computed only
where something changes.

``progress_series`` judges everything afresh at every week: over six years of a large
decision (300 weeks x 2,000 actions, or 25,000 schools) that is seconds of work per page. But
a figure "as at" a week changes only when something is recorded in that week (or, for a
school, when it opens): history is append-only. So each action is judged by the rules
(``progress.recommendation_state`` and ``progress.rollup`` on the recommendation with that
one action) at the first week and at each week where one of its facts (its updates, its
recommendation's responses and closing history) was recorded (the
report gives only the updates that can change the counts: ``recommendations.condensed``),
and carried between; each school adds to running totals the weeks it is counted
(``progress.school_counts``) and, within them, adopted (``progress.counts_as_adopted``).

Nothing here decides what is complete or adopted: the rules' functions answer. The school
spans restate ``school_counts``' three conditions by week; tests/dashboard/test_series.py
and tests/progress/test_condensed.py check, on random histories, that every point equals
``progress_series``'s.
"""
from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import replace
from operator import attrgetter

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
        shared = [rec.created_at, rec.withdrawn_at, *(r.recorded_at for r in rec.responses),
                  *(c.recorded_at for c in rec.closures),  # closing moves it out of totals
                  rec.sign_off.recorded_at if rec.sign_off else None]
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
    """= ``progress_series.adoption_by_week``. A school is counted from the first week by
    whose end it was recorded and opened until the week by whose end it was recorded closed
    (``progress.school_counts``), and adopted in the weeks of that span whose last adoption
    event counts as adopted (``progress.counts_as_adopted``). So each school adds its spans to
    running totals: a few bisections per school, whatever the number of weeks. ``schools``
    may be facts or rows with the same fields (``tracker.schools.facts.school_rows``)."""
    weeks, cutoffs = _weeks(start, as_at)
    end = len(weeks)
    top, bottom = [0] * (end + 1), [0] * (end + 1)
    for school in schools:
        if not school.in_scope:
            continue
        first = bisect_right(cutoffs, school.recorded_at)
        if school.open_date is not None:
            first = max(first, bisect_left(weeks, school.open_date))
        last = end if school.closed_recorded_at is None else \
            bisect_right(cutoffs, school.closed_recorded_at)
        if first >= last:
            continue
        bottom[first] += 1
        bottom[last] -= 1
        # the status from each week on: the last event recorded by that week's end
        statuses: dict[int, str] = {}
        for event in sorted(school.adoption_events, key=attrgetter("recorded_at")):
            statuses[bisect_right(cutoffs, event.recorded_at)] = event.status
        since, adopted = first, False
        for week in sorted(n for n in statuses if n < last):
            now = progress.counts_as_adopted(statuses[week])
            if now != adopted:
                at = max(week, first)
                if adopted:
                    top[since] += 1
                    top[at] -= 1
                since, adopted = at, now
        if adopted:
            top[since] += 1
            top[last] -= 1
    return _points(weeks, top[:end], bottom[:end])
