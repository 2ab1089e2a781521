"""Writes for outcome, closing and impact (docs/rules-of-progress.md, "Closing and impact").

Each function checks who may do it (tracker.permissions; refused -> ``NotAllowed``), checks
the rules of tracker.progress (refused -> ``FieldProblem`` before the first write), adds a
history row (never edited), writes the audit event in the same transaction and commits.

The sign-off columns on ``recommendations`` (signed_off_at, by, meeting, minute) are a copy
of the sign-off standing now, for lists; the closing history is what the rules read, so
"as at" a date reads each recommendation as it stood.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from tracker import audit, permissions, progress
from tracker.clock import now
from tracker.extensions import db
from tracker.models import (
    Challenge, ImpactEvidenceLink, ImpactReview, Recommendation, RecommendationClosure, User,
)
from tracker.problems import FieldProblem, NotAllowed
from tracker.recommendations import facts

CLOSE_WORDS = {
    progress.CLOSE_SIGNED_OFF: "signed off as complete",
    progress.CLOSE_SUPERSEDED: "closed: superseded",
    progress.CLOSE_RISK_ACCEPTED: "closed as not implemented, risk accepted",
    progress.CLOSE_WITHDRAWN: "closed: withdrawn",
    progress.EVENT_REOPENED: "re-opened",
    progress.EVENT_SIGN_OFF_UNDONE: "sign-off undone",
    progress.EVENT_REVIEW_DATE: "impact review date changed",
}
OTHER_WAYS = (progress.CLOSE_SUPERSEDED, progress.CLOSE_RISK_ACCEPTED, progress.CLOSE_WITHDRAWN)


def _allow(allowed: bool) -> None:
    if not allowed:
        raise NotAllowed()


def _reason(reason: str | None, field: str = "reason") -> str:
    if len((reason or "").strip()) < progress.MIN_REASON_LENGTH:
        raise FieldProblem(field, "Give the reason in a few words")
    return (reason or "").strip()


def _state(rec: Recommendation, today: dt.date) -> progress.RecommendationState:
    state = facts.state_of(rec, today=today)
    if state is None or rec.is_withdrawn:
        raise NotAllowed()
    return state


def _add_step(user: User, rec: Recommendation, kind: str, **values: object
              ) -> RecommendationClosure:
    step = RecommendationClosure(recommendation=rec, kind=kind, recorded_at=now(),
                                 recorded_by_id=user.id, **values)
    audit.created(step, f"Recommendation {rec.reference} {CLOSE_WORDS[kind]}")
    return step


def _keep_sign_off_copy(rec: Recommendation, step: RecommendationClosure | None) -> None:
    """The sign-off columns follow the sign-off standing now (a copy, for lists)."""
    audit.updated(rec, {
        "signed_off_at": step.recorded_at if step else None,
        "signed_off_by_id": step.recorded_by_id if step else None,
        "sign_off_meeting": step.meeting if step else None,
        "sign_off_minute": step.minute if step else None,
    }, f"Recommendation {rec.reference}: sign-off {'recorded' if step else 'cleared'}")


# --- outcome -----------------------------------------------------------------------------------
def record_outcome(user: User, rec: Recommendation, intended_outcome: str | None,
                   how_measured: str | None, expected_version: int | None) -> None:
    _allow(permissions.can_record_outcome(user, rec) and not rec.is_withdrawn)
    if not (intended_outcome or "").strip():
        raise FieldProblem("intended_outcome", "Say what should be different for children "
                                               "when this is done")
    if not (how_measured or "").strip():
        raise FieldProblem("how_measured", "Say how the outcome will be measured")
    audit.updated(rec, {"intended_outcome": intended_outcome.strip(),  # type: ignore[union-attr]
                        "how_measured": how_measured.strip()},  # type: ignore[union-attr]
                  f"Recommendation {rec.reference}: outcome and measure recorded",
                  expected_version)
    db.session.commit()


# --- sign-off and the other ways to close ------------------------------------------------------
def sign_off_step(user: User, rec: Recommendation, meeting: str | None, minute: str | None,
                  review_on: dt.date | None, today: dt.date) -> None:
    """The history row of a sign-off (services.sign_off checks the state and call-in)."""
    problem = progress.outcome_problem(rec.intended_outcome, rec.how_measured)
    if problem is not None:
        raise FieldProblem(*problem)
    if review_on is not None and review_on <= today:
        raise FieldProblem("review_on", "The impact review date must be in the future")
    step = _add_step(user, rec, progress.CLOSE_SIGNED_OFF, meeting=meeting or None,
                     minute=minute or None, review_on=review_on)
    _keep_sign_off_copy(rec, step)


def close(user: User, rec: Recommendation, kind: str, *, reason: str | None,
          meeting: str | None, minute: str | None, superseded_by_id: int | None,
          risk_accepted_by: str | None, today: dt.date) -> RecommendationClosure:
    """Close another way: superseded (by which), risk accepted (by whom), or withdrawn."""
    _allow(permissions.can_close(user))
    state = _state(rec, today)
    if kind not in OTHER_WAYS:
        raise FieldProblem("kind", "Choose how the recommendation is closed")
    if state.closure is not None:
        raise FieldProblem("kind", "This recommendation is already closed: re-open it first")
    text = _reason(reason)
    values: dict[str, object] = {"reason": text, "meeting": meeting or None,
                                 "minute": minute or None}
    if kind == progress.CLOSE_SUPERSEDED:
        values["superseded_by_id"] = _superseding(rec, superseded_by_id)
    if kind == progress.CLOSE_RISK_ACCEPTED:
        if not (risk_accepted_by or "").strip():
            raise FieldProblem("risk_accepted_by", "Say who accepted the risk")
        values["risk_accepted_by"] = (risk_accepted_by or "").strip()
    step = _add_step(user, rec, kind, **values)
    db.session.commit()
    return step


def _superseding(rec: Recommendation, other_id: int | None) -> int:
    other = db.session.get(Recommendation, other_id) if other_id else None
    if other is None or other.id == rec.id or other.is_withdrawn:
        raise FieldProblem("superseded_by_id", "Choose the recommendation that supersedes "
                                               "this one")
    return other.id


def reopen(user: User, rec: Recommendation, reason: str | None, today: dt.date) -> None:
    """Re-open a signed-off or closed recommendation, with a reason."""
    _allow(permissions.can_close(user))
    state = _state(rec, today)
    if state.closure is None:
        raise FieldProblem("reason", "This recommendation is not closed")
    _add_step(user, rec, progress.EVENT_REOPENED, reason=_reason(reason))
    if state.closure.kind == progress.CLOSE_SIGNED_OFF:
        _keep_sign_off_copy(rec, None)
    db.session.commit()


def undo_sign_off(user: User, rec: Recommendation, reason: str | None, today: dt.date) -> None:
    """An administrator undoes a sign-off made in error, with a reason."""
    _allow(permissions.can_close(user))
    state = _state(rec, today)
    if state.sign_off is None:
        raise FieldProblem("reason", "This recommendation is not signed off")
    _add_step(user, rec, progress.EVENT_SIGN_OFF_UNDONE, reason=_reason(reason))
    _keep_sign_off_copy(rec, None)
    db.session.commit()


def set_review_date(user: User, rec: Recommendation, review_on: dt.date | None,
                    reason: str | None, today: dt.date) -> None:
    _allow(permissions.can_close(user))
    state = _state(rec, today)
    if state.sign_off is None:
        raise FieldProblem("review_on", "Only a signed-off recommendation has a review date")
    if review_on is None or review_on <= today:
        raise FieldProblem("review_on", "Enter a review date in the future")
    _add_step(user, rec, progress.EVENT_REVIEW_DATE, review_on=review_on,
              reason=(reason or "").strip() or None)
    db.session.commit()


# --- impact ------------------------------------------------------------------------------------
def record_impact(user: User, rec: Recommendation, narrative: str | None, judgement: str | None,
                  links: Sequence[tuple[str, str]], today: dt.date) -> ImpactReview:
    """The owner records the impact evidence and a judgement once the review is due."""
    _allow(permissions.can_record_impact(user, rec))
    state = _state(rec, today)
    if state.impact != progress.IMPACT_REVIEW_DUE:
        raise FieldProblem("narrative", "Impact evidence is recorded once the impact review "
                                        "is due and until a review is confirmed")
    if not (narrative or "").strip():
        raise FieldProblem("narrative", "Describe the evidence of impact")
    if judgement not in progress.JUDGEMENTS:
        raise FieldProblem("judgement", "Choose whether the impact is evidenced")
    review = ImpactReview(recommendation=rec, recorded_at=now(), recorded_by_id=user.id,
                          narrative=(narrative or "").strip(), judgement=judgement)
    review.links = [ImpactEvidenceLink(url=url, description=desc) for url, desc in links]
    audit.created(review, f"Impact review of {rec.reference} recorded")
    db.session.commit()
    return review


def confirm_impact(user: User, review: ImpactReview, expected_version: int | None,
                   today: dt.date) -> None:
    """A member or administrator confirms the owner's judgement (once)."""
    _allow(permissions.can_confirm_impact(user))
    state = _state(review.recommendation, today)
    if review.confirmed_at is not None or state.impact != progress.IMPACT_REVIEW_DUE:
        raise FieldProblem("confirm", "This impact review cannot be confirmed now")
    audit.updated(review, {"confirmed_at": now(), "confirmed_by_id": user.id},
                  f"Impact review of {review.recommendation.reference} confirmed",
                  expected_version)
    db.session.commit()


# --- challenges ----------------------------------------------------------------------------------
def withdraw_challenge(user: User, challenge: Challenge, reason: str | None,
                       expected_version: int | None) -> None:
    """The member who asked withdraws a question not yet answered, with a reason."""
    _allow(permissions.can_withdraw_challenge(user, challenge))
    audit.withdrawn(challenge, _reason(reason),
                    f"Challenge on {challenge.recommendation.reference} withdrawn",
                    expected_version)
    db.session.commit()
