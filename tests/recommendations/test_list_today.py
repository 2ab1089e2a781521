"""The recommendations list as at today (``queries.list_recommendations``: its rows as plain
rows, their states read from the kept roll-ups by ``rollups.states_now``, their due dates from
the actions' kept columns) shows what the rules of progress compute from each
recommendation's whole history, over generated histories, on SQLite and on PostgreSQL:

* each row's state is ``progress.recommendation_state`` over the whole history (label, RAG,
  actions counted, complete and overdue, share, response, impact, late), for every reader;
  a partner officer's judged over their agency's live actions alone;
* each row's due date is the one the page showed from the rules' action states: the latest
  current due date of its counted actions (in the reader's view), none when it has none;
* the page cut in SQL and the page sorted by status (the states of every match) agree;
* "overdue only" lists it when the rules count an overdue action (a partner officer's over
  their agency's actions);
* a withdrawn recommendation is not listed.
"""
from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from tests.progress.test_rollups import SETTINGS, TODAY, _comparable, _write, steps
from tracker import progress
from tracker.models import Recommendation
from tracker.permissions import PARTNER
from tracker.recommendations import facts, queries


def _due(state: progress.RecommendationState | None):
    """The due date the list showed from the rules' action states (before it read the kept
    columns): the latest current due date of the counted ones."""
    dues = [a.current_due_on for a in state.action_states if a.counted] if state else []
    return max(dues) if dues else None


def _listed(user, rec_id, sort, overdue=False):
    page = queries.list_recommendations(user, queries.Filters(sort=sort, overdue=overdue),
                                        today=TODAY, per_page=50)
    return {row.rec.id: row for row in page.rows}.get(rec_id)


@SETTINGS
@given(st.sampled_from(progress.SOURCES), steps, st.none() | st.just(True),
       st.lists(st.booleans(), min_size=6, max_size=6))
def test_the_lists_states_today_are_the_rules_over_the_whole_history(
        db_session, make, source, drawn, withdraw, theirs):
    nested = db_session.begin_nested()
    try:
        owner = make.user(role="admin")
        partner = make.user(role=PARTNER, name="Pat Partner")
        agency = make.organisation(members=[partner])
        rec = make.recommendation(source=source, owner=owner,
                                  created_at=datetime(2020, 12, 1, tzinfo=UTC))
        other = make.recommendation()
        db_session.flush()
        actions = []
        for step in drawn:
            _write(db_session, rec, other, step, actions)
        for n, action in enumerate(actions):  # some of its actions the partner's agency's
            action.owner_organisation_id = agency.id if theirs[n % len(theirs)] else None
        if withdraw:
            rec.withdrawn_at, rec.withdrawn_reason = datetime(2021, 6, 1, tzinfo=UTC), "Gone."
        db_session.flush()
        db_session.expire_all()
        whole = facts.load(sa.select(Recommendation).where(Recommendation.id == rec.id))[0]
        mine = [a for a in whole.actions
                if a.owner_organisation_id == agency.id and a.withdrawn_at is None]
        for reader, expected in (
                (owner, facts.state_of(whole, today=TODAY)),
                (make.user(role="member"), facts.state_of(whole, today=TODAY)),
                (partner, facts.state_of(whole, today=TODAY, actions=mine))):
            for sort in ("decision", "status", "due"):
                row = _listed(reader, rec.id, sort)
                if withdraw or (reader is partner and not mine):
                    assert row is None
                    continue
                assert row is not None and expected is not None
                assert _comparable(row.state) == _comparable(expected)
                assert row.due_on == _due(expected)
                assert row.tag == facts.rec_tag(expected)
                # "overdue only" (queries.overdue_clause): listed when the rules count an
                # overdue action in the reader's view
                overdue = _listed(reader, rec.id, sort, overdue=True)
                assert (overdue is not None) == (expected.overdue_actions > 0)
    finally:
        nested.rollback()


def test_a_cancelled_action_and_another_agencys_are_not_in_the_rows_due_date(db_session, make):
    """A worked example: the row's due date is the latest of its counted actions' (a
    cancelled action's later date left out), and a partner officer's is of their agency's
    actions alone; the states as the rules give them."""
    partner = make.user(role=PARTNER, name="Pat Partner")
    agency = make.organisation(members=[partner])
    rec = make.recommendation(created_at=datetime(2020, 12, 1, tzinfo=UTC))
    early = make.action(rec, due_on=date(2022, 3, 31), owner_organisation=agency)
    later = make.action(rec, due_on=date(2022, 6, 30))
    cancelled = make.action(rec, due_on=date(2022, 11, 30))
    make.update(later, status="in_progress", rag="amber",
                recorded_at=datetime(2022, 2, 1, tzinfo=UTC))
    make.update(cancelled, status="cancelled", rag=None, reason="No longer needed.",
                recorded_at=datetime(2022, 2, 1, tzinfo=UTC))
    db_session.flush()
    db_session.expire_all()
    whole = facts.load(sa.select(Recommendation).where(Recommendation.id == rec.id))[0]
    for reader, expected, due in (
            (make.user(role="admin"), facts.state_of(whole, today=TODAY), later.due_on),
            (partner, facts.state_of(whole, today=TODAY, actions=[
                a for a in whole.actions if a.id == early.id]), early.due_on)):
        for sort in ("decision", "status"):
            row = _listed(reader, rec.id, sort)
            assert _comparable(row.state) == _comparable(expected)
            assert row.due_on == _due(expected) == due


def test_overdue_only_by_the_day_each_open_actions_due_date_passes(db_session, make):
    """A worked example of "overdue only": an action due today is not overdue yet, one due
    yesterday is; a complete or cancelled action past its date is not; a recommendation
    whose roll-up was never kept is judged by its actions all the same."""
    from tracker.models import RecommendationRollup

    def rec_with(due, status=None):
        rec = make.recommendation(created_at=datetime(2020, 12, 1, tzinfo=UTC))
        action = make.action(rec, due_on=due)
        if status:
            make.update(action, status=status, rag=None if status == "cancelled" else "green",
                        reason="Done." if status == "cancelled" else None,
                        recorded_at=datetime(2022, 1, 1, tzinfo=UTC))
        return rec

    yesterday, today_ = date(2022, 12, 30), TODAY
    late = rec_with(yesterday)
    due_today = rec_with(today_)
    done = rec_with(date(2022, 1, 31), "complete")
    dropped = rec_with(date(2022, 1, 31), "cancelled")
    unkept = rec_with(yesterday)
    db_session.flush()
    db_session.execute(sa.delete(RecommendationRollup).where(
        RecommendationRollup.recommendation_id == unkept.id))
    admin = make.user(role="admin")
    page = queries.list_recommendations(admin, queries.Filters(overdue=True), today=TODAY,
                                        per_page=50)
    listed = {row.rec.id for row in page.rows}
    assert late.id in listed and unkept.id in listed
    assert not listed & {due_today.id, done.id, dropped.id}
    after = queries.list_recommendations(admin, queries.Filters(overdue=True),
                                         today=date(2023, 1, 1), per_page=50)
    assert due_today.id in {row.rec.id for row in after.rows}
