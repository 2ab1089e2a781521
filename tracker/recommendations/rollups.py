"""Figures kept on write: each recommendation's roll-up as recorded now, before a day is asked
(``progress.RecordedState``: its label and the RAG entered of its open actions, counted and
complete actions, the earliest due date of its open actions, its response and timetable date,
its impact review date and confirmed impact), kept in ``recommendation_rollups``.

Computed here only, by :func:`tracker.progress.recorded_state` over the recommendation's whole
history (every update of every action, responses, closing steps, impact reviews), and written
in the same transaction as every write that may change it: a flush that adds or changes a
recommendation, an action, a progress update, an executive response, a closing step or an
impact review recomputes the roll-ups of the recommendations it touched (:func:`_after_flush`,
whatever service or command made the write). The migration ``0013_recommendation_rollup``
backfills them by the same function (:func:`refresh`), as do bulk loads.

What depends on the day is judged on read by the rules (``progress.judged``): an open action
past its due date turns the RAG red, impact review due, late. :func:`states_now` reads the
kept rows and counts each one's overdue actions in SQL beside it
(``queries.overdue_clause``: the kept action state), one SELECT of columns however many
recommendations; only "as at today" (for a past date the pages rebuild from history as
before).

tests/progress/test_rollups.py proves, over generated histories on SQLite and PostgreSQL,
that the kept roll-ups judged on read equal ``progress.recommendation_state`` over the whole
history, and that the backfill finds nothing to change.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, orm

from tracker import progress
from tracker.models.base import UTCDateTime
from tracker.progress import (
    ActionFact,
    ClosureEventFact,
    ImpactReviewFact,
    RecommendationFact,
    RecommendationState,
    RecordedState,
    ResponseFact,
    UpdateFact,
)

# Table clauses, not the ORM models: the migration's backfill calls :func:`refresh` too.
RECOMMENDATIONS = sa.table(
    "recommendations", sa.column("id", sa.Integer), sa.column("source", sa.String),
    sa.column("created_at", UTCDateTime()), sa.column("withdrawn_at", UTCDateTime()))
ACTIONS = sa.table(
    "actions", sa.column("id", sa.Integer), sa.column("recommendation_id", sa.Integer),
    sa.column("created_at", UTCDateTime()), sa.column("due_on", sa.Date),
    sa.column("withdrawn_at", UTCDateTime()))
UPDATES = sa.table(
    "progress_updates", sa.column("id", sa.Integer), sa.column("action_id", sa.Integer),
    sa.column("recorded_at", UTCDateTime()), sa.column("status", sa.String),
    sa.column("rag", sa.String), sa.column("revised_due_on", sa.Date))
RESPONSES = sa.table(
    "executive_responses", sa.column("id", sa.Integer),
    sa.column("recommendation_id", sa.Integer), sa.column("recorded_at", UTCDateTime()),
    sa.column("response", sa.String), sa.column("timetable", sa.String))
CLOSURES = sa.table(
    "recommendation_closures", sa.column("id", sa.Integer),
    sa.column("recommendation_id", sa.Integer), sa.column("recorded_at", UTCDateTime()),
    sa.column("kind", sa.String), sa.column("meeting", sa.String),
    sa.column("minute", sa.String), sa.column("review_on", sa.Date),
    sa.column("superseded_by_id", sa.Integer))
REVIEWS = sa.table(
    "impact_reviews", sa.column("id", sa.Integer), sa.column("recommendation_id", sa.Integer),
    sa.column("recorded_at", UTCDateTime()), sa.column("judgement", sa.String),
    sa.column("confirmed_at", UTCDateTime()))
ROLLUPS = sa.table(
    "recommendation_rollups", sa.column("recommendation_id", sa.Integer),
    sa.column("shown", sa.Boolean), sa.column("label", sa.String), sa.column("rag", sa.String),
    sa.column("counted_actions", sa.Integer), sa.column("complete_actions", sa.Integer),
    sa.column("open_due_on", sa.Date), sa.column("response", sa.String),
    sa.column("timetable_due_on", sa.Date), sa.column("review_on", sa.Date),
    sa.column("confirmed_impact", sa.String))
FIELDS = RecordedState._fields
CHUNK = 500  # ids per IN list when a write touches many recommendations (imports)


def values_of(recorded: RecordedState | None) -> dict[str, Any]:
    """A kept row's values (recommendation id aside) for a recorded state; None: withdrawn."""
    if recorded is None:
        return {"shown": False, "label": None, "rag": None, "counted_actions": 0,
                "complete_actions": 0, "open_due_on": None, "response": None,
                "timetable_due_on": None, "review_on": None, "confirmed_impact": None}
    return {"shown": True, **{name: getattr(recorded, name) for name in FIELDS}}


def histories(connection: sa.Connection, ids: Sequence[int] | None
              ) -> dict[int, RecommendationFact]:
    """Each recommendation's whole history as facts (None: every recommendation): six
    SELECTs of columns."""
    def where(query: sa.Select[Any], column: Any) -> sa.Select[Any]:
        return query if ids is None else query.where(column.in_(list(ids)))

    action_ids = where(sa.select(ACTIONS.c.id), ACTIONS.c.recommendation_id)
    updates: dict[int, list[UpdateFact]] = {}
    query = sa.select(UPDATES.c.action_id, UPDATES.c.recorded_at, UPDATES.c.status,
                      UPDATES.c.rag, UPDATES.c.revised_due_on).order_by(UPDATES.c.id)
    if ids is not None:
        query = query.where(UPDATES.c.action_id.in_(action_ids))
    for aid, *rest in connection.execute(query):
        updates.setdefault(aid, []).append(UpdateFact(*rest))
    actions: dict[int, list[ActionFact]] = {}
    for aid, rid, created_at, due_on, withdrawn_at in connection.execute(where(sa.select(
            ACTIONS.c.id, ACTIONS.c.recommendation_id, ACTIONS.c.created_at, ACTIONS.c.due_on,
            ACTIONS.c.withdrawn_at), ACTIONS.c.recommendation_id).order_by(ACTIONS.c.id)):
        actions.setdefault(rid, []).append(ActionFact(
            id=aid, owner_id=None, created_at=created_at, due_on=due_on,
            updates=tuple(updates.get(aid, ())), withdrawn_at=withdrawn_at))
    responses: dict[int, list[ResponseFact]] = {}
    for rid, *rest in connection.execute(where(sa.select(
            RESPONSES.c.recommendation_id, RESPONSES.c.recorded_at, RESPONSES.c.response,
            RESPONSES.c.timetable), RESPONSES.c.recommendation_id).order_by(RESPONSES.c.id)):
        responses.setdefault(rid, []).append(ResponseFact(*rest))
    closures: dict[int, list[ClosureEventFact]] = {}
    for rid, *rest in connection.execute(where(sa.select(
            CLOSURES.c.recommendation_id, CLOSURES.c.recorded_at, CLOSURES.c.kind,
            CLOSURES.c.meeting, CLOSURES.c.minute, CLOSURES.c.review_on,
            CLOSURES.c.superseded_by_id), CLOSURES.c.recommendation_id)
            .order_by(CLOSURES.c.id)):
        closures.setdefault(rid, []).append(ClosureEventFact(*rest))
    reviews: dict[int, list[ImpactReviewFact]] = {}
    for rid, *rest in connection.execute(where(sa.select(
            REVIEWS.c.recommendation_id, REVIEWS.c.recorded_at, REVIEWS.c.judgement,
            REVIEWS.c.confirmed_at), REVIEWS.c.recommendation_id).order_by(REVIEWS.c.id)):
        reviews.setdefault(rid, []).append(ImpactReviewFact(*rest))
    return {rid: RecommendationFact(
        id=rid, source=source, created_at=created_at, actions=tuple(actions.get(rid, ())),
        responses=tuple(responses.get(rid, ())), withdrawn_at=withdrawn_at,
        closures=tuple(closures.get(rid, ())), impact_reviews=tuple(reviews.get(rid, ())))
        for rid, source, created_at, withdrawn_at in connection.execute(where(sa.select(
            RECOMMENDATIONS.c.id, RECOMMENDATIONS.c.source, RECOMMENDATIONS.c.created_at,
            RECOMMENDATIONS.c.withdrawn_at), RECOMMENDATIONS.c.id))}


def refresh(connection: sa.Connection, ids: Iterable[int] | None = None) -> int:
    """Recompute the kept roll-ups of these recommendations (None: every one) from their
    whole history by the rules and write those that differ; returns how many changed."""
    if ids is None:
        return _refresh(connection, None)
    wanted = sorted(set(ids))
    return sum(_refresh(connection, wanted[n:n + CHUNK]) for n in range(0, len(wanted), CHUNK))


def _refresh(connection: sa.Connection, ids: Sequence[int] | None) -> int:
    if ids is not None and not ids:
        return 0
    facts = histories(connection, ids)
    query = sa.select(ROLLUPS)
    if ids is not None:
        query = query.where(ROLLUPS.c.recommendation_id.in_(list(ids)))
    old = {row.recommendation_id: row._asdict() for row in connection.execute(query)}
    changed, new = [], []
    for rid, fact in facts.items():
        row = {"recommendation_id": rid, **values_of(progress.recorded_state(fact))}
        if rid not in old:
            new.append(row)
        elif old[rid] != row:
            changed.append({f"k_{k}": v for k, v in row.items()})
    if new:
        connection.execute(sa.insert(ROLLUPS), new)
    if changed:
        connection.execute(
            ROLLUPS.update().where(ROLLUPS.c.recommendation_id == sa.bindparam(
                "k_recommendation_id")).values({column.name: sa.bindparam(f"k_{column.name}")
                                                for column in ROLLUPS.c
                                                if column.name != "recommendation_id"}), changed)
    return len(new) + len(changed)


# --- kept on write --------------------------------------------------------------------------
def _touched(session: orm.Session) -> tuple[set[int], set[int]]:
    """(recommendation ids, action ids of new or changed updates) this flush touched."""
    from tracker.models import (
        Action,
        ExecutiveResponse,
        ImpactReview,
        ProgressUpdate,
        Recommendation,
        RecommendationClosure,
    )

    recs: set[int] = set()
    actions: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Recommendation):
            recs.add(obj.id)
        elif isinstance(obj, (Action, ExecutiveResponse, RecommendationClosure, ImpactReview)):
            recs.add(obj.recommendation_id)
        elif isinstance(obj, ProgressUpdate):
            actions.add(obj.action_id)
    recs.discard(None)  # type: ignore[arg-type]
    actions.discard(None)  # type: ignore[arg-type]
    return recs, actions


def _after_flush(session: orm.Session, _context: Any) -> None:
    """Keep the roll-ups of the recommendations this flush touched, in its transaction."""
    recs, actions = _touched(session)
    if not recs and not actions:
        return
    connection = session.connection()
    if actions:
        recs |= set(connection.scalars(sa.select(ACTIONS.c.recommendation_id).where(
            ACTIONS.c.id.in_(sorted(actions)))))
    refresh(connection, recs)


event.listen(orm.Session, "after_flush", _after_flush)


# --- read for today ---------------------------------------------------------------------------
def states_now(ids: sa.Select[Any], sources: dict[int, str] | None = None, *, today: dt.date
               ) -> dict[int, RecommendationState | None]:
    """Today's states of the recommendations ``ids`` (a subquery of ids), from their kept
    roll-ups judged on the day by the rules (``progress.judged``), each action's overdue
    judged from its kept state (``queries.overdue_clause``, counted beside each row); figures
    only (no action states, no closure). One SELECT. A recommendation of ``sources`` with no
    kept row (loaded around the ORM and never refreshed) is judged from its history instead,
    never left out."""
    from tracker.extensions import db
    from tracker.models import Action, Recommendation
    from tracker.models import RecommendationRollup as R
    from tracker.recommendations.queries import overdue_clause

    overdue = sa.select(sa.func.count()).where(
        Action.recommendation_id == R.recommendation_id, overdue_clause(today)
    ).correlate(R).scalar_subquery()
    # Each row: id, source, overdue, shown, then RecordedState's fields in its order.
    kept = (R.recommendation_id, Recommendation.source if sources is None else sa.null(),
            overdue, R.shown, *(getattr(R, name) for name in FIELDS))
    query = sa.select(*kept).where(R.recommendation_id.in_(ids))
    if sources is None:
        query = query.join(Recommendation, Recommendation.id == R.recommendation_id)
    judged, recorded = progress.judged, RecordedState._make
    found: dict[int, RecommendationState | None] = {}
    # plain rows: no ORM processing of thousands
    for row in db.session.connection().execute(query).all():
        rid = row[0]
        found[rid] = judged(rid, row[1] if sources is None else sources[rid],
                            recorded(row[4:]), day=today, overdue_actions=row[2]) \
            if row[3] else None
    missing = [rid for rid in (sources or ()) if rid not in found]
    if missing:  # never kept (rows loaded around the ORM, not refreshed): from history
        from tracker.recommendations import facts

        found.update(facts.states_where(Recommendation.id.in_(missing), today=today))
    return found
