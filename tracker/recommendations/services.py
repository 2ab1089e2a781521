"""Writes to recommendations, responses, actions, progress updates, challenges and sign-off.

Each function checks who may do it (tracker.permissions; refused -> ``NotAllowed``, which
views answer with 404), checks the call-in guard where work is recorded, changes the rows,
writes the audit event in the same transaction and commits.

Call-in (tracker.decisions.callin.ensure_implementable) guards: adding an action, a progress
update recording an action as in progress or complete, and signing a recommendation off.
An update recording "not started", "paused" or "cancelled" is allowed while a decision is
open to call-in or called in: it records no work started (pausing is what a call-in asks).
A scrutiny recommendation not yet taken up under a decision part has no decision to guard it,
so no action can be added to it until it is taken up (the safer reading).

``actions.status``, ``rag``, ``current_due_on``, ``latest_update_id``, ``latest_update_at`` and
``completed_at`` are figures kept on write (``tracker.recommendations.kept``, by the rules in
tracker.progress), written only by ``_refresh_cache`` here, with each update. ``rag`` keeps
the RAG as last entered (red, amber, green; None if none given or the action is complete or
cancelled); the RAG shown is always computed, as is overdue.
"""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from typing import Sequence

import sqlalchemy as sa

from tracker.problems import FieldProblem, NotAllowed
from tracker import audit, permissions, progress
from tracker.clock import now
from tracker.decisions.callin import ensure_implementable
from tracker.extensions import db
from tracker.models import (
    Action, Challenge, DecisionPart, EvidenceLink, ExecutiveResponse, Organisation,
    ProgressUpdate, Recommendation, User,
)
from tracker.recommendations import facts, kept
from tracker.vocab import ACTION_STATUS_LABELS, RAGS, RESPONSE_LABELS, STATUSES_NEEDING_REASON

WORK_STATUSES = (progress.STATUS_IN_PROGRESS, progress.STATUS_COMPLETE)





def _allow(allowed: bool) -> None:
    if not allowed:
        raise NotAllowed()


# --- dates -----------------------------------------------------------------------------------
def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole calendar months, clamped to the end of a shorter month
    (31 December + 2 months = 28 or 29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def response_due(report_published_on: dt.date | None) -> dt.date | None:
    """Two months after the committee's report was published (s.9FE LGA 2000)."""
    return add_months(report_published_on, 2) if report_published_on else None


# --- recommendations -------------------------------------------------------------------------
@dataclass
class RecommendationDetails:
    source: str
    reference: str
    text: str
    part_id: int | None = None
    owner_id: int | None = None
    lead_service: str | None = None
    committee: str | None = None
    meeting_on: dt.date | None = None
    minute_reference: str | None = None
    report_published_on: dt.date | None = None
    owner_organisation_id: int | None = None


def organisation_or_problem(organisation_id: int | None, owner_id: int | None,
                            field_name: str = "owner_id") -> int | None:
    """Work is owned by a person or by an organisation (shown as its named lead), never both."""
    if organisation_id is None:
        return None
    if owner_id is not None:
        raise FieldProblem(field_name, "Choose a person or an organisation as the owner, not both")
    if db.session.scalar(sa.select(Organisation.id).where(
            Organisation.id == organisation_id, permissions.possible_owner_organisations())) is None:
        raise FieldProblem(field_name, "Choose the organisation from the list")
    return organisation_id


def owner_or_problem(owner_id: int | None, field_name: str = "owner_id",
                     required: bool = False) -> User | None:
    if owner_id is None:
        if required:
            raise FieldProblem(field_name, "Choose who owns this")
        return None
    owner = db.session.get(User, owner_id)
    if owner is None or not owner.active or not permissions.may_own_work(owner):
        raise FieldProblem(field_name, "Choose an active officer or administrator as the owner")
    return owner


def _part(part_id: int | None, source: str) -> DecisionPart | None:
    if part_id is None:
        if source != "scrutiny":
            raise FieldProblem("part_id", "Choose the decision part this recommendation belongs to "
                                     "(only a scrutiny recommendation can wait for the executive)")
        return None
    part = db.session.get(DecisionPart, part_id)
    if part is None or part.is_withdrawn or part.decision.is_withdrawn:
        raise FieldProblem("part_id", "Choose a decision part that is in the tracker")
    return part


def _check_details(d: RecommendationDetails) -> dict[str, object]:
    _part(d.part_id, d.source)
    owner_or_problem(d.owner_id)
    organisation_or_problem(d.owner_organisation_id, d.owner_id)
    scrutiny = d.source == "scrutiny"
    if not scrutiny and any((d.committee, d.meeting_on, d.minute_reference,
                             d.report_published_on)):
        raise FieldProblem("committee", "Committee, meeting, minute and report dates are for "
                                   "scrutiny recommendations only: clear them or choose Scrutiny")
    return {
        "source": d.source, "reference": d.reference, "text": d.text, "part_id": d.part_id,
        "owner_id": d.owner_id, "owner_organisation_id": d.owner_organisation_id,
        "lead_service": d.lead_service or None,
        "committee": d.committee or None, "meeting_on": d.meeting_on,
        "minute_reference": d.minute_reference or None,
        "report_published_on": d.report_published_on,
        "response_due_on": response_due(d.report_published_on) if scrutiny else None,
    }


def _next_position(part_id: int | None) -> int:
    if part_id is None:
        return 0
    top = db.session.scalar(sa.select(sa.func.max(Recommendation.position))
                            .where(Recommendation.part_id == part_id))
    return (top or 0) + 1


def create_recommendation(user: User, details: RecommendationDetails, *,
                          is_example: bool = False, commit: bool = True) -> Recommendation:
    _allow(permissions.can_manage(user))
    values = _check_details(details)
    rec = Recommendation(**values, position=_next_position(details.part_id),
                         is_example=is_example)
    audit.created(rec, f"Recommendation {rec.reference} added")
    if commit:
        db.session.commit()
    return rec


def edit_recommendation(user: User, rec: Recommendation, details: RecommendationDetails,
                        expected_version: int | None, *, commit: bool = True) -> None:
    _allow(permissions.can_manage(user))
    values = _check_details(details)
    if values["part_id"] != rec.part_id:
        values["position"] = _next_position(details.part_id)
    audit.updated(rec, values, f"Recommendation {details.reference} edited", expected_version)
    if commit:
        db.session.commit()


def withdraw_recommendation(user: User, rec: Recommendation, reason: str,
                            expected_version: int | None) -> None:
    _allow(permissions.can_manage(user))
    audit.withdrawn(rec, reason, f"Recommendation {rec.reference} withdrawn: {reason}",
                    expected_version)
    db.session.commit()


def take_up(user: User, rec: Recommendation, part_id: int, expected_version: int | None) -> None:
    """The executive takes a scrutiny recommendation up under a decision part."""
    _allow(permissions.can_manage(user))
    part = _part(part_id, rec.source)
    assert part is not None  # nosec B101  # the take-up form requires a part: _part returns it
    audit.updated(rec, {"part_id": part.id, "position": _next_position(part.id)},
                  f"Recommendation {rec.reference} taken up under part ({part.label}) of "
                  f"{part.decision.reference or part.decision.title}", expected_version)
    db.session.commit()


# --- executive responses ---------------------------------------------------------------------
@dataclass
class ResponseDetails:
    response: str
    response_text: str | None = None
    reason: str | None = None
    cabinet_member: str | None = None
    lead_officer: str | None = None
    timetable: str | None = None


def record_response(user: User, rec: Recommendation, d: ResponseDetails, *,
                    commit: bool = True) -> ExecutiveResponse:
    """A new response row: the latest is current, earlier ones stay as history."""
    _allow(permissions.can_manage(user))
    if d.response not in RESPONSE_LABELS:
        raise FieldProblem("response", "Choose the executive's response")
    if d.response != "accepted" and not (d.reason or "").strip():
        raise FieldProblem("reason", "Give the reason: a reason is required unless the "
                                "recommendation is accepted")
    response = ExecutiveResponse(
        recommendation=rec, response=d.response, response_text=d.response_text or None,
        reason=d.reason or None, cabinet_member=d.cabinet_member or None,
        lead_officer=d.lead_officer or None, timetable=d.timetable or None,
        recorded_at=now(), recorded_by_id=user.id)
    audit.created(response, f"Executive response to {rec.reference}: "
                            f"{RESPONSE_LABELS[d.response]}")
    if commit:
        db.session.commit()
    return response


# --- actions ---------------------------------------------------------------------------------
@dataclass
class ActionDetails:
    title: str
    owner_id: int | None
    due_on: dt.date | None = None
    description: str | None = None
    owner_organisation_id: int | None = None


def _action_owners(d: ActionDetails) -> None:
    """An action has one owner: an officer or administrator, or an organisation."""
    organisation_or_problem(d.owner_organisation_id, d.owner_id)
    owner_or_problem(d.owner_id, required=d.owner_organisation_id is None)


def _guard(rec: Recommendation, today: dt.date) -> None:
    if rec.part is None:
        raise FieldProblem("title", "Actions can be added once the executive has taken this "
                               "recommendation up under a decision part")
    ensure_implementable(rec.part.decision, today)


def add_action(user: User, rec: Recommendation, d: ActionDetails, today: dt.date, *,
               is_example: bool = False, commit: bool = True) -> Action:
    _allow(permissions.can_add_action(user, rec))
    if rec.is_withdrawn:
        raise NotAllowed()
    _action_owners(d)
    if d.due_on is None:
        raise FieldProblem("due_on", "Enter the date the action is due")
    _guard(rec, today)
    action = Action(recommendation=rec, title=d.title, description=d.description or None,
                    owner_id=d.owner_id, owner_organisation_id=d.owner_organisation_id,
                    due_on=d.due_on, created_by_id=user.id,
                    status=progress.STATUS_NOT_STARTED, rag=None, current_due_on=d.due_on,
                    is_example=is_example)
    audit.created(action, f"Action added to {rec.reference}: {d.title}")
    if commit:
        db.session.commit()
    return action


def edit_action(user: User, action: Action, d: ActionDetails,
                expected_version: int | None, *, commit: bool = True) -> None:
    """Title, description and owner. The due date is never edited: a progress update revises
    it with a reason, and the original stays visible."""
    _allow(permissions.can_add_action(user, action.recommendation))
    _action_owners(d)
    audit.updated(action, {"title": d.title, "description": d.description or None,
                           "owner_id": d.owner_id,
                           "owner_organisation_id": d.owner_organisation_id},
                  f"Action edited: {d.title}", expected_version)
    if commit:
        db.session.commit()


def withdraw_action(user: User, action: Action, reason: str,
                    expected_version: int | None) -> None:
    _allow(permissions.can_add_action(user, action.recommendation))
    audit.withdrawn(action, reason, f"Action withdrawn: {action.title}: {reason}",
                    expected_version)
    db.session.commit()


# --- progress updates ------------------------------------------------------------------------
@dataclass
class UpdateDetails:
    status: str
    rag: str | None = None
    narrative: str = ""
    reason: str | None = None
    revised_due_on: dt.date | None = None
    revised_due_reason: str | None = None
    evidence: Sequence[tuple[str, str]] = field(default_factory=tuple)


def _check_update(action: Action, d: UpdateDetails, today: dt.date,
                  recorded_on: dt.date) -> None:
    if d.status not in progress.ACTION_STATUSES:
        raise FieldProblem("status", "Choose the status of the action after this update")
    if d.status in STATUSES_NEEDING_REASON and not (d.reason or "").strip():
        raise FieldProblem("reason", f"Give the reason the action is {d.status}")
    if d.rag is not None and d.rag not in RAGS:
        raise FieldProblem("rag", "Choose red, amber or green")
    if d.status in (progress.STATUS_IN_PROGRESS, progress.STATUS_PAUSED) and d.rag is None:
        raise FieldProblem("rag", "Choose a RAG rating: red, amber or green")
    if d.revised_due_on is not None and not (d.revised_due_reason or "").strip():
        raise FieldProblem("revised_due_reason", "Give the reason the due date is revised")
    if d.revised_due_reason and d.revised_due_on is None:
        raise FieldProblem("revised_due_on", "Enter the revised due date, or clear the reason")
    if d.revised_due_on is not None and (problem := progress.revised_due_problem(
            action.due_on, d.revised_due_on, d.revised_due_reason, recorded_on)) is not None:
        field_name, message = problem
        raise FieldProblem("revised_due_on" if field_name == "date" else "revised_due_reason",
                           message)
    if (problem := progress.rag_problem(d.status, d.rag, d.reason)) is not None:
        raise FieldProblem(*problem)
    if (problem := progress.slipping_problem(d.rag, action.current_due_on or action.due_on,
                                             d.revised_due_on, recorded_on)) is not None:
        raise FieldProblem(*problem)
    for url, description in d.evidence:
        if not url.lower().startswith(("http://", "https://")):
            raise FieldProblem("evidence", "Evidence links must start with http:// or https://")
        if not description.strip():
            raise FieldProblem("evidence", "Describe each piece of evidence")
    if d.status in WORK_STATUSES:
        part = action.recommendation.part
        if part is None:
            raise FieldProblem("status", "Work can be recorded once the executive has taken this "
                                    "recommendation up under a decision part")
        ensure_implementable(part.decision, today)


def record_update(user: User, action: Action, d: UpdateDetails, today: dt.date, *,
                  recorded_at: dt.datetime | None = None, is_example: bool = False,
                  commit: bool = True) -> ProgressUpdate:
    """Append a progress update (never edited or deleted) and refresh the action's cache."""
    _allow(permissions.can_update_action(user, action))
    if action.is_withdrawn or action.recommendation.is_withdrawn:
        raise NotAllowed()
    # Updates are appended, never edited: two people recording updates on one action at the
    # same moment must both succeed. Wait for the action's row (PostgreSQL; SQLite writers
    # queue anyway) and read it afresh, so its cache is refreshed from the latest version.
    db.session.refresh(action, with_for_update=True)
    # A revised due date may not be in the past on the day the update is recorded (the demo's
    # backdated updates are judged on their own day).
    _check_update(action, d, today,
                  progress.london_today(recorded_at) if recorded_at is not None else today)
    # Writers of one action queue here (a row lock on PostgreSQL; SQLite's writes already
    # queue), so the cache is computed from every update, theirs included, and an update
    # posted at the same moment as someone else's is stored, not refused.
    db.session.refresh(action, with_for_update=True)
    db.session.expire(action, ["updates"])
    closing = d.status in progress.CLOSED_STATUSES
    update = ProgressUpdate(
        action=action, author_id=user.id, recorded_at=recorded_at or now(), status=d.status,
        rag=None if closing else d.rag, narrative=d.narrative or "", reason=d.reason or None,
        revised_due_on=d.revised_due_on, revised_due_reason=d.revised_due_reason or None,
        is_example=is_example)
    update.evidence = [EvidenceLink(url=u, description=desc) for u, desc in d.evidence]
    audit.created(update, f"Progress update on {action.title}: "
                          f"{ACTION_STATUS_LABELS[d.status]}")
    _refresh_cache(action, today)
    if commit:
        db.session.commit()
    return update


def _refresh_cache(action: Action, today: dt.date) -> None:
    """The only writer of the action's kept figures (``tracker.recommendations.kept``: status,
    RAG entered, current due date, latest update), in the update's transaction."""
    db.session.flush()
    figures = kept.figures_of(action)
    audit.updated(action, figures.values(),
                  f"Action {action.title}: {ACTION_STATUS_LABELS[figures.status]}")


# --- challenges ------------------------------------------------------------------------------
def ask_challenge(user: User, rec: Recommendation, question: str, *,
                  commit: bool = True) -> Challenge:
    _allow(permissions.can_ask_challenge(user) and permissions.can_see_recommendation(user, rec))
    challenge = Challenge(recommendation=rec, asked_by_id=user.id, asked_at=now(),
                          question=question)
    audit.created(challenge, f"Question asked on {rec.reference}")
    if commit:
        db.session.commit()
    return challenge


def answer_challenge(user: User, challenge: Challenge, answer: str,
                     expected_version: int | None) -> None:
    _allow(permissions.can_answer_challenge(user, challenge))
    if not challenge.is_open:
        raise FieldProblem("answer", "This question has already been answered")
    audit.updated(challenge, {"answer": answer, "answered_by_id": user.id,
                              "answered_at": now()},
                  f"Question on {challenge.recommendation.reference} answered",
                  expected_version)
    from tracker.messages.services import tell_asker
    tell_asker(challenge)  # queued in this transaction: "your question has been answered"
    db.session.commit()


# --- sign-off -----------------------------------------------------------------------------------------
def sign_off(user: User, rec: Recommendation, meeting: str | None, minute: str | None,
             today: dt.date, expected_version: int | None, *, commit: bool = True,
             review_on: dt.date | None = None) -> None:
    """An administrator signs off a recommendation whose every counted action is complete
    and whose outcome and measure are stated, recording the committee meeting and minute that
    agreed closure where there is one, and the impact review date (default six months on).
    The sign-off is a step of the closing history (tracker.recommendations.closing)."""
    from tracker.recommendations import closing

    _allow(permissions.can_sign_off(user))
    state = facts.state_of(rec, today=today)
    if state is None or state.label != progress.STATE_AWAITING_SIGN_OFF:
        raise FieldProblem("sign_off_meeting", "Only a recommendation awaiting sign-off (every "
                                          "counted action complete) can be signed off")
    _guard(rec, today)
    audit.check_version(rec, expected_version)
    closing.sign_off_step(user, rec, meeting, minute, review_on, today)
    if commit:
        db.session.commit()
