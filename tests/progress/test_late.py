"""One test (or parametrized group) per row of the table "What is late, and how long things
stay open" in docs/rules-of-progress.md (rows 7 to 12 of the module docstring of
tracker/progress.py). Expected values are literals."""
from __future__ import annotations

from datetime import date, datetime, timezone
from fractions import Fraction

import pytest

from tracker.progress import (
    ActionFact, RecommendationFact, ResponseFact, SignOffFact, UpdateFact, action_state,
    add_months, age_band, ageing, average_days, completed_on, days_late, days_to_complete,
    format_days, late_order,
)
from tracker.progress_series import ageing_by_month, month_endings

UTC = timezone.utc
TODAY = date(2022, 7, 1)


def utc(y, m, d, hh=12):
    return datetime(y, m, d, hh, tzinfo=UTC)


def upd(when, status, rag=None, revised=None):
    return UpdateFact(recorded_at=when, status=status, rag=rag, revised_due_on=revised)


def act(*updates, id=1, due=date(2021, 3, 31), created=utc(2021, 1, 4)):
    return ActionFact(id=id, owner_id=7, created_at=created, due_on=due, updates=tuple(updates))


def rec(*actions, id=1, created=utc(2021, 1, 4), responses=(), sign_off=None):
    return RecommendationFact(id=id, source="review", created_at=created,
                              actions=tuple(actions), responses=tuple(responses),
                              sign_off=sign_off)


# --- late action, days late ------------------------------------------------------------------
@pytest.mark.parametrize(("updates", "as_at", "late"), [
    ((), date(2021, 3, 31), 0),                                    # on the due date: not late
    ((), date(2021, 4, 1), 1),                                     # the day after: 1 day
    ((), date(2021, 5, 1), 31),
    ((upd(utc(2021, 2, 1), "in_progress", "green", date(2021, 4, 30)),), date(2021, 5, 1), 1),
    ((upd(utc(2021, 2, 1), "paused", "amber"),), date(2021, 4, 10), 10),  # paused is open
    ((upd(utc(2021, 2, 1), "complete"),), date(2021, 5, 1), 0),
    ((upd(utc(2021, 2, 1), "cancelled"),), date(2021, 5, 1), 0),
    ((upd(utc(2021, 4, 20), "complete"),), date(2021, 4, 10), 10),    # completed later
])
def test_late_action_is_open_past_its_current_due_date_by_days(updates, as_at, late):
    state = action_state(act(*updates), today=TODAY, as_at=as_at)
    assert days_late(state, as_at) == late
    assert state.overdue is (late > 0)


# --- the late list ---------------------------------------------------------------------------
def test_late_list_is_most_days_late_first_then_earlier_original_due_then_id():
    day = date(2021, 6, 30)
    actions = [
        act(id=1, due=date(2021, 6, 1)),                                  # 29 days
        act(id=2, due=date(2021, 5, 1)),                                  # 60 days
        act(upd(utc(2021, 5, 2), "in_progress", "red", date(2021, 6, 1)), id=3,
            due=date(2021, 4, 1)),                                        # 29, earlier original
        act(id=4, due=date(2021, 6, 1)),                                  # 29, same as 1
        act(id=5, due=date(2021, 6, 30)),                                 # not late
        act(id=6, due=date(2021, 6, 29)),                                 # 1 day
    ]
    states = [action_state(a, today=TODAY, as_at=day) for a in actions]
    rows = late_order((s, days_late(s, day)) for s in states)
    assert [(s.id, n) for s, n in rows] == [(2, 60), (3, 29), (1, 29), (4, 29), (6, 1)]


def test_each_late_action_is_listed_with_its_own_latest_update():
    day = date(2021, 6, 30)
    late = act(upd(utc(2021, 2, 1), "in_progress", "amber"), id=1, due=date(2021, 5, 1))
    sibling = act(upd(utc(2021, 6, 29), "in_progress", "green"), id=2, due=date(2021, 9, 1))
    states = [action_state(a, today=TODAY, as_at=day) for a in (late, sibling)]
    rows = late_order((s, days_late(s, day)) for s in states)
    assert [(s.id, n, s.latest_update.recorded_at) for s, n in rows] == [
        (1, 60, utc(2021, 2, 1))]


# --- age bands -------------------------------------------------------------------------------
@pytest.mark.parametrize(("start", "months", "end"), [
    (date(2021, 1, 31), 1, date(2021, 2, 28)),
    (date(2024, 1, 31), 1, date(2024, 2, 29)),
    (date(2021, 11, 15), 3, date(2022, 2, 15)),
    (date(2021, 12, 31), 12, date(2022, 12, 31)),
    (date(2021, 8, 31), 6, date(2022, 2, 28)),
    (date(2021, 11, 30), 1, date(2021, 12, 30)),
    (date(2023, 12, 31), 2, date(2024, 2, 29)),
])
def test_age_is_counted_in_calendar_months(start, months, end):
    assert add_months(start, months) == end


@pytest.mark.parametrize(("day", "band"), [
    (date(2021, 1, 4), "under_3_months"),
    (date(2021, 4, 3), "under_3_months"),
    (date(2021, 4, 4), "3_to_6_months"),      # exactly 3 months: the upper band
    (date(2021, 7, 3), "3_to_6_months"),
    (date(2021, 7, 4), "6_to_12_months"),
    (date(2022, 1, 3), "6_to_12_months"),
    (date(2022, 1, 4), "over_12_months"),
    (date(2025, 1, 4), "over_12_months"),
])
def test_open_things_fall_in_age_bands_under_3_3_to_6_6_to_12_over_12_months(day, band):
    assert age_band(date(2021, 1, 4), day) == band


def test_ageing_counts_open_recommendations_and_actions_by_band():
    day = date(2021, 7, 10)
    recs = [
        rec(act(id=6), id=4, created=utc(2020, 6, 1),
            responses=(ResponseFact(utc(2020, 6, 2), "not_accepted"),)),  # left out
        rec(act(id=1, created=utc(2021, 1, 4)), act(id=2, created=utc(2021, 6, 1)),
            act(upd(utc(2021, 2, 1), "complete"), id=3), id=1, created=utc(2021, 1, 4)),
        rec(id=6, created=utc(2021, 1, 10)),                        # no actions: open
        rec(act(upd(utc(2021, 5, 1), "cancelled"), id=4, created=utc(2021, 3, 1)), id=2,
            created=utc(2021, 3, 1)),                               # no counted actions: open
        rec(act(upd(utc(2021, 5, 1), "complete"), id=5), id=3, created=utc(2020, 6, 1),
            sign_off=SignOffFact(utc(2021, 5, 2))),                # signed off: not open
        rec(act(id=7), id=5, created=utc(2021, 8, 1)),              # recorded later
    ]
    found = ageing(recs, today=TODAY, as_at=day)
    assert found.recommendations_by_band == {
        "under_3_months": 0, "3_to_6_months": 1, "6_to_12_months": 2, "over_12_months": 0}
    assert found.actions_by_band == {
        "under_3_months": 1, "3_to_6_months": 0, "6_to_12_months": 1, "over_12_months": 0}


# --- completed on, days to complete -----------------------------------------------------------
@pytest.mark.parametrize(("updates", "as_at", "day"), [
    ((), None, None),
    ((upd(utc(2021, 2, 1), "in_progress"),), None, None),
    ((upd(utc(2021, 2, 1), "complete"), upd(utc(2021, 2, 9), "complete")), None,
     date(2021, 2, 1)),                                            # the run's first update
    ((upd(utc(2021, 2, 1), "complete"), upd(utc(2021, 2, 9), "in_progress"),
      upd(utc(2021, 3, 9), "complete")), None, date(2021, 3, 9)),  # re-opened, completed again
    ((upd(utc(2021, 2, 1), "complete"), upd(utc(2021, 2, 9), "in_progress")), None, None),
    ((upd(utc(2021, 2, 1), "complete"), upd(utc(2021, 2, 9), "in_progress")),
     date(2021, 2, 8), date(2021, 2, 1)),                          # as it stood on 8 February
    ((upd(datetime(2021, 6, 30, 23, 30, tzinfo=UTC), "complete"),), None,
     date(2021, 7, 1)),                                            # a London day (BST)
])
def test_completed_on_is_the_first_day_of_the_last_run_of_complete_updates(updates, as_at, day):
    assert completed_on(act(*updates), as_at) == day


@pytest.mark.parametrize(("created", "done", "days"), [
    (utc(2021, 1, 4), utc(2021, 1, 4), 0),
    (utc(2021, 1, 4), utc(2021, 2, 3), 30),
    (utc(2021, 1, 4), utc(2021, 1, 1), 0),     # an update dated before: never below 0
])
def test_days_to_complete_from_recorded_to_completed(created, done, days):
    assert days_to_complete(act(upd(done, "complete"), created=created)) == days


def test_days_to_complete_as_at_a_date_reads_the_history_of_that_day():
    action = act(upd(utc(2021, 2, 3), "complete"), upd(utc(2021, 3, 1), "in_progress"),
                 upd(utc(2021, 4, 1), "complete"), created=utc(2021, 1, 4))
    assert days_to_complete(action, date(2021, 2, 28)) == 30
    assert days_to_complete(action, date(2021, 3, 15)) is None
    assert days_to_complete(action) == 87


# --- average days to complete ------------------------------------------------------------------
@pytest.mark.parametrize(("days", "mean", "words"), [
    ([], None, "\u2013"),
    ([1], Fraction(1), "1 day"),
    ([10, 20], Fraction(15), "15 days"),
    ([10, 11], Fraction(21, 2), "11 days"),    # half up
    ([10, 10, 11], Fraction(31, 3), "10 days"),
])
def test_average_days_to_complete_is_the_mean_in_whole_days_half_up(days, mean, words):
    assert average_days(days) == mean
    assert format_days(average_days(days)) == words


def test_average_days_to_complete_counts_actions_complete_as_at_the_date():
    recs = [rec(act(upd(utc(2021, 2, 3), "complete"), id=1, created=utc(2021, 1, 4)),
                act(upd(utc(2021, 1, 14), "complete"), id=2, created=utc(2021, 1, 4)),
                act(upd(utc(2021, 3, 1), "complete"), id=3, created=utc(2021, 1, 4)),
                act(upd(utc(2021, 2, 1), "cancelled"), id=4))]
    found = ageing(recs, today=TODAY, as_at=date(2021, 2, 28))
    assert (found.complete_actions, found.average_days_to_complete) == (2, Fraction(20))


def test_average_days_to_complete_reads_each_action_as_it_stood_and_counts_0_days():
    recs = [rec(act(id=1),                                                       # open first
                act(upd(utc(2021, 2, 3), "complete"), upd(utc(2021, 3, 1), "in_progress"),
                    upd(utc(2021, 4, 1), "complete"), id=2, due=date(2021, 2, 28)),
                act(upd(utc(2021, 1, 4), "complete"), id=3))]                    # same day
    found = ageing(recs, today=TODAY, as_at=date(2021, 2, 28))
    assert (found.complete_actions, found.average_days_to_complete,
            found.complete_by_original_due) == (2, Fraction(15), 2)


# --- completed by the original due date --------------------------------------------------------
def test_share_completed_by_the_original_due_date_a_revised_date_does_not_excuse():
    due = date(2021, 3, 31)
    recs = [rec(
        act(upd(utc(2021, 3, 31), "complete"), id=1, due=due),                   # on the day
        act(upd(utc(2021, 3, 1), "in_progress", "amber", date(2021, 5, 31)),
            upd(utc(2021, 5, 1), "complete"), id=2, due=due),                    # revised: late
        act(upd(utc(2021, 4, 1), "complete"), id=3, due=due),                    # a day late
        act(id=4, due=due),                                                      # open
    )]
    found = ageing(recs, today=TODAY, as_at=date(2021, 6, 1))
    assert (found.complete_by_original_due, found.complete_actions) == (1, 3)
    assert found.share_by_original_due == Fraction(1, 3)


def test_share_completed_by_the_original_due_date_of_none_is_none():
    found = ageing([rec(act())], today=TODAY, as_at=date(2021, 6, 1))
    assert (found.complete_actions, found.share_by_original_due,
            found.average_days_to_complete) == (0, None, None)


# --- over time ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("start", "as_at", "days"), [
    (date(2021, 1, 4), date(2021, 1, 10), [date(2021, 1, 10)]),
    (date(2021, 1, 4), date(2021, 1, 31), [date(2021, 1, 31)]),
    (date(2021, 1, 4), date(2021, 3, 10),
     [date(2021, 1, 31), date(2021, 2, 28), date(2021, 3, 10)]),
    (date(2020, 12, 31), date(2021, 1, 1), [date(2020, 12, 31), date(2021, 1, 1)]),
    (date(2021, 1, 4), date(2021, 1, 4), [date(2021, 1, 4)]),
    (date(2021, 1, 4), date(2021, 2, 28), [date(2021, 1, 31), date(2021, 2, 28)]),
    (date(2021, 11, 20), date(2022, 3, 1),
     [date(2021, 11, 30), date(2021, 12, 31), date(2022, 1, 31), date(2022, 2, 28),
      date(2022, 3, 1)]),
])
def test_over_time_each_month_end_then_the_reports_date(start, as_at, days):
    assert month_endings(start, as_at) == days


def test_over_time_cannot_start_after_it_ends():
    with pytest.raises(ValueError, match=r"cannot start \(2021-02-01\) after its end"):
        month_endings(date(2021, 2, 1), date(2021, 1, 31))


def test_ageing_over_time_is_the_figure_as_at_each_month_end():
    recs = [rec(act(upd(utc(2021, 2, 10), "complete"), id=1), act(id=2),
                created=utc(2021, 1, 4))]
    points = ageing_by_month(recs, start=date(2021, 1, 4), as_at=date(2021, 4, 10), today=TODAY)
    assert [(p.as_at, p.actions_by_band["under_3_months"], p.actions_by_band["3_to_6_months"],
             p.complete_actions) for p in points] == [
        (date(2021, 1, 31), 2, 0, 0), (date(2021, 2, 28), 1, 0, 1),
        (date(2021, 3, 31), 1, 0, 1), (date(2021, 4, 10), 0, 1, 1)]


def test_ageing_over_time_can_keep_only_the_latest_points():
    recs = [rec(act(upd(utc(2021, 2, 10), "complete"), id=1), act(id=2),
                created=utc(2021, 1, 4))]
    points = ageing_by_month(recs, start=date(2021, 1, 4), as_at=date(2021, 4, 10), today=TODAY,
                             latest=3)
    assert [p.as_at for p in points] == [date(2021, 2, 28), date(2021, 3, 31), date(2021, 4, 10)]


def test_ageing_leaves_out_cancelled_actions_and_goes_on_to_the_next():
    recs = [rec(act(upd(utc(2021, 2, 1), "cancelled"), id=1),
                act(upd(utc(2021, 2, 3), "complete"), id=2, created=utc(2021, 1, 4)),
                act(id=3, created=utc(2021, 1, 4)))]
    found = ageing(recs, today=TODAY, as_at=date(2021, 2, 28))
    assert (found.complete_actions, found.average_days_to_complete,
            found.actions_by_band["under_3_months"]) == (1, Fraction(30), 1)
