"""One-time tokens for create forms: a double submission creates one thing.

Each create form (progress update, question, action) carries a random token. Saving spends
it in the same transaction as what the form creates; the token is the row's primary key, so
of two copies posted at once only one commit can spend it. The other copy, and any later
resubmission, is answered with the first one's result (where the first save went).
"""
from __future__ import annotations

import secrets

import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import FormToken


def new_token() -> str:
    return secrets.token_urlsafe(24)


def result_of(token: str | None, user_id: int) -> str | None:
    """Where the first save with this token went, if it has been spent by this user."""
    if not token:
        return None
    return db.session.scalar(sa.select(FormToken.result_url).where(
        FormToken.token == token, FormToken.user_id == user_id))


def spend(token: str | None, user_id: int, result_url: str) -> None:
    """Spend the token in the current transaction (the caller's save commits it)."""
    if token:
        db.session.add(FormToken(token=token, user_id=user_id, result_url=result_url))
