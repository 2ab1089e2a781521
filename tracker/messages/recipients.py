"""Who can be reached: active people with a valid email address. Those without one are
listed on the administrators' messages page, never silently skipped; so are organisations
owning open work that have nobody to tell (no active partner officer with a valid address:
``tracker.permissions.organisation_people``)."""
from __future__ import annotations

from typing import Iterable

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email

from tracker.extensions import db
from tracker.models import Action, Organisation, Recommendation, User
from tracker.permissions import organisation_people


def valid_address(address: str | None) -> bool:
    if not address:
        return False
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def reachable(user_ids: Iterable[int | None]) -> list[User]:
    """The active users among ``user_ids`` with a valid address, by id."""
    ids = sorted({i for i in user_ids if i is not None})
    found: list[User] = []
    for start in range(0, len(ids), 1000):
        found.extend(db.session.scalars(sa.select(User).where(
            User.id.in_(ids[start:start + 1000]), User.active.is_(True)).order_by(User.id)))
    return [user for user in found if valid_address(user.email)]


def unreachable() -> list[User]:
    """Active users whose email address would not be accepted by a mail service."""
    return [user for user in db.session.scalars(
        sa.select(User).where(User.active.is_(True)).order_by(User.name))
        if not valid_address(user.email)]


def people_of(organisation_ids: Iterable[int | None]) -> dict[int, list[int]]:
    """Each organisation's people to tell about its work (``permissions.organisation_people``),
    by user id; ``reachable`` then keeps those with a valid address."""
    ids = sorted({i for i in organisation_ids if i is not None})
    found: dict[int, list[int]] = {i: [] for i in ids}
    for start in range(0, len(ids), 1000):
        for organisation_id, user_id in db.session.execute(
                organisation_people(ids[start:start + 1000])):
            found[organisation_id].append(user_id)
    return found


def unreachable_organisations() -> list[Organisation]:
    """Organisations that own open work (a live action not complete or cancelled, or a live
    recommendation) and have nobody who can be emailed about it."""
    from tracker.recommendations.queries import OPEN_STATUSES

    owning = sa.union(
        sa.select(Action.owner_organisation_id).where(
            Action.owner_organisation_id.is_not(None), Action.withdrawn_at.is_(None),
            Action.status.in_(OPEN_STATUSES)),
        sa.select(Recommendation.owner_organisation_id).where(
            Recommendation.owner_organisation_id.is_not(None),
            Recommendation.withdrawn_at.is_(None)))
    organisations = list(db.session.scalars(sa.select(Organisation).where(
        Organisation.id.in_(owning)).order_by(Organisation.name)))
    people = people_of(o.id for o in organisations)
    told = {u.id for u in reachable(i for ids in people.values() for i in ids)}
    return [o for o in organisations if not any(i in told for i in people[o.id])]
