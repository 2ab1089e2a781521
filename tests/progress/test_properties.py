"""Properties the rules of progress keep for any history (hypothesis)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tracker.progress import (
    ACTION_STATUSES,
    ADOPTION_STATUSES,
    ENTERED_RAGS,
    EXECUTIVE_RESPONSES,
    SOURCES,
    CLOSURE_EVENTS,
    JUDGEMENTS,
    ActionFact,
    AdoptionEventFact,
    ClosureEventFact,
    ImpactReviewFact,
    RecommendationFact,
    ResponseFact,
    SchoolFact,
    SignOffFact,
    UpdateFact,
    adoption_figure,
    cutoff_for,
    format_share,
    recorded_by,
    recommendation_state,
    rollup,
    share_complete,
)

SETTINGS = settings(max_examples=100, deadline=None)
START, END = datetime(2021, 1, 1), datetime(2022, 12, 31)

moments = st.datetimes(min_value=START, max_value=END, timezones=st.just(UTC))
days = st.dates(min_value=START.date(), max_value=END.date())
updates = st.builds(
    UpdateFact,
    recorded_at=moments,
    status=st.sampled_from(ACTION_STATUSES),
    rag=st.sampled_from((*ENTERED_RAGS, None)),
    revised_due_on=st.none() | days,
)
actions = st.builds(
    ActionFact,
    id=st.integers(1, 10_000),
    owner_id=st.none() | st.integers(1, 20),
    created_at=moments,
    due_on=days,
    updates=st.lists(updates, max_size=6).map(tuple),
    withdrawn_at=st.none() | moments,
)
# closing, re-opening, un-signing and moving the review date, in any order and number
closures = st.builds(
    ClosureEventFact,
    recorded_at=moments,
    kind=st.sampled_from(CLOSURE_EVENTS),
    review_on=st.none() | days,
    superseded_by_id=st.none() | st.integers(1, 10_000),
)
impact_reviews = st.builds(
    ImpactReviewFact,
    recorded_at=moments,
    judgement=st.sampled_from(JUDGEMENTS),
    confirmed_at=st.none() | moments,
)
timetables = st.none() | st.sampled_from(("By April 2021", "31 March 2022", "Ongoing"))
recommendations = st.builds(
    RecommendationFact,
    id=st.integers(1, 10_000),
    source=st.sampled_from(SOURCES),
    created_at=moments,
    actions=st.lists(actions, max_size=6).map(tuple),
    responses=st.lists(st.builds(ResponseFact, moments, st.sampled_from(EXECUTIVE_RESPONSES),
                                 timetables),
                       max_size=3).map(tuple),
    sign_off=st.none() | st.builds(SignOffFact, moments),
    withdrawn_at=st.none() | moments,
    closures=st.lists(closures, max_size=5).map(tuple),
    impact_reviews=st.lists(impact_reviews, max_size=3).map(tuple),
)
schools = st.builds(
    SchoolFact,
    id=st.integers(1, 10_000),
    phase=st.sampled_from((None, "Primary", "Secondary")),
    in_scope=st.booleans(),
    recorded_at=moments,
    open_date=st.none() | days,
    closed_recorded_at=st.none() | moments,
    adoption_events=st.lists(st.builds(AdoptionEventFact, moments,
                                       st.sampled_from(ADOPTION_STATUSES)),
                             max_size=4).map(tuple),
)


@st.composite
def today_and_as_at(draw):
    today = draw(days)
    as_at = draw(st.none() | st.dates(min_value=START.date(), max_value=today))
    return today, as_at


def _share_ok(share):
    shown = format_share(share)
    if share is None:
        return shown == "\u2013"
    return 0 <= share <= 1 and shown.endswith("%") and 0 <= int(shown[:-1]) <= 100


@SETTINGS
@given(recommendations, today_and_as_at())
def test_never_complete_or_awaiting_sign_off_with_an_open_counted_action(rec, when):
    today, as_at = when
    state = recommendation_state(rec, today=today, as_at=as_at)
    assume(state is not None)
    open_counted = [a for a in state.action_states if a.status not in ("complete", "cancelled")]
    if state.label in ("complete", "awaiting_sign_off"):
        assert open_counted == []
        assert state.counted_actions == state.complete_actions > 0
    if state.label == "in_progress":
        assert open_counted
        assert state.rag in ("red", "amber", "grey", "green")


@SETTINGS
@given(st.lists(recommendations, max_size=6), today_and_as_at())
def test_shares_are_between_0_and_1_or_a_dash(recs, when):
    today, as_at = when
    states = [recommendation_state(rec, today=today, as_at=as_at) for rec in recs]
    for state in states:
        if state is not None:
            assert _share_ok(state.share)
            assert (state.share is None) == (state.counted_actions == 0)
    total = rollup(states)
    assert _share_ok(total.share)
    assert _share_ok(total.recommendation_share)
    assert sum(total.by_label.values()) == sum(state is not None for state in states)
    assert sum(total.by_rag.values()) == total.recommendations
    assert 0 <= total.complete_actions <= total.counted_actions


@SETTINGS
@given(st.integers(0, 10_000), st.integers(0, 10_000))
def test_share_of_any_counts_formats_within_0_and_100(a, b):
    complete, counted = min(a, b), max(a, b)
    share = share_complete(complete, counted)
    assert _share_ok(share)
    assert (format_share(share) == "100%") == (counted > 0 and complete == counted)
    assert (format_share(share) == "0%") == (counted > 0 and complete == 0)


BEFORE = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2020, 6, 30),
                      timezones=st.just(UTC))
early_recommendations = st.builds(
    RecommendationFact,
    id=st.integers(1, 10_000),
    source=st.sampled_from(SOURCES),
    created_at=BEFORE,
    actions=st.lists(st.builds(ActionFact, id=st.integers(1, 10_000), owner_id=st.none(),
                               created_at=BEFORE, due_on=st.dates(date(2020, 1, 1), END.date()),
                               updates=st.lists(updates, min_size=1, max_size=6).map(tuple),
                               withdrawn_at=st.none() | moments),
                     max_size=6).map(tuple),
    responses=st.lists(st.builds(ResponseFact, BEFORE, st.sampled_from(EXECUTIVE_RESPONSES)),
                       max_size=2).map(tuple),
    sign_off=st.none() | st.builds(SignOffFact, BEFORE),
)


@SETTINGS
@given(early_recommendations, st.dates(date(2020, 7, 1), date(2020, 12, 31)),
       st.integers(0, 30))
def test_as_at_a_date_before_any_update_shows_nothing_started(rec, as_at, later):
    # every update is recorded from 2021 on, and everything else by 30 June 2020
    state = recommendation_state(rec, today=as_at + timedelta(days=later), as_at=as_at)
    assert state.complete_actions == 0
    assert state.counted_actions == len(rec.actions) == len(state.action_states)
    assert state.share == (Fraction(0) if rec.actions else None)
    assert format_share(state.share) == ("0%" if rec.actions else "\u2013")
    assert state.label not in ("complete", "awaiting_sign_off")
    for action in state.action_states:
        assert action.status == "not_started"
        assert action.latest_update is None
        assert action.current_due_on == action.original_due_on
        assert action.rag == ("red" if action.overdue else "grey")


@SETTINGS
@given(recommendations)
def test_as_at_today_reads_the_same_as_now_once_everything_is_recorded(rec):
    today = date(2023, 1, 1)  # after every generated moment
    assert recommendation_state(rec, today=today, as_at=today) == recommendation_state(
        rec, today=today)


@SETTINGS
@given(recommendations, st.randoms(use_true_random=False), today_and_as_at())
def test_the_order_facts_are_given_in_does_not_matter_when_times_differ(rec, rnd, when):
    for action in rec.actions:
        assume(len({u.recorded_at for u in action.updates}) == len(action.updates))
    assume(len({r.recorded_at for r in rec.responses}) == len(rec.responses))
    events = [*rec.closures, *([rec.sign_off] if rec.sign_off else [])]
    assume(len({e.recorded_at for e in events}) == len(events))
    assume(len({r.confirmed_at for r in rec.impact_reviews}) == len(rec.impact_reviews))
    shuffled = RecommendationFact(
        rec.id, rec.source, rec.created_at,
        actions=tuple(ActionFact(a.id, a.owner_id, a.created_at, a.due_on,
                                 tuple(rnd.sample(a.updates, len(a.updates))), a.withdrawn_at)
                      for a in rec.actions),
        responses=tuple(rnd.sample(rec.responses, len(rec.responses))),
        sign_off=rec.sign_off, withdrawn_at=rec.withdrawn_at,
        closures=tuple(rnd.sample(rec.closures, len(rec.closures))),
        impact_reviews=tuple(rnd.sample(rec.impact_reviews, len(rec.impact_reviews))),
    )
    today, as_at = when
    assert recommendation_state(shuffled, today=today, as_at=as_at) == recommendation_state(
        rec, today=today, as_at=as_at)


@SETTINGS
@given(st.lists(schools, max_size=12), days)
def test_adoption_share_is_between_0_and_1(every, as_at):
    figure = adoption_figure(every, as_at=as_at)
    assert 0 <= figure.adopted <= figure.in_scope_open <= len(every)
    assert sum(figure.by_status.values()) == figure.in_scope_open
    assert _share_ok(figure.share)
    assert (figure.share is None) == (figure.in_scope_open == 0)


def _as_recorded_by(rec, cutoff):
    """``rec`` with only what had been recorded by ``cutoff``: later closing, re-opening,
    un-signing, reviews, confirmations, responses and updates dropped."""
    def kept(items):
        return tuple(item for item in items if recorded_by(item.recorded_at, cutoff))

    def gone(moment):
        return moment if moment is not None and recorded_by(moment, cutoff) else None

    return RecommendationFact(
        rec.id, rec.source, rec.created_at,
        actions=tuple(ActionFact(a.id, a.owner_id, a.created_at, a.due_on, kept(a.updates),
                                 gone(a.withdrawn_at)) for a in rec.actions),
        responses=kept(rec.responses),
        sign_off=rec.sign_off if rec.sign_off and recorded_by(rec.sign_off.recorded_at,
                                                              cutoff) else None,
        withdrawn_at=gone(rec.withdrawn_at), closures=kept(rec.closures),
        impact_reviews=tuple(ImpactReviewFact(r.recorded_at, r.judgement, gone(r.confirmed_at))
                             for r in kept(rec.impact_reviews)))


@SETTINGS
@given(recommendations, today_and_as_at())
def test_as_at_reads_closing_re_opening_and_un_signing_as_they_stood(rec, when):
    # whatever was recorded after the date (a re-opening, an undone sign-off, a closure, a
    # confirmation) changes nothing as at that date
    today, as_at = when
    assume(as_at is not None)
    cut = _as_recorded_by(rec, cutoff_for(as_at))
    assert recommendation_state(cut, today=today, as_at=as_at) == recommendation_state(
        rec, today=today, as_at=as_at)


@SETTINGS
@given(recommendations, today_and_as_at())
def test_closed_implemented_and_impact_keep_to_their_rules(rec, when):
    today, as_at = when
    state = recommendation_state(rec, today=today, as_at=as_at)
    assume(state is not None)
    closed_other = state.closure is not None and state.closure.kind != "signed_off"
    if state.label != "not_accepted":
        assert closed_other == (state.label in ("superseded", "closed_not_implemented",
                                                "withdrawn"))
    if closed_other:
        assert (state.rag, state.in_totals, state.impact, state.late) == (None, False, None,
                                                                          False)
    assert (state.impact is not None) == (state.label == "complete")
    if state.label == "complete":
        assert state.sign_off is not None and state.closure.kind == "signed_off"
        assert state.closure.review_on is not None
    total = rollup([state])
    assert total.impact_evidenced <= total.implemented == total.recommendations_complete
    assert total.implemented + total.late <= total.recommendations


@SETTINGS
@given(recommendations, st.sampled_from(("risk_accepted", "superseded", "withdrawn",
                                         "signed_off")), today_and_as_at())
def test_re_opening_after_any_closure_leaves_it_open(rec, kind, when):
    today, _ = when
    last = max([rec.created_at, *(e.recorded_at for e in rec.closures),
                *([rec.sign_off.recorded_at] if rec.sign_off else [])])
    closed = ClosureEventFact(last + timedelta(hours=1), kind)
    reopened = ClosureEventFact(last + timedelta(hours=2), "reopened")
    fact = RecommendationFact(rec.id, rec.source, rec.created_at, rec.actions, rec.responses,
                              rec.sign_off, None, (*rec.closures, closed, reopened),
                              rec.impact_reviews)
    later = date(2023, 1, 1)
    state = recommendation_state(fact, today=later)
    assert state.closure is None and state.sign_off is None and state.impact is None
    assert state.label in ("not_accepted", "no_actions", "in_progress", "awaiting_sign_off")
