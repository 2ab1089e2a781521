"""Call-in: whether a decision may be implemented yet, and the one guard every write of work
under a decision calls (docs/rules-of-progress.md, "Call-in").

* open to call-in until the expiry date (inclusive);
* implementable from the day after the expiry date, or from "effective from" where the
  notice gives it ("effective from" wins over the expiry date);
* called in: suspended until the committee's outcome is recorded; an outcome that lets the
  decision go ahead ("confirmed", "amended") makes it implementable from the outcome's date,
  any other outcome keeps it suspended;
* not subject to call-in (special urgency, or a notice that says so): implementable from the
  date of decision (or "effective from").

A decision that is subject to call-in (or may be) but has neither an expiry date nor an
"effective from" date cannot be implemented: nobody can say when the call-in period ends, so
the guard refuses and asks for the date rather than guessing.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from tracker.vocab import CALL_IN_OUTCOME_LABELS

OPEN_TO_CALL_IN = "open_to_call_in"
IMPLEMENTABLE = "implementable"
CALLED_IN = "called_in"
NOT_SUBJECT = "not_subject_to_call_in"
STATES = (OPEN_TO_CALL_IN, IMPLEMENTABLE, CALLED_IN, NOT_SUBJECT)
STATE_LABELS = {
    OPEN_TO_CALL_IN: "Open to call-in",
    IMPLEMENTABLE: "Can be implemented",
    CALLED_IN: "Called in",
    NOT_SUBJECT: "Not subject to call-in",
}
# GOV.UK tag colours; the tag always carries its words too.
STATE_TAG_CLASSES = {
    OPEN_TO_CALL_IN: "govuk-tag--yellow",
    IMPLEMENTABLE: "govuk-tag--green",
    CALLED_IN: "govuk-tag--red",
    NOT_SUBJECT: "govuk-tag--blue",
}
# Outcomes after which a called-in decision may go ahead.
OUTCOMES_RELEASING = ("confirmed", "amended")


@dataclass(frozen=True)
class CallInStatus:
    state: str
    implementable: bool
    implementable_from: dt.date | None  # None: not known (called in, awaiting the outcome)
    reason: str

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def tag_class(self) -> str:
        return STATE_TAG_CLASSES[self.state]


def _fmt(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _called_in(decision: Any, today: dt.date) -> CallInStatus:
    since = f" on {_fmt(decision.called_in_on)}" if decision.called_in_on else ""
    outcome, outcome_on = decision.call_in_outcome, decision.call_in_outcome_on
    if outcome in OUTCOMES_RELEASING and outcome_on:
        said = f"the committee's outcome ({CALL_IN_OUTCOME_LABELS[outcome].split(':')[0]}) " \
               f"was recorded for {_fmt(outcome_on)}"
        if today >= outcome_on:
            return CallInStatus(IMPLEMENTABLE, True, outcome_on,
                                f"Called in{since}; {said}. Can be implemented from "
                                f"{_fmt(outcome_on)}")
        return CallInStatus(CALLED_IN, False, outcome_on,
                            f"Called in{since}; {said}. Work can be recorded as started or "
                            f"complete from {_fmt(outcome_on)}")
    if outcome:
        when = f" on {_fmt(outcome_on)}" if outcome_on else ""
        return CallInStatus(CALLED_IN, False, None,
                            f"Called in{since}; the committee's outcome{when} was "
                            f"“{CALL_IN_OUTCOME_LABELS.get(outcome, outcome)}”. Work cannot be "
                            "recorded as started or complete under this decision as it stands")
    return CallInStatus(CALLED_IN, False, None,
                        f"This decision was called in{since}. Work cannot be recorded as "
                        "started or complete until the committee's outcome is recorded")


def call_in_status(decision: Any, today: dt.date) -> CallInStatus:
    """The call-in state of ``decision`` on ``today`` (a pure function of its fields)."""
    record = decision.call_in_record or "none"
    if record == "called_in":
        return _called_in(decision, today)
    if record == "urgent" or decision.subject_to_call_in is False:
        start = decision.effective_from or decision.decided_on
        why = "special urgency" if record == "urgent" else "the notice says so"
        if today >= start:
            return CallInStatus(NOT_SUBJECT, True, start,
                                f"Not subject to call-in ({why}); can be implemented from "
                                f"{_fmt(start)}")
        return CallInStatus(NOT_SUBJECT, False, start,
                            f"Not subject to call-in ({why}). Work can be recorded as started "
                            f"or complete from {_fmt(start)}")
    expiry = decision.call_in_expires_on
    if decision.effective_from:
        start = decision.effective_from
    elif expiry:
        start = expiry + dt.timedelta(days=1)
    else:
        return CallInStatus(OPEN_TO_CALL_IN, False, None,
                            "The call-in expiry date is not recorded, so nobody can say when "
                            "this decision may be implemented. An administrator must record "
                            "the call-in expiry date (or the date it comes into force)")
    if today < start:
        if expiry and today <= expiry:
            why = f"This decision is open to call-in until {_fmt(expiry)}."
        else:
            why = f"This decision comes into force on {_fmt(start)}."
        return CallInStatus(OPEN_TO_CALL_IN, False, start,
                            f"{why} Work can be recorded as started or complete from "
                            f"{_fmt(start)}")
    return CallInStatus(IMPLEMENTABLE, True, start, f"Can be implemented from {_fmt(start)}")


class CallInRefused(Exception):
    """Work cannot be recorded as started or complete while the decision cannot be implemented."""

    def __init__(self, status: CallInStatus):
        self.status = status
        super().__init__(status.reason)


def ensure_implementable(decision: Any, today: dt.date) -> None:
    """The guard every write of work calls: refuses, saying why and from when."""
    status = call_in_status(decision, today)
    if not status.implementable:
        raise CallInRefused(status)
