"""Ageing figures kept as days close, per decision, so the ageing chart (the latest twelve
month ends and the report's date: ``late.AGEING_MONTHS``) reads stored points instead of
judging every recommendation at every month end on each request.

A point of ``progress.ageing`` as at a day D reads only what was recorded by the end of D
(recommendations and actions created and withdrawn, responses, closing steps and progress
updates) and what never changes (when each was created, an action's original due date: a due
date is revised only by an update). Its counts add up over recommendations, so a point over
several decisions is the sum of theirs (the average days to complete is the sum of days over
the sum of complete actions). Once D has ended, the point changes only if something recorded
later reaches back before its end, or the recommendations under the decision change: the
same check as the weekly action figures (``action_weeks.reaches_back``, with the same
stamps). So each kept point carries the highest ids it saw, and is read only while nothing
above them reaches back (:func:`kept_sums`); else the report builder judges the points afresh
by the rules and keeps them again (:func:`keep`).

The builder uses kept points only where the recommendations of the chart as at its date are
those under each decision now, as for the weekly figures. tests/dashboard/test_ageing_points.py
proves, over generated histories on SQLite and PostgreSQL, that kept points read back equal
``progress.ageing``, also after a backdated update, a new action or a recommendation moved.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from fractions import Fraction

import sqlalchemy as sa

from tracker import progress
from tracker.dashboard import action_weeks, keeping
from tracker.dashboard.action_weeks import Stamps
from tracker.extensions import db
from tracker.id_lists import among
from tracker.models import AgeingPoint
from tracker.progress import Ageing

_BAND = {progress.AGE_UNDER_3: "under_3", progress.AGE_3_TO_6: "3_to_6",
         progress.AGE_6_TO_12: "6_to_12", progress.AGE_OVER_12: "over_12"}
_RECS = tuple(f"recs_{_BAND[band]}" for band in progress.AGE_BANDS)
_ACTIONS = tuple(f"actions_{_BAND[band]}" for band in progress.AGE_BANDS)
_FIGURES = (*_RECS, *_ACTIONS, "complete", "days_taken", "on_time")
_STAMPS = ("updates_through", "responses_through", "actions_through",
           "recommendations_through", "audit_through")


def closed(days: Sequence[dt.date], now: dt.datetime) -> list[dt.date]:
    """The days of a series whose end has passed (a first run of them: days ascend)."""
    return [day for day in days if progress.end_of_day_utc(day) <= now]


def _figures(point: Ageing) -> dict[str, int]:
    """A point's figures as kept: its counts, and its days taken in whole days."""
    taken = point.average_days_to_complete
    days = 0 if taken is None else taken * point.complete_actions
    assert Fraction(days).denominator == 1  # nosec B101  # a sum of whole days
    return {**{name: point.recommendations_by_band[band]
               for name, band in zip(_RECS, progress.AGE_BANDS)},
            **{name: point.actions_by_band[band]
               for name, band in zip(_ACTIONS, progress.AGE_BANDS)},
            "complete": point.complete_actions, "days_taken": int(days),
            "on_time": point.complete_by_original_due}


def _point(day: dt.date, figures: Sequence[int]) -> Ageing:
    """The point kept as ``figures`` (in ``_FIGURES``' order), by ``progress``' own sums."""
    found = dict(zip(_FIGURES, (int(value) for value in figures)))
    return progress.ageing_totals(
        day, {band: found[name] for name, band in zip(_RECS, progress.AGE_BANDS)},
        {band: found[name] for name, band in zip(_ACTIONS, progress.AGE_BANDS)},
        found["complete"], found["days_taken"], found["on_time"])


def kept_sums(decision_ids: Sequence[int], days: Sequence[dt.date]) -> list[Ageing] | None:
    """The kept points of these ended days summed over these decisions, or None when one is
    missing or something recorded since reaches back into them (two queries)."""
    if not days:
        return []
    if not decision_ids:
        return None
    where = [among(AgeingPoint.decision_id, decision_ids), AgeingPoint.as_at.in_(list(days))]
    rows = list(db.session.execute(
        sa.select(AgeingPoint.as_at, sa.func.count(),
                  *(sa.func.min(getattr(AgeingPoint, name)) for name in _STAMPS),
                  *(sa.func.sum(getattr(AgeingPoint, name)) for name in _FIGURES))
        .where(*where).group_by(AgeingPoint.as_at).order_by(AgeingPoint.as_at)))
    if [row[0] for row in rows] != list(days) or any(row[1] != len(decision_ids)
                                                     for row in rows):
        return None
    seen = Stamps(*(min(int(row[2 + n]) for row in rows) for n in range(len(_STAMPS))))
    if action_weeks.reaches_back(seen, progress.end_of_day_utc(days[-1])):
        return None
    return [_point(row[0], row[2 + len(_STAMPS):]) for row in rows]


def keep(points: Mapping[int, Sequence[Ageing]], seen: Stamps) -> None:
    """Keep each decision's points (of ended days, judged from what ``seen`` was read
    with), replacing any kept for the same days. One statement."""
    rows = [{"decision_id": decision_id, "as_at": p.as_at, **_figures(p),
             **dict(zip(_STAMPS, seen))}
            for decision_id, found in points.items() for p in found]
    keeping.upsert(AgeingPoint, ["decision_id", "as_at"], rows)


def summed(per_decision: Sequence[Sequence[Ageing]]) -> list[Ageing]:
    """Points of the same days added up: the points over all their recommendations."""
    found = []
    for points in zip(*per_decision):
        figures = [sum(_figures(p)[name] for p in points) for name in _FIGURES]
        found.append(_point(points[0].as_at, figures))
    return found
