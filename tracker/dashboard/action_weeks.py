"""Weekly action figures kept as weeks close, per decision, so the "actions complete" chart
reads stored points instead of judging every action at every week on each request.

A point of ``progress_series.actions_complete_by_week`` is, for a week, the actions complete
and counted (recommendations in totals) as at its end, summed over the recommendations of the
chart; summed per decision, a chart over several decisions is the sum of theirs. For a closed
week (a Sunday whose end has passed) a decision's point can change only if something recorded
later reaches back into it: a progress update, an executive response, an action or a
recommendation recorded (backdated) before the week's end, or a change to which
recommendations are under the decision (a recommendation taken up, moved or edited, a part
withdrawn: audited changes of recommendations and parts). Withdrawals are recorded when made,
so they reach into no closed week. So each kept point carries the highest ids it saw, and is
read only while nothing above them reaches back (:func:`kept_sums`); else the
report builder computes the series afresh (``series.actions_complete_by_week``, proven equal
to the rules) and keeps its closed weeks again (:func:`keep`).

A chart over hundreds of decisions would sum every decision's every week on each request; so
the sums over a set of decisions are kept too (``ActionWeekSums``, keyed by a digest of their
ids), with the lowest ids any point summed had seen: summing kept points that held, they hold
while nothing recorded after those ids reaches back, as the points themselves. A week closed
since they were kept is summed from the decisions' points and added (:func:`kept_sums`).

The report builder uses kept points only where the recommendations of the chart as at its
date are those under the decision now (no recommendation moved since, no part added or
withdrawn since); the last point (the "as at" day) is always the day's own roll-up.

tests/dashboard/test_action_weeks.py proves, over generated histories on SQLite and
PostgreSQL, that kept points and their kept sums read back equal
``progress_series.actions_complete_by_week``, also after a backdated update, a new action or
recommendation, or a recommendation moved.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import sqlalchemy as sa

from tracker import progress
from tracker.dashboard.history import CHANGES
from tracker.dashboard.keeping import after, upsert, write_aside
from tracker.extensions import db
from tracker.id_lists import among
from tracker.models import (
    Action, ActionWeek, ActionWeekSums, AuditEvent, DecisionPart, ExecutiveResponse,
    ProgressUpdate, Recommendation,
)
from tracker.progress_series import SeriesPoint

_STAMPED = ((ProgressUpdate, ProgressUpdate.recorded_at), (ExecutiveResponse,
            ExecutiveResponse.recorded_at), (Action, Action.created_at),
            (Recommendation, Recommendation.created_at))
_COLUMNS = ("updates_through", "responses_through", "actions_through",
            "recommendations_through", "audit_through")


class Stamps(NamedTuple):
    updates: int
    responses: int
    actions: int
    recommendations: int
    audit: int


def _membership_changes() -> list[sa.ColumnElement[bool]]:
    return [AuditEvent.object_type.in_((Recommendation.__name__, DecisionPart.__name__)),
            AuditEvent.action.in_(CHANGES)]


def highest() -> list[sa.ScalarSelect[int]]:
    """The highest ids now, in the order of ``Stamps``, as subqueries."""
    found = [sa.select(sa.func.coalesce(sa.func.max(model.id), 0)).scalar_subquery()
             for model, _ in _STAMPED]
    found.append(sa.select(sa.func.coalesce(sa.func.max(AuditEvent.id), 0))
                 .where(*_membership_changes()).scalar_subquery())
    return found


def stamps() -> Stamps:
    """The highest ids now (one query)."""
    return Stamps(*db.session.execute(sa.select(*highest())).one())


def kept_sums(decision_ids: Sequence[int], weeks: Sequence[dt.date]
              ) -> list[SeriesPoint] | None:
    """The kept points of these closed weeks summed over these decisions, or None when one
    is missing or something recorded since reaches back into them. Read from the sums kept
    for the same decisions (:func:`keep_sums`) while they hold, the weeks they lack (a week
    closed since) summed from each decision's kept points; else every week summed from
    those (:func:`_summed`); what was summed is kept again. One query while the sums kept
    hold and have every week, else three."""
    if not weeks or not decision_ids:
        return [] if not weeks else None
    wanted = list(weeks)
    end = progress.end_of_day_utc(wanted[-1])
    scope = _scope(decision_ids)
    # the sums kept, and whether anything recorded after the ids they saw reaches back
    columns = [getattr(ActionWeekSums, name) for name in _COLUMNS]
    through = Stamps(*columns)  # type: ignore[arg-type]  # their columns, compared in SQL
    stored = db.session.execute(
        sa.select(ActionWeekSums.points, sa.or_(*reaching(through, end)), *columns)
        .where(ActionWeekSums.scope == scope)).one_or_none()
    kept = _points(stored[0]) if stored is not None and not stored[1] else []
    n = 0   # the weeks kept that are the first weeks wanted
    while n < min(len(kept), len(wanted)) and kept[n].week_ending == wanted[n]:
        n += 1
    if n == len(wanted):
        return kept[:n]
    summed = _summed(decision_ids, wanted[n:])
    if summed is None or reaches_back(summed[1], end):
        return None
    found = kept[:n] + summed[0]
    seen = Stamps(*map(min, zip(stored[2:], summed[1]))) if n else summed[1]
    write_aside(lambda: _keep_sums(scope, found, seen))   # a GET keeps what it summed
    return found


def _summed(decision_ids: Sequence[int], weeks: Sequence[dt.date]
            ) -> tuple[list[SeriesPoint], Stamps] | None:
    """Each decision's kept points of these weeks summed, and the lowest ids any of them
    saw; None when one is missing. One GROUP BY (over the covering index
    ``ix_action_weeks_week_ending``: the table itself is never read)."""
    rows = list(db.session.execute(
        sa.select(ActionWeek.week_ending, sa.func.count(), sa.func.sum(ActionWeek.complete),
                  sa.func.sum(ActionWeek.counted),
                  *(sa.func.min(getattr(ActionWeek, name)) for name in _COLUMNS))
        # "+ 0": not by the primary key's index, which SQLite would rather take, looking each
        # decision up there, then each of its rows in the table
        .where(among(ActionWeek.decision_id + 0, decision_ids),
               ActionWeek.week_ending >= weeks[0], ActionWeek.week_ending <= weeks[-1])
        .group_by(ActionWeek.week_ending).order_by(ActionWeek.week_ending)))
    if [row[0] for row in rows] != list(weeks) or any(row[1] != len(decision_ids)
                                                      for row in rows):
        return None
    seen = Stamps(*(min(int(row[4 + n]) for row in rows) for n in range(len(_COLUMNS))))
    return [SeriesPoint(week, int(complete), int(counted),
                        progress.share_complete(int(complete), int(counted)))
            for week, _, complete, counted, *_ in rows], seen


def _scope(decision_ids: Sequence[int]) -> str:
    """The key of the sums kept for a set of decisions: a digest of their ids."""
    return hashlib.sha256(",".join(str(i) for i in sorted(set(decision_ids))).encode()
                          ).hexdigest()


def _points(stored: Sequence[Sequence[Any]]) -> list[SeriesPoint]:
    return [SeriesPoint(dt.date.fromisoformat(str(week)), int(complete), int(counted),
                        progress.share_complete(int(complete), int(counted)))
            for week, complete, counted in stored]


def keep_sums(decision_ids: Sequence[int], points: Sequence[SeriesPoint], seen: Stamps
              ) -> None:
    """Keep the sums over these decisions of their kept points (``points``: summed by
    :func:`_summed` from points that held, ``seen`` the lowest ids those saw), replacing
    any kept for the same decisions. One statement."""
    _keep_sums(_scope(decision_ids), points, seen)


def _keep_sums(scope: str, points: Sequence[SeriesPoint], seen: Stamps) -> None:
    upsert(ActionWeekSums, ["scope"], [{
        "scope": scope, "points": [[p.week_ending.isoformat(), p.numerator, p.denominator]
                                   for p in points], **dict(zip(_COLUMNS, seen))}])


def reaches_back(seen: Stamps, end: dt.datetime) -> bool:
    """Whether anything recorded after ``seen`` reaches back before ``end`` (an update,
    response, action or recommendation stamped before it) or changes which recommendations
    are under a decision (one query): kept figures up to ``end`` no longer hold."""
    return bool(db.session.scalar(sa.select(sa.or_(*reaching(seen, end)))))


def reaching(seen: Stamps, end: dt.datetime) -> list[sa.Exists]:
    """``reaches_back``'s conditions, one EXISTS each."""
    found = [sa.select(model.id).where(after(model.id, through), moment < end).exists()
             for (model, moment), through in zip(_STAMPED, seen)]
    found.append(sa.select(AuditEvent.id).where(after(AuditEvent.id, seen.audit),
                                                *_membership_changes()).exists())
    return found


def keep(points: Mapping[int, Sequence[SeriesPoint]], seen: Stamps) -> None:
    """Keep each decision's points (closed weeks of its series, computed from what ``seen``
    was read with), replacing any kept for the same weeks. One statement."""
    rows = [{"decision_id": decision_id, "week_ending": p.week_ending, "complete": p.numerator,
             "counted": p.denominator, **dict(zip(_COLUMNS, seen))}
            for decision_id, found in points.items() for p in found]
    upsert(ActionWeek, ["decision_id", "week_ending"], rows)


def summed(per_decision: Sequence[Sequence[SeriesPoint]]) -> list[SeriesPoint]:
    """Series over the same weeks added up: the series over all their recommendations."""
    if not per_decision:
        return []
    found = []
    for points in zip(*per_decision):
        complete = sum(p.numerator for p in points)
        counted = sum(p.denominator for p in points)
        found.append(SeriesPoint(points[0].week_ending, complete, counted,
                                 progress.share_complete(complete, counted)))
    return found
