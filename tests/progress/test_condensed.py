"""What the database condenses or counts for speed equals what the rules of progress compute
from the whole history, over generated histories, on SQLite and on PostgreSQL.

* an action's history condensed in SQL to one update (``condensed.latest_updates``, which
  ``facts.states_where`` and the committee report read) gives every recommendation and action
  the state ``progress.recommendation_state`` gives from every update, as at any date; as
  at now, loaded actions' kept figures (``condensed.kept_now``) give the same facts;
* the updates kept for the weekly series (``condensed.count_changes``) give the series
  ``progress_series.actions_complete_by_week`` gives from every update;
* each action's status and current due date kept on write, and the overdue filter in SQL
  on them (``recommendations.queries.overdue_clause``), follow ``progress.action_state``;
* adoption counted by phase in SQL (``schools.facts.counts_by_phase``), the school facts
  with repeated statuses left out (``schools.facts.school_facts``) and the weekly series over
  plain school rows (``schools.facts.school_rows``, ``dashboard.series.adoption_by_week``)
  give the adoption figures ``progress.adoption_figure`` / ``progress_series`` give from
  every event.

Times are drawn from a few instants per day, so ties (two updates recorded at the same
moment: "ties as given", in the order recorded) happen often.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.progress import histories
from tracker import progress, progress_series
from tracker.dashboard import figures, series
from tracker.models import (
    Action,
    Adoption,
    ExecutiveResponse,
    ImpactReview,
    ProgressUpdate,
    Recommendation,
    RecommendationClosure,
)
from tracker.progress import (
    ActionFact,
    AdoptionEventFact,
    ClosureEventFact,
    ImpactReviewFact,
    RecommendationFact,
    ResponseFact,
    SchoolFact,
    UpdateFact,
)
from tracker.recommendations import condensed, facts, kept
from tracker.recommendations.queries import overdue_clause
from tracker.recommendations.services import _refresh_cache
from tracker.schools import facts as school_facts
from tracker.schools import kept as adoption_kept

DB_SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
FIRST = histories.FIRST
TODAY = histories.TODAY

moments = histories.moments(600)
days = histories.days(700)
updates = st.tuples(moments, st.sampled_from(progress.ACTION_STATUSES),
                    st.sampled_from((*progress.ENTERED_RAGS, None)), st.none() | days)
actions = st.tuples(moments, days, st.none() | moments, st.lists(updates, max_size=7))
recommendations = st.tuples(
    st.sampled_from(progress.SOURCES), moments, st.none() | moments, st.none() | moments,
    st.lists(st.tuples(moments, st.sampled_from(progress.EXECUTIVE_RESPONSES)), max_size=2),
    st.lists(actions, max_size=4),
    # closing, re-opening, un-signing and review dates; impact reviews, confirmed or not
    st.lists(st.tuples(moments, st.sampled_from(progress.CLOSURE_EVENTS)), max_size=3),
    st.lists(st.tuples(moments, st.sampled_from(progress.JUDGEMENTS), st.none() | moments),
             max_size=2))
as_at_dates = st.none() | days.filter(lambda d: d <= TODAY)


def _store(db_session, make, drawn):
    """Rows for the drawn histories, and the facts of their whole history (updates in the
    order recorded, so ties are as given)."""
    part = make.part()
    confirmer = make.user(role="member")
    found = []
    for source, created, withdrawn, signed, responses, acts, steps, reviews in drawn:
        rec = Recommendation(part=part, source=source, reference="R", text="T",
                             created_at=created, withdrawn_at=withdrawn, signed_off_at=signed)
        db_session.add(rec)
        db_session.flush()  # its id, for "superseded by"
        closure_facts = []
        for when, kind in ([(signed, "signed_off")] if signed else []) + list(steps):
            db_session.add(RecommendationClosure(
                recommendation=rec, kind=kind, recorded_at=when, reason="Reason given.",
                risk_accepted_by="Director", superseded_by_id=None if kind != "superseded"
                else rec.id, review_on=date(2022, 6, 1) if kind == "review_date_set" else None))
            closure_facts.append(ClosureEventFact(
                recorded_at=when, kind=kind, superseded_by_id=None if kind != "superseded"
                else rec.id, review_on=date(2022, 6, 1) if kind == "review_date_set" else None))
        review_facts = []
        for when, judgement, confirmed in reviews:
            db_session.add(ImpactReview(recommendation=rec, recorded_at=when, narrative="N.",
                                        judgement=judgement, confirmed_at=confirmed,
                                        confirmed_by_id=confirmer.id if confirmed else None))
            review_facts.append(ImpactReviewFact(when, judgement, confirmed))
        response_facts = []
        for when, response in responses:
            db_session.add(ExecutiveResponse(recommendation=rec, response=response,
                                             reason="Reason.", recorded_at=when))
            response_facts.append(ResponseFact(recorded_at=when, response=response))
        action_rows = []
        for a_created, due, a_withdrawn, ups in acts:
            action = Action(recommendation=rec, title="A", due_on=due, current_due_on=due,
                            created_at=a_created, withdrawn_at=a_withdrawn)
            db_session.add(action)
            update_facts = []
            for when, status, rag, revised in ups:
                db_session.add(ProgressUpdate(
                    action=action, recorded_at=when, status=status, rag=rag,
                    revised_due_on=revised, reason="Reason.",
                    revised_due_reason="Reason." if revised else None))
                db_session.flush()  # ids in the order recorded
                update_facts.append(UpdateFact(recorded_at=when, status=status, rag=rag,
                                               revised_due_on=revised))
            action_rows.append((action, a_created, due, a_withdrawn, tuple(update_facts)))
        db_session.flush()
        # Kept on write, as the progress-update service keeps them (tracker.recommendations.kept)
        kept.refresh(db_session.connection(), [a.id for a, *_ in action_rows])
        found.append(RecommendationFact(
            id=rec.id, source=source, created_at=created,
            actions=tuple(ActionFact(id=a.id, owner_id=None, created_at=c, due_on=d,
                                     updates=u, withdrawn_at=w)
                          for a, c, d, w, u in action_rows),
            responses=tuple(response_facts), withdrawn_at=withdrawn,
            closures=tuple(closure_facts), impact_reviews=tuple(review_facts)))
    return found


def _comparable(state):
    """A state without ``latest_update`` (the condensed history's one update stands for the
    whole history; the report reads the real latest update beside it)."""
    if state is None:
        return None
    actions = tuple((a.id, a.status, a.rag, a.current_due_on, a.original_due_on, a.overdue,
                     a.counted) for a in state.action_states)
    return (state.label, state.rag, state.counted_actions, state.complete_actions, state.share,
            state.overdue_actions, state.response, state.awaiting_response, state.in_totals,
            state.sign_off, state.closure, state.impact, actions)


@DB_SETTINGS
@given(st.lists(recommendations, min_size=1, max_size=3), as_at_dates, days)
def test_condensed_histories_give_the_states_the_rules_give(db_session, make, drawn, as_at,
                                                            later):
    today = max(TODAY, later)
    nested = db_session.begin_nested()
    try:
        whole = _store(db_session, make, drawn)
        got = facts.states_where(Recommendation.id.in_([f.id for f in whole]), today=today,
                                 as_at=as_at)
        for fact in whole:
            expected = progress.recommendation_state(fact, today=today, as_at=as_at)
            assert _comparable(got[fact.id]) == _comparable(expected)
        cutoff = progress.cutoff_for(as_at)
        latest = condensed.latest_updates([a.id for f in whole for a in f.actions], cutoff)
        for fact in whole:
            for action in fact.actions:
                kept = [u for u in action.updates if progress.recorded_by(u.recorded_at, cutoff)]
                newest = max(range(len(kept)), key=lambda n: (kept[n].recorded_at, n),
                             default=None)
                if newest is None:
                    assert action.id not in latest
                else:
                    found = latest[action.id]
                    assert (found.recorded_at, found.status) == (
                        kept[newest].recorded_at, kept[newest].status)
        # As at now, the same facts read from the loaded actions' kept figures, no query
        # (condensed.kept_now: the recommendation page's states)
        ids = [a.id for f in whole for a in f.actions]
        db_session.expire_all()  # kept.refresh wrote the kept figures past the ORM
        loaded = db_session.scalars(sa.select(Action).where(Action.id.in_(ids))).all()
        assert condensed.kept_now(loaded) == {
            aid: found.fact() for aid, found in condensed.latest_updates(ids, None).items()}
    finally:
        nested.rollback()


@DB_SETTINGS
@given(st.lists(recommendations, min_size=1, max_size=3), as_at_dates)
def test_the_updates_kept_for_the_weekly_series_give_the_rules_series(db_session, make, drawn,
                                                                     as_at):
    as_at = as_at or TODAY
    nested = db_session.begin_nested()
    try:
        whole = _store(db_session, make, drawn)
        changes = condensed.count_changes([a.id for f in whole for a in f.actions],
                                          progress.cutoff_for(as_at))
        kept = [RecommendationFact(
            id=f.id, source=f.source, created_at=f.created_at, responses=f.responses,
            sign_off=f.sign_off, withdrawn_at=f.withdrawn_at, closures=f.closures,
            impact_reviews=f.impact_reviews,
            actions=tuple(ActionFact(id=a.id, owner_id=None, created_at=a.created_at,
                                     due_on=a.due_on, updates=changes.get(a.id, ()),
                                     withdrawn_at=a.withdrawn_at) for a in f.actions))
            for f in whole]
        start = FIRST
        assert progress_series.actions_complete_by_week(
            kept, start=start, as_at=as_at, today=TODAY) == \
            progress_series.actions_complete_by_week(whole, start=start, as_at=as_at,
                                                     today=TODAY)
    finally:
        nested.rollback()


schools = st.tuples(st.sampled_from((None, "Primary", "Secondary")), st.booleans(), moments,
                    st.none() | days, st.none() | moments,
                    st.lists(st.tuples(moments, st.sampled_from(progress.ADOPTION_STATUSES)),
                             max_size=4))


@DB_SETTINGS
@given(st.lists(schools, min_size=1, max_size=6), days.filter(lambda d: d <= TODAY))
def test_adoption_counted_in_sql_gives_the_rules_figures(db_session, make, drawn, as_at):
    nested = db_session.begin_nested()
    try:
        version = make.guidance_version()
        whole = []
        for phase, in_scope, created, open_date, closed, events in drawn:
            school = make.school(phase=phase, in_scope=in_scope, created_at=created,
                                 open_date=open_date, closed_recorded_at=closed)
            adoption = Adoption(school=school, guidance_version=version,
                                status=events[-1][1] if events else "not_started",
                                reason="Reason.", trained_on=date(2021, 1, 1))
            db_session.add(adoption)
            for when, status in events:  # ids in the order recorded
                adoption_kept.record_event(adoption, status=status, via="admin",
                                           recorded_at=when)
            whole.append(SchoolFact(
                id=school.id, phase=phase, in_scope=in_scope, recorded_at=created,
                open_date=open_date, closed_recorded_at=closed,
                adoption_events=tuple(AdoptionEventFact(recorded_at=w, status=s)
                                      for w, s in events)))
        counted = figures.adoption_by_phase_counted(
            "G", school_facts.counts_by_phase(version.id, as_at), as_at)
        assert counted == figures.adoption_by_phase(
            "G", [s for s in whole if s.in_scope], as_at)
        shortened = school_facts.school_facts(version.id)
        assert progress.adoption_figure(shortened, as_at=as_at) == \
            progress.adoption_figure(whole, as_at=as_at)
        expected = progress_series.adoption_by_week(whole, start=FIRST, as_at=as_at)
        assert progress_series.adoption_by_week(shortened, start=FIRST, as_at=as_at) == expected
        assert series.adoption_by_week(school_facts.school_rows(version.id), start=FIRST,
                                       as_at=as_at) == expected
    finally:
        nested.rollback()


def test_a_status_change_recorded_after_the_cut_off_is_not_condensed_in(db_session, make):
    """A worked example beside the properties: the complete update of 2 January is left out
    as at 1 January, and the RAG kept is the last one entered by then."""
    action = make.action(due_on=date(2021, 6, 30))
    for when, status, rag in ((datetime(2021, 1, 1, 9, tzinfo=UTC), "in_progress", "amber"),
                              (datetime(2021, 1, 1, 10, tzinfo=UTC), "paused", None),
                              (datetime(2021, 1, 2, 9, tzinfo=UTC), "complete", None)):
        make.update(action, recorded_at=when, status=status, rag=rag, reason="Waiting.")
    db_session.flush()
    found = condensed.latest_updates([action.id], progress.cutoff_for(date(2021, 1, 1)))
    assert (found[action.id].status, found[action.id].rag) == ("paused", "amber")
    changes = condensed.count_changes([action.id], None)
    assert [u.status for u in changes[action.id]] == ["complete"]


@DB_SETTINGS
@given(st.lists(actions, min_size=1, max_size=5), days)
def test_the_kept_action_figures_and_the_overdue_filter_follow_the_rules(db_session, make,
                                                                         drawn, today):
    """Each action's status and current due date kept on write (by the progress-update
    service's ``_refresh_cache``) and the overdue filter on them (``overdue_clause``) pick
    out exactly the actions ``progress.action_state`` judges overdue."""
    nested = db_session.begin_nested()
    try:
        rec = make.recommendation()
        judged = []
        for created, due, withdrawn, ups in drawn:
            action = Action(recommendation=rec, title="A", due_on=due, current_due_on=due,
                            status="not_started", created_at=created)
            db_session.add(action)
            for when, status, rag, revised in ups:
                db_session.add(ProgressUpdate(
                    action=action, recorded_at=when, status=status, rag=rag,
                    revised_due_on=revised, reason="Reason.",
                    revised_due_reason="Reason." if revised else None))
                db_session.flush()
            _refresh_cache(action, today)
            action.withdrawn_at = withdrawn
            db_session.flush()
            fact = ActionFact(id=action.id, owner_id=None, created_at=created, due_on=due,
                              withdrawn_at=withdrawn, updates=tuple(
                                  UpdateFact(recorded_at=w, status=s, rag=r, revised_due_on=v)
                                  for w, s, r, v in ups))
            judged.append((action, progress.action_state(fact, today=today), fact))
        overdue = set(db_session.scalars(sa.select(Action.id).where(
            Action.recommendation_id == rec.id, overdue_clause(today))))
        assert overdue == {a.id for a, state, _ in judged if state is not None and state.overdue}
        for action, _, fact in judged:
            live = progress.action_state(replace(fact, withdrawn_at=None), today=today)
            assert (action.status, action.current_due_on) == (live.status, live.current_due_on)
    finally:
        nested.rollback()
