"""Who may do what: DESIGN.md's role table, the one place it lives.

Every view declares the roles it admits with ``@roles(...)`` (or ``@public`` for the few
pages anyone may read); a test walks ``app.url_map`` and fails on a view that declares none.
Object-level rules are plain functions of (user, thing) that services and views call.
Whatever a role may not see, or may not change, answers 404 as if it were absent.
"""
from __future__ import annotations

from functools import wraps
from typing import TYPE_CHECKING, Any, Callable, TypeVar

from flask import abort, current_app, request
from flask_login import current_user

if TYPE_CHECKING:
    from tracker.models import (
        Action, Challenge, Decision, DecisionPart, Guidance, Recommendation, School, User,
    )

ADMIN = "admin"
OFFICER = "officer"
MEMBER = "member"
SCHOOL_LEAD = "school_lead"
ALL_ROLES = (ADMIN, OFFICER, MEMBER, SCHOOL_LEAD)
STAFF = (ADMIN, OFFICER, MEMBER)  # everyone who sees all decisions and all history

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


def roles(*allowed: str) -> Callable[[F], F]:
    """Admit only signed-in users whose role is in ``allowed``; others get 404."""
    unknown = set(allowed) - set(ALL_ROLES)
    if not allowed or unknown:
        raise ValueError(f"roles() needs known roles, got {allowed!r}")

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
            if current_user.role not in allowed:
                refuse()
            return view(*args, **kwargs)

        wrapped.allowed_roles = frozenset(allowed)  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator


def command_roles(*allowed: str, bootstrap: bool = False) -> Callable[[F], F]:
    """Declare who may run a command (``flask ...``), as ``@roles`` does for a page; put it
    under ``@group.command(...)``. ``tracker.cli.acting_as`` refuses anyone else. With
    ``bootstrap`` the command may also run as no one while the tracker has no users of its
    own yet (creating the first administrator, loading the demo)."""
    unknown = set(allowed) - set(ALL_ROLES)
    if not allowed or unknown:
        raise ValueError(f"command_roles() needs known roles, got {allowed!r}")

    def decorator(command: F) -> F:
        command.allowed_roles = frozenset(allowed)  # type: ignore[attr-defined]
        command.bootstrap = bootstrap  # type: ignore[attr-defined]
        return command

    return decorator


def may_run(user: User, command: Callable[..., Any]) -> bool:
    """The same table as the pages: a command admits the roles it declares, no others."""
    return user.role in getattr(command, "allowed_roles", frozenset())


def public(view: F) -> F:
    """Mark a page anyone may read, signed in or not (sign-in, accessibility, privacy)."""
    view.allowed_roles = frozenset(("anonymous",) + ALL_ROLES)  # type: ignore[attr-defined]
    view.is_public = True  # type: ignore[attr-defined]
    return view


def refuse() -> None:
    """Answer 404 and record the refusal in the audit trail."""
    from tracker.audit import record_refusal

    record_refusal(request.path)
    abort(404)


def require(allowed: bool) -> None:
    if not allowed:
        refuse()


def visible_or_refused(thing: T | None, may_see: Callable[[T], bool]) -> T:
    """The record an address names, if this user may see it; otherwise refused. Absent and
    hidden take the one path (404, counted in the audit trail), so neither the answer nor
    the time it takes tells a hidden record from one that does not exist."""
    if thing is None or not may_see(thing):
        refuse()
    return thing  # type: ignore[return-value]


# --- Object-level rules -------------------------------------------------------------------

def can_see_decision(user: User, decision: Decision) -> bool:
    if decision.is_withdrawn and user.role != ADMIN:
        return False
    if user.role == SCHOOL_LEAD:
        return not decision.is_exempt
    return user.role in ALL_ROLES


def can_manage(user: User) -> bool:
    """Create and edit decisions, recommendations, imports, users, terminology."""
    return user.role == ADMIN


def owns_recommendation(user: User, rec: Recommendation) -> bool:
    return rec.owner_id is not None and rec.owner_id == user.id


def can_add_action(user: User, rec: Recommendation) -> bool:
    return user.role == ADMIN or (user.role == OFFICER and owns_recommendation(user, rec))


def can_update_action(user: User, action: Action) -> bool:
    if user.role == ADMIN:
        return True
    return user.role == OFFICER and (
        action.owner_id == user.id or owns_recommendation(user, action.recommendation))


def can_ask_challenge(user: User) -> bool:
    return user.role == MEMBER


def can_answer_challenge(user: User, challenge: Challenge) -> bool:
    if user.role == ADMIN:
        return True
    return user.role == OFFICER and owns_recommendation(user, challenge.recommendation)


def can_sign_off(user: User) -> bool:
    return user.role == ADMIN


def can_see_recommendation(user: User, rec: Recommendation) -> bool:
    """Staff read every recommendation (withdrawn ones: administrators only). A school lead
    reads those under an Open decision (its progress is the decision's progress), never one
    under an exempt decision, nor a scrutiny recommendation not yet taken up by a decision."""
    if user.role != ADMIN and (rec.is_withdrawn or (rec.part is not None and rec.part.is_withdrawn)):
        return False
    if rec.part is None:
        return user.role in STAFF
    return can_see_decision(user, rec.part.decision)


def can_see_recommendation_history(user: User) -> bool:
    """The audit history and the scrutiny challenges of a recommendation: staff only (a
    school lead's history is that of their own schools)."""
    return user.role in STAFF


def owns_part(user: User, part: DecisionPart | None) -> bool:
    return part is not None and part.owner_id == user.id


def lead_school_ids(user: User) -> set[int]:
    """The schools a school lead answers for: linked schools (a trust lead's are the trust's)."""
    return {s.id for s in user.schools}


def leads_school(user: User, school: School) -> bool:
    if user.role != SCHOOL_LEAD:
        return False
    if user.trust_code and school.trust_code == user.trust_code:
        return True
    return school.id in lead_school_ids(user)


def can_record_adoption(user: User, school: School, guidance: Guidance) -> bool:
    if user.role == ADMIN:
        return True
    if user.role == OFFICER:
        return owns_part(user, guidance.part)
    return leads_school(user, school)


def can_see_school(user: User, school: School) -> bool:
    """Staff see every school and its history; a school lead sees only their own."""
    return user.role in STAFF or leads_school(user, school)
