"""One test (or parametrized group) per row of the "outcome, impact and closure" table in
tracker/progress.py's docstring (docs/rules-of-progress.md, "Closing and impact").

Expected values are literals, never computed by calling the module under test.
"""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from tracker.progress import (
    ActionFact,
    ClosureEventFact,
    ImpactReviewFact,
    RecommendationFact,
    ResponseFact,
    SignOffFact,
    UpdateFact,
    closure_as_at,
    default_review_on,
    impact_evidence_awaited,
    impact_state,
    is_late,
    months_after,
    outcome_problem,
    recommendation_state,
    rollup,
    timetable_due_on,
)

UTC = timezone.utc
TODAY = date(2022, 7, 1)


def utc(y, m, d, hh=12):
    return datetime(y, m, d, hh, tzinfo=UTC)


def done(id=1):
    return ActionFact(id=id, owner_id=None, created_at=utc(2021, 1, 4), due_on=date(2021, 6, 30),
                      updates=(UpdateFact(utc(2021, 3, 1), "complete", None),))


def working(id=1, due=date(2023, 1, 1)):
    return ActionFact(id=id, owner_id=None, created_at=utc(2021, 1, 4), due_on=due,
                      updates=(UpdateFact(utc(2021, 3, 1), "in_progress", "amber"),))


def ev(when, kind, **kw):
    return ClosureEventFact(recorded_at=when, kind=kind, **kw)


def rec(*actions, closures=(), reviews=(), source="review", responses=(), id=1):
    return RecommendationFact(id=id, source=source, created_at=utc(2021, 1, 4),
                              actions=tuple(actions), responses=tuple(responses),
                              closures=tuple(closures), impact_reviews=tuple(reviews))


def state(fact, today=TODAY, as_at=None):
    return recommendation_state(fact, today=today, as_at=as_at)


SIGNED = ev(utc(2021, 9, 15), "signed_off", meeting="Scrutiny, 13 September 2021", minute="27")


# ---- row: outcome before sign-off ---------------------------------------------------------
@pytest.mark.parametrize(("outcome", "measured", "expected"), [
    (None, "Audit", ("intended_outcome", "Record the intended outcome before signing off: "
                                         "what should be different for children")),
    ("  ", "Audit", ("intended_outcome", "Record the intended outcome before signing off: "
                                         "what should be different for children")),
    ("Fewer repeat referrals", None, ("how_measured", "Record how the outcome will be "
                                                      "measured before signing off")),
    ("Fewer repeat referrals", " ", ("how_measured", "Record how the outcome will be "
                                                     "measured before signing off")),
    ("Fewer repeat referrals", "Quarterly audit of 20 cases", None),
])
def test_sign_off_needs_the_intended_outcome_and_how_it_is_measured(outcome, measured, expected):
    assert outcome_problem(outcome, measured) == expected


# ---- row: closure as at D -----------------------------------------------------------------
@pytest.mark.parametrize(("events", "as_at", "kind"), [
    pytest.param([], None, None, id="never-closed"),
    pytest.param([SIGNED], None, "signed_off", id="signed-off"),
    pytest.param([SIGNED], date(2021, 9, 14), None, id="before-the-sign-off-was-recorded"),
    pytest.param([SIGNED, ev(utc(2021, 10, 1), "sign_off_undone")], None, None,
                 id="sign-off-undone"),
    pytest.param([SIGNED, ev(utc(2021, 10, 1), "sign_off_undone")], date(2021, 9, 30),
                 "signed_off", id="as-at-before-the-undoing"),
    pytest.param([ev(utc(2021, 9, 1), "risk_accepted"), ev(utc(2021, 10, 1), "sign_off_undone")],
                 None, "risk_accepted", id="undoing-leaves-another-closure"),
    pytest.param([ev(utc(2021, 9, 1), "superseded", superseded_by_id=9),
                  ev(utc(2021, 10, 1), "reopened")], None, None, id="re-opened"),
    pytest.param([ev(utc(2021, 9, 1), "withdrawn"), ev(utc(2021, 10, 1), "reopened"),
                  ev(utc(2021, 11, 1), "risk_accepted")], None, "risk_accepted",
                 id="re-opened-then-closed-again"),
    pytest.param([ev(utc(2021, 10, 1), "reopened"), ev(utc(2021, 9, 1), "withdrawn")], None, None,
                 id="order-recorded-not-order-given"),
    pytest.param([ev(utc(2021, 9, 1), "reopened")], None, None, id="re-opening-an-open-one"),
])
def test_closure_as_at_follows_the_events_recorded_by_the_cut_off(events, as_at, kind):
    from tracker.progress import cutoff_for

    found = closure_as_at(events, cutoff_for(as_at))
    assert (found.kind if found else None) == kind


def test_a_new_review_date_moves_only_a_sign_offs_review_date():
    moved = ev(utc(2021, 10, 1), "review_date_set", review_on=date(2022, 6, 30))
    assert closure_as_at([SIGNED, moved], None).review_on == date(2022, 6, 30)
    assert closure_as_at([SIGNED, moved], None).kind == "signed_off"
    assert closure_as_at([SIGNED, moved], None).recorded_at == utc(2021, 9, 15)
    assert closure_as_at([SIGNED, moved], None).minute == "27"
    assert closure_as_at([SIGNED, moved], None).meeting == "Scrutiny, 13 September 2021"
    risk = ev(utc(2021, 9, 1), "risk_accepted")
    assert closure_as_at([risk, moved], None).review_on is None
    assert closure_as_at([moved], None) is None


# ---- row: impact review date --------------------------------------------------------------
@pytest.mark.parametrize(("signed_at", "review_on"), [
    (utc(2021, 9, 15), date(2022, 3, 15)),
    (datetime(2021, 8, 31, 23, 30, tzinfo=UTC), date(2022, 3, 1)),  # 1 September in London
    (utc(2021, 8, 31, 9), date(2022, 2, 28)),                        # clamped to February
    (utc(2023, 8, 31, 9), date(2024, 2, 29)),                        # a leap year
])
def test_the_impact_review_falls_six_months_after_the_london_day_of_sign_off(signed_at,
                                                                            review_on):
    assert default_review_on(signed_at) == review_on
    assert closure_as_at([ev(signed_at, "signed_off")], None).review_on == review_on


def test_a_closure_keeps_what_was_recorded_with_it():
    superseded = ev(utc(2021, 9, 1), "superseded", superseded_by_id=9, meeting="Cabinet",
                    minute="12")
    from tracker.progress import Closure

    assert closure_as_at([superseded], None) == Closure(
        "superseded", utc(2021, 9, 1), "Cabinet", "12", None, 9)


def test_a_review_date_given_with_the_sign_off_is_kept():
    given = ev(utc(2021, 9, 15), "signed_off", review_on=date(2021, 12, 1))
    assert closure_as_at([given], None).review_on == date(2021, 12, 1)


@pytest.mark.parametrize(("day", "months", "expected"), [
    (date(2021, 1, 31), 1, date(2021, 2, 28)),
    (date(2021, 7, 15), 6, date(2022, 1, 15)),
    (date(2021, 12, 31), 2, date(2022, 2, 28)),
    (date(2021, 6, 30), 6, date(2021, 12, 30)),
    (date(2021, 11, 30), 1, date(2021, 12, 30)),
    (date(2021, 12, 31), 0, date(2021, 12, 31)),
    (date(2021, 10, 31), 1, date(2021, 11, 30)),
    (date(2023, 12, 31), 2, date(2024, 2, 29)),
])
def test_months_after_clamps_to_the_end_of_a_shorter_month(day, months, expected):
    assert months_after(day, months) == expected


# ---- row: closed another way --------------------------------------------------------------
@pytest.mark.parametrize(("kind", "label"), [
    ("superseded", "superseded"),
    ("risk_accepted", "closed_not_implemented"),
    ("withdrawn", "withdrawn"),
])
def test_closed_another_way_is_shown_as_such_and_left_out_of_every_total(kind, label):
    closed = state(rec(working(), closures=[ev(utc(2021, 9, 1), kind)]))
    assert (closed.label, closed.rag, closed.in_totals, closed.impact) == (
        label, None, False, None)
    total = rollup([closed, state(rec(done(), id=2))])
    assert (total.recommendations, total.counted_actions, total.recommendations_complete) == (
        1, 1, 0)
    assert (total.closed_not_implemented, total.superseded, total.withdrawn) == {
        "superseded": (0, 1, 0), "risk_accepted": (1, 0, 0), "withdrawn": (0, 0, 1)}[kind]
    assert total.by_label[label] == 1
    assert total.label == "awaiting_sign_off"


def test_not_accepted_is_shown_before_any_closure():
    refused = state(rec(closures=[ev(utc(2021, 9, 1), "withdrawn")], source="scrutiny",
                        responses=[ResponseFact(utc(2021, 1, 10), "not_accepted")]))
    assert refused.label == "not_accepted"


def test_a_re_opened_recommendation_counts_again_as_its_actions_say():
    reopened = state(rec(working(), closures=[ev(utc(2021, 9, 1), "risk_accepted"),
                                              ev(utc(2021, 10, 1), "reopened")]))
    assert (reopened.label, reopened.rag, reopened.in_totals, reopened.closure) == (
        "in_progress", "amber", True, None)
    as_it_stood = state(rec(working(), closures=[ev(utc(2021, 9, 1), "risk_accepted"),
                                                 ev(utc(2021, 10, 1), "reopened")]),
                        as_at=date(2021, 9, 30))
    assert as_it_stood.label == "closed_not_implemented"


# ---- row: implemented ---------------------------------------------------------------------
def test_implemented_is_signed_off_and_counted_apart_from_impact():
    signed = state(rec(done(), closures=[SIGNED]), today=date(2021, 10, 1))
    assert (signed.label, signed.rag, signed.impact) == ("complete", "blue", "implemented")
    assert signed.sign_off == SignOffFact(utc(2021, 9, 15), "Scrutiny, 13 September 2021", "27")
    total = rollup([signed, state(rec(done(), id=2), today=date(2021, 10, 1))])
    assert (total.implemented, total.impact_evidenced, total.recommendations_complete) == (
        1, 0, 1)


def test_an_undone_sign_off_is_awaiting_sign_off_again_but_was_implemented_as_at_then():
    undone = rec(done(), closures=[SIGNED, ev(utc(2021, 10, 1), "sign_off_undone")])
    assert (state(undone).label, state(undone).impact, state(undone).sign_off) == (
        "awaiting_sign_off", None, None)
    assert state(undone, as_at=date(2021, 9, 30)).label == "complete"


def test_a_sign_off_given_alone_still_counts_as_a_sign_off_event():
    alone = RecommendationFact(id=1, source="review", created_at=utc(2021, 1, 4),
                               actions=(done(),), sign_off=SignOffFact(utc(2021, 9, 15)))
    got = state(alone, today=date(2021, 10, 1))
    assert (got.label, got.impact, got.closure.review_on) == (
        "complete", "implemented", date(2022, 3, 15))


# ---- row: impact review due ---------------------------------------------------------------
@pytest.mark.parametrize(("today", "reviews", "impact"), [
    pytest.param(date(2022, 3, 14), (), "implemented", id="day-before-review-date"),
    pytest.param(date(2022, 3, 15), (), "impact_review_due", id="on-the-review-date"),
    pytest.param(date(2022, 3, 20), (ImpactReviewFact(utc(2022, 3, 16), "evidenced"),),
                 "impact_review_due", id="recorded-not-confirmed"),
    pytest.param(date(2022, 3, 20), (ImpactReviewFact(utc(2021, 9, 1), "evidenced",
                                                      utc(2021, 9, 2)),),
                 "impact_review_due", id="confirmed-before-the-sign-off-left-out"),
])
def test_impact_review_due_from_the_review_date_until_a_confirmed_review(today, reviews,
                                                                          impact):
    got = state(rec(done(), closures=[SIGNED], reviews=reviews), today=today)
    assert got.impact == impact


# ---- row: impact evidence awaited -----------------------------------------------------------
@pytest.mark.parametrize(("today", "reviews", "awaited"), [
    pytest.param(date(2022, 3, 14), (), False, id="review-not-due-yet"),
    pytest.param(date(2022, 3, 15), (), True, id="due-nothing-recorded"),
    pytest.param(date(2022, 3, 20), (ImpactReviewFact(utc(2022, 3, 16), "evidenced"),),
                 False, id="recorded-awaiting-confirmation"),
    pytest.param(date(2022, 3, 20), (ImpactReviewFact(utc(2021, 9, 1), "evidenced"),),
                 True, id="recorded-before-the-sign-off-left-out"),
    pytest.param(date(2022, 3, 20), (ImpactReviewFact(utc(2021, 9, 15), "partly_evidenced"),),
                 False, id="recorded-at-the-sign-off-counts"),
    pytest.param(date(2022, 3, 20), (ImpactReviewFact(utc(2022, 3, 16), "evidenced",
                                                      utc(2022, 3, 17)),),
                 False, id="confirmed"),
])
def test_impact_evidence_is_awaited_when_due_and_nothing_recorded_since_sign_off(
        today, reviews, awaited):
    fact = rec(done(), closures=[SIGNED], reviews=reviews)
    assert impact_evidence_awaited(state(fact, today=today), fact.impact_reviews) is awaited


def test_impact_evidence_is_not_awaited_of_a_recommendation_not_signed_off():
    fact = rec(working())
    assert impact_evidence_awaited(state(fact, today=date(2030, 1, 1)), ()) is False
    assert impact_evidence_awaited(None, ()) is False


def test_impact_state_is_none_unless_complete():
    from tracker.progress import Closure

    closure = Closure("signed_off", utc(2021, 9, 15), None, None, date(2022, 3, 15), None)
    assert impact_state("awaiting_sign_off", closure, (), TODAY, None) is None
    assert impact_state("complete", None, (), TODAY, None) is None
    assert impact_state("complete", closure, (), TODAY, None) == "impact_review_due"


# ---- row: impact evidenced ----------------------------------------------------------------
@pytest.mark.parametrize(("reviews", "as_at", "impact"), [
    pytest.param((ImpactReviewFact(utc(2022, 3, 16), "evidenced", utc(2022, 3, 20)),), None,
                 "impact_evidenced", id="confirmed-evidenced"),
    pytest.param((ImpactReviewFact(utc(2022, 3, 16), "partly_evidenced", utc(2022, 3, 20)),),
                 None, "impact_partly_evidenced", id="confirmed-partly"),
    pytest.param((ImpactReviewFact(utc(2022, 3, 16), "not_evidenced", utc(2022, 3, 20)),), None,
                 "impact_not_evidenced", id="confirmed-not-evidenced"),
    pytest.param((ImpactReviewFact(utc(2022, 3, 16), "evidenced", utc(2022, 3, 20)),),
                 date(2022, 3, 19), "impact_review_due", id="as-at-before-confirmation"),
    pytest.param((ImpactReviewFact(utc(2022, 3, 16), "not_evidenced", utc(2022, 3, 20)),
                  ImpactReviewFact(utc(2022, 5, 1), "evidenced", utc(2022, 5, 2))), None,
                 "impact_evidenced", id="latest-confirmed-wins"),
    pytest.param((ImpactReviewFact(utc(2022, 5, 1), "evidenced", utc(2022, 6, 2)),
                  ImpactReviewFact(utc(2022, 5, 2), "not_evidenced", utc(2022, 5, 3))), None,
                 "impact_evidenced", id="latest-by-confirmation"),
])
def test_impact_evidenced_only_after_a_confirmed_review_says_so(reviews, as_at, impact):
    got = state(rec(done(), closures=[SIGNED], reviews=reviews), as_at=as_at)
    assert got.impact == impact
    total = rollup([got])
    assert (total.implemented, total.impact_evidenced) == (
        1, 1 if impact == "impact_evidenced" else 0)


def test_re_opening_an_evidenced_recommendation_starts_its_review_again():
    reviews = (ImpactReviewFact(utc(2022, 3, 16), "evidenced", utc(2022, 3, 20)),)
    again = rec(done(), reviews=reviews, closures=[
        SIGNED, ev(utc(2022, 4, 1), "reopened"), ev(utc(2022, 4, 2), "signed_off")])
    assert state(again).impact == "implemented"
    assert state(again, as_at=date(2022, 3, 31)).impact == "impact_evidenced"


# ---- row: executive timetable -------------------------------------------------------------
@pytest.mark.parametrize(("text", "due_on"), [
    ("By April 2021", date(2021, 4, 30)),
    ("by 31 March 2022", date(2022, 3, 31)),
    ("By 1st Sept. 2021", date(2021, 9, 1)),
    ("February 2024", date(2024, 2, 29)),
    ("April 2021 to December 2022", date(2022, 12, 31)),
    ("By 31 February 2022", None),
    ("Ongoing", None),
    ("Audit to report by summer", None),
    ("Within 2022", None),
    ("", None),
    (None, None),
])
def test_the_executive_timetable_is_the_last_date_it_names(text, due_on):
    assert timetable_due_on(text) == due_on


# ---- row: late scrutiny recommendation ----------------------------------------------------
@pytest.mark.parametrize(("source", "label", "due_on", "day", "late"), [
    ("scrutiny", "in_progress", date(2021, 4, 30), date(2021, 5, 1), True),
    ("scrutiny", "in_progress", date(2021, 4, 30), date(2021, 4, 30), False),
    ("scrutiny", "awaiting_sign_off", date(2021, 4, 30), date(2021, 5, 1), True),
    ("scrutiny", "no_actions", date(2021, 4, 30), date(2021, 5, 1), True),
    ("scrutiny", "complete", date(2021, 4, 30), date(2021, 5, 1), False),
    ("scrutiny", "not_accepted", date(2021, 4, 30), date(2021, 5, 1), False),
    ("scrutiny", "withdrawn", date(2021, 4, 30), date(2021, 5, 1), False),
    ("scrutiny", "superseded", date(2021, 4, 30), date(2021, 5, 1), False),
    ("scrutiny", "closed_not_implemented", date(2021, 4, 30), date(2021, 5, 1), False),
    ("scrutiny", "in_progress", None, date(2021, 5, 1), False),
    ("review", "in_progress", date(2021, 4, 30), date(2021, 5, 1), False),
])
def test_a_scrutiny_recommendation_past_its_timetable_and_not_complete_is_late(
        source, label, due_on, day, late):
    assert is_late(source, label, due_on, day) is late


def test_late_reads_the_current_response_as_at_the_date():
    responses = [ResponseFact(utc(2020, 10, 20), "accepted", "By April 2021"),
                 ResponseFact(utc(2021, 6, 1), "accepted", "By December 2021")]
    fact = rec(working(), source="scrutiny", responses=responses)
    assert (state(fact, as_at=date(2021, 5, 31)).late,
            state(fact, as_at=date(2021, 5, 31)).timetable_due_on) == (True, date(2021, 4, 30))
    assert state(fact, as_at=date(2021, 6, 30)).late is False
    assert state(fact, today=date(2022, 1, 1)).late is True
    assert rollup([state(fact, today=date(2022, 1, 1))]).late == 1


# ---- row: RAG red or amber ----------------------------------------------------------------
@pytest.mark.parametrize(("status", "rag", "reason", "problem"), [
    ("in_progress", "red", "Police comments awaited.", None),
    ("in_progress", "amber", None, ("reason", "Give the reason for the amber rating in a few "
                                              "words")),
    ("paused", "red", "  short  ", ("reason", "Give the reason for the red rating in a few "
                                              "words")),
    ("in_progress", "amber", "0123456789", None),
    ("in_progress", "amber", "012345678", ("reason", "Give the reason for the amber rating in "
                                                     "a few words")),
    ("in_progress", "green", None, None),
    ("in_progress", None, None, None),
    ("complete", "amber", "Police comments awaited.", (
        "rag", "An update marking the action complete carries no red or amber rating: "
               "choose green, or no rating")),
    ("complete", "red", None, (
        "rag", "An update marking the action complete carries no red or amber rating: "
               "choose green, or no rating")),
    ("complete", "green", None, None),
    ("complete", None, None, None),
])
def test_red_or_amber_carries_a_reason_and_complete_carries_neither(status, rag, reason,
                                                                     problem):
    from tracker.progress import rag_problem

    assert rag_problem(status, rag, reason) == problem


# ---- row: slipping action -----------------------------------------------------------------
SLIPPED = ("revised_due_on", "The action was due on 30 June 2021: enter a revised due date, "
                             "with the reason it has changed")


@pytest.mark.parametrize(("rag", "due", "revised", "recorded_on", "problem"), [
    ("red", date(2021, 6, 30), None, date(2021, 6, 30), None),
    ("red", date(2021, 6, 30), None, date(2021, 7, 1), SLIPPED),
    ("amber", date(2021, 6, 30), None, date(2021, 7, 1), SLIPPED),
    ("amber", date(2021, 6, 30), date(2021, 8, 31), date(2021, 7, 1), None),
    ("green", date(2021, 6, 30), None, date(2021, 7, 1), None),
    (None, date(2021, 6, 30), None, date(2021, 7, 1), None),
])
def test_a_slipping_action_carries_a_revised_due_date(rag, due, revised, recorded_on, problem):
    from tracker.progress import slipping_problem

    assert slipping_problem(rag, due, revised, recorded_on) == problem
