"""Call-in: whether a decision may be implemented yet, and the one guard every write of
work under a decision calls (DESIGN.md, "Call-in state").

* open to call-in until the expiry date (inclusive);
* implementable from the day after the expiry date, or from "effective from" where the
  notice gives it;
* called in: suspended until the committee's outcome is recorded;
* not subject to call-in (special urgency, or a notice that says so): implementable from the
  date of decision (or "effective from").
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

OPEN_TO_CALL_IN = "open_to_call_in"
IMPLEMENTABLE = "implementable"
CALLED_IN = "called_in"
NOT_SUBJECT = "not_subject_to_call_in"
STATE_LABELS = {
    OPEN_TO_CALL_IN: "Open to call-in",
    IMPLEMENTABLE: "Can be implemented",
    CALLED_IN: "Called in",
    NOT_SUBJECT: "Not subject to call-in",
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


def _fmt(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def call_in_status(decision: Any, today: dt.date) -> CallInStatus:
    """The call-in state of ``decision`` on ``today`` (a pure function of its fields)."""
    record = decision.call_in_record or "none"
    if record == "called_in":
        outcome = decision.call_in_outcome
        if outcome in OUTCOMES_RELEASING and decision.call_in_outcome_on:
            start = decision.call_in_outcome_on
            return CallInStatus(CALLED_IN, today >= start, start,
                                f"Called in; the committee's outcome was recorded on {_fmt(start)}")
        if outcome:
            return CallInStatus(CALLED_IN, False, None,
                                "Called in and not released by the committee's outcome: "
                                "work cannot start under this decision as it stands")
        since = f" on {_fmt(decision.called_in_on)}" if decision.called_in_on else ""
        return CallInStatus(CALLED_IN, False, None,
                            f"This decision was called in{since}. Work cannot be recorded as "
                            "started or complete until the committee's outcome is recorded")
    if record == "urgent" or decision.subject_to_call_in is False:
        start = decision.effective_from or decision.decided_on
        why = "special urgency" if record == "urgent" else "the notice says so"
        return CallInStatus(NOT_SUBJECT, today >= start, start,
                            f"Not subject to call-in ({why}); can be implemented from {_fmt(start)}")
    expiry = decision.call_in_expires_on
    start = decision.effective_from or (expiry + dt.timedelta(days=1) if expiry else None)
    if start is None:
        start = decision.decided_on
    if today < start:
        until = f" until {_fmt(expiry)}" if expiry else ""
        return CallInStatus(OPEN_TO_CALL_IN, False, start,
                            f"This decision is open to call-in{until}. Work can be recorded as "
                            f"started or complete from {_fmt(start)}")
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
