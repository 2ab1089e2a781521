"""Figures kept on write (``tracker.recommendations.kept``) equal what the rules of progress
compute from the whole history, over generated histories, on SQLite and on PostgreSQL.

Updates are recorded in a random order (a backdated update lands before others already
recorded), and actions and recommendations may be withdrawn. After each update the
progress-update service's writer keeps the figures (``services._refresh_cache``); then:

* each action's kept status, entered RAG, current due date and latest update are the rules'
  (``progress.action_state`` over every update), its kept completion moment is
  ``progress.completed_at`` over every update (on the London day ``progress.completed_on``
  gives), its kept days to complete and "by its original due date" are what
  ``progress.ageing`` counts of it from its history, every kept figure is checked, and the backfill (``kept.refresh``, the
  migration's) finds nothing to change;
* the states the pages read (``facts.states_where``: kept figures for actions not updated
  since the cut-off, the history condensed in SQL for the others) equal
  ``progress.recommendation_state`` over the whole history, now and as at any date.
"""
from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.progress import histories
from tracker import progress
from tracker.models import Action, ProgressUpdate, Recommendation
from tracker.progress import ActionFact, RecommendationFact, UpdateFact
from tracker.recommendations import facts, kept
from tracker.recommendations.services import _refresh_cache

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
FIRST = histories.FIRST
TODAY = histories.TODAY

moments = histories.moments(600)
days = histories.days(700)
updates = st.tuples(moments, st.sampled_from(progress.ACTION_STATUSES),
                    st.sampled_from((*progress.ENTERED_RAGS, None)), st.none() | days)
# (created, due, withdrawn, updates in the order they are RECORDED, not their recorded_at)
actions = st.tuples(moments, days, st.none() | moments, st.lists(updates, max_size=6))


def _comparable(state):
    if state is None:
        return None
    return (state.label, state.rag, state.counted_actions, state.complete_actions, state.share,
            state.overdue_actions, state.in_totals,
            tuple((a.id, a.status, a.rag, a.current_due_on, a.original_due_on, a.overdue,
                   a.counted) for a in state.action_states))


def _completion(fact, live):
    """``progress.ageing``'s figures of one complete action, as it finds them from history:
    the days taken and whether by the original due date (None, None when not complete)."""
    if live.status != progress.STATUS_COMPLETE:
        return {"days_to_complete": None, "completed_by_due": None}
    point = progress.ageing((RecommendationFact(
        id=0, source=progress.SOURCE_REVIEW, created_at=fact.created_at,
        actions=(ActionFact(id=fact.id, owner_id=None, created_at=fact.created_at,
                            due_on=fact.due_on, updates=fact.updates),)),), today=TODAY)
    assert point.complete_actions == 1
    return {"days_to_complete": int(point.average_days_to_complete),
            "completed_by_due": point.complete_by_original_due == 1}


@SETTINGS
@given(st.lists(actions, min_size=1, max_size=4), st.none() | moments,
       st.none() | days.filter(lambda d: d <= TODAY))
def test_kept_figures_are_the_rules_over_the_whole_history(db_session, make, drawn,
                                                           rec_withdrawn, as_at):
    nested = db_session.begin_nested()
    try:
        rec = make.recommendation(created_at=datetime(2020, 12, 1, tzinfo=UTC),
                                  withdrawn_at=rec_withdrawn)
        action_facts = []
        for created, due, withdrawn, ups in drawn:
            action = Action(recommendation=rec, title="A", due_on=due, current_due_on=due,
                            status="not_started", created_at=created)
            db_session.add(action)
            db_session.flush()
            recorded = []
            for when, status, rag, revised in ups:
                row = ProgressUpdate(action=action, recorded_at=when, status=status, rag=rag,
                                     revised_due_on=revised, reason="Reason.",
                                     revised_due_reason="Reason." if revised else None)
                db_session.add(row)
                _refresh_cache(action, TODAY)  # the service's writer, after each update
                recorded.append((row, UpdateFact(recorded_at=when, status=status, rag=rag,
                                                 revised_due_on=revised)))
            action.withdrawn_at = withdrawn
            db_session.flush()
            fact = ActionFact(id=action.id, owner_id=None, created_at=created, due_on=due,
                              withdrawn_at=withdrawn, updates=tuple(u for _, u in recorded))
            action_facts.append(fact)
            live = progress.action_state(ActionFact(
                id=action.id, owner_id=None, created_at=created, due_on=due,
                updates=fact.updates), today=date.min)
            newest = max(recorded, key=lambda pair: (pair[1].recorded_at, pair[0].id),
                         default=None)
            expected = {
                "status": live.status, "current_due_on": live.current_due_on,
                "rag": live.rag if live.rag in progress.ENTERED_RAGS else None,
                "latest_update_id": newest[0].id if newest else None,
                "latest_update_at": newest[1].recorded_at if newest else None,
                "completed_at": progress.completed_at(fact.updates),
                # what progress.ageing_of counts of a complete action (it judges every one)
                **_completion(fact, live)}
            assert set(expected) == set(kept.Kept._fields)  # every kept figure is checked
            assert {name: getattr(action, name) for name in expected} == expected
            assert (action.completed_at is None) == (live.status != progress.STATUS_COMPLETE)
            done = progress.completed_on(fact)
            assert done == (progress.london_today(action.completed_at)
                            if action.completed_at else None)
        assert kept.refresh(db_session.connection(), [a.id for a in action_facts]) == 0
        whole = RecommendationFact(id=rec.id, source=rec.source, created_at=rec.created_at,
                                   actions=tuple(action_facts), withdrawn_at=rec_withdrawn)
        got = facts.states_where(Recommendation.id == rec.id, today=TODAY, as_at=as_at)
        expected = progress.recommendation_state(whole, today=TODAY, as_at=as_at)
        assert _comparable(got[rec.id]) == _comparable(expected)
    finally:
        nested.rollback()


def test_the_backfill_keeps_figures_for_rows_loaded_without_them(db_session, make):
    """A worked example: rows loaded in bulk (as the migration finds them, or a bench data
    set) carry no kept figures until ``kept.refresh`` computes them by the rules; a
    backdated update does not become the latest."""
    action = make.action(due_on=date(2021, 6, 30))
    for when, status, rag, revised in (
            (datetime(2021, 3, 1, 9, tzinfo=UTC), "in_progress", "amber", date(2021, 9, 30)),
            (datetime(2021, 2, 1, 9, tzinfo=UTC), "paused", "red", None)):
        db_session.add(ProgressUpdate(action=action, recorded_at=when, status=status, rag=rag,
                                      revised_due_on=revised, reason="Waiting.",
                                      revised_due_reason="Later." if revised else None))
    db_session.flush()
    assert (action.status, action.latest_update_id) == ("not_started", None)
    assert kept.refresh(db_session.connection(), [action.id]) == 1
    db_session.expire(action)
    assert (action.status, action.rag, action.current_due_on, action.latest_update_at) == (
        "in_progress", "amber", date(2021, 9, 30), datetime(2021, 3, 1, 9, tzinfo=UTC))
    assert kept.refresh(db_session.connection(), [action.id]) == 0


def _update(action, when, status):
    return ProgressUpdate(action=action, recorded_at=when, status=status, rag=None,
                          narrative="", reason="Reason.")


def test_a_backdated_complete_update_keeps_the_moment_of_its_run(db_session, make):
    """A worked example: "complete" recorded, then a "complete" update backdated before it
    (and after an "in progress"), then one backdated before that "in progress": the kept
    moment is the first of the last unbroken run of "complete" updates, by recorded time,
    not the order the updates were entered in."""
    action = make.action(due_on=date(2021, 6, 30))
    at = {day: datetime(2021, 3, day, 9, tzinfo=UTC) for day in range(1, 31)}
    steps = ((at[20], "complete", at[20]), (at[10], "in_progress", at[20]),
             (at[15], "complete", at[15]), (at[5], "complete", at[15]))
    for when, status, moment in steps:
        db_session.add(_update(action, when, status))
        _refresh_cache(action, TODAY)
        assert action.completed_at == moment
    assert kept.refresh(db_session.connection(), [action.id]) == 0


def test_a_reopened_action_keeps_the_moment_it_was_completed_again(db_session, make):
    """Complete, reopened (in progress), complete again: the moment of the second completion;
    while reopened, none. The backfill, from rows loaded without it, gives the same."""
    action = make.action(due_on=date(2021, 6, 30))
    at = [datetime(2021, 3, day, 9, tzinfo=UTC) for day in (1, 2, 3, 4)]
    for when, status, moment in ((at[0], "complete", at[0]), (at[1], "complete", at[0]),
                                 (at[2], "in_progress", None), (at[3], "complete", at[3])):
        db_session.add(_update(action, when, status))
        _refresh_cache(action, TODAY)
        assert action.completed_at == moment
    db_session.execute(sa.update(Action).where(Action.id == action.id)
                       .values(completed_at=None))
    assert kept.refresh(db_session.connection(), [action.id]) == 1
    db_session.expire(action)
    assert action.completed_at == at[3]
    assert progress.completed_on(ActionFact(
        id=action.id, owner_id=None, created_at=action.created_at, due_on=action.due_on,
        updates=tuple(UpdateFact(recorded_at=u.recorded_at, status=u.status, rag=None)
                      for u in action.updates))) == date(2021, 3, 4)


def test_days_to_complete_count_london_days(db_session, make):
    """A worked example at the edge of London days (British Summer Time): recorded at 23:30
    UTC on 30 June (1 July in London) and completed at 23:10 UTC on 1 July (2 July in
    London): one day taken, after its original due date of 1 July. Reopened, neither is
    kept; the backfill (``kept.refresh``, for rows loaded without them) gives the same."""
    action = make.action(due_on=date(2021, 7, 1),
                         created_at=datetime(2021, 6, 30, 23, 30, tzinfo=UTC))
    db_session.add(_update(action, datetime(2021, 7, 1, 23, 10, tzinfo=UTC), "complete"))
    _refresh_cache(action, TODAY)
    assert (action.days_to_complete, action.completed_by_due) == (1, False)
    db_session.execute(sa.update(Action).where(Action.id == action.id)
                       .values(days_to_complete=None, completed_by_due=None))
    assert kept.refresh(db_session.connection(), [action.id]) == 1
    db_session.expire(action)
    assert (action.days_to_complete, action.completed_by_due) == (1, False)
    db_session.add(_update(action, datetime(2021, 7, 2, 9, tzinfo=UTC), "in_progress"))
    _refresh_cache(action, TODAY)
    assert (action.days_to_complete, action.completed_by_due) == (None, None)
