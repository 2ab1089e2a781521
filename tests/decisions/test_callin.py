"""The call-in guard on every state. Expected dates are literals, never computed by the module."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from tracker.decisions.callin import (
    CALLED_IN, IMPLEMENTABLE, NOT_SUBJECT, OPEN_TO_CALL_IN, CallInRefused, call_in_status,
    ensure_implementable,
)

D = dt.date


def decision(**kw):
    values = dict(decided_on=D(2020, 11, 26), subject_to_call_in=True,
                  call_in_expires_on=D(2020, 12, 4), effective_from=None, call_in_record="none",
                  called_in_on=None, call_in_outcome=None, call_in_outcome_on=None)
    return SimpleNamespace(**(values | kw))


@pytest.mark.parametrize("today,state,implementable", [
    (D(2020, 11, 26), OPEN_TO_CALL_IN, False),   # the day of decision
    (D(2020, 12, 3), OPEN_TO_CALL_IN, False),
    (D(2020, 12, 4), OPEN_TO_CALL_IN, False),    # the expiry date itself: still open
    (D(2020, 12, 5), IMPLEMENTABLE, True),       # the day after
    (D(2021, 6, 1), IMPLEMENTABLE, True),
])
def test_open_to_call_in_until_the_expiry_date_inclusive(today, state, implementable):
    status = call_in_status(decision(), today)
    assert (status.state, status.implementable) == (state, implementable)
    assert status.implementable_from == D(2020, 12, 5)


def test_open_state_says_why_and_from_when():
    status = call_in_status(decision(), D(2020, 12, 1))
    assert status.label == "Open to call-in"
    assert "open to call-in until 4 December 2020" in status.reason
    assert "from 5 December 2020" in status.reason


def test_the_guard_refuses_while_open_and_says_from_when():
    with pytest.raises(CallInRefused) as refused:
        ensure_implementable(decision(), D(2020, 12, 4))
    assert refused.value.status.implementable_from == D(2020, 12, 5)
    assert "5 December 2020" in str(refused.value)
    ensure_implementable(decision(), D(2020, 12, 5))  # does not raise


@pytest.mark.parametrize("effective,today,implementable", [
    (D(2020, 12, 1), D(2020, 11, 30), False),
    (D(2020, 12, 1), D(2020, 12, 1), True),     # effective from wins over the expiry date
    (D(2020, 12, 10), D(2020, 12, 5), False),   # later than the day after expiry: it still wins
    (D(2020, 12, 10), D(2020, 12, 10), True),
])
def test_effective_from_wins(effective, today, implementable):
    status = call_in_status(decision(effective_from=effective), today)
    assert status.implementable is implementable
    assert status.implementable_from == effective
    assert status.state == (IMPLEMENTABLE if implementable else OPEN_TO_CALL_IN)


def test_after_expiry_but_before_effective_from_says_when_it_comes_into_force():
    status = call_in_status(decision(effective_from=D(2020, 12, 10)), D(2020, 12, 7))
    assert "comes into force on 10 December 2020" in status.reason


def test_called_in_blocks_until_the_outcome_is_recorded():
    called = decision(call_in_record="called_in", called_in_on=D(2020, 12, 2))
    for today in (D(2020, 12, 2), D(2020, 12, 5), D(2021, 3, 1)):
        status = call_in_status(called, today)
        assert (status.state, status.implementable, status.implementable_from) == (
            CALLED_IN, False, None)
    assert "called in on 2 December 2020" in call_in_status(called, D(2020, 12, 9)).reason
    with pytest.raises(CallInRefused, match="outcome is recorded"):
        ensure_implementable(called, D(2021, 3, 1))


@pytest.mark.parametrize("outcome", ["confirmed", "amended"])
def test_a_releasing_outcome_makes_it_implementable_from_the_outcome_date(outcome):
    released = decision(call_in_record="called_in", called_in_on=D(2020, 12, 2),
                        call_in_outcome=outcome, call_in_outcome_on=D(2020, 12, 15))
    before = call_in_status(released, D(2020, 12, 14))
    assert (before.state, before.implementable, before.implementable_from) == (
        CALLED_IN, False, D(2020, 12, 15))
    on = call_in_status(released, D(2020, 12, 15))
    assert (on.state, on.implementable, on.implementable_from) == (
        IMPLEMENTABLE, True, D(2020, 12, 15))
    ensure_implementable(released, D(2020, 12, 15))


@pytest.mark.parametrize("outcome", ["referred_back", "referred_to_council"])
def test_an_outcome_that_does_not_release_keeps_it_blocked(outcome):
    held = decision(call_in_record="called_in", called_in_on=D(2020, 12, 2),
                    call_in_outcome=outcome, call_in_outcome_on=D(2020, 12, 15))
    status = call_in_status(held, D(2021, 1, 10))
    assert (status.state, status.implementable, status.implementable_from) == (
        CALLED_IN, False, None)
    with pytest.raises(CallInRefused):
        ensure_implementable(held, D(2021, 1, 10))


def test_a_releasing_outcome_without_its_date_still_blocks():
    status = call_in_status(decision(call_in_record="called_in", call_in_outcome="confirmed"),
                            D(2021, 1, 10))
    assert (status.state, status.implementable) == (CALLED_IN, False)


def test_urgency_makes_it_implementable_from_the_date_of_decision():
    urgent = decision(call_in_record="urgent")
    assert call_in_status(urgent, D(2020, 11, 25)).implementable is False
    status = call_in_status(urgent, D(2020, 11, 26))
    assert (status.state, status.implementable, status.implementable_from) == (
        NOT_SUBJECT, True, D(2020, 11, 26))
    assert "special urgency" in status.reason


def test_urgency_with_effective_from():
    status = call_in_status(decision(call_in_record="urgent", effective_from=D(2020, 11, 30)),
                            D(2020, 11, 27))
    assert (status.state, status.implementable, status.implementable_from) == (
        NOT_SUBJECT, False, D(2020, 11, 30))


def test_not_subject_to_call_in_when_the_notice_says_so():
    status = call_in_status(decision(subject_to_call_in=False, call_in_expires_on=None),
                            D(2020, 11, 26))
    assert (status.state, status.implementable, status.implementable_from) == (
        NOT_SUBJECT, True, D(2020, 11, 26))
    assert "the notice says so" in status.reason


def test_unknown_subject_to_call_in_follows_the_expiry_date():
    status = call_in_status(decision(subject_to_call_in=None), D(2020, 12, 4))
    assert (status.state, status.implementable) == (OPEN_TO_CALL_IN, False)
    assert call_in_status(decision(subject_to_call_in=None), D(2020, 12, 5)).implementable


@pytest.mark.parametrize("subject", [True, None])
def test_no_expiry_date_and_no_effective_from_is_refused_rather_than_guessed(subject):
    status = call_in_status(decision(subject_to_call_in=subject, call_in_expires_on=None),
                            D(2030, 1, 1))
    assert (status.state, status.implementable, status.implementable_from) == (
        OPEN_TO_CALL_IN, False, None)
    assert "call-in expiry date is not recorded" in status.reason


def test_effective_from_alone_is_enough():
    status = call_in_status(decision(call_in_expires_on=None, effective_from=D(2020, 12, 1)),
                            D(2020, 12, 1))
    assert (status.state, status.implementable_from) == (IMPLEMENTABLE, D(2020, 12, 1))


def test_called_in_wins_over_urgency_flags_and_dates():
    status = call_in_status(decision(call_in_record="called_in", subject_to_call_in=False,
                                     effective_from=D(2020, 11, 26)), D(2021, 1, 1))
    assert (status.state, status.implementable) == (CALLED_IN, False)
