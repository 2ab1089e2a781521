"""The one adapter from database rows to the facts of :mod:`tracker.progress`.

Every page, export, chart and cache that shows a status, a RAG or a share builds it here:
rows -> frozen facts -> ``progress.recommendation_state`` / ``progress.rollup``. Nothing else
in the tracker decides what "overdue", "awaiting sign-off" or "67%" means.

Loading: ``STATE_LOAD`` is the eager-loading recipe (responses, actions, their updates) that
``recommendation_state`` needs, in a fixed number of queries whatever the number of rows
(``selectinload``: one query per relationship level, never one per row). ``SHOW_LOAD`` adds
what a recommendation page shows (owners, challenges; its states come from ``page_states``;
the page loads it by ``load_shown``, which skips the collections a recommendation has none
of), ``PAGE_LOAD`` each action's updates as well, for the other pages of a recommendation.

Presentation words (``rec_tag``, ``action_tag``) only translate a computed state into the
colour and words of a tag; they decide nothing.
"""
from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from tracker import progress
from tracker.extensions import db
from tracker.models import (
    Action,
    Challenge,
    DecisionPart,
    ExecutiveResponse,
    ImpactReview,
    Organisation,
    ProgressUpdate,
    Recommendation,
    RecommendationClosure,
)
from tracker.progress import (
    ActionFact,
    ActionState,
    ClosureEventFact,
    ImpactReviewFact,
    RecommendationFact,
    RecommendationState,
    ResponseFact,
    Rollup,
    UpdateFact,
)
from tracker.recommendations import condensed, rollups

# --- eager loading ---------------------------------------------------------------------------
STATE_LOAD: tuple[Any, ...] = (
    selectinload(Recommendation.responses),
    selectinload(Recommendation.actions).selectinload(Action.updates),
    selectinload(Recommendation.closures),
    selectinload(Recommendation.impact_reviews),
)
SHOW_JOINED: tuple[Any, ...] = (   # the recommendation page: its states from page_states
    joinedload(Recommendation.part).joinedload(DecisionPart.decision),
    joinedload(Recommendation.owner),
    joinedload(Recommendation.signed_off_by),
    selectinload(Recommendation.actions).joinedload(Action.owner),
    selectinload(Recommendation.actions).joinedload(Action.owner_organisation)
    .joinedload(Organisation.lead),
    joinedload(Recommendation.owner_organisation).joinedload(Organisation.lead),
)
# Its collections most recommendations have none of (no response to a review's, no question
# asked, not closed, no impact review), each with what it shows of them: see load_shown.
SHOWN_IF_ANY: tuple[tuple[Any, tuple[Any, ...]], ...] = (
    (Recommendation.responses, (joinedload(ExecutiveResponse.recorded_by),)),
    (Recommendation.challenges, (joinedload(Challenge.asked_by),
                                 joinedload(Challenge.answered_by))),
    (Recommendation.closures, (joinedload(RecommendationClosure.recorded_by),
                               joinedload(RecommendationClosure.superseded_by))),
    (Recommendation.impact_reviews, (joinedload(ImpactReview.recorded_by),
                                     joinedload(ImpactReview.confirmed_by),
                                     selectinload(ImpactReview.links))),
)
SHOW_LOAD: tuple[Any, ...] = SHOW_JOINED + tuple(
    selectinload(collection).options(*options) for collection, options in SHOWN_IF_ANY)
# The other pages of a recommendation (its forms): each action's updates too, for state_of.
PAGE_LOAD: tuple[Any, ...] = SHOW_LOAD + (
    selectinload(Recommendation.actions).selectinload(Action.updates),)
ROW_LOAD: tuple[Any, ...] = (  # a row of a list: its state comes from ``states_where``
    selectinload(Recommendation.responses),
    joinedload(Recommendation.part).joinedload(DecisionPart.decision),
    joinedload(Recommendation.owner),
    joinedload(Recommendation.owner_organisation).joinedload(Organisation.lead),
)
LIST_LOAD: tuple[Any, ...] = STATE_LOAD + (
    joinedload(Recommendation.part).joinedload(DecisionPart.decision),
    joinedload(Recommendation.owner),
    joinedload(Recommendation.owner_organisation).joinedload(Organisation.lead),
)


# --- rows -> facts ---------------------------------------------------------------------------
def update_fact(update: ProgressUpdate) -> UpdateFact:
    return UpdateFact(recorded_at=update.recorded_at, status=update.status, rag=update.rag,
                      revised_due_on=update.revised_due_on)


def action_fact(action: Action, extra: Iterable[ProgressUpdate] = ()) -> ActionFact:
    updates = list(action.updates)
    updates += [u for u in extra if u not in updates]
    return ActionFact(id=action.id, owner_id=action.owner_id, created_at=action.created_at,
                      due_on=action.due_on, updates=tuple(update_fact(u) for u in updates),
                      withdrawn_at=action.withdrawn_at)


def response_fact(response: ExecutiveResponse) -> ResponseFact:
    return ResponseFact(recorded_at=response.recorded_at, response=response.response,
                        timetable=response.timetable)


def closure_fact(row: RecommendationClosure) -> ClosureEventFact:
    return ClosureEventFact(recorded_at=row.recorded_at, kind=row.kind, meeting=row.meeting,
                            minute=row.minute, review_on=row.review_on,
                            superseded_by_id=row.superseded_by_id)


def review_fact(row: ImpactReview) -> ImpactReviewFact:
    return ImpactReviewFact(recorded_at=row.recorded_at, judgement=row.judgement,
                            confirmed_at=row.confirmed_at)


def recommendation_fact(rec: Recommendation, actions: Iterable[Action] | None = None
                        ) -> RecommendationFact:
    """``rec``'s fact; ``actions``: only these of its actions (a reader's view of it,
    ``tracker.permissions.actions_in_view``), else all."""
    return RecommendationFact(
        id=rec.id, source=rec.source, created_at=rec.created_at,
        actions=tuple(action_fact(a) for a in (rec.actions if actions is None else actions)),
        responses=tuple(response_fact(r) for r in rec.responses),
        withdrawn_at=rec.withdrawn_at,
        closures=tuple(closure_fact(c) for c in rec.closures),
        impact_reviews=tuple(review_fact(r) for r in rec.impact_reviews))


def fact_with_updates(rec: Any, updates: Mapping[int, Sequence[UpdateFact]],
                      owners: Mapping[int, int | None] | None = None) -> RecommendationFact:
    """``rec``'s fact (an ORM recommendation, or a plain row with its children:
    ``dashboard.queries.recommendations_of``) with each action's updates given (condensed ones, see
    ``tracker.recommendations.condensed``) instead of read from ``action.updates``, and its
    owner from ``owners`` where given (as at a date)."""
    owners = owners or {}
    return RecommendationFact(
        id=rec.id, source=rec.source, created_at=rec.created_at,
        actions=tuple(ActionFact(id=a.id, owner_id=owners.get(a.id, a.owner_id),
                                 created_at=a.created_at, due_on=a.due_on,
                                 updates=tuple(updates.get(a.id, ())),
                                 withdrawn_at=a.withdrawn_at) for a in rec.actions),
        responses=tuple(response_fact(r) for r in rec.responses),
        withdrawn_at=rec.withdrawn_at,
        closures=tuple(closure_fact(c) for c in rec.closures),
        impact_reviews=tuple(review_fact(r) for r in rec.impact_reviews))


def facts_where(condition: sa.ColumnElement[bool], *, cutoff: dt.datetime | None = None,
                action_scope: sa.ColumnElement[bool] | None = None
                ) -> dict[int, RecommendationFact]:
    """The facts of every recommendation matching ``condition`` as recorded by ``cutoff``
    (None: all so far), read straight from columns (no ORM objects), each action's updates
    condensed in SQL (``tracker.recommendations.condensed``): four queries however many rows,
    for lists and roll-ups over many. ``action_scope``: only the actions a reader may see
    (``tracker.permissions.action_scope``), else all."""
    ids = sa.select(Recommendation.id).where(condition)
    scoped = (sa.true(),) if action_scope is None else (action_scope,)
    responses: dict[int, list[ResponseFact]] = {}
    for rid, recorded_at, response, timetable in db.session.execute(
            sa.select(ExecutiveResponse.recommendation_id, ExecutiveResponse.recorded_at,
                      ExecutiveResponse.response, ExecutiveResponse.timetable)
            .where(ExecutiveResponse.recommendation_id.in_(ids))):
        responses.setdefault(rid, []).append(ResponseFact(recorded_at=recorded_at,
                                                          response=response,
                                                          timetable=timetable))
    latest = condensed.latest_updates(
        sa.select(Action.id).where(Action.recommendation_id.in_(ids), *scoped), cutoff)
    updates = {aid: [found.fact()] for aid, found in latest.items()}
    actions: dict[int, list[ActionFact]] = {}
    for aid, rid, owner_id, created_at, due_on, withdrawn_at in db.session.execute(
            sa.select(Action.id, Action.recommendation_id, Action.owner_id, Action.created_at,
                      Action.due_on, Action.withdrawn_at)
            .where(Action.recommendation_id.in_(ids), *scoped).order_by(Action.id)):
        actions.setdefault(rid, []).append(ActionFact(
            id=aid, owner_id=owner_id, created_at=created_at, due_on=due_on,
            updates=tuple(updates.get(aid, ())), withdrawn_at=withdrawn_at))
    closures, reviews = _closing_where(ids, cutoff)
    found = {}
    for rid, source, created_at, withdrawn_at in db.session.execute(
            sa.select(Recommendation.id, Recommendation.source, Recommendation.created_at,
                      Recommendation.withdrawn_at)
            .where(Recommendation.id.in_(ids))):
        found[rid] = RecommendationFact(
            id=rid, source=source, created_at=created_at,
            actions=tuple(actions.get(rid, ())), responses=tuple(responses.get(rid, ())),
            withdrawn_at=withdrawn_at, closures=tuple(closures.get(rid, ())),
            impact_reviews=tuple(reviews.get(rid, ())))
    return found


def _closing_where(ids: sa.Select[Any], cutoff: dt.datetime | None
                   ) -> tuple[dict[int, list[ClosureEventFact]], dict[int, list[ImpactReviewFact]]]:
    """The closing history and impact reviews of the recommendations ``ids``, as recorded by
    ``cutoff``: two queries however many rows."""
    closures: dict[int, list[ClosureEventFact]] = {}
    query = sa.select(RecommendationClosure).where(
        RecommendationClosure.recommendation_id.in_(ids))
    if cutoff is not None:
        query = query.where(RecommendationClosure.recorded_at < cutoff)
    for row in db.session.scalars(query.order_by(RecommendationClosure.id)):
        closures.setdefault(row.recommendation_id, []).append(closure_fact(row))
    reviews: dict[int, list[ImpactReviewFact]] = {}
    found = sa.select(ImpactReview).where(ImpactReview.recommendation_id.in_(ids))
    if cutoff is not None:
        found = found.where(ImpactReview.recorded_at < cutoff)
    for review in db.session.scalars(found.order_by(ImpactReview.id)):
        reviews.setdefault(review.recommendation_id, []).append(review_fact(review))
    return closures, reviews


def states_where(condition: sa.ColumnElement[bool], *, today: dt.date,
                 as_at: dt.date | None = None, action_scope: sa.ColumnElement[bool] | None = None
                 ) -> dict[int, RecommendationState | None]:
    """``facts_where`` judged by tracker.progress."""
    return {rid: progress.recommendation_state(fact, today=today, as_at=as_at)
            for rid, fact in facts_where(condition, cutoff=progress.cutoff_for(as_at),
                                         action_scope=action_scope).items()}


# --- states ----------------------------------------------------------------------------------
def state_of(rec: Recommendation, *, today: dt.date, as_at: dt.date | None = None,
             actions: Iterable[Action] | None = None) -> RecommendationState | None:
    """``rec``'s state; ``actions``: over only these of its actions (a reader's view)."""
    return progress.recommendation_state(recommendation_fact(rec, actions), today=today,
                                         as_at=as_at)


def action_state_of(action: Action, *, today: dt.date,
                    extra: Iterable[ProgressUpdate] = ()) -> ActionState | None:
    """The action's state now (``extra``: updates not yet on ``action.updates``)."""
    return progress.action_state(action_fact(action, extra), today=today)


def page_states(rec: Recommendation, actions: Sequence[Action], *, today: dt.date
                ) -> tuple[RecommendationState | None, RecommendationState | None]:
    """``rec``'s state today over ``actions`` (a reader's view of it,
    ``permissions.actions_in_view``) and over all its actions: judged by tracker.progress
    over each action's history condensed to its figures kept on write, read from the loaded
    actions (``condensed.kept_now``, no query; tests/progress/test_condensed.py proves the
    figures equal), so the page loads no update but its timeline's page. Each action state's
    ``latest_update`` is the condensed one standing for the history."""
    whole = fact_with_updates(rec, {aid: (fact,) for aid, fact in
                                    condensed.kept_now(rec.actions).items()})
    seen = {a.id for a in actions}
    scoped = whole if seen == {a.id for a in whole.actions} else replace(
        whole, actions=tuple(a for a in whole.actions if a.id in seen))
    whole_state = progress.recommendation_state(whole, today=today)
    return (whole_state if scoped is whole
            else progress.recommendation_state(scoped, today=today)), whole_state


def action_states_now(actions: Sequence[Any], *, today: dt.date) -> dict[int, ActionState | None]:
    """Today's state of each of ``actions`` (rows with an action's id, owner_id, created_at,
    due_on and withdrawn_at, and its figures kept on write: status, rag, current_due_on,
    latest_update_id and latest_update_at), judged by tracker.progress over each history
    condensed to those kept figures (``condensed.kept_now``, no query):
    tests/progress/test_condensed.py proves them equal to the history condensed in the
    database. Each state's ``latest_update`` is the condensed one standing for the history,
    not the update itself."""
    latest = condensed.kept_now(actions)
    return {a.id: progress.action_state(ActionFact(
        id=a.id, owner_id=a.owner_id, created_at=a.created_at, due_on=a.due_on,
        updates=(latest[a.id],) if a.id in latest else (),
        withdrawn_at=a.withdrawn_at), today=today) for a in actions}


def load(query: sa.Select[Any] | None = None, options: Sequence[Any] = STATE_LOAD
         ) -> list[Recommendation]:
    """Recommendations of ``query`` (default: all not withdrawn) with what their states need."""
    if query is None:
        query = sa.select(Recommendation).where(Recommendation.withdrawn_at.is_(None))
    return list(db.session.scalars(query.options(*options)).unique())


def load_shown(query: sa.Select[Any]) -> list[Recommendation]:
    """:func:`load` with ``SHOW_LOAD``, asking fewer questions: whether each recommendation
    has any of each collection of ``SHOWN_IF_ANY`` is asked by the query that loads it
    (EXISTS), and only a collection with rows is loaded (:func:`fill`); the others are set
    empty. Most recommendations have none of most of them, and each query saved is about a
    millisecond on PostgreSQL."""
    rows = db.session.execute(query.add_columns(*_shown_flags()).options(*SHOW_JOINED)).unique()
    found = [(rec, has) for rec, *has in rows]
    for n, (collection, options) in enumerate(SHOWN_IF_ANY):
        fill([(rec, has[n]) for rec, has in found], collection, options)
    return [rec for rec, _ in found]


@functools.cache
def _shown_flags() -> tuple[Any, ...]:
    """Whether a recommendation has any of each of ``SHOWN_IF_ANY`` (built once)."""
    return tuple(collection.any() for collection, _ in SHOWN_IF_ANY)


def fill(parents: Sequence[tuple[Any, bool]], collection: Any,
         options: Sequence[Any] = ()) -> None:
    """Set the one-to-many ``collection`` of each of ``parents`` (each with whether it has
    any, as asked beside it) as loaded: of those that have, read in one query (none when
    none has), in the relationship's order; empty for the others, asking nothing."""
    relation = collection.property
    [(local, remote)] = relation.local_remote_pairs
    parent_key = relation.parent.get_property_by_column(local).key
    child_key = relation.mapper.get_property_by_column(remote).key
    found: dict[Any, list[Any]] = {getattr(p, parent_key): [] for p, has in parents if has}
    if found:
        for child in db.session.scalars(
                sa.select(relation.mapper).where(remote.in_(list(found)))
                .order_by(*(relation.order_by or ())).options(*options)).unique():
            found[getattr(child, child_key)].append(child)
    for parent, _ in parents:
        set_committed_value(parent, relation.key, found.get(getattr(parent, parent_key), []))


def load_by_ids(ids: Sequence[int], options: Sequence[Any] = LIST_LOAD) -> list[Recommendation]:
    """Recommendations with these ids, in the order given."""
    if not ids:
        return []
    found = {r.id: r for r in load(sa.select(Recommendation).where(Recommendation.id.in_(ids)),
                                   options)}
    return [found[i] for i in ids if i in found]


def load_one(recommendation_id: int, options: Sequence[Any] = PAGE_LOAD) -> Recommendation | None:
    found = load(sa.select(Recommendation).where(Recommendation.id == recommendation_id), options)
    return found[0] if found else None


# --- roll-ups: decision parts and decisions ----------------------------------------------------
@dataclass(frozen=True)
class Row:
    """A recommendation with its computed state (None: not shown as at the date)."""
    rec: Recommendation
    state: RecommendationState | None

    @property
    def tag(self) -> tuple[str, str]:
        return rec_tag(self.state)


@dataclass(frozen=True)
class PartProgress:
    part_id: int
    rows: tuple[Row, ...]
    total: Rollup

    @property
    def tag(self) -> tuple[str, str]:
        return rollup_tag(self.total)

    @property
    def share_words(self) -> str:
        return progress.format_share(self.total.share)


def part_progress(part: DecisionPart, *, today: dt.date,
                  as_at: dt.date | None = None) -> PartProgress:
    return parts_progress(part.decision_id, (part.id,), today=today, as_at=as_at)[part.id]


def parts_progress(decision_id: int, part_ids: Sequence[int], *, today: dt.date,
                   as_at: dt.date | None = None) -> dict[int, PartProgress]:
    """Each of these parts of the decision with its progress (an empty one for a part with
    no recommendation shown), in one load."""
    found = decision_progress(decision_id, today=today, as_at=as_at, part_ids=part_ids)
    return {pid: found.get(pid) or PartProgress(pid, (), progress.rollup(()))
            for pid in part_ids}


def decision_progress(decision_id: int, *, today: dt.date, as_at: dt.date | None = None,
                      part_ids: Sequence[int] | None = None) -> dict[int, PartProgress]:
    """Each part's recommendations with their states and the part's roll-up, in one load.
    As at today (``as_at`` None) the states are read from the kept roll-ups
    (``rollups.states_now``: figures only, no action states), else judged from history."""
    condition = Recommendation.part_id.in_(
        sa.select(DecisionPart.id).where(DecisionPart.decision_id == decision_id))
    if part_ids is not None:
        condition = sa.and_(condition, Recommendation.part_id.in_(part_ids))
    recs = load(sa.select(Recommendation).where(condition)
                .order_by(Recommendation.position, Recommendation.id),
                (joinedload(Recommendation.owner),
                 joinedload(Recommendation.owner_organisation).joinedload(Organisation.lead)))
    if as_at is None:
        states = rollups.states_now(sa.select(Recommendation.id).where(condition),
                                    {rec.id: rec.source for rec in recs},
                                    today=today) if recs else {}
    else:
        states = states_where(condition, today=today, as_at=as_at)
    by_part: dict[int, list[Row]] = {}
    for rec in recs:
        state = states.get(rec.id)
        if state is not None:
            by_part.setdefault(rec.part_id or 0, []).append(Row(rec, state))
    return {pid: PartProgress(pid, tuple(rows), progress.rollup(r.state for r in rows))
            for pid, rows in by_part.items()}


# --- words for tags (presentation only) -------------------------------------------------------
def rec_tag(state: RecommendationState | None) -> tuple[str, str]:
    """(colour, words) of a recommendation's status tag."""
    if state is None:
        return "grey", "Not recorded yet"
    if state.label == progress.STATE_NOT_ACCEPTED:
        return "grey", progress.LABELS[progress.STATE_NOT_ACCEPTED]
    if state.label == progress.STATE_IN_PROGRESS:
        return state.rag or "grey", f"In progress: {progress.LABELS[state.rag or 'grey']}"
    return state.rag or "grey", progress.LABELS[state.label]


def rollup_tag(total: Rollup) -> tuple[str, str]:
    if total.label == progress.STATE_IN_PROGRESS:
        return total.rag, f"In progress: {progress.LABELS[total.rag]}"
    return total.rag, progress.LABELS[total.label]


def action_tag(state: ActionState | None) -> tuple[str, str]:
    """(colour, words): "Overdue" in red, "Complete" in blue, a cancelled action grey with
    its word (it is left out of every total), else the RAG's own name."""
    if state is None:
        return "grey", "Not recorded yet"
    if state.status == progress.STATUS_CANCELLED:
        return "grey", "Cancelled: not counted"
    if state.overdue:
        return "red", "Overdue"
    return state.rag or "grey", progress.LABELS[state.rag or progress.RAG_GREY]


def share_words(state: RecommendationState | None) -> str:
    return progress.format_share(state.share if state else None)
