"""Who may do what: the role table of docs/roles-and-permissions.md, the one place it lives.

Every view declares the roles it admits with ``@roles(...)`` (or ``@public`` for the few
pages anyone may read), every command with ``@command_roles(...)``; tests walk the routes
and the commands and fail on one that declares none. Object-level rules are plain functions
of (user, thing) that services and views call, and the same rules as SQL (``visible_*``)
scope every list, page, export, chart and command. Whatever a role may not see, or may not
change, answers 404 as if it were absent. The roles are named here and nowhere else.
"""
from __future__ import annotations

from functools import wraps
from typing import TYPE_CHECKING, Any, Callable, TypeVar

import sqlalchemy as sa
from flask import abort, current_app, request
from flask_login import current_user

if TYPE_CHECKING:
    from tracker.models import (
        Action, Challenge, Decision, DecisionPart, Guidance, Organisation, Recommendation,
        School, User,
    )

ADMIN = "admin"
OFFICER = "officer"
MEMBER = "member"
SCHOOL_LEAD = "school_lead"
# An officer of a partner agency (police, health, a school, the voluntary sector): sees only
# the recommendations with actions their organisation owns, and updates only those actions.
PARTNER = "partner_officer"
ALL_ROLES = (ADMIN, OFFICER, MEMBER, SCHOOL_LEAD, PARTNER)
# The council's own roles: decisions, schools and the dashboard are theirs to read.
COUNCIL_ROLES = (ADMIN, OFFICER, MEMBER, SCHOOL_LEAD)
STAFF = (ADMIN, OFFICER, MEMBER)  # everyone who sees all decisions and all history
OWNER_ROLES = (ADMIN, OFFICER)  # who may own a recommendation, an action, a decision part
# The report exemption class anyone with a role may read (vocab.EXEMPTIONS: the others are
# exempt under a paragraph of Schedule 12A, and school leads never see them).
OPEN_EXEMPTION = "open"

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


def visible_or_refused(thing: T | None, may_see: Callable[[T], bool] | None = None) -> T:
    """The record an address names, if this user may see it; otherwise refused. Absent and
    hidden take the one path (404, counted in the audit trail), so neither the answer nor
    the time it takes tells a hidden record from one that does not exist. ``may_see`` may be
    left out when ``thing`` was loaded through a ``visible_*`` query."""
    if thing is None or (may_see is not None and not may_see(thing)):
        refuse()
    return thing  # type: ignore[return-value]


# --- Object-level rules -------------------------------------------------------------------

def sees_exempt(user: User) -> bool:
    """Exempt decisions, and everything under them: staff, not school leads."""
    return user.role in STAFF


def is_school_lead(user: User) -> bool:
    return user.role == SCHOOL_LEAD


def requires_second_factor(user: User) -> bool:
    """Administrators sign in with a second factor (where the configuration requires it)."""
    return user.role == ADMIN


def can_see_decision(user: User, decision: Decision) -> bool:
    if decision.is_withdrawn and user.role != ADMIN:
        return False
    if is_partner(user):
        return any(_partner_sees(user, rec) for part in decision.parts if not part.is_withdrawn
                   for rec in part.recommendations if not rec.is_withdrawn)
    if not sees_exempt(user):
        return not decision.is_exempt
    return user.role in ALL_ROLES


def can_see_guidance(user: User, guidance: Guidance) -> bool:
    """Staff: every guidance page. A school lead: the guidance their schools adopt, where
    the decision that approved it is one they may see (an exempt one answers 404), so
    "Read version 1" on the adoption form leads somewhere they can open."""
    if user.role in STAFF:
        return True
    decision = guidance.part.decision if guidance.part is not None else None
    return decision is None or can_see_decision(user, decision)


def can_manage(user: User) -> bool:
    """Create and edit decisions, recommendations, imports, users, terminology."""
    return user.role == ADMIN


def owns_recommendation(user: User, rec: Recommendation) -> bool:
    return rec.owner_id is not None and rec.owner_id == user.id


def may_own_work(user: User) -> bool:
    """Who may be named owner of a recommendation, an action or a decision part."""
    return user.role in OWNER_ROLES


def is_partner(user: User) -> bool:
    return user.role == PARTNER


def organisation_of(user: User) -> int | None:
    """The id of the organisation the user works for, if any."""
    organisation = getattr(user, "organisation", None)
    return organisation.id if organisation is not None else None


def scope_words(user: User) -> tuple[str, ...]:
    """Words naming what a reader may see: every reader of a role sees the same records, a
    partner officer those of their organisation. A body stored for such readers
    (``tracker.dashboard.stored``) has them in its key."""
    if is_partner(user):
        return (f"role {user.role}", f"organisation {organisation_of(user)}")
    return (f"role {user.role}",)


def organisation_owns(user: User, thing: Action | Recommendation) -> bool:
    """The action or recommendation is owned by the user's organisation."""
    mine = organisation_of(user)
    return mine is not None and thing.owner_organisation_id == mine


def can_see_action(user: User, action: Action) -> bool:
    """A partner officer sees their organisation's live actions and no others; everyone else
    sees the actions of the recommendations they may read."""
    if is_partner(user):
        return (not action.is_withdrawn and organisation_owns(user, action)
                and can_see_recommendation(user, action.recommendation))
    return can_see_recommendation(user, action.recommendation)


def can_add_action(user: User, rec: Recommendation) -> bool:
    return user.role == ADMIN or (user.role == OFFICER and owns_recommendation(user, rec))


def can_update_action(user: User, action: Action) -> bool:
    if user.role == ADMIN:
        return True
    if is_partner(user):
        return can_see_action(user, action)
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


# Closing and impact (docs/roles-and-permissions.md, "Closing and impact")
def can_record_outcome(user: User, rec: Recommendation) -> bool:
    """The intended outcome and its measure: an administrator, or the owning officer."""
    return user.role == ADMIN or (user.role == OFFICER and owns_recommendation(user, rec))


def can_close(user: User) -> bool:
    """Close a recommendation another way (superseded, risk accepted, withdrawn), re-open it,
    undo a sign-off or move its impact review date: administrators, as for sign-off."""
    return user.role == ADMIN


def can_record_impact(user: User, rec: Recommendation) -> bool:
    """The impact evidence and judgement: the recommendation's owner (or an administrator)."""
    return can_record_outcome(user, rec)


def can_confirm_impact(user: User) -> bool:
    """Confirm an impact review: a scrutiny member or an administrator."""
    return user.role in (ADMIN, MEMBER)


def can_withdraw_challenge(user: User, challenge: Challenge) -> bool:
    """The member who asked may withdraw a question not yet answered."""
    return user.role == MEMBER and challenge.asked_by_id == user.id and challenge.is_open


def can_see_recommendation(user: User, rec: Recommendation) -> bool:
    """Staff read every recommendation (withdrawn ones: administrators only). A school lead
    reads those under an Open decision (its progress is the decision's progress), never one
    under an exempt decision, nor a scrutiny recommendation not yet taken up by a decision."""
    if user.role != ADMIN and (rec.is_withdrawn or (rec.part is not None and rec.part.is_withdrawn)):
        return False
    if is_partner(user):
        return _partner_sees(user, rec)
    if rec.part is None:
        return user.role in STAFF
    return can_see_decision(user, rec.part.decision)


def _partner_sees(user: User, rec: Recommendation) -> bool:
    """A partner officer reads the recommendations their organisation owns or has a live
    action under (whatever the decision's exemption: it is their agency's work), under a
    decision not withdrawn, and nothing else."""
    if rec.part is not None and rec.part.decision.is_withdrawn:
        return False
    return organisation_owns(user, rec) or any(
        organisation_owns(user, a) and not a.is_withdrawn for a in rec.actions)


def can_see_history(user: User) -> bool:
    """The audit history of a decision, a recommendation (and its scrutiny challenges) or a
    school: staff only (a school lead's history is that of their own schools' adoption)."""
    return user.role in STAFF



def owns_part(user: User, part: DecisionPart | None) -> bool:
    return part is not None and part.owner_id == user.id


def lead_school_ids(user: User) -> set[int]:
    """The schools a school lead answers for: linked schools (a trust lead's are the trust's)."""
    return {s.id for s in user.schools}


def leads_school(user: User, school: School) -> bool:
    if not is_school_lead(user):
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


def adoption_recorded_as(user: User) -> str:
    """How an adoption recorded by this user came in (vocab.ADOPTION_VIA)."""
    return user.role if user.role in OWNER_ROLES else SCHOOL_LEAD


# --- The same rules as SQL: scoping every list, page, export, chart and command -------------
# Each mirrors an object-level rule above; tests/security prove them equal on every page.

def open_decision() -> sa.ColumnElement[bool]:
    """A decision anyone with a role may read: not exempt (``Decision.is_exempt``)."""
    from tracker.models import Decision

    return Decision.exemption == OPEN_EXEMPTION


def visible_decisions(user: User, query: sa.Select[Any] | None = None, *,
                      include_withdrawn: bool = False) -> sa.Select[Any]:
    """``can_see_decision`` as SQL, on ``query`` (default: every Decision). Withdrawn ones are
    left out unless ``include_withdrawn`` and the user is an administrator."""
    from tracker.models import Decision

    query = sa.select(Decision) if query is None else query
    if not (include_withdrawn and user.role == ADMIN):
        query = query.where(Decision.withdrawn_at.is_(None))
    if is_partner(user):
        return query.where(Decision.id.in_(_partner_decision_ids(user)))
    if not sees_exempt(user):
        query = query.where(open_decision())
    return query


def visible_recommendations(query: sa.Select[Any], user: User) -> sa.Select[Any]:
    """``can_see_recommendation`` as SQL, on a query of Recommendation: withdrawn ones left
    out (an administrator still opens them by their address)."""
    from tracker.models import Decision, DecisionPart, Recommendation

    live_parts = sa.select(DecisionPart.id).join(Decision).where(
        Decision.withdrawn_at.is_(None), DecisionPart.withdrawn_at.is_(None))
    query = query.where(Recommendation.withdrawn_at.is_(None))
    if is_partner(user):
        return query.where(sa.or_(Recommendation.part_id.is_(None),
                                  Recommendation.part_id.in_(live_parts)),
                           _partner_recommendation(user))
    if not sees_exempt(user):
        return query.where(Recommendation.part_id.in_(live_parts.where(open_decision())))
    if user.role != ADMIN:
        query = query.where(sa.or_(Recommendation.part_id.is_(None),
                                   Recommendation.part_id.in_(live_parts)))
    return query


def _partner_recommendation(user: User) -> sa.ColumnElement[bool]:
    """``_partner_sees`` as SQL: owned by the partner's organisation or with a live action
    it owns (someone of no organisation: none)."""
    from tracker.models import Action, Recommendation

    mine = organisation_of(user)
    if mine is None:
        return sa.false()
    return sa.or_(Recommendation.owner_organisation_id == mine, Recommendation.id.in_(
        sa.select(Action.recommendation_id).where(Action.owner_organisation_id == mine,
                                                  Action.withdrawn_at.is_(None))))


def _partner_decision_ids(user: User) -> sa.Select[Any]:
    """The decisions a partner officer's visible recommendations are under."""
    from tracker.models import DecisionPart, Recommendation

    return visible_recommendations(
        sa.select(DecisionPart.decision_id).join(
            Recommendation, Recommendation.part_id == DecisionPart.id), user)


def visible_actions(query: sa.Select[Any], user: User) -> sa.Select[Any]:
    """``can_see_action`` as SQL, on a query with Action: a partner officer's organisation's
    live actions on recommendations they may read; for every other role the actions of the
    recommendations in ``query`` (scoped by ``visible_recommendations``) stand as they are."""
    from tracker.models import Action, Recommendation

    scope = action_scope(user)
    if scope is None:
        return query
    return query.where(scope, Action.recommendation_id.in_(
        visible_recommendations(sa.select(Recommendation.id), user)))


def action_scope(user: User) -> sa.ColumnElement[bool] | None:
    """Which actions of a recommendation the user may see, as SQL on Action, for the figures
    of a recommendation they may read: None for every role that sees all its actions; a
    partner officer their organisation's live actions only (``can_see_action``), so a
    recommendation's counts, RAG and due dates are worked out over those alone."""
    from tracker.models import Action

    if not is_partner(user):
        return None
    mine = organisation_of(user)
    if mine is None:
        return sa.false()
    return sa.and_(Action.owner_organisation_id == mine, Action.withdrawn_at.is_(None))


def actions_in_view(user: User, rec: Recommendation) -> list[Action]:
    """``action_scope`` on a loaded recommendation: the actions whose figures the user's view
    of ``rec`` is made of (every one, withdrawn ones too, for all but a partner officer,
    whom ``can_see_action`` limits to their organisation's live actions)."""
    if not is_partner(user):
        return list(rec.actions)
    return [action for action in rec.actions if can_see_action(user, action)]


def organisation_people(organisation_ids: Any) -> sa.Select[Any]:
    """Who is told about the work an organisation owns, as SQL rows (organisation id, user
    id): its active partner officers, the people who may update its actions
    (``can_update_action``). ``organisation_ids``: ids or a subquery of them."""
    from tracker.models import User as UserModel
    from tracker.models import organisation_members

    members = organisation_members.c
    return (sa.select(members.organisation_id, members.user_id)
            .join(UserModel, UserModel.id == members.user_id)
            .where(members.organisation_id.in_(organisation_ids), UserModel.role == PARTNER,
                   UserModel.active.is_(True))
            .order_by(members.organisation_id, members.user_id))


def possible_owner_organisations() -> sa.ColumnElement[bool]:
    """Organisations that may own work: every one the administrators keep."""
    return sa.true()


def openable_recommendations(query: sa.Select[Any], user: User) -> sa.Select[Any]:
    """``can_see_recommendation`` exactly, as SQL: what the user may open by its address
    (an administrator: every recommendation, withdrawn ones included)."""
    return query if user.role == ADMIN else visible_recommendations(query, user)


def led_schools(user: User) -> sa.ColumnElement[bool]:
    """``leads_school`` as SQL: the schools a school lead answers for (linked, or their
    trust's)."""
    from tracker.models import School, user_schools

    linked = School.id.in_(sa.select(user_schools.c.school_id)
                           .where(user_schools.c.user_id == user.id))
    if user.trust_code:
        return sa.or_(linked, School.trust_code == user.trust_code)
    return linked


def sees_every_school(user: User) -> bool:
    """Staff read every school; anyone else (a school lead) their own only."""
    return user.role in STAFF


def visible_schools(query: sa.Select[Any], user: User) -> sa.Select[Any]:
    """``can_see_school`` as SQL, on a query with School: staff every school, a school lead
    their own."""
    return query if sees_every_school(user) else query.where(led_schools(user))


def school_leads() -> sa.ColumnElement[bool]:
    """Users who are school leads (their schools' contacts on the chasing list)."""
    from tracker.models import User as UserModel

    return UserModel.role == SCHOOL_LEAD


def possible_owners() -> sa.ColumnElement[bool]:
    """``may_own_work`` as SQL: active users who may own work."""
    from tracker.models import User as UserModel

    return sa.and_(UserModel.active.is_(True), UserModel.role.in_(OWNER_ROLES))
