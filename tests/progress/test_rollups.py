"""Each recommendation's roll-up kept on write (``tracker.recommendations.rollups``), judged on
read for today (``rollups.states_now``), equals what the rules of progress compute from the
whole history (``progress.recommendation_state``), over generated histories, on SQLite and on
PostgreSQL.

A history is written step by step as the services write it, in a random order of kinds and
times (a backdated update lands before others already recorded): actions added (some
withdrawn), progress updates (each action's own kept figures written by the service's writer),
executive responses (timetables naming a date, a month, or none), closing steps (sign-off,
superseded, risk accepted, withdrawn, re-opened, sign-off undone, a new review date) and
impact reviews (confirmed or not); the recommendation itself may be withdrawn. After every
step the flush keeps the roll-up; then, whatever the steps:

* today's state read from the kept roll-up equals the rules' over the whole history (label,
  RAG, actions counted, complete and overdue, share, response, impact, late);
* the backfill (``rollups.refresh``, the migration's) finds nothing to change.
"""
from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.progress import histories
from tracker import progress
from tracker.models import (
    Action,
    ExecutiveResponse,
    ImpactReview,
    ProgressUpdate,
    Recommendation,
    RecommendationClosure,
)
from tracker.recommendations import facts, rollups
from tracker.recommendations.services import _refresh_cache

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
FIRST = histories.FIRST
TODAY = histories.TODAY

moments = histories.moments(700)
days = histories.days(760)
update_steps = st.tuples(st.just("update"), moments,
                         st.sampled_from(progress.ACTION_STATUSES),
                         st.sampled_from((*progress.ENTERED_RAGS, None)), st.none() | days)
action_steps = st.tuples(st.just("action"), moments, days, st.none() | moments)
response_steps = st.tuples(st.just("response"), moments,
                           st.sampled_from(progress.EXECUTIVE_RESPONSES),
                           st.sampled_from((None, "Ongoing", "By April 2022", "31 March 2023",
                                            "June 2021 then 1 December 2022")))
closure_steps = st.tuples(st.just("closure"), moments, st.sampled_from(progress.CLOSURE_EVENTS),
                          st.none() | days)
review_steps = st.tuples(st.just("review"), moments, st.sampled_from(progress.JUDGEMENTS),
                         st.none() | st.integers(0, 90))
steps = st.lists(st.one_of(action_steps, action_steps, update_steps, update_steps,
                           update_steps, response_steps, closure_steps, review_steps),
                 max_size=14)


def _comparable(state):
    if state is None:
        return None
    return (state.id, state.source, state.label, state.rag, state.counted_actions,
            state.complete_actions, state.share, state.overdue_actions, state.response,
            state.awaiting_response, state.in_totals, state.impact, state.late,
            state.timetable_due_on)


def _write(db_session, rec, other, step, actions):
    """One step, written as a service would (the flush keeps the roll-up)."""
    kind, when, *rest = step
    if kind == "action":
        due, withdrawn = rest
        action = Action(recommendation=rec, title="A", due_on=due, current_due_on=due,
                        status="not_started", created_at=when, withdrawn_at=withdrawn,
                        withdrawn_reason="Reason." if withdrawn else None)
        db_session.add(action)
        actions.append(action)
    elif kind == "update" and actions:
        status, rag, revised = rest
        action = actions[when.day % len(actions)]
        db_session.add(ProgressUpdate(action=action, recorded_at=when, status=status, rag=rag,
                                      revised_due_on=revised, reason="Reason.",
                                      revised_due_reason="Reason." if revised else None))
        _refresh_cache(action, TODAY)  # the progress-update service's writer
    elif kind == "response":
        response, timetable = rest
        db_session.add(ExecutiveResponse(recommendation_id=rec.id, recorded_at=when,
                                         response=response, timetable=timetable,
                                         reason="Reason." if response != "accepted" else None))
    elif kind == "closure":
        event, review_on = rest
        if event == progress.EVENT_REVIEW_DATE and review_on is None:
            review_on = TODAY
        db_session.add(RecommendationClosure(
            recommendation_id=rec.id, recorded_at=when, kind=event, review_on=review_on,
            reason="Reason.", meeting="Cabinet", minute="12",
            superseded_by_id=other.id if event == progress.CLOSE_SUPERSEDED else None,
            risk_accepted_by="Cabinet" if event == progress.CLOSE_RISK_ACCEPTED else None))
    elif kind == "review":
        judgement, confirmed_after = rest
        confirmed = None if confirmed_after is None else when + timedelta(days=confirmed_after)
        db_session.add(ImpactReview(
            recommendation_id=rec.id, recorded_at=when, judgement=judgement,
            narrative="Evidence.", confirmed_at=confirmed,
            confirmed_by_id=rec.owner_id if confirmed else None))
    db_session.flush()


@SETTINGS
@given(st.sampled_from(progress.SOURCES), steps, st.none() | moments)
def test_kept_rollups_are_the_rules_over_the_whole_history(db_session, make, source, drawn,
                                                           withdrawn):
    nested = db_session.begin_nested()
    try:
        owner = make.user(role="admin")
        rec = make.recommendation(source=source, owner=owner,
                                  created_at=datetime(2020, 12, 1, tzinfo=UTC))
        other = make.recommendation()
        db_session.flush()
        actions: list[Action] = []
        for step in drawn:
            _write(db_session, rec, other, step, actions)
        if withdrawn is not None:
            rec.withdrawn_at, rec.withdrawn_reason = withdrawn, "Reason."
            db_session.flush()
        db_session.expire_all()
        whole = facts.load(sa.select(Recommendation).where(Recommendation.id == rec.id))[0]
        expected = facts.state_of(whole, today=TODAY)
        got = rollups.states_now(sa.select(Recommendation.id).where(Recommendation.id == rec.id),
                                 today=TODAY)
        assert _comparable(got[rec.id]) == _comparable(expected)
        assert rollups.refresh(db_session.connection(), [rec.id, other.id]) == 0
    finally:
        nested.rollback()


def test_a_new_overdue_day_turns_the_kept_rollup_red_on_read(db_session, make):
    """A worked example: nothing is written when an action's due date passes, yet today's
    state read from the kept roll-up is red, with the action counted overdue."""
    rec = make.recommendation()
    action = make.action(rec, due_on=date(2022, 6, 30))
    make.update(action, status="in_progress", rag="green",
                recorded_at=datetime(2022, 3, 1, 9, tzinfo=UTC))
    _refresh_cache(action, date(2022, 3, 1))
    db_session.flush()
    ids = sa.select(Recommendation.id).where(Recommendation.id == rec.id)
    before = rollups.states_now(ids, today=date(2022, 6, 30))[rec.id]
    after = rollups.states_now(ids, today=date(2022, 7, 1))[rec.id]
    assert (before.label, before.rag, before.overdue_actions) == ("in_progress", "green", 0)
    assert (after.label, after.rag, after.overdue_actions) == ("in_progress", "red", 1)
    assert rollups.refresh(db_session.connection(), [rec.id]) == 0


@st.composite
def recorded_states(draw):
    counted = draw(st.integers(0, 6))
    return progress.RecordedState(
        label=draw(st.sampled_from(progress.RECOMMENDATION_STATES)),
        rag=draw(st.none() | st.sampled_from(progress.RAG_SEVERITY)),
        counted_actions=counted, complete_actions=draw(st.integers(0, counted)),
        open_due_on=draw(st.none() | days), response=draw(
            st.none() | st.sampled_from(progress.EXECUTIVE_RESPONSES)),
        timetable_due_on=draw(st.none() | days), review_on=draw(st.none() | days),
        confirmed_impact=draw(st.none() | st.sampled_from(progress.IMPACT_STATES)))


@given(st.sampled_from(progress.SOURCES), recorded_states(), days, st.integers(0, 6))
def test_a_judged_state_is_the_dataclass_its_constructor_makes(source, recorded, day, overdue):
    """``progress.judged`` gives its frozen dataclass every field at once (``_made``, for
    speed): the state is the one ``RecommendationState(...)`` makes of the same fields,
    equal, hashed and printed alike, with no field missing or extra, and still frozen."""
    state = progress.judged(7, source, recorded, day=day, overdue_actions=overdue)
    names = [field.name for field in dataclasses.fields(progress.RecommendationState)]
    assert list(vars(state)) == names
    made = progress.RecommendationState(**{name: getattr(state, name) for name in names})
    assert state == made and hash(state) == hash(made) and repr(state) == repr(made)
    assert dataclasses.astuple(state) == dataclasses.astuple(made)
    with pytest.raises(dataclasses.FrozenInstanceError):
        state.label = progress.STATE_COMPLETE  # type: ignore[misc]
