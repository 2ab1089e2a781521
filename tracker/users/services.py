"""Administering users: add, change role and schools, deactivate. Every change audited."""
from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa

from tracker.problems import FieldProblem
from tracker import audit
from tracker.auth.services import end_all_sessions, revoke_links
from tracker.extensions import db
from tracker.models import Organisation, School, User
from tracker.params import parse_int
from tracker.permissions import ADMIN, PARTNER, SCHOOL_LEAD


@dataclass
class UserDetails:
    name: str
    email: str
    role: str
    job_title: str | None = None
    school_urns: tuple[int, ...] = ()
    trust_code: str | None = None
    organisation_id: int | None = None




def parse_urns(text: str | None) -> tuple[int, ...]:
    """"123456, 654321" -> (123456, 654321); raises FieldProblem naming the bad entry."""
    urns = []
    for item in re.split(r"[\s,;]+", text or ""):
        if not item:
            continue
        urn = parse_int(item, low=1)
        if urn is None:
            raise FieldProblem("school_urns", f'"{item}" is not a URN: a URN is a number, like 116833')
        urns.append(urn)
    return tuple(dict.fromkeys(urns))


def _schools(urns: tuple[int, ...]) -> list[School]:
    if not urns:
        return []
    found = {s.urn: s for s in db.session.scalars(sa.select(School).where(School.urn.in_(urns)))}
    missing = [str(u) for u in urns if u not in found]
    if missing:
        raise FieldProblem("school_urns", f"No school has URN {', '.join(missing)}")
    return [found[u] for u in urns]


def _check(details: UserDetails, existing: User | None = None) -> list[School]:
    email = details.email.strip().lower()
    clash = db.session.scalar(sa.select(User).where(User.email == email))
    if clash is not None and clash is not existing:
        raise FieldProblem("email", "Another user already has this email address")
    schools = _schools(details.school_urns)
    if details.role != SCHOOL_LEAD and (schools or details.trust_code):
        raise FieldProblem("school_urns", "Only school leads are linked to schools or a trust")
    if details.role == SCHOOL_LEAD and not schools and not details.trust_code:
        raise FieldProblem("school_urns", "Enter the URN of at least one school, or a trust code")
    return schools


def _organisation(details: UserDetails) -> Organisation | None:
    """The organisation a person works for: a partner officer must have one."""
    organisation = (db.session.get(Organisation, details.organisation_id)
                    if details.organisation_id is not None else None)
    if details.organisation_id is not None and organisation is None:
        raise FieldProblem("organisation_id", "Choose the organisation from the list")
    if details.role == PARTNER and organisation is None:
        raise FieldProblem("organisation_id", "Choose the organisation this partner officer "
                                              "works for")
    return organisation


def _record_organisation(user: User, before: Organisation | None,
                         after: Organisation | None) -> None:
    if before is not after:
        user.organisation = after
        audit.record("update", user, summary=f"Organisation of {user.email} changed",
                     before={"organisation": before.name if before else None},
                     after={"organisation": after.name if after else None})


ADMIN_CONFIRMATION = ("Confirm that this person should be an administrator: an administrator "
                      "can change every record, user and import")


def needs_admin_confirmation(user: User | None, role: str) -> bool:
    """Granting administrator (to a new user, or to one who is not one yet) is confirmed."""
    return role == ADMIN and (user is None or user.role != ADMIN)


def add_user(details: UserDetails) -> User:
    schools = _check(details)
    organisation = _organisation(details)
    user = User(name=details.name, email=details.email.strip().lower(), role=details.role,
                job_title=details.job_title, trust_code=details.trust_code or None, active=True)
    user.schools = schools
    audit.created(user, f"Added user {user.email} as {user.role_label}")
    _record_schools(user, [], schools)
    _record_organisation(user, None, organisation)
    db.session.commit()
    return user


def _record_schools(user: User, before: list[School], after: list[School]) -> None:
    if {s.id for s in before} != {s.id for s in after}:
        audit.record("update", user, summary=f"Schools of {user.email} changed",
                     before={"school_urns": sorted(s.urn for s in before)},
                     after={"school_urns": sorted(s.urn for s in after)})


def edit_user(user: User, details: UserDetails, expected_version: int | None) -> None:
    schools = _check(details, user)
    organisation = _organisation(details)
    old_role, old_schools, old_organisation = user.role, list(user.schools), user.organisation
    audit.updated(user, {
        "name": details.name, "email": details.email.strip().lower(), "role": details.role,
        "job_title": details.job_title, "trust_code": details.trust_code or None,
    }, f"Edited user {details.email}", expected_version)
    user.schools = schools
    _record_schools(user, old_schools, schools)
    _record_organisation(user, old_organisation, organisation)
    if old_role != user.role or {s.id for s in old_schools} != {s.id for s in schools} \
            or old_organisation is not organisation:
        end_all_sessions(user)  # a role change ends every copy of their session
    db.session.commit()


def set_active(user: User, active: bool, expected_version: int | None = None) -> None:
    verb = "Reactivated" if active else "Deactivated"
    audit.updated(user, {"active": active}, f"{verb} user {user.email}", expected_version)
    if not active:
        end_all_sessions(user)
        revoke_links(user)  # an invitation or reset link issued before must not let them back
    db.session.commit()
