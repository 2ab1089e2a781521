"""Who can be reached: active people with a valid email address. Those without one are
listed on the administrators' messages page, never silently skipped."""
from __future__ import annotations

from typing import Iterable

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email

from tracker.extensions import db
from tracker.models import User


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
