"""One test (or parametrized group) per row of the table in docs/rules-of-progress.md,
then "as at" and history, the checks on facts, and the chart helpers.

Expected values are literals, never computed by calling the module under test.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from fractions import Fraction

import time

import pytest

from tracker.progress import (
    ActionFact,
    AdoptionEventFact,
    RecommendationFact,
    ResponseFact,
    SchoolFact,
    SignOffFact,
    UpdateFact,
    action_state,
    adoption_figure,
    adoption_status_as_at,
    cutoff_for,
    end_of_day_utc,
    format_share,
    london_today,
    recommendation_state,
    recorded_by,
    rollup,
    school_counts,
    share_complete,
    share_percent,
    still_open,
    worst_rag,
)
from tracker.progress_series import (
    actions_complete_by_week,
    adoption_by_phase,
    adoption_by_week,
    overdue_by_owner,
    week_endings,
)
from tracker.recommendations.facts import rec_tag, rollup_tag

UTC = timezone.utc
TODAY = date(2021, 7, 1)


def utc(y, m, d, hh=12, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=UTC)


def upd(when, status, rag=None, revised=None):
    return UpdateFact(recorded_at=when, status=status, rag=rag, revised_due_on=revised)


def act(*updates, id=1, owner=7, due=date(2021, 12, 31), created=utc(2021, 1, 4), withdrawn=None):
    return ActionFact(id=id, owner_id=owner, created_at=created, due_on=due,
                      updates=tuple(updates), withdrawn_at=withdrawn)


def rec(*actions, id=1, source="review", created=utc(2021, 1, 4), responses=(),
        sign_off=None, withdrawn=None):
    return RecommendationFact(id=id, source=source, created_at=created, actions=tuple(actions),
                              responses=tuple(responses), sign_off=sign_off,
                              withdrawn_at=withdrawn)


def said(when, response):
    return ResponseFact(recorded_at=when, response=response)


def working(rag="green", when=utc(2021, 2, 1), id=1, **kw):
    return act(upd(when, "in_progress", rag), id=id, **kw)


def done(when=utc(2021, 3, 1), id=1, **kw):
    return act(upd(when, "complete", "green"), id=id, **kw)


def cancelled(when=utc(2021, 3, 1), id=1, **kw):
    return act(upd(when, "cancelled", None), id=id, **kw)


def state(*actions, **kw):
    return recommendation_state(rec(*actions, **kw), today=TODAY)


# ---- row: action overdue ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("updates", "due", "today", "overdue", "current_due"),
    [
        pytest.param((), date(2021, 6, 30), date(2021, 7, 1), True, date(2021, 6, 30),
                     id="not-started-past-due"),
        pytest.param((upd(utc(2021, 2, 1), "in_progress", "green"),), date(2021, 6, 30),
                     date(2021, 7, 1), True, date(2021, 6, 30), id="in-progress-past-due"),
        pytest.param((upd(utc(2021, 2, 1), "in_progress", "green"),), date(2021, 7, 1),
                     date(2021, 7, 1), False, date(2021, 7, 1), id="due-today-not-overdue"),
        pytest.param((upd(utc(2021, 2, 1), "in_progress", "green", date(2021, 7, 31)),),
                     date(2021, 6, 30), date(2021, 7, 1), False, date(2021, 7, 31),
                     id="revised-later-clears-overdue"),
        pytest.param((upd(utc(2021, 2, 1), "in_progress", "green", date(2021, 7, 31)),
                      upd(utc(2021, 3, 1), "in_progress", "green", date(2021, 6, 15))),
                     date(2021, 6, 30), date(2021, 7, 1), True, date(2021, 6, 15),
                     id="latest-revision-wins-even-if-earlier-date"),
        pytest.param((upd(utc(2021, 2, 1), "in_progress", "green", date(2021, 7, 31)),
                      upd(utc(2021, 3, 1), "in_progress", "amber")),
                     date(2021, 6, 30), date(2021, 7, 1), False, date(2021, 7, 31),
                     id="revision-kept-by-later-update-without-one"),
        pytest.param((upd(utc(2021, 2, 1), "complete", "green"),), date(2021, 6, 30),
                     date(2021, 7, 1), False, date(2021, 6, 30), id="complete-never-overdue"),
        pytest.param((upd(utc(2021, 2, 1), "cancelled", None),), date(2021, 6, 30),
                     date(2021, 7, 1), False, date(2021, 6, 30), id="cancelled-never-overdue"),
    ],
)
def test_action_overdue_when_today_after_latest_revised_due_date(
    updates, due, today, overdue, current_due
):
    got = action_state(act(*updates, due=due), today=today)
    assert got.overdue is overdue
    assert got.current_due_on == current_due
    assert got.original_due_on == due


# ---- row: action RAG ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("updates", "status", "rag", "counted"),
    [
        pytest.param((), "not_started", "grey", True, id="no-update-grey"),
        pytest.param((upd(utc(2021, 2, 1), "in_progress", "amber"),), "in_progress", "amber",
                     True, id="latest-update-rag"),
        pytest.param((upd(utc(2021, 2, 1), "in_progress", "red"),
                      upd(utc(2021, 3, 1), "in_progress", "green")), "in_progress", "green",
                     True, id="latest-not-first"),
        pytest.param((upd(utc(2021, 3, 1), "in_progress", "green"),
                      upd(utc(2021, 2, 1), "in_progress", "red")), "in_progress", "green",
                     True, id="given-out-of-order-sorted-by-time"),
        pytest.param((upd(utc(2021, 2, 1), "in_progress", "amber"),
                      upd(utc(2021, 2, 1), "in_progress", "red")), "in_progress", "red",
                     True, id="same-time-keeps-given-order"),
        pytest.param((upd(utc(2021, 2, 1), "in_progress", "amber"),
                      upd(utc(2021, 3, 1), "paused", None)), "paused", "amber", True,
                     id="update-without-rag-keeps-last-rag"),
        pytest.param((upd(utc(2021, 2, 1), "in_progress", None),), "in_progress", "grey", True,
                     id="no-rag-ever-given-grey"),
        pytest.param((upd(utc(2021, 2, 1), "complete", "amber"),), "complete", "blue", True,
                     id="complete-blue"),
        pytest.param((upd(utc(2021, 2, 1), "cancelled", "red"),), "cancelled", None, False,
                     id="cancelled-left-out"),
        pytest.param((upd(utc(2021, 2, 1), "complete", "green"),
                      upd(utc(2021, 3, 1), "in_progress", "amber")), "in_progress", "amber",
                     True, id="reopened-by-later-update"),
    ],
)
def test_action_rag_blue_complete_cancelled_left_out_else_latest_update_else_grey(
    updates, status, rag, counted
):
    got = action_state(act(*updates), today=TODAY)
    assert (got.status, got.rag, got.counted, got.overdue) == (status, rag, counted, False)


def test_action_rag_overdue_is_red_whatever_was_entered():
    got = action_state(working("green", due=date(2021, 6, 30)), today=date(2021, 7, 1))
    assert (got.rag, got.overdue) == ("red", True)


def test_recommendation_state_carries_identity():
    got = state(id=42, source="referral")
    assert (got.id, got.source) == (42, "referral")


def test_action_state_carries_identity_and_latest_update():
    last = upd(utc(2021, 3, 1), "in_progress", "amber")
    got = action_state(act(upd(utc(2021, 2, 1), "in_progress", "red"), last, id=42, owner=9),
                       today=TODAY)
    assert (got.id, got.owner_id, got.latest_update) == (42, 9, last)
    assert action_state(act(), today=TODAY).latest_update is None


# ---- row: paused action -------------------------------------------------------------------
def test_paused_action_counts_as_open_with_its_rag():
    paused = act(upd(utc(2021, 2, 1), "paused", "amber"), due=date(2021, 12, 31))
    got = action_state(paused, today=TODAY)
    assert (got.status, got.rag, got.counted, got.overdue) == ("paused", "amber", True, False)
    whole = state(paused, done(id=2))
    assert (whole.label, whole.rag, whole.counted_actions, whole.complete_actions) == (
        "in_progress", "amber", 2, 1)


def test_paused_action_can_be_overdue():
    got = action_state(act(upd(utc(2021, 2, 1), "paused", "green"), due=date(2021, 6, 30)),
                       today=date(2021, 7, 1))
    assert (got.overdue, got.rag) == (True, "red")


# ---- row: recommendation not accepted -----------------------------------------------------
def test_recommendation_not_accepted_is_shown_and_left_out_of_every_total():
    refused = state(working("red", due=date(2021, 6, 1)), source="scrutiny",
                    responses=[said(utc(2021, 1, 10), "not_accepted")])
    assert (refused.label, refused.rag, refused.in_totals, refused.response) == (
        "not_accepted", None, False, "not_accepted")
    assert rec_tag(refused)[1] == "Not accepted"
    total = rollup([refused, state(done(), id=2)])
    assert (total.recommendations, total.not_accepted, total.counted_actions,
            total.complete_actions, total.overdue_actions) == (1, 1, 1, 1, 0)
    assert total.by_label == {"not_accepted": 1, "no_actions": 0, "awaiting_sign_off": 1,
                              "complete": 0, "in_progress": 0, "superseded": 0,
                              "closed_not_implemented": 0, "withdrawn": 0}
    assert total.by_rag == {"red": 0, "amber": 0, "grey": 0, "green": 1, "blue": 0}
    assert total.label == "awaiting_sign_off"


@pytest.mark.parametrize(
    ("source", "responses", "label", "in_totals", "response", "awaiting"),
    [
        pytest.param("scrutiny", [said(utc(2021, 1, 10), "accepted")], "in_progress", True,
                     "accepted", False, id="accepted"),
        pytest.param("scrutiny", [said(utc(2021, 1, 10), "partially_accepted")], "in_progress",
                     True, "partially_accepted", False, id="partially-accepted-counts"),
        pytest.param("scrutiny", [], "in_progress", True, None, True,
                     id="scrutiny-awaiting-response-counts"),
        pytest.param("review", [], "in_progress", True, None, False, id="review-no-response"),
        pytest.param("referral", [], "in_progress", True, None, False, id="referral"),
        pytest.param("scrutiny", [said(utc(2021, 2, 10), "accepted"),
                                  said(utc(2021, 1, 10), "not_accepted")], "in_progress", True,
                     "accepted", False, id="latest-response-wins"),
        pytest.param("scrutiny", [said(utc(2021, 1, 10), "accepted"),
                                  said(utc(2021, 2, 10), "not_accepted")], "not_accepted",
                     False, "not_accepted", False, id="changed-to-not-accepted"),
    ],
)
def test_recommendation_response_decides_whether_it_counts(
    source, responses, label, in_totals, response, awaiting
):
    got = state(working("amber"), source=source, responses=responses)
    assert (got.label, got.in_totals, got.response, got.awaiting_response, got.source) == (
        label, in_totals, response, awaiting, source)


# ---- row: recommendation with no counted actions ------------------------------------------
@pytest.mark.parametrize(
    "actions",
    [
        pytest.param((), id="no-actions"),
        pytest.param((cancelled(),), id="only-cancelled"),
        pytest.param((cancelled(), cancelled(id=2)), id="all-cancelled"),
        pytest.param((working(withdrawn=utc(2021, 5, 1)),), id="only-withdrawn"),
        pytest.param((working(created=utc(2021, 9, 1)),), id="action-recorded-after-the-date"),
    ],
)
def test_recommendation_with_no_counted_actions_is_grey_no_actions_yet(actions):
    got = recommendation_state(rec(*actions), today=TODAY, as_at=TODAY)
    assert (got.label, got.rag, got.counted_actions, got.complete_actions, got.share) == (
        "no_actions", "grey", 0, 0, None)
    assert rec_tag(got)[1] == "No actions yet"
    assert format_share(got.share) == "\u2013"


# ---- row: all counted actions complete ----------------------------------------------------
def test_all_counted_actions_complete_awaits_sign_off():
    got = state(done(), done(id=2), cancelled(id=3))
    assert (got.label, got.rag, got.counted_actions, got.complete_actions, got.share,
            got.sign_off) == ("awaiting_sign_off", "green", 2, 2, Fraction(1), None)
    assert rec_tag(got)[1] == "Awaiting sign-off"


def test_all_counted_actions_complete_and_signed_off_is_blue_complete():
    signed = SignOffFact(utc(2021, 4, 1), meeting="Children and young people scrutiny, "
                         "15 April 2021", minute="12")
    got = state(done(), cancelled(id=2), sign_off=signed)
    assert (got.label, got.rag, got.sign_off.minute) == ("complete", "blue", "12")
    assert rec_tag(got)[1] == "Complete"


def test_sign_off_recorded_after_the_as_at_date_still_awaits():
    signed = SignOffFact(utc(2021, 6, 30, 23, 30))  # 00:30 on 1 July in London
    got = recommendation_state(rec(done(), sign_off=signed), today=TODAY,
                               as_at=date(2021, 6, 30))
    assert (got.label, got.rag, got.sign_off) == ("awaiting_sign_off", "green", None)
    later = recommendation_state(rec(done(), sign_off=signed), today=TODAY, as_at=TODAY)
    assert (later.label, later.sign_off) == ("complete", signed)


def test_signed_off_then_new_open_action_is_no_longer_complete():
    got = state(done(), working("amber", id=2), sign_off=SignOffFact(utc(2021, 4, 1)))
    assert (got.label, got.rag) == ("in_progress", "amber")


def test_sign_off_does_not_complete_a_recommendation_without_actions():
    got = state(sign_off=SignOffFact(utc(2021, 4, 1)))
    assert (got.label, got.rag) == ("no_actions", "grey")


# ---- row: otherwise worst RAG of open actions ---------------------------------------------
@pytest.mark.parametrize(
    ("actions", "rag"),
    [
        pytest.param((working("green"), working("amber", id=2), working("red", id=3)), "red",
                     id="red-worst"),
        pytest.param((working("green"), working("amber", id=2)), "amber", id="amber"),
        pytest.param((working("amber"), act(id=2, due=date(2021, 12, 31))), "amber",
                     id="amber-worse-than-grey"),
        pytest.param((working("green"), act(id=2, due=date(2021, 12, 31))), "grey",
                     id="grey-worse-than-green"),
        pytest.param((working("green"), done(id=2), cancelled(id=3)), "green",
                     id="complete-and-cancelled-ignored"),
        pytest.param((working("green", due=date(2021, 6, 30)), working("green", id=2)), "red",
                     id="overdue-red"),
    ],
)
def test_otherwise_worst_rag_of_open_actions(actions, rag):
    got = state(*actions)
    assert (got.label, got.rag) == ("in_progress", rag)
    assert rec_tag(got)[1] == f"In progress: {rag.capitalize()}"


@pytest.mark.parametrize(
    ("rags", "worst"),
    [
        (["green", "grey", "amber", "red"], "red"),
        (["green", "grey", "amber"], "amber"),
        (["green", "grey"], "grey"),
        (["green", "blue"], "green"),
        (["blue"], "blue"),
        ([None, "green", None], "green"),
        ([], None),
        ([None], None),
    ],
)
def test_worst_rag_order_red_amber_grey_green(rags, worst):
    assert worst_rag(rags) == worst


def test_worst_rag_refuses_an_unknown_colour():
    with pytest.raises(ValueError, match="rag must be one of .* got 'purple'"):
        worst_rag(["green", "purple"])


def test_overdue_actions_are_counted_on_the_recommendation():
    got = state(working("green", due=date(2021, 6, 1)), act(id=2, due=date(2021, 6, 2)),
                working("green", id=3), done(id=4, due=date(2021, 1, 1)))
    assert (got.overdue_actions, got.rag) == (2, "red")


# ---- row: share complete ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("complete", "counted", "share", "shown", "percent"),
    [
        (0, 0, None, "\u2013", None),
        (0, 3, Fraction(0), "0%", 0),
        (1, 3, Fraction(1, 3), "33%", 33),
        (2, 3, Fraction(2, 3), "67%", 67),
        (3, 3, Fraction(1), "100%", 100),
        (1, 8, Fraction(1, 8), "13%", 13),      # 12.5: half up, not to even
        (5, 8, Fraction(5, 8), "63%", 63),      # 62.5
        (1, 200, Fraction(1, 200), "1%", 1),    # 0.5
        (199, 200, Fraction(199, 200), "99%", 99),  # 99.5 would be 100: kept for all
        (1, 300, Fraction(1, 300), "1%", 1),    # 0.33 would be 0: kept for none
        (3, 1000, Fraction(3, 1000), "1%", 1),
        (994, 1000, Fraction(497, 500), "99%", 99),
        (985, 1000, Fraction(197, 200), "99%", 99),  # 98.5 half up
        (984, 1000, Fraction(123, 125), "98%", 98),
    ],
)
def test_share_complete_is_complete_over_counted_and_0_of_0_is_a_dash(
    complete, counted, share, shown, percent
):
    assert share_complete(complete, counted) == share
    assert format_share(share) == shown
    assert share_percent(share) == percent


def test_share_complete_leaves_cancelled_out_of_the_count():
    got = state(done(), working("green", id=2), cancelled(id=3))
    assert (got.complete_actions, got.counted_actions, got.share) == (1, 2, Fraction(1, 2))
    assert format_share(got.share) == "50%"


@pytest.mark.parametrize(("complete", "counted"), [(3, 2), (-1, 2), (-1, -1), (0, -1)])
def test_share_complete_refuses_impossible_counts(complete, counted):
    with pytest.raises(ValueError, match="cannot have"):
        share_complete(complete, counted)


def test_share_percent_is_the_whole_percent_half_up_for_every_share_to_400():
    """Rounded in whole numbers, the percent is floor(share x 100 + 1/2) kept off 0 and 100
    unless exact, for every share with a denominator up to 400."""
    import math

    for counted in range(1, 401):
        for complete in range(counted + 1):
            share = Fraction(complete, counted)
            expected = math.floor(share * 100 + Fraction(1, 2))
            if share < 1:
                expected = min(expected, 99)
            if share > 0:
                expected = max(expected, 1)
            assert share_percent(share) == expected, share


@pytest.mark.parametrize("share", [Fraction(-1, 3), Fraction(4, 3)])
def test_share_percent_refuses_a_share_outside_0_to_1(share):
    with pytest.raises(ValueError, match="not between 0 and 1"):
        format_share(share)


# ---- row: decision part -------------------------------------------------------------------
def _rolled(*states):
    got = rollup(states)
    return got.label, got.rag, rollup_tag(got)[1]


def test_decision_part_with_no_recommendations_is_grey():
    assert _rolled() == ("no_recommendations", "grey", "No recommendations yet")
    assert _rolled(None) == ("no_recommendations", "grey", "No recommendations yet")
    refused = state(done(), source="scrutiny", responses=[said(utc(2021, 1, 9), "not_accepted")])
    assert _rolled(refused, refused) == ("no_recommendations", "grey", "No recommendations yet")
    empty = rollup([refused])
    assert (empty.share, empty.recommendation_share, empty.not_accepted) == (None, None, 1)


def test_decision_part_all_signed_off_is_blue_complete():
    signed = SignOffFact(utc(2021, 4, 1))
    assert _rolled(state(done(), sign_off=signed), state(done(), sign_off=signed, id=2)) == (
        "complete", "blue", "Complete")


def test_decision_part_all_awaiting_or_complete_awaits_sign_off():
    signed = SignOffFact(utc(2021, 4, 1))
    assert _rolled(state(done(), sign_off=signed), state(done(), id=2)) == (
        "awaiting_sign_off", "green", "Awaiting sign-off")
    assert _rolled(state(done()), state(done(), id=2)) == (
        "awaiting_sign_off", "green", "Awaiting sign-off")


def test_decision_part_all_without_actions_is_grey_no_actions():
    assert _rolled(state(), state(cancelled(), id=2)) == ("no_actions", "grey", "No actions yet")


@pytest.mark.parametrize(
    ("rags", "rag"),
    [
        (("green", "amber", "no_actions"), "amber"),
        (("green", "no_actions"), "grey"),
        (("green", "complete"), "green"),
        (("no_actions", "complete"), "grey"),
        (("green", "red", "awaiting"), "red"),
    ],
)
def test_decision_part_otherwise_worst_rag_of_unfinished_recommendations(rags, rag):
    kinds = {"no_actions": (), "complete": (done(),), "awaiting": (done(),)}
    states = [
        state(*(kinds[kind] if kind in kinds else (working(kind),)), id=n,
              sign_off=SignOffFact(utc(2021, 4, 1)) if kind == "complete" else None)
        for n, kind in enumerate(rags)
    ]
    assert _rolled(*states) == ("in_progress", rag, f"In progress: {rag.capitalize()}")


def test_decision_part_totals_count_actions_and_recommendations():
    signed = SignOffFact(utc(2021, 4, 1))
    states = [
        state(done(), done(id=2), sign_off=signed, id=1),                      # complete
        state(done(), working("amber", id=2), cancelled(id=3), id=2),          # amber
        state(working("green", due=date(2021, 6, 1)), act(id=2, due=date(2021, 5, 1)), id=3),
        state(id=4),                                                          # no actions
        state(working("red", due=date(2021, 1, 1)), id=5, source="scrutiny",
              responses=[said(utc(2021, 1, 5), "not_accepted")]),
        None,
    ]
    total = rollup(states)
    assert (total.label, total.rag) == ("in_progress", "red")
    assert (total.recommendations, total.not_accepted) == (4, 1)
    assert (total.counted_actions, total.complete_actions, total.share) == (6, 3, Fraction(1, 2))
    assert total.overdue_actions == 2
    assert (total.recommendations_complete, total.recommendation_share) == (1, Fraction(1, 4))
    assert total.by_label == {"not_accepted": 1, "no_actions": 1, "awaiting_sign_off": 0,
                              "complete": 1, "in_progress": 2, "superseded": 0,
                              "closed_not_implemented": 0, "withdrawn": 0}
    assert total.by_rag == {"red": 1, "amber": 1, "grey": 1, "green": 0, "blue": 1}


def test_decision_part_counts_each_recommendation_once_by_label_and_rag():
    total = rollup([state(working("green"), id=1), state(working("green"), id=2),
                    state(working("green"), id=3)])
    assert (total.by_label["in_progress"], total.by_rag["green"]) == (3, 3)
    assert (total.label, total.rag, total.recommendations) == ("in_progress", "green", 3)


# ---- row: guidance adoption ---------------------------------------------------------------
AS_AT = date(2021, 6, 30)


def school(id, *events, phase="Primary", in_scope=True, recorded=utc(2021, 1, 4),
           opened=None, closed=None):
    return SchoolFact(id=id, phase=phase, in_scope=in_scope, recorded_at=recorded,
                      open_date=opened, closed_recorded_at=closed,
                      adoption_events=tuple(AdoptionEventFact(t, s) for t, s in events))


ADOPTED = (utc(2021, 3, 1), "adopted")


@pytest.mark.parametrize(
    ("status", "adopted"),
    [("adopted", 1), ("own_policy", 1), ("embedded", 1), ("not_started", 0),
     ("under_review", 0), ("declined", 0)],
)
def test_guidance_adoption_counts_adopted_own_policy_and_embedded(status, adopted):
    got = adoption_figure([school(1, (utc(2021, 3, 1), status)), school(2)], as_at=AS_AT)
    assert (got.adopted, got.in_scope_open) == (adopted, 2)
    assert got.by_status[status] == 1 + (status == "not_started")


@pytest.mark.parametrize(
    "left_out",
    [
        pytest.param(school(9, ADOPTED, in_scope=False), id="out-of-scope"),
        pytest.param(school(9, ADOPTED, closed=utc(2021, 6, 1)), id="closed-before"),
        pytest.param(school(9, ADOPTED, closed=utc(2021, 6, 29, 23, 0)), id="closed-at-midnight"),
        pytest.param(school(9, ADOPTED, recorded=utc(2021, 6, 30, 23, 0)),
                     id="recorded-after-the-date"),
        pytest.param(school(9, ADOPTED, opened=date(2021, 7, 1)), id="opens-after-the-date"),
    ],
)
def test_guidance_adoption_counts_only_schools_in_scope_open_as_at_the_date(left_out):
    got = adoption_figure([school(1, ADOPTED), school(2), left_out], as_at=AS_AT)
    assert (got.adopted, got.in_scope_open, got.share) == (1, 2, Fraction(1, 2))
    assert format_share(got.share) == "50%"


@pytest.mark.parametrize(
    "kept",
    [
        pytest.param(school(9, ADOPTED, closed=utc(2021, 6, 30, 23, 0)),
                     id="closed-recorded-after-the-date"),
        pytest.param(school(9, ADOPTED, recorded=utc(2021, 6, 30, 22, 59)),
                     id="recorded-late-on-the-date"),
        pytest.param(school(9, ADOPTED, opened=date(2021, 6, 30)), id="opens-on-the-date"),
    ],
)
def test_guidance_adoption_keeps_schools_open_at_the_end_of_the_date(kept):
    got = adoption_figure([school(1, ADOPTED), school(2), kept], as_at=AS_AT)
    assert (got.adopted, got.in_scope_open) == (2, 3)


def test_guidance_adoption_ignores_events_after_the_cut_off():
    late = school(1, (utc(2021, 3, 1), "under_review"), (utc(2021, 6, 30, 23, 30), "adopted"))
    got = adoption_figure([late], as_at=AS_AT)
    assert (got.adopted, got.in_scope_open, got.by_status["under_review"]) == (0, 1, 1)
    assert adoption_figure([late], as_at=date(2021, 7, 1)).adopted == 1
    assert adoption_status_as_at(late, end_of_day_utc(AS_AT)) == "under_review"
    assert adoption_status_as_at(late, None) == "adopted"
    assert adoption_status_as_at(school(2), None) == "not_started"


def test_guidance_adoption_latest_event_wins_and_can_fall_back():
    wavering = school(1, (utc(2021, 5, 1), "declined"), (utc(2021, 3, 1), "adopted"))
    got = adoption_figure([wavering], as_at=AS_AT)
    assert (got.adopted, got.by_status["declined"], got.by_status["adopted"]) == (0, 1, 0)


def test_guidance_adoption_of_no_schools_is_a_dash():
    got = adoption_figure([school(1, in_scope=False)], as_at=AS_AT)
    assert (got.adopted, got.in_scope_open, got.share, got.as_at) == (0, 0, None, AS_AT)
    assert format_share(got.share) == "\u2013"
    assert got.by_status == {"not_started": 0, "under_review": 0, "adopted": 0,
                             "own_policy": 0, "embedded": 0, "declined": 0}


def test_school_counts_works_out_its_own_cut_off():
    late = school(1, recorded=utc(2021, 6, 30, 22, 59))
    assert school_counts(late, AS_AT) is True
    assert school_counts(late, date(2021, 6, 29)) is False
    opening = school(2, opened=date(2021, 7, 1))
    assert school_counts(opening, AS_AT) is False
    assert school_counts(opening, date(2021, 7, 1)) is True


def test_guidance_adoption_by_phase():
    schools = [school(1, ADOPTED, phase="Secondary"), school(2, phase="Secondary"),
               school(3, ADOPTED, phase="Primary"), school(4, ADOPTED, phase=None),
               school(5, ADOPTED, phase="Nursery", in_scope=False)]
    got = adoption_by_phase(schools, AS_AT)
    assert list(got) == ["Primary", "Secondary", None]
    assert [(f.adopted, f.in_scope_open) for f in got.values()] == [(1, 1), (1, 2), (1, 1)]
    assert list(adoption_by_phase(schools[:3], AS_AT)) == ["Primary", "Secondary"]
    assert adoption_by_phase([], AS_AT) == {}


# ---- as at: history and time --------------------------------------------------------------
@pytest.mark.parametrize(
    ("now", "today"),
    [
        (utc(2021, 6, 30, 23, 30), date(2021, 7, 1)),   # BST: 00:30 on 1 July
        (utc(2021, 6, 30, 22, 59), date(2021, 6, 30)),
        (utc(2021, 1, 15, 23, 30), date(2021, 1, 15)),  # GMT
        (datetime(2021, 7, 1, 0, 30, tzinfo=timezone.max), date(2021, 6, 30)),
    ],
)
def test_london_today(now, today):
    assert london_today(now) == today


@pytest.mark.parametrize(
    ("day", "end"),
    [
        (date(2021, 6, 30), utc(2021, 6, 30, 23, 0)),
        (date(2021, 1, 15), utc(2021, 1, 16, 0, 0)),
        (date(2021, 3, 27), utc(2021, 3, 28, 0, 0)),   # clocks go forward on the 28th
        (date(2021, 3, 28), utc(2021, 3, 28, 23, 0)),
        (date(2021, 10, 30), utc(2021, 10, 30, 23, 0)),  # clocks go back on the 31st
        (date(2021, 10, 31), utc(2021, 11, 1, 0, 0)),
    ],
)
def test_as_at_cut_off_is_the_end_of_the_day_in_london(day, end):
    assert end_of_day_utc(day) == end
    assert cutoff_for(day) == end
    assert end_of_day_utc(day).utcoffset().total_seconds() == 0


@pytest.fixture
def server_in_new_york(monkeypatch):
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_london_days_do_not_depend_on_the_server_time_zone(server_in_new_york):
    assert end_of_day_utc(date(2021, 6, 30)) == utc(2021, 6, 30, 23, 0)
    assert end_of_day_utc(date(2021, 6, 30)).utcoffset().total_seconds() == 0
    assert str(end_of_day_utc(date(2021, 6, 30))) == "2021-06-30 23:00:00+00:00"
    assert london_today(utc(2021, 7, 1, 3, 0)) == date(2021, 7, 1)


def test_as_at_none_has_no_cut_off_and_the_cut_off_is_exclusive():
    assert cutoff_for(None) is None
    assert recorded_by(utc(2999, 1, 1), None) is True
    assert recorded_by(utc(2021, 6, 30, 22, 59), utc(2021, 6, 30, 23, 0)) is True
    assert recorded_by(utc(2021, 6, 30, 23, 0), utc(2021, 6, 30, 23, 0)) is False


def test_as_at_uses_end_of_day_in_london_across_bst():
    late = act(upd(utc(2021, 2, 1), "in_progress", "green"),
               upd(utc(2021, 6, 30, 23, 30), "complete", "green"), due=date(2021, 12, 31))
    before = action_state(late, today=date(2021, 7, 2), as_at=date(2021, 6, 30))
    assert (before.status, before.rag) == ("in_progress", "green")
    after = action_state(late, today=date(2021, 7, 2), as_at=date(2021, 7, 1))
    assert (after.status, after.rag) == ("complete", "blue")


def test_as_at_leaves_out_what_was_recorded_at_the_first_instant_of_the_next_day():
    midnight = utc(2021, 6, 30, 23, 0)  # 00:00 on 1 July in London
    history = rec(act(upd(utc(2021, 2, 1), "in_progress", "amber"),
                      upd(midnight, "complete", "green")),
                  source="scrutiny", responses=[said(midnight, "accepted")],
                  sign_off=SignOffFact(midnight))
    on_30 = recommendation_state(history, today=TODAY, as_at=date(2021, 6, 30))
    assert (on_30.label, on_30.rag, on_30.response) == ("in_progress", "amber", None)
    on_1 = recommendation_state(history, today=TODAY, as_at=date(2021, 7, 1))
    assert (on_1.label, on_1.rag, on_1.response) == ("complete", "blue", "accepted")
    adopting = school(1, (utc(2021, 6, 1), "under_review"), (midnight, "adopted"))
    assert adoption_status_as_at(adopting, midnight) == "under_review"


def test_as_at_in_winter_includes_an_update_late_in_the_day():
    late = act(upd(utc(2021, 1, 15, 23, 30), "complete", "green"))
    got = action_state(late, today=TODAY, as_at=date(2021, 1, 15))
    assert got.status == "complete"


def test_as_at_a_date_before_an_update_ignores_it():
    history = act(upd(utc(2021, 2, 1), "in_progress", "amber", date(2021, 8, 31)),
                  upd(utc(2021, 4, 1), "complete", "green"), due=date(2021, 6, 30))
    early = action_state(history, today=TODAY, as_at=date(2021, 1, 31))
    assert (early.status, early.rag, early.current_due_on, early.latest_update) == (
        "not_started", "grey", date(2021, 6, 30), None)
    middle = action_state(history, today=TODAY, as_at=date(2021, 3, 1))
    assert (middle.status, middle.rag, middle.current_due_on) == (
        "in_progress", "amber", date(2021, 8, 31))


def test_as_at_is_today_for_overdue():
    history = act(upd(utc(2021, 2, 1), "in_progress", "green"), due=date(2021, 6, 30))
    on_due = action_state(history, today=date(2021, 8, 1), as_at=date(2021, 6, 30))
    assert (on_due.overdue, on_due.rag) == (False, "green")
    day_after = action_state(history, today=date(2021, 8, 1), as_at=date(2021, 7, 1))
    assert (day_after.overdue, day_after.rag) == (True, "red")


def test_as_at_after_today_is_refused():
    with pytest.raises(ValueError, match="after today"):
        action_state(act(), today=TODAY, as_at=date(2021, 7, 2))
    with pytest.raises(ValueError, match="after today"):
        recommendation_state(rec(), today=TODAY, as_at=date(2021, 7, 2))
    assert action_state(act(due=date(2021, 6, 30)), today=TODAY, as_at=TODAY).overdue is True


def test_as_at_before_creation_shows_nothing():
    created = utc(2021, 3, 1, 0, 30)  # 1 March in London
    assert action_state(act(created=created), today=TODAY, as_at=date(2021, 2, 28)) is None
    assert action_state(act(created=created), today=TODAY, as_at=date(2021, 3, 1)) is not None
    assert recommendation_state(rec(created=created), today=TODAY,
                                as_at=date(2021, 2, 28)) is None
    assert recommendation_state(rec(created=created), today=TODAY,
                                as_at=date(2021, 3, 1)) is not None


def test_as_at_before_a_response_shows_none_yet():
    got = recommendation_state(
        rec(working(), source="scrutiny", responses=[said(utc(2021, 3, 1), "not_accepted")]),
        today=TODAY, as_at=date(2021, 2, 1))
    assert (got.response, got.awaiting_response, got.in_totals) == (None, True, True)


def test_withdrawn_action_left_out_at_and_after_withdrawal_but_included_before():
    gone = working("red", withdrawn=utc(2021, 5, 1, 23, 0))  # 00:00 on 2 May in London
    assert action_state(gone, today=TODAY) is None
    assert action_state(gone, today=TODAY, as_at=date(2021, 5, 2)) is None
    assert action_state(gone, today=TODAY, as_at=date(2021, 5, 1)).rag == "red"
    whole = recommendation_state(rec(gone, done(id=2)), today=TODAY, as_at=date(2021, 5, 1))
    assert (whole.counted_actions, len(whole.action_states)) == (2, 2)
    now = state(gone, done(id=2))
    assert (now.label, now.counted_actions, len(now.action_states)) == ("awaiting_sign_off", 1, 1)


def test_withdrawn_recommendation_left_out_at_and_after_withdrawal_but_included_before():
    gone = rec(working(), withdrawn=utc(2021, 5, 1, 10, 0))
    assert recommendation_state(gone, today=TODAY) is None
    assert recommendation_state(gone, today=TODAY, as_at=date(2021, 5, 1)) is None
    assert recommendation_state(gone, today=TODAY, as_at=date(2021, 4, 30)).label == "in_progress"
    assert rollup([recommendation_state(gone, today=TODAY)]).recommendations == 0


def test_cancelled_action_is_kept_in_the_list_but_not_counted():
    got = state(cancelled(), working("amber", id=2))
    assert [(a.id, a.counted, a.rag) for a in got.action_states] == [
        (1, False, None), (2, True, "amber")]
    assert (got.counted_actions, got.rag) == (1, "amber")


# ---- facts are checked when built ---------------------------------------------------------
@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: UpdateFact(datetime(2021, 1, 1), "complete", None), "recorded_at must be aware"),
        (lambda: UpdateFact(utc(2021, 1, 1), "done", None), "status must be one of"),
        (lambda: UpdateFact(utc(2021, 1, 1), "complete", "blue"), "rag must be one of"),
        (lambda: act(created=datetime(2021, 1, 1)), "created_at must be aware"),
        (lambda: act(withdrawn=datetime(2021, 1, 1)), "withdrawn_at must be aware"),
        (lambda: ResponseFact(utc(2021, 1, 1), "rejected"), "response must be one of"),
        (lambda: SignOffFact(datetime(2021, 1, 1)), "recorded_at must be aware"),
        (lambda: rec(source="petition"), "source must be one of"),
        (lambda: AdoptionEventFact(utc(2021, 1, 1), "ratified"), "status must be one of"),
        (lambda: school(1, closed=datetime(2021, 1, 1)), "closed_recorded_at must be aware"),
        (lambda: london_today(datetime(2021, 1, 1)), "now_utc must be aware"),
    ],
)
def test_facts_refuse_naive_times_and_unknown_codes(build, message):
    with pytest.raises(ValueError, match=message):
        build()


def test_facts_accept_every_code_in_the_vocabulary():
    for status in ("not_started", "in_progress", "paused", "complete", "cancelled"):
        for rag in ("red", "amber", "green", None):
            assert UpdateFact(utc(2021, 1, 1), status, rag).status == status
    for response in ("accepted", "partially_accepted", "not_accepted"):
        assert ResponseFact(utc(2021, 1, 1), response).response == response
    for source in ("review", "scrutiny", "referral"):
        assert rec(source=source).source == source
    for status in ("not_started", "under_review", "adopted", "own_policy", "embedded",
                   "declined"):
        assert AdoptionEventFact(utc(2021, 1, 1), status).status == status


# ---- charts: weekly series and breakdowns -------------------------------------------------
@pytest.mark.parametrize(
    ("start", "as_at", "ends"),
    [
        (date(2021, 6, 1), date(2021, 6, 16),
         [date(2021, 6, 6), date(2021, 6, 13), date(2021, 6, 16)]),
        (date(2021, 6, 6), date(2021, 6, 20),
         [date(2021, 6, 6), date(2021, 6, 13), date(2021, 6, 20)]),
        (date(2021, 6, 7), date(2021, 6, 9), [date(2021, 6, 9)]),
        (date(2021, 6, 9), date(2021, 6, 9), [date(2021, 6, 9)]),
        (date(2021, 6, 13), date(2021, 6, 13), [date(2021, 6, 13)]),
        (date(2021, 1, 1), date(2021, 3, 1),
         [date(2021, 1, 3), date(2021, 1, 10), date(2021, 1, 17), date(2021, 1, 24),
          date(2021, 1, 31), date(2021, 2, 7), date(2021, 2, 14), date(2021, 2, 21),
          date(2021, 2, 28), date(2021, 3, 1)]),
    ],
)
def test_weekly_series_end_on_sundays_and_on_the_as_at_date(start, as_at, ends):
    assert week_endings(start, as_at) == ends


def test_weekly_series_cannot_end_before_it_starts():
    with pytest.raises(ValueError, match="cannot start"):
        week_endings(date(2021, 6, 10), date(2021, 6, 9))


def test_weekly_share_of_actions_complete():
    recs = [rec(act(upd(utc(2021, 6, 2), "complete", "green")),
                act(upd(utc(2021, 6, 9), "complete", "green"), id=2), id=1),
            rec(act(upd(utc(2021, 6, 13, 23, 30), "complete", "green")), id=2,
                created=utc(2021, 6, 8))]
    got = actions_complete_by_week(recs, start=date(2021, 6, 1), as_at=date(2021, 6, 14),
                                   today=date(2021, 6, 20))
    assert [(p.week_ending, p.numerator, p.denominator, p.share) for p in got] == [
        (date(2021, 6, 6), 1, 2, Fraction(1, 2)),
        (date(2021, 6, 13), 2, 3, Fraction(2, 3)),
        (date(2021, 6, 14), 3, 3, Fraction(1)),
    ]


def test_weekly_adoption_share_is_the_running_figure():
    schools = iter([school(1, (utc(2021, 6, 2), "adopted"), (utc(2021, 6, 10), "declined")),
                    school(2, (utc(2021, 6, 9), "embedded")),
                    school(3, recorded=utc(2021, 6, 8))])
    got = adoption_by_week(schools, start=date(2021, 6, 1), as_at=date(2021, 6, 13))
    assert [(p.week_ending, p.numerator, p.denominator, p.share) for p in got] == [
        (date(2021, 6, 6), 1, 2, Fraction(1, 2)),
        (date(2021, 6, 13), 1, 3, Fraction(1, 3)),
    ]


def test_overdue_actions_by_owner_most_first_and_not_for_not_accepted():
    past = date(2021, 6, 1)
    states = [
        None,
        state(working(owner=4, due=past), id=3, source="scrutiny",
              responses=[said(utc(2021, 1, 5), "not_accepted")]),
        state(working(owner=1, due=past), working(owner=2, id=2, due=past),
              working(owner=2, id=3, due=past), working(owner=3, id=4), id=1),
        state(working(owner=None, due=past), id=2),
    ]
    got = overdue_by_owner(states)
    assert got == {2: 2, 1: 1, None: 1}
    assert list(got) == [2, 1, None]


# --- repeated recommendation still open (docs/search-and-themes.md) ------------------------------
@pytest.mark.parametrize("fact,expected", [
    (rec(working("green")), True),                                   # in progress
    (rec(), True),                                                   # no actions yet
    (rec(done()), True),                                             # awaiting sign-off
    (rec(done(), sign_off=SignOffFact(utc(2021, 4, 1))),
     False),                                                         # complete
    (rec(working(), source="scrutiny", responses=(said(utc(2021, 1, 5), "not_accepted"),)),
     False),                                                         # not accepted
])
def test_a_repeated_recommendation_is_still_open_until_complete(fact, expected):
    state = recommendation_state(fact, today=date(2021, 6, 1))
    assert still_open(state) is expected


def test_a_recommendation_not_shown_as_at_the_date_is_not_still_open():
    state = recommendation_state(rec(created=utc(2021, 5, 1)), today=date(2021, 6, 1),
                                 as_at=date(2021, 4, 1))
    assert state is None and still_open(state) is False
