"""Today's action figures of the dashboard read from the figures kept on each action
(``tracker.recommendations.kept``: status, current due date and completion moment), counted
in the database: overdue actions by owner, actions by agency, the ageing figures of today and
the late list's length in one pass over the actions (``actions_today``), and one page of the
late list. Never the actions as objects, never their updates (but the late
page's own).

Nothing is judged here that the rules do not judge: overdue is ``queries.overdue_clause``
(the rule on the kept columns, proved by tests/progress/test_kept.py); which statuses are
counted and complete is asked of the rules (``condensed._COUNT_CLASS``); the age bands'
first days are found by ``progress.age_band`` itself; a late line's state, days late and
order are the rules' (``progress.action_state``, ``days_late``, ``late_order``), the SQL order
of the late list (current due date, original due date, id) being ``late_order``'s key.
``recommendations`` is always a subquery of the recommendation ids whose actions count: those
shown, or those in the totals (``in_totals``), as the page judged them.
tests/dashboard/test_today_dashboard.py proves every figure equal to the report's builder's.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

import sqlalchemy as sa

from tracker import progress
from tracker.dashboard import figures, late, queries
from tracker.dashboard.history import ValuesAsAt
from tracker.extensions import db
from tracker.models import Action
from tracker.progress import ActionFact, Ageing
from tracker.recommendations import condensed
from tracker.recommendations.condensed import _COUNT_CLASS
from tracker.recommendations.queries import Page, overdue_clause, page_number

COUNTED = tuple(s for s, (_, counted) in _COUNT_CLASS.items() if counted)
COMPLETE = tuple(s for s, (complete, counted) in _COUNT_CLASS.items() if complete and counted)
STILL_TO_DO = tuple(s for s in COUNTED if s not in COMPLETE)
LATE_PER_PAGE = 50


def _live(recommendations: sa.Select[Any]) -> list[sa.ColumnElement[bool]]:
    return [Action.withdrawn_at.is_(None), Action.recommendation_id.in_(recommendations)]


class Counts(NamedTuple):
    """The actions of one owning organisation and owner, recorded in one age band, whose
    recommendation is in the totals or only shown (``in_totals``), counted
    (:func:`actions_today`)."""
    organisation_id: int | None
    owner_id: int | None
    band: str
    in_totals: bool
    counted: int
    complete: int
    overdue: int
    still_to_do: int
    days_to_complete: int
    on_time: int


@dataclass(frozen=True)
class ActionsToday:
    """Today's counted actions of the recommendations shown, counted in one pass over the
    columns kept on each action (:func:`actions_today`): what overdue actions by owner,
    actions by agency, the ageing point of today and the late list's length read."""
    day: dt.date
    counts: tuple[Counts, ...]

    @property
    def late(self) -> int:
        """How many actions are late (overdue, under a recommendation in the totals): the
        late list's length."""
        return sum(c.overdue for c in self.counts if c.in_totals)

    def overdue_by_owner(self) -> tuple[figures.OwnerRow, ...]:
        """``figures.overdue_by_owner``: overdue actions per owner (of the recommendations in
        the totals)."""
        counts: dict[int | None, int] = {}
        for c in self.counts:
            if c.in_totals and c.overdue:
                counts[c.owner_id] = counts.get(c.owner_id, 0) + c.overdue
        return figures.owner_rows(counts, queries.user_names(counts, ValuesAsAt(None)))

    def by_agency(self) -> tuple[figures.AgencyRow, ...]:
        """``figures.actions_by_agency``: counted, complete and overdue actions (of the
        recommendations shown) per owning organisation and owner, each pair named by
        ``queries.agency_names``."""
        pairs: dict[tuple[int | None, int | None], list[int]] = {}
        for c in self.counts:
            found = pairs.setdefault((c.organisation_id, c.owner_id), [0, 0, 0])
            found[0] += c.counted
            found[1] += c.complete
            found[2] += c.overdue
        keys = list(pairs)
        names = queries.agency_names({n: key[0] for n, key in enumerate(keys)},
                                     {n: key[1] for n, key in enumerate(keys)},
                                     ValuesAsAt(None))
        counts: dict[str, list[int]] = {}
        for n, key in enumerate(keys):
            found = counts.setdefault(names.get(n, figures.NO_AGENCY), [0, 0, 0])
            for k in range(3):
                found[k] += pairs[key][k]
        return figures.agency_rows(counts)

    def ageing(self, recommendations: Sequence[tuple[dt.datetime, progress.RecommendationState]]
               ) -> Ageing:
        """``progress.ageing_of`` on the day (today): ``recommendations`` the (recorded at,
        state) of those judged, counted by band (:func:`_band_of`); open actions (of the
        recommendations in the totals) by band as the database counted them; complete ones
        summed there from what is kept on write with each (``Action.days_to_complete`` and
        ``completed_by_due``: ``progress.completion`` of the London days it was recorded and
        completed, proved by tests/progress/test_kept.py)."""
        starts = _band_starts(self.day)
        recs = dict.fromkeys(progress.AGE_BANDS, 0)
        for created_at, state in recommendations:
            if state.in_totals and state.label != progress.STATE_COMPLETE:
                recs[_band_of(created_at, starts)] += 1
        actions = dict.fromkeys(progress.AGE_BANDS, 0)
        complete = days = on_time = 0
        for c in self.counts:
            if c.in_totals:
                actions[c.band] += c.still_to_do
                complete, days, on_time = (complete + c.complete, days + c.days_to_complete,
                                           on_time + c.on_time)
        return progress.ageing_totals(self.day, recs, actions, complete, days, on_time)


def actions_today(shown: sa.Select[Any], in_totals: sa.Select[Any], day: dt.date
                  ) -> ActionsToday:
    """The counted actions of the recommendations ``shown`` on ``day`` (today), one GROUP BY
    by owning organisation, owner, age band (the band of the London day each was recorded,
    by the first moment of each band: :func:`_band_starts`) and whether its recommendation
    is ``in_totals``: how many, complete, overdue (``overdue_clause``) and still to do, the
    days the complete ones took and how many by their original due date. One query."""
    starts = _band_starts(day)
    band = sa.case(*((Action.created_at >= moment, name) for moment, name in starts),
                   else_=progress.AGE_BANDS[-1]) if starts else sa.literal(
        progress.AGE_BANDS[-1])
    done = Action.status.in_(COMPLETE)
    counted = sa.case((Action.recommendation_id.in_(in_totals), 1), else_=0)
    rows = db.session.execute(
        sa.select(Action.owner_organisation_id, Action.owner_id, band, counted,
                  sa.func.count(), _count(done), _count(overdue_clause(day)),
                  _count(Action.status.in_(STILL_TO_DO)),
                  sa.func.sum(sa.case((done, Action.days_to_complete), else_=0)),
                  _count(sa.and_(done, Action.completed_by_due.is_(True))))
        .where(*_live(shown), Action.status.in_(COUNTED))
        .group_by(Action.owner_organisation_id, Action.owner_id, band, counted)).all()
    return ActionsToday(day, tuple(
        Counts(row[0], row[1], row[2], bool(row[3]), *(int(n or 0) for n in row[4:]))
        for row in rows))


@lru_cache(maxsize=4)
def _band_starts(day: dt.date) -> tuple[tuple[dt.datetime, str], ...]:
    """Each age band but the oldest with the first moment recorded on ``day`` falls in it,
    youngest first: the first London day of each band, found by ``progress.age_band``
    (later days are never in an older band; a year's days walked once a day)."""
    first: dict[str, dt.date] = {}
    on = day
    while (band := progress.age_band(on, day)) != progress.AGE_BANDS[-1]:
        first[band] = on
        on -= dt.timedelta(days=1)
    return tuple((progress.end_of_day_utc(first[band] - dt.timedelta(days=1)), band)
                 for band in progress.AGE_BANDS if band in first)


def _count(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    return sa.func.sum(sa.case((condition, 1), else_=0))


def _band_of(recorded_at: dt.datetime, starts: Sequence[tuple[dt.datetime, str]]) -> str:
    """The age band of something recorded at ``recorded_at`` (``progress.age_band`` of its
    London day), by the first moment of each band but the oldest (:func:`_band_starts`), as
    the database counts the open actions."""
    for moment, name in starts:
        if recorded_at >= moment:
            return name
    return progress.AGE_BANDS[-1]


# --- the late list, a page at a time --------------------------------------------------------
@dataclass(frozen=True)
class LatePage(Page):
    """One page of the late list (``rows``: its ``late.LateLine``, most days late first), how
    many late actions there are in all, and the most late (``top``: the chart's)."""
    top: tuple[late.LateLine, ...] = ()

    @property
    def lines(self) -> tuple[late.LateLine, ...]:
        return self.rows  # type: ignore[return-value]  # Page's rows, here late lines


def late_page(in_totals: sa.Select[Any], today: dt.date, page: int, top: int,
              total: int | None = None) -> LatePage:
    """Page ``page`` (from 1; past the last: the last) of the late actions of the
    recommendations ``in_totals``, and the ``top`` most late (0: none, the decision page's).
    ``total``: how many are late, when already counted (``ActionsToday.late``). Three
    queries (two with a ``total``), one more on a later page with a ``top``."""
    late_ids = sa.select(Action.id).where(overdue_clause(today),
                                          Action.recommendation_id.in_(in_totals))
    if total is None:
        total = db.session.scalar(
            sa.select(sa.func.count()).select_from(late_ids.subquery())) or 0
    page, pages = page_number(total, page, LATE_PER_PAGE)
    # progress.late_order's key: days late (today - current due date) down, original due, id.
    ordered = late_ids.order_by(Action.current_due_on, Action.due_on, Action.id)
    shown = list(db.session.scalars(ordered.limit(LATE_PER_PAGE)
                                    .offset((page - 1) * LATE_PER_PAGE)))
    lines = lines_of(shown, today)
    most = lines[:top] if page == 1 or not top else lines_of(
        list(db.session.scalars(ordered.limit(top))), today)
    return LatePage(lines, total, page, pages, LATE_PER_PAGE, most)  # type: ignore[arg-type]


def lines_of(action_ids: Sequence[int], today: dt.date) -> tuple[late.LateLine, ...]:
    """The late lines of these actions (late today), in the late list's order: each judged by
    the rules from its history condensed (``condensed.latest_updates``), with its own latest
    update and RAG reason, its owner (the organisation owning it, else the person), its
    recommendation's reference and service and its decision's reference. Two queries."""
    if not action_ids:
        return ()
    latest = condensed.latest_updates(list(action_ids), None)
    lines = []
    for row in late.rows_now(action_ids).values():
        found = latest.get(row.id)
        state = progress.action_state(ActionFact(
            id=row.id, owner_id=row.owner_id, created_at=row.created_at, due_on=row.due_on,
            updates=(found.fact(),) if found else (), withdrawn_at=row.withdrawn_at),
            today=today)
        assert state is not None  # nosec B101  # late, so shown
        lines.append(late.line_now(row, state, progress.days_late(state, today), found))
    return late.in_order(lines)
