"""The rules of progress (docs/rules-of-progress.md): overdue, RAG, roll-up and "as at", as pure functions.

Every page, export and chart calls this module. It imports neither Flask nor SQLAlchemy: the
database layer builds the frozen facts below from rows, and nothing here reads the clock.

Time: aware UTC datetimes; days are Europe/London. "As at D" = as recorded by the end of D:
the cut-off is the first instant of D+1 in London, in UTC, EXCLUSIVE (a row counts if
``recorded_at < cutoff``, see :func:`recorded_by`; SQL filters should use the same ``<``).
A row withdrawn before the cut-off is left out. ``as_at=None`` means all history so far.

Decisions where the rules are silent (each pinned by a test in tests/progress/test_rules.py):
1. An update without a RAG keeps the last RAG given, as a revised due date is kept; an
   action never given a RAG is grey. Updates are ordered by recorded_at, ties as given.
2. With ``as_at`` given, overdue is judged on ``as_at``; an ``as_at`` after ``today`` is
   refused (ValueError).
3. No executive response yet (a scrutiny recommendation awaiting one; review and referral
   recommendations never have one): shown with its actions and counted in every total;
   ``awaiting_response`` flags the scrutiny case. "Partially accepted" counts.
4. A recommendation is, tested in this order: not accepted (no RAG); no counted actions
   (grey); any open action (in progress, the worst RAG); signed off by the cut-off (complete,
   blue); else awaiting sign-off, green (delivered, nothing at risk: blue is kept for work
   signed off). A sign-off followed by a new open action no longer makes it complete.
5. A roll-up (decision part, decision, any set) over the recommendations in totals: none ->
   grey "no_recommendations"; all complete -> blue "complete"; all complete or awaiting ->
   green "awaiting_sign_off"; all "no_actions" -> grey "no_actions"; else "in_progress" with
   the worst RAG of the unfinished ones ("no_actions" counting grey).
6. Percentages round half up, but "100%" only for exactly all and "0%" only for none.

Outcome, impact and closure (docs/rules-of-progress.md, "Closing and impact"); each row is
pinned by a test in tests/progress/test_closing.py:

| thing | rule |
|---|---|
| outcome before sign-off | a recommendation can be signed off only when its intended outcome and how it will be measured are both stated (``outcome_problem``) |
| closure as at D | the closure events recorded by the cut-off, oldest first: signed off, superseded, closed not implemented (risk accepted) or withdrawn each close it; re-opened clears any closure; sign-off undone clears a sign-off only; a new review date moves a sign-off's review date only |
| impact review date | given with the sign-off, else six months after the London day of the sign-off |
| closed another way | superseded, closed not implemented (risk accepted) or withdrawn: shown as such, whatever its actions, left out of every total (and of "share complete"), counted on its own line |
| implemented | signed off as complete (the label "complete"): counted apart from impact |
| impact review due | implemented, its review date reached, and no confirmed impact review recorded since the sign-off |
| impact evidence awaited | impact review due, and no impact review (confirmed or not) recorded since the sign-off: the owner is reminded (``impact_evidence_awaited``) |
| impact evidenced | implemented, and the latest impact review confirmed (by the cut-off) since the sign-off judges impact evidenced; "partly evidenced" and "not evidenced" are shown as such and are not impact evidenced |
| executive timetable | the last date its text names: "31 March 2022" that day, "April 2021" the last day of April 2021; text naming no month and year ("Ongoing") has none |
| late scrutiny recommendation | a scrutiny recommendation in totals, not complete, whose current response's timetable date is before the day |
| RAG red or amber | carries a reason (``rag_problem``); an update marking the action complete carries no red or amber |
| slipping action | an update rating an action red or amber on a day after its current due date carries a revised due date (``slipping_problem``), after the original and not in the past (``revised_due_problem``) |

What is late, and how long things stay open (docs/rules-of-progress.md; each pinned by a
test in tests/progress/test_late.py):
7. A late action is an overdue one: open (neither complete nor cancelled) and the day (as at
   the date, else today) after its current due date (the latest revised one, else the
   original). Days late = that day minus the current due date, in days; 0 when not late.
8. The late list: every late action on its own (never hidden behind a sibling's update), the
   most days late first, then the earlier original due date, then the action's id.
9. Age of an open recommendation or action: from the London day it was recorded to the day.
   Bands by calendar months: under 3 months, 3 to 6, 6 to 12, over 12 (a band's lower edge
   belongs to it: exactly 3 months old is "3 to 6"; 31 January + 1 month is 28/29 February).
   Open recommendation: shown, in totals and not complete (signed off); open action: of a
   recommendation in totals, counted and not complete.
10. Completed on: the London day of the update that began the action's last unbroken run of
   "complete" updates as recorded by the cut-off; None while it is not complete.
   Days to complete: completed on minus the day it was recorded (never below 0).
11. Average days to complete: the mean over actions complete as at the date (of
   recommendations in totals); None (shown "–") when none; shown in whole days, half up.
12. Completed by the original due date: complete actions whose completed-on day is on or
   before their ORIGINAL due date (a revised date does not excuse), over complete actions.
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction
from functools import lru_cache
from operator import attrgetter
from typing import ClassVar, Final, NamedTuple, TypeVar
from zoneinfo import ZoneInfo

LONDON: Final = ZoneInfo("Europe/London")

STATUS_NOT_STARTED: Final = "not_started"
STATUS_IN_PROGRESS: Final = "in_progress"
STATUS_PAUSED: Final = "paused"
STATUS_COMPLETE: Final = "complete"
STATUS_CANCELLED: Final = "cancelled"
ACTION_STATUSES: Final = (STATUS_NOT_STARTED, STATUS_IN_PROGRESS, STATUS_PAUSED,
                          STATUS_COMPLETE, STATUS_CANCELLED)
CLOSED_STATUSES: Final = (STATUS_COMPLETE, STATUS_CANCELLED)
OPEN_STATUSES: Final = tuple(s for s in ACTION_STATUSES if s not in CLOSED_STATUSES)

RAG_RED: Final = "red"
RAG_AMBER: Final = "amber"
RAG_GREEN: Final = "green"
RAG_BLUE: Final = "blue"
RAG_GREY: Final = "grey"
ENTERED_RAGS: Final = (RAG_RED, RAG_AMBER, RAG_GREEN)
COMPUTED_RAGS: Final = (RAG_RED, RAG_AMBER, RAG_GREY, RAG_GREEN, RAG_BLUE)  # worst first
RAG_SEVERITY: Final = COMPUTED_RAGS

RESPONSE_ACCEPTED: Final = "accepted"
RESPONSE_PARTIALLY_ACCEPTED: Final = "partially_accepted"
RESPONSE_NOT_ACCEPTED: Final = "not_accepted"
EXECUTIVE_RESPONSES: Final = (RESPONSE_ACCEPTED, RESPONSE_PARTIALLY_ACCEPTED,
                              RESPONSE_NOT_ACCEPTED)

SOURCE_REVIEW: Final = "review"
SOURCE_SCRUTINY: Final = "scrutiny"
SOURCE_REFERRAL: Final = "referral"
SOURCES: Final = (SOURCE_REVIEW, SOURCE_SCRUTINY, SOURCE_REFERRAL)

ADOPTION_NOT_STARTED: Final = "not_started"
ADOPTION_UNDER_REVIEW: Final = "under_review"
ADOPTION_ADOPTED: Final = "adopted"
ADOPTION_OWN_POLICY: Final = "own_policy"
ADOPTION_EMBEDDED: Final = "embedded"
ADOPTION_DECLINED: Final = "declined"
ADOPTION_STATUSES: Final = (ADOPTION_NOT_STARTED, ADOPTION_UNDER_REVIEW, ADOPTION_ADOPTED,
                            ADOPTION_OWN_POLICY, ADOPTION_EMBEDDED, ADOPTION_DECLINED)
ADOPTED_STATUSES: Final = (ADOPTION_ADOPTED, ADOPTION_OWN_POLICY, ADOPTION_EMBEDDED)

STATE_NOT_ACCEPTED: Final = "not_accepted"
STATE_NO_ACTIONS: Final = "no_actions"
STATE_AWAITING_SIGN_OFF: Final = "awaiting_sign_off"
STATE_COMPLETE: Final = "complete"
STATE_IN_PROGRESS: Final = "in_progress"
STATE_NO_RECOMMENDATIONS: Final = "no_recommendations"  # roll-ups only
STATE_SUPERSEDED: Final = "superseded"
STATE_CLOSED_NOT_IMPLEMENTED: Final = "closed_not_implemented"  # risk accepted
STATE_WITHDRAWN: Final = "withdrawn"
CLOSED_OTHER_STATES: Final = (STATE_SUPERSEDED, STATE_CLOSED_NOT_IMPLEMENTED, STATE_WITHDRAWN)
RECOMMENDATION_STATES: Final = (STATE_NOT_ACCEPTED, STATE_NO_ACTIONS, STATE_AWAITING_SIGN_OFF,
                                STATE_COMPLETE, STATE_IN_PROGRESS, *CLOSED_OTHER_STATES)
IMPACT_IMPLEMENTED: Final = "implemented"            # signed off, review not due yet
IMPACT_REVIEW_DUE: Final = "impact_review_due"
IMPACT_EVIDENCED: Final = "impact_evidenced"
IMPACT_PARTLY: Final = "impact_partly_evidenced"
IMPACT_NOT_EVIDENCED: Final = "impact_not_evidenced"
IMPACT_STATES: Final = (IMPACT_IMPLEMENTED, IMPACT_REVIEW_DUE, IMPACT_EVIDENCED, IMPACT_PARTLY,
                        IMPACT_NOT_EVIDENCED)
ROLLUP_STATES: Final = (STATE_NO_RECOMMENDATIONS, STATE_NO_ACTIONS, STATE_AWAITING_SIGN_OFF,
                        STATE_COMPLETE, STATE_IN_PROGRESS)

LABELS: Final[dict[str, str]] = {
    STATE_NOT_ACCEPTED: "Not accepted", STATE_NO_ACTIONS: "No actions yet",
    STATE_AWAITING_SIGN_OFF: "Awaiting sign-off", STATE_COMPLETE: "Complete",
    STATE_IN_PROGRESS: "In progress", STATE_NO_RECOMMENDATIONS: "No recommendations yet",
    RAG_RED: "Red", RAG_AMBER: "Amber", RAG_GREEN: "Green", RAG_BLUE: "Complete", RAG_GREY: "Grey",
    STATE_SUPERSEDED: "Superseded", STATE_CLOSED_NOT_IMPLEMENTED: "Closed: not implemented, "
    "risk accepted", STATE_WITHDRAWN: "Withdrawn",
    IMPACT_IMPLEMENTED: "Implemented", IMPACT_REVIEW_DUE: "Impact review due",
    IMPACT_EVIDENCED: "Impact evidenced", IMPACT_PARTLY: "Impact partly evidenced",
    IMPACT_NOT_EVIDENCED: "Impact not evidenced",
}
NO_SHARE: Final = "\u2013"  # en dash: the share of nothing (0/0)


def _aware(value: datetime, name: str) -> None:
    if value.utcoffset() is None:
        raise ValueError(f"{name} must be aware (UTC), got {value!r}")


def _one_of(value: object, allowed: tuple[object, ...], name: str) -> None:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {allowed}, got {value!r}")


# ---- facts: built by the database layer from rows ----------------------------------------
class _Fact:
    """Checked on creation: every datetime is aware, every coded value is in the vocabulary."""
    _choices: ClassVar[dict[str, tuple[str | None, ...]]] = {}

    def __post_init__(self) -> None:
        for name, value in vars(self).items():
            if isinstance(value, datetime):
                _aware(value, name)
        for name, allowed in self._choices.items():
            _one_of(getattr(self, name), allowed, name)


@dataclass(frozen=True)
class UpdateFact(_Fact):
    """One progress update; never edited (a correction is a new update)."""
    recorded_at: datetime
    status: str
    rag: str | None
    revised_due_on: date | None = None
    _choices = {"status": ACTION_STATUSES, "rag": (*ENTERED_RAGS, None)}


@dataclass(frozen=True)
class ActionFact(_Fact):
    id: int
    owner_id: int | None
    created_at: datetime
    due_on: date  # the original due date
    updates: tuple[UpdateFact, ...] = ()  # any order
    withdrawn_at: datetime | None = None


@dataclass(frozen=True)
class ResponseFact(_Fact):
    recorded_at: datetime
    response: str
    timetable: str | None = None  # the executive's timetable as typed ("By April 2021")
    _choices = {"response": EXECUTIVE_RESPONSES}


@dataclass(frozen=True)
class SignOffFact(_Fact):
    recorded_at: datetime
    meeting: str | None = None
    minute: str | None = None


CLOSE_SIGNED_OFF: Final = "signed_off"          # completed: implemented
CLOSE_SUPERSEDED: Final = "superseded"          # by another recommendation
CLOSE_RISK_ACCEPTED: Final = "risk_accepted"    # closed as not implemented, risk accepted
CLOSE_WITHDRAWN: Final = "withdrawn"            # withdrawn (closed, kept in every history)
CLOSURE_KINDS: Final = (CLOSE_SIGNED_OFF, CLOSE_SUPERSEDED, CLOSE_RISK_ACCEPTED,
                        CLOSE_WITHDRAWN)
EVENT_REOPENED: Final = "reopened"
EVENT_SIGN_OFF_UNDONE: Final = "sign_off_undone"
EVENT_REVIEW_DATE: Final = "review_date_set"
CLOSURE_EVENTS: Final = (*CLOSURE_KINDS, EVENT_REOPENED, EVENT_SIGN_OFF_UNDONE,
                         EVENT_REVIEW_DATE)

JUDGEMENT_EVIDENCED: Final = "evidenced"
JUDGEMENT_PARTLY: Final = "partly_evidenced"
JUDGEMENT_NOT_EVIDENCED: Final = "not_evidenced"
JUDGEMENTS: Final = (JUDGEMENT_EVIDENCED, JUDGEMENT_PARTLY, JUDGEMENT_NOT_EVIDENCED)


@dataclass(frozen=True)
class ClosureEventFact(_Fact):
    """One step in a recommendation's closing history; never edited."""
    recorded_at: datetime
    kind: str
    meeting: str | None = None
    minute: str | None = None
    review_on: date | None = None          # a sign-off's impact review date, or a new one
    superseded_by_id: int | None = None
    _choices = {"kind": CLOSURE_EVENTS}


@dataclass(frozen=True)
class ImpactReviewFact(_Fact):
    """An impact review as the owner recorded it, and when a member or administrator
    confirmed it (None: not yet)."""
    recorded_at: datetime
    judgement: str
    confirmed_at: datetime | None = None
    _choices = {"judgement": JUDGEMENTS}


@dataclass(frozen=True)
class RecommendationFact(_Fact):
    id: int
    source: str
    created_at: datetime
    actions: tuple[ActionFact, ...] = ()
    responses: tuple[ResponseFact, ...] = ()
    sign_off: SignOffFact | None = None
    withdrawn_at: datetime | None = None
    closures: tuple[ClosureEventFact, ...] = ()      # closing, re-opening, undoing; any order
    impact_reviews: tuple[ImpactReviewFact, ...] = ()
    _choices = {"source": SOURCES}


@dataclass(frozen=True)
class AdoptionEventFact(_Fact):
    recorded_at: datetime
    status: str
    _choices = {"status": ADOPTION_STATUSES}


@dataclass(frozen=True)
class SchoolFact(_Fact):
    id: int
    phase: str | None
    in_scope: bool
    recorded_at: datetime  # when the school entered the tracker
    open_date: date | None
    closed_recorded_at: datetime | None  # when the tracker recorded it closed
    adoption_events: tuple[AdoptionEventFact, ...] = ()  # for ONE guidance version


# ---- time ---------------------------------------------------------------------------------
def london_today(now_utc: datetime) -> date:
    """The date in Europe/London at the aware instant ``now_utc``."""
    _aware(now_utc, "now_utc")
    return now_utc.astimezone(LONDON).date()


def end_of_day_utc(d: date) -> datetime:
    """The end of London day ``d``: the first instant of ``d + 1`` in London, in UTC."""
    return datetime.combine(d + timedelta(days=1), time(0), tzinfo=LONDON).astimezone(UTC)


def cutoff_for(as_at: date | None) -> datetime | None:
    """The exclusive cut-off for "as at" ``as_at``; None (no cut-off) for "now"."""
    return None if as_at is None else end_of_day_utc(as_at)


def recorded_by(recorded_at: datetime, cutoff: datetime | None) -> bool:
    """Whether something recorded at ``recorded_at`` is part of history at ``cutoff``."""
    return cutoff is None or recorded_at < cutoff


_R = TypeVar("_R", UpdateFact, ResponseFact, AdoptionEventFact, "ClosureEventFact",
             "ImpactReviewFact")


def _history(items: Iterable[_R], cutoff: datetime | None) -> list[_R]:
    """Items recorded by the cut-off, oldest first; ties keep the order given."""
    kept = items if cutoff is None else (item for item in items if item.recorded_at < cutoff)
    return sorted(kept, key=attrgetter("recorded_at"))


def _shown(created_at: datetime, withdrawn_at: datetime | None, cutoff: datetime | None) -> bool:
    withdrawn = withdrawn_at is not None and recorded_by(withdrawn_at, cutoff)
    return recorded_by(created_at, cutoff) and not withdrawn


def _day(today: date, as_at: date | None) -> date:
    if as_at is None:
        return today
    if as_at > today:
        raise ValueError(f"as at {as_at} is after today ({today}): no history recorded yet")
    return as_at


# ---- shares and RAG -----------------------------------------------------------------------
@lru_cache(maxsize=4096)  # a page judges thousands of recommendations of a few sizes
def share_complete(complete: int, counted: int) -> Fraction | None:
    """complete / counted, or None for 0/0 (shown as "–", never 0% or 100%)."""
    if not 0 <= complete <= counted:
        raise ValueError(f"cannot have {complete} complete out of {counted}")
    return Fraction(complete, counted) if counted else None


def share_percent(share: Fraction | None) -> int | None:
    """Whole percent, half up; 100 only for exactly all, 0 only for exactly none."""
    if share is None:
        return None
    top, bottom = share.numerator, share.denominator   # in lowest terms, bottom > 0
    if not 0 <= top <= bottom:
        raise ValueError(f"share {share} is not between 0 and 1")
    # floor(100 * top / bottom + 1/2) in whole numbers (a page rounds hundreds of shares)
    percent = (200 * top + bottom) // (2 * bottom)
    if top < bottom:
        percent = min(percent, 99)
    if top > 0:
        percent = max(percent, 1)
    return percent


def format_share(share: Fraction | None) -> str:
    """ "67%" for 2/3, "–" for no share (0/0)."""
    percent = share_percent(share)
    return NO_SHARE if percent is None else f"{percent}%"


_SEVERITY: Final = {rag: n for n, rag in enumerate(RAG_SEVERITY)}  # worst_rag's order


def worst_rag(rags: Iterable[str | None]) -> str | None:
    """The worst of ``rags`` in the order red, amber, grey, green (then blue); None skipped."""
    worst, rank = None, len(RAG_SEVERITY)
    for rag in rags:
        if rag is None:
            continue
        severity = _SEVERITY.get(rag)
        if severity is None:
            _one_of(rag, RAG_SEVERITY, "rag")   # raises: not a RAG
        elif severity < rank:
            worst, rank = rag, severity
    return worst


# ---- actions ------------------------------------------------------------------------------
@dataclass(frozen=True)
class ActionState:
    id: int
    owner_id: int | None
    status: str
    rag: str | None            # None when cancelled (left out)
    current_due_on: date       # the latest revised due date, else the original
    original_due_on: date
    overdue: bool
    counted: bool              # not cancelled
    latest_update: UpdateFact | None
    entered_rag: str = RAG_GREY  # the RAG last entered (grey if none): shown unless overdue


def action_state(
    action: ActionFact, *, today: date, as_at: date | None = None
) -> ActionState | None:
    """The action as recorded by the end of ``as_at`` (or now); None if not yet created or
    withdrawn by then. Overdue is judged on ``as_at`` when given, else on ``today``."""
    return _action_state(action, _day(today, as_at), cutoff_for(as_at))


def _action_state(action: ActionFact, day: date, cutoff: datetime | None) -> ActionState | None:
    if not _shown(action.created_at, action.withdrawn_at, cutoff):
        return None
    history = _history(action.updates, cutoff)
    latest = history[-1] if history else None
    status = STATUS_NOT_STARTED if latest is None else latest.status
    due_on = action.due_on
    entered_rag = RAG_GREY
    for update in history:
        if update.revised_due_on is not None:
            due_on = update.revised_due_on
        if update.rag is not None:
            entered_rag = update.rag
    overdue = past_due(due_on, day) and status not in CLOSED_STATUSES
    if status == STATUS_COMPLETE:
        rag: str | None = RAG_BLUE
    elif status == STATUS_CANCELLED:
        rag = None
    elif overdue:
        rag = RAG_RED
    else:
        rag = entered_rag
    return ActionState(
        id=action.id, owner_id=action.owner_id, status=status, rag=rag,
        current_due_on=due_on, original_due_on=action.due_on, overdue=overdue,
        counted=status != STATUS_CANCELLED, latest_update=latest, entered_rag=entered_rag,
    )


def past_due(due_on: date, day: date) -> bool:
    """Judged on ``day``, a due date has passed (an open action due then is overdue)."""
    return day > due_on


# ---- recommendations ----------------------------------------------------------------------
@dataclass(frozen=True)
class RecommendationState:
    id: int
    source: str
    label: str                      # one of RECOMMENDATION_STATES
    rag: str | None                 # None when not accepted
    counted_actions: int
    complete_actions: int
    share: Fraction | None
    overdue_actions: int
    response: str | None            # the current response as at the cut-off
    awaiting_response: bool         # a scrutiny recommendation with no response yet
    in_totals: bool                 # False when not accepted
    sign_off: SignOffFact | None    # the sign-off if recorded by the cut-off
    action_states: tuple[ActionState, ...]
    closure: Closure | None = None  # how it stands closed as at the cut-off, if it does
    impact: str | None = None       # one of IMPACT_STATES when complete (implemented)
    late: bool = False              # a late scrutiny recommendation
    timetable_due_on: date | None = None


def recommendation_state(
    rec: RecommendationFact, *, today: date, as_at: date | None = None
) -> RecommendationState | None:
    """The recommendation as recorded by the end of ``as_at`` (or now); None if not yet
    created or withdrawn by then: what was recorded (:func:`_recorded`) judged on the day
    (:func:`judged`)."""
    day = _day(today, as_at)
    cutoff = cutoff_for(as_at)
    if not _shown(rec.created_at, rec.withdrawn_at, cutoff):
        return None
    found = (_action_state(action, day, cutoff) for action in rec.actions)
    states = tuple(state for state in found if state is not None)
    closure = closure_as_at(_closure_events(rec), cutoff)
    recorded = _recorded(rec, states, closure, cutoff)
    return judged(rec.id, rec.source, recorded, day=day,
                  overdue_actions=sum(state.overdue for state in states),
                  action_states=states, closure=closure)


class RecordedState(NamedTuple):
    """What a recommendation's state needs of its history, before a day is asked: kept on
    write for "now" (``tracker.recommendations.rollups``), judged on read by :func:`judged`
    (overdue, the RAG of overdue work, impact review due and late depend on the day). A
    named tuple: made for every recommendation judged, it must cost little."""
    label: str                      # one of RECOMMENDATION_STATES
    rag: str | None                 # the label's RAG; in progress: the worst RAG entered of
    #                                 its open actions (grey where none was entered)
    counted_actions: int
    complete_actions: int
    open_due_on: date | None        # the earliest current due date of its open actions
    response: str | None            # the current response
    timetable_due_on: date | None   # the current response's timetable date
    review_on: date | None          # signed off: its impact review date
    confirmed_impact: str | None    # signed off: the impact a confirmed review judged


def recorded_state(rec: RecommendationFact) -> RecordedState | None:
    """The recommendation as recorded now, before a day is asked; None if withdrawn."""
    if not _shown(rec.created_at, rec.withdrawn_at, None):
        return None
    # Judged on a day before any due date nothing is overdue: only what was recorded.
    found = (_action_state(action, date.min, None) for action in rec.actions)
    states = tuple(state for state in found if state is not None)
    return _recorded(rec, states, closure_as_at(_closure_events(rec), None), None)


def _recorded(rec: RecommendationFact, states: tuple[ActionState, ...],
              closure: Closure | None, cutoff: datetime | None) -> RecordedState:
    """Rule 4: the label (and its RAG, as entered) from what was recorded by the cut-off;
    reads nothing of the actions' states that depends on the day."""
    responses = _history(rec.responses, cutoff)
    response = responses[-1].response if responses else None
    counted = [state for state in states if state.counted]
    complete = sum(state.status == STATUS_COMPLETE for state in counted)
    still_to_do = [state for state in counted if state.status != STATUS_COMPLETE]
    sign_off = closure.sign_off if closure is not None else None
    rag: str | None
    if response == RESPONSE_NOT_ACCEPTED:
        label, rag = STATE_NOT_ACCEPTED, None
    elif closure is not None and closure.kind != CLOSE_SIGNED_OFF:
        label, rag = CLOSED_STATE[closure.kind], None
    elif not counted:
        label, rag = STATE_NO_ACTIONS, RAG_GREY
    elif still_to_do:
        label, rag = STATE_IN_PROGRESS, worst_rag(s.entered_rag for s in still_to_do)
    elif sign_off is not None:
        label, rag = STATE_COMPLETE, RAG_BLUE
    else:
        label, rag = STATE_AWAITING_SIGN_OFF, RAG_GREEN
    signed = label == STATE_COMPLETE and closure is not None
    return RecordedState(
        label=label, rag=rag, counted_actions=len(counted), complete_actions=complete,
        open_due_on=min((s.current_due_on for s in still_to_do), default=None),
        response=response,
        timetable_due_on=timetable_due_on(responses[-1].timetable) if responses else None,
        review_on=closure.review_on if signed and closure is not None else None,
        confirmed_impact=_confirmed_impact(closure, rec.impact_reviews, cutoff)
        if signed and closure is not None else None)


def judged(rec_id: int, source: str, recorded: RecordedState, *, day: date,
           overdue_actions: int, action_states: tuple[ActionState, ...] = (),
           closure: Closure | None = None) -> RecommendationState:
    """The recommendation's state on ``day`` from what was recorded: its open actions' RAG
    turns red once the earliest of their due dates has passed (an overdue action is red, rule
    4: the worst RAG of its open actions), impact review due and late as the day says.
    ``overdue_actions``: how many of its actions are overdue on the day. The kept roll-ups
    give no ``action_states`` nor ``closure`` (figures only)."""
    rag = recorded.rag
    label = recorded.label
    if label == STATE_IN_PROGRESS and recorded.open_due_on is not None \
            and past_due(recorded.open_due_on, day):
        rag = _REDDENED.get(rag) or worst_rag((rag, RAG_RED))
    timetable_due_on = recorded.timetable_due_on
    # Every field given, in the order declared (_made: a page judges thousands).
    return _made(RecommendationState, {
        "id": rec_id, "source": source, "label": label, "rag": rag,
        "counted_actions": recorded.counted_actions,
        "complete_actions": recorded.complete_actions,
        "share": share_complete(recorded.complete_actions, recorded.counted_actions),
        "overdue_actions": overdue_actions,
        "response": recorded.response,
        "awaiting_response": source == SOURCE_SCRUTINY and recorded.response is None,
        "in_totals": label not in _OUT_OF_TOTALS,
        "sign_off": closure.sign_off if closure is not None else None,
        "action_states": action_states, "closure": closure,
        "impact": impact_on(recorded.confirmed_impact, recorded.review_on, day)
        if label == STATE_COMPLETE else None,
        "late": is_late(source, label, timetable_due_on, day),
        "timetable_due_on": timetable_due_on,
    })


# The worse of each RAG and red, by worst_rag itself, once (judged asks it thousands of times).
_REDDENED: Final = {rag: worst_rag((rag, RAG_RED)) for rag in (None, *RAG_SEVERITY)}
_OUT_OF_TOTALS: Final = frozenset((STATE_NOT_ACCEPTED, *CLOSED_OTHER_STATES))
_D = TypeVar("_D")
_new_object = object.__new__
_set_attribute = object.__setattr__


def _made(cls: type[_D], fields: dict[str, object]) -> _D:
    """``cls(**fields)`` for a frozen dataclass with no ``__post_init__``, given every one
    of its fields: its ``__init__`` sets each field through ``object.__setattr__`` (frozen),
    some eight times the cost of giving the instance its attributes at once. Equal, hashed
    and printed as the dataclass's own (tests/progress/test_rollups.py checks
    :func:`judged`'s states field by field against the constructor's)."""
    made = _new_object(cls)
    _set_attribute(made, "__dict__", fields)
    return made


# ---- roll-up: a decision part, a decision, or any set -------------------------------------
@dataclass(frozen=True)
class Rollup:
    label: str                       # one of ROLLUP_STATES
    rag: str
    recommendations: int             # in totals (not "not accepted")
    not_accepted: int                # left out of every total
    by_label: dict[str, int]         # every recommendation, by RECOMMENDATION_STATES
    by_rag: dict[str, int]           # recommendations in totals, by RAG_SEVERITY
    counted_actions: int
    complete_actions: int
    share: Fraction | None           # complete / counted actions
    overdue_actions: int
    recommendations_complete: int    # signed off
    recommendation_share: Fraction | None
    implemented: int = 0             # signed off (the same as recommendations_complete)
    impact_evidenced: int = 0        # implemented, and a confirmed review says so
    impact_review_due: int = 0
    closed_not_implemented: int = 0  # risk accepted: on its own line, out of every share
    superseded: int = 0
    withdrawn: int = 0
    late: int = 0                    # late scrutiny recommendations


def rollup(states: Iterable[RecommendationState | None]) -> Rollup:
    """The same rules one level up; ``None`` entries (not shown as at the date) are skipped."""
    shown = [state for state in states if state is not None]
    included = [state for state in shown if state.in_totals]
    by_label = dict.fromkeys(RECOMMENDATION_STATES, 0)
    for state in shown:
        by_label[state.label] += 1
    by_rag = dict.fromkeys(RAG_SEVERITY, 0)
    for state in included:
        by_rag[state.rag] += 1
    done = by_label[STATE_COMPLETE]
    finished = done + by_label[STATE_AWAITING_SIGN_OFF]
    if not included:
        label, rag = STATE_NO_RECOMMENDATIONS, RAG_GREY
    elif done == len(included):
        label, rag = STATE_COMPLETE, RAG_BLUE
    elif finished == len(included):
        label, rag = STATE_AWAITING_SIGN_OFF, RAG_GREEN
    elif by_label[STATE_NO_ACTIONS] == len(included):
        label, rag = STATE_NO_ACTIONS, RAG_GREY
    else:
        unfinished = (s.rag for s in included if s.label in (STATE_IN_PROGRESS, STATE_NO_ACTIONS))
        label, rag = STATE_IN_PROGRESS, worst_rag(unfinished)
    counted = sum(state.counted_actions for state in included)
    complete = sum(state.complete_actions for state in included)
    return Rollup(
        label=label, rag=rag, recommendations=len(included),
        not_accepted=by_label[STATE_NOT_ACCEPTED], by_label=by_label, by_rag=by_rag,
        counted_actions=counted, complete_actions=complete,
        share=share_complete(complete, counted),
        overdue_actions=sum(state.overdue_actions for state in included),
        recommendations_complete=done,
        recommendation_share=share_complete(done, len(included)),
        implemented=done,
        impact_evidenced=sum(state.impact == IMPACT_EVIDENCED for state in included),
        impact_review_due=sum(state.impact == IMPACT_REVIEW_DUE for state in included),
        closed_not_implemented=by_label[STATE_CLOSED_NOT_IMPLEMENTED],
        superseded=by_label[STATE_SUPERSEDED], withdrawn=by_label[STATE_WITHDRAWN],
        late=sum(state.late for state in included),
    )


# ---- guidance adoption --------------------------------------------------------------------
@dataclass(frozen=True)
class AdoptionFigure:
    as_at: date
    adopted: int            # counted schools whose adoption counts as adopted
    in_scope_open: int      # schools in scope and open as at the date
    share: Fraction | None
    by_status: dict[str, int]  # counted schools by ADOPTION_STATUSES


def still_open(state: RecommendationState | None) -> bool:
    """A recommendation still open (docs/rules-of-progress.md: "repeated recommendation still
    open"): shown as at the date, not "not accepted", and not complete (signed off). Awaiting
    sign-off and "no actions yet" are still open."""
    return state is not None and state.label not in (STATE_COMPLETE, STATE_NOT_ACCEPTED)


def counts_as_adopted(status: str) -> bool:
    """The adoption rule's numerator: adopted, own equivalent policy, or embedded."""
    return status in ADOPTED_STATUSES


# How far along each adoption status is: moving a school to a lower step is a downgrade, which
# a trust-wide record makes only when chosen school by school, with a reason. Declined sits
# with "under review": further than not started, not as far as adopted.
ADOPTION_STEP: Final[dict[str, int]] = {
    ADOPTION_NOT_STARTED: 0, ADOPTION_UNDER_REVIEW: 1, ADOPTION_DECLINED: 1,
    ADOPTION_ADOPTED: 2, ADOPTION_OWN_POLICY: 2, ADOPTION_EMBEDDED: 3,
}


def is_adoption_downgrade(before: str, after: str) -> bool:
    """Whether recording ``after`` over ``before`` moves a school back."""
    return ADOPTION_STEP[after] < ADOPTION_STEP[before]


MIN_REASON_LENGTH: Final = 10


def revised_due_problem(original: date, revised: date, reason: str | None,
                        today: date) -> tuple[str, str] | None:
    """What is wrong with a revised due date (docs/rules-of-progress.md: a slipping action carries a revised
    due date after the original and not in the past, with a reason): ("date" or "reason",
    the message), or None."""
    if revised <= original:
        return "date", ("The revised due date must be after the original due date, "
                        f"{_words(original)}")
    if revised < today:
        return "date", "The revised due date must be today or in the future"
    if len((reason or "").strip()) < MIN_REASON_LENGTH:
        return "reason", "Say in a few words why the due date has changed"
    return None


def _words(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def adoption_status_as_at(school: SchoolFact, as_at_cutoff: datetime | None) -> str:
    """The school's adoption status as recorded by the cut-off ("not_started" if none)."""
    history = _history(school.adoption_events, as_at_cutoff)
    return history[-1].status if history else ADOPTION_NOT_STARTED


def school_counts(school: SchoolFact, as_at: date) -> bool:
    """In scope, in the tracker by the end of ``as_at``, opened by then and not recorded
    closed by then: counted in the adoption figure as at ``as_at``."""
    return _counts(school, as_at, end_of_day_utc(as_at))


def _counts(school: SchoolFact, as_at: date, cutoff: datetime) -> bool:
    opened = school.open_date is None or school.open_date <= as_at
    closed = school.closed_recorded_at is not None and school.closed_recorded_at < cutoff
    return school.in_scope and school.recorded_at < cutoff and opened and not closed


def adoption_figure(schools: Iterable[SchoolFact], *, as_at: date) -> AdoptionFigure:
    cutoff = end_of_day_utc(as_at)
    by_status = dict.fromkeys(ADOPTION_STATUSES, 0)
    for school in schools:
        if _counts(school, as_at, cutoff):
            by_status[adoption_status_as_at(school, cutoff)] += 1
    return figure_from_counts(by_status, as_at=as_at)


def figure_from_counts(by_status: dict[str, int], *, as_at: date) -> AdoptionFigure:
    """The adoption figure of schools counted as at ``as_at``, given how many have each
    status (every status of ADOPTION_STATUSES, missing ones none)."""
    by_status = {status: by_status.get(status, 0) for status in ADOPTION_STATUSES}
    adopted = sum(count for status, count in by_status.items() if counts_as_adopted(status))
    total = sum(by_status.values())
    return AdoptionFigure(as_at, adopted, total, share_complete(adopted, total), by_status)


# ---- what is late, and how long things stay open (docs/rules-of-progress.md) ---------------
AGE_UNDER_3: Final = "under_3_months"
AGE_3_TO_6: Final = "3_to_6_months"
AGE_6_TO_12: Final = "6_to_12_months"
AGE_OVER_12: Final = "over_12_months"
AGE_BANDS: Final = (AGE_UNDER_3, AGE_3_TO_6, AGE_6_TO_12, AGE_OVER_12)
AGE_BAND_LABELS: Final[dict[str, str]] = {
    AGE_UNDER_3: "Under 3 months", AGE_3_TO_6: "3 to 6 months",
    AGE_6_TO_12: "6 to 12 months", AGE_OVER_12: "Over 12 months",
}


def days_late(state: ActionState, day: date) -> int:
    """Days past the current due date of a late (overdue) action judged on ``day``; 0 if not
    late. ``day`` is the day the state was judged on (``as_at``, else today)."""
    if not state.overdue:
        return 0
    return (day - state.current_due_on).days


def late_order(rows: Iterable[tuple[ActionState, int]]) -> list[tuple[ActionState, int]]:
    """(state, days late) pairs of late actions in the late list's order: most days late
    first, then the earlier original due date, then the action's id."""
    return sorted((row for row in rows if row[1] > 0),
                  key=lambda row: (-row[1], row[0].original_due_on, row[0].id))


def add_months(start: date, months: int) -> date:
    """``start`` plus whole calendar months, the day kept or, past the month's end, its last
    day (31 January + 1 month = 28 or 29 February)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def age_band(recorded_on: date, day: date) -> str:
    """The age band of something open since ``recorded_on``, on ``day``."""
    if day < add_months(recorded_on, 3):
        return AGE_UNDER_3
    if day < add_months(recorded_on, 6):
        return AGE_3_TO_6
    if day < add_months(recorded_on, 12):
        return AGE_6_TO_12
    return AGE_OVER_12


def completed_on(action: ActionFact, as_at: date | None = None) -> date | None:
    """The London day the action was completed, as recorded by the end of ``as_at`` (or now):
    the day of :func:`completed_at`; None if not complete."""
    moment = completed_at(action.updates, cutoff_for(as_at))
    return None if moment is None else london_today(moment)


def completed_at(updates: Iterable[UpdateFact], cutoff: datetime | None = None
                 ) -> datetime | None:
    """When an action with these updates (any order; ties keep the order given) was
    completed, as recorded by ``cutoff`` (None: ever): when the first update of its last
    unbroken run of "complete" updates was recorded; None if its latest is not "complete"."""
    start: UpdateFact | None = None
    for update in _history(updates, cutoff):
        if update.status != STATUS_COMPLETE:
            start = None
        elif start is None:
            start = update
    return None if start is None else start.recorded_at


def days_to_complete(action: ActionFact, as_at: date | None = None) -> int | None:
    """Days from the London day the action was recorded to the day it was completed."""
    done = completed_on(action, as_at)
    return None if done is None else _days_taken(action, done)


def _days_taken(action: ActionFact, done: date) -> int:
    """Days from the London day the action was recorded to ``done`` (never below 0)."""
    return completion(london_today(action.created_at), action.due_on, done)[0]


def average_days(days: Iterable[int]) -> Fraction | None:
    """The mean of ``days``; None for none."""
    values = list(days)
    return Fraction(sum(values), len(values)) if values else None


def format_days(average: Fraction | None) -> str:
    """Whole days, half up ("12 days", "1 day"); "–" for none."""
    if average is None:
        return NO_SHARE
    whole = math.floor(average + Fraction(1, 2))
    return f"{whole} day" if whole == 1 else f"{whole} days"


@dataclass(frozen=True)
class Ageing:
    as_at: date
    recommendations_by_band: dict[str, int]   # open recommendations, by AGE_BANDS
    actions_by_band: dict[str, int]           # open actions, by AGE_BANDS
    complete_actions: int                     # complete as at the date
    average_days_to_complete: Fraction | None
    complete_by_original_due: int
    share_by_original_due: Fraction | None    # of complete actions


def ageing(recommendations: Iterable[RecommendationFact], *, today: date,
           as_at: date | None = None) -> Ageing:
    """Open recommendations and actions by age band, and how long complete actions took, as
    recorded by the end of ``as_at`` (or now; judged on ``as_at``, else ``today``)."""
    return ageing_of(((rec, recommendation_state(rec, today=today, as_at=as_at))
                      for rec in recommendations), day=_day(today, as_at),
                     completed=lambda action: completed_on(action, as_at))


def ageing_of(judged: Iterable[tuple[RecommendationFact, RecommendationState | None]], *,
              day: date, completed: Callable[[ActionFact], date | None]) -> Ageing:
    """:func:`ageing` over recommendations already judged (each with its state as at a date,
    judged on ``day``), ``completed`` giving the day each action complete by then was
    completed (:func:`completed_on` as at that date): a page that has the states does not
    judge them again."""
    recs = dict.fromkeys(AGE_BANDS, 0)
    actions = dict.fromkeys(AGE_BANDS, 0)
    taken: list[int] = []
    on_time = 0
    for rec, state in judged:
        if state is None or not state.in_totals:
            continue
        if state.label != STATE_COMPLETE:
            recs[age_band(london_today(rec.created_at), day)] += 1
        kept = {s.id: s for s in state.action_states if s.counted}
        for action in rec.actions:
            found = kept.get(action.id)
            if found is None:
                continue
            if found.status != STATUS_COMPLETE:
                actions[age_band(london_today(action.created_at), day)] += 1
                continue
            done = completed(action)
            assert done is not None  # nosec B101  # complete, so completed on a day
            days, in_time = completion(london_today(action.created_at), action.due_on, done)
            taken.append(days)
            on_time += in_time
    return ageing_point(day, recs, actions, taken, on_time)


def completion(recorded_on: date, due_on: date, done: date) -> tuple[int, bool]:
    """A complete action's days taken, from the London day it was recorded to the day
    ``done`` it was completed (never below 0), and whether that was by its original due
    date ``due_on``."""
    return max(0, (done - recorded_on).days), done <= due_on


def ageing_point(day: date, recommendations_by_band: dict[str, int],
                 actions_by_band: dict[str, int], taken: Sequence[int], on_time: int) -> Ageing:
    """The ageing figures on ``day`` from open things counted by band and the days each
    complete action took (``on_time`` of them by the original due date)."""
    return ageing_totals(day, recommendations_by_band, actions_by_band, len(taken), sum(taken),
                         on_time)


def ageing_totals(day: date, recommendations_by_band: dict[str, int],
                  actions_by_band: dict[str, int], complete: int, days_taken: int,
                  on_time: int) -> Ageing:
    """:func:`ageing_point` from the totals of the complete actions: how many, the days they
    took in all (:func:`average_days` of them) and how many by the original due date (the
    ageing points kept, and today's summed in the database)."""
    return Ageing(day, recommendations_by_band, actions_by_band, complete,
                  Fraction(days_taken, complete) if complete else None, on_time,
                  share_complete(on_time, complete))


# ---- outcome, impact and closing (the second table of the module docstring) ---------------
CLOSED_STATE: Final[dict[str, str]] = {
    CLOSE_SUPERSEDED: STATE_SUPERSEDED, CLOSE_RISK_ACCEPTED: STATE_CLOSED_NOT_IMPLEMENTED,
    CLOSE_WITHDRAWN: STATE_WITHDRAWN,
}
JUDGEMENT_IMPACT: Final[dict[str, str]] = {
    JUDGEMENT_EVIDENCED: IMPACT_EVIDENCED, JUDGEMENT_PARTLY: IMPACT_PARTLY,
    JUDGEMENT_NOT_EVIDENCED: IMPACT_NOT_EVIDENCED,
}
IMPACT_REVIEW_MONTHS: Final = 6


def outcome_problem(intended_outcome: str | None, how_measured: str | None
                    ) -> tuple[str, str] | None:
    """What stops a sign-off for want of an outcome: ("intended_outcome" or "how_measured",
    the message), or None when both are stated."""
    if not (intended_outcome or "").strip():
        return "intended_outcome", ("Record the intended outcome before signing off: "
                                    "what should be different for children")
    if not (how_measured or "").strip():
        return "how_measured", "Record how the outcome will be measured before signing off"
    return None


def months_after(day: date, months: int) -> date:
    """``day`` plus whole calendar months, clamped to the end of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_review_on(signed_off_at: datetime) -> date:
    """Six months after the London day of the sign-off."""
    return months_after(london_today(signed_off_at), IMPACT_REVIEW_MONTHS)


@dataclass(frozen=True)
class Closure:
    """How a recommendation stands closed as at a cut-off."""
    kind: str                       # one of CLOSURE_KINDS
    recorded_at: datetime
    meeting: str | None
    minute: str | None
    review_on: date | None          # signed off: its impact review date
    superseded_by_id: int | None

    @property
    def sign_off(self) -> SignOffFact | None:
        if self.kind != CLOSE_SIGNED_OFF:
            return None
        return SignOffFact(self.recorded_at, self.meeting, self.minute)


def _closure_events(rec: RecommendationFact) -> tuple[ClosureEventFact, ...]:
    """The closure events, a ``sign_off`` given alone counting as one sign-off event."""
    if rec.sign_off is None:
        return rec.closures
    signed = ClosureEventFact(rec.sign_off.recorded_at, CLOSE_SIGNED_OFF,
                              rec.sign_off.meeting, rec.sign_off.minute)
    return (*rec.closures, signed)


def closure_as_at(events: Iterable[ClosureEventFact], cutoff: datetime | None
                  ) -> Closure | None:
    """The closure standing after the events recorded by ``cutoff``, oldest first."""
    current: Closure | None = None
    for event in _history(events, cutoff):
        current = next_closure(current, event)
    return current


def next_closure(current: Closure | None, event: ClosureEventFact) -> Closure | None:
    """One step: a closing event closes; re-opening clears; undoing clears a sign-off only;
    a new review date moves a sign-off's review date only."""
    if event.kind in CLOSURE_KINDS:
        review_on = event.review_on
        if event.kind == CLOSE_SIGNED_OFF and review_on is None:
            review_on = default_review_on(event.recorded_at)
        return Closure(event.kind, event.recorded_at, event.meeting, event.minute,
                       review_on, event.superseded_by_id)
    signed = current is not None and current.kind == CLOSE_SIGNED_OFF
    if event.kind == EVENT_REOPENED or (event.kind == EVENT_SIGN_OFF_UNDONE and signed):
        return None
    if event.kind == EVENT_REVIEW_DATE and signed and event.review_on is not None:
        assert current is not None  # nosec B101  # signed implies a closure
        return Closure(current.kind, current.recorded_at, current.meeting, current.minute,
                       event.review_on, current.superseded_by_id)
    return current


def impact_state(label: str, closure: Closure | None, reviews: Iterable[ImpactReviewFact],
                 day: date, cutoff: datetime | None) -> str | None:
    """Implemented, impact review due, or the confirmed judgement: only for a complete
    (signed off) recommendation; reviews recorded before its sign-off are left out."""
    if label != STATE_COMPLETE or closure is None:
        return None
    return impact_on(_confirmed_impact(closure, reviews, cutoff), closure.review_on, day)


def _confirmed_impact(closure: Closure, reviews: Iterable[ImpactReviewFact],
                      cutoff: datetime | None) -> str | None:
    """The impact the latest review confirmed by the cut-off judged, of the reviews recorded
    since the sign-off; None if none is confirmed."""
    confirmed = [review for review in _history(reviews, cutoff)
                 if review.recorded_at >= closure.recorded_at
                 and review.confirmed_at is not None
                 and recorded_by(review.confirmed_at, cutoff)]
    if not confirmed:
        return None
    return JUDGEMENT_IMPACT[max(confirmed, key=attrgetter("confirmed_at")).judgement]


def impact_on(confirmed: str | None, review_on: date | None, day: date) -> str:
    """A signed-off recommendation's impact on ``day``: the confirmed judgement, else review
    due once its review date is reached, else implemented."""
    if confirmed is not None:
        return confirmed
    if review_on is not None and day >= review_on:
        return IMPACT_REVIEW_DUE
    return IMPACT_IMPLEMENTED


def impact_evidence_awaited(state: RecommendationState | None,
                            reviews: Iterable[ImpactReviewFact]) -> bool:
    """Its impact review is due and the owner has recorded no impact review since the
    sign-off (one recorded and awaiting confirmation is the confirmer's to act on, not the
    owner's)."""
    if state is None or state.impact != IMPACT_REVIEW_DUE or state.closure is None:
        return False
    signed_at = state.closure.recorded_at
    return not any(review.recorded_at >= signed_at for review in reviews)


_MONTHS: Final[dict[str, int]] = {
    name: number for number, names in enumerate((
        ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
        ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
        ("september", "sept", "sep"), ("october", "oct"), ("november", "nov"),
        ("december", "dec")), start=1) for name in names
}
_DATE_WORDS: Final = re.compile(
    r"\b(?:(\d{1,2})(?:st|nd|rd|th)?\s+)?([a-z]+)\.?,?\s+(\d{4})\b", re.IGNORECASE)


def timetable_due_on(text: str | None) -> date | None:
    """The last date an executive timetable names: a day, or the last day of a month;
    None when it names no month and year."""
    if not text:
        return None
    found = None
    for day_words, month_words, year_words in _DATE_WORDS.findall(text):
        month = _MONTHS.get(month_words.lower())
        if month is not None:
            found = _named_date(int(year_words), month, day_words) or found
    return found


def _named_date(year: int, month: int, day_words: str) -> date | None:
    if not day_words:
        return months_after(date(year, month, 1), 1) - timedelta(days=1)
    try:
        return date(year, month, int(day_words))
    except ValueError:
        return None


def is_late(source: str, label: str, due_on: date | None, day: date) -> bool:
    """A scrutiny recommendation in totals, not complete, past its timetable date."""
    if source != SOURCE_SCRUTINY or due_on is None:
        return False
    if label in _NEVER_LATE:
        return False
    return day > due_on


_NEVER_LATE: Final = frozenset((STATE_COMPLETE, STATE_NOT_ACCEPTED, *CLOSED_OTHER_STATES))


def rag_problem(status: str, rag: str | None, reason: str | None) -> tuple[str, str] | None:
    """A red or amber rating carries a reason; an update marking the action complete carries
    no red or amber: ("rag" or "reason", the message), or None."""
    if rag not in (RAG_RED, RAG_AMBER):
        return None
    if status == STATUS_COMPLETE:
        return "rag", ("An update marking the action complete carries no red or amber "
                       "rating: choose green, or no rating")
    if len((reason or "").strip()) < MIN_REASON_LENGTH:
        return "reason", f"Give the reason for the {LABELS[rag].lower()} rating in a few words"
    return None


def slipping_problem(rag: str | None, current_due_on: date, revised_due_on: date | None,
                     recorded_on: date) -> tuple[str, str] | None:
    """A slipping action (rated red or amber after its current due date has passed) carries a
    revised due date: ("revised_due_on", the message), or None."""
    if rag not in (RAG_RED, RAG_AMBER) or revised_due_on is not None:
        return None
    if recorded_on <= current_due_on:
        return None
    return "revised_due_on", (f"The action was due on {_words(current_due_on)}: enter a "
                              "revised due date, with the reason it has changed")
