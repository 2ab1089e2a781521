"""Signing in and out, passwords, and one-time links (invitation and password reset)."""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from tracker import audit
from tracker.clock import now
from tracker.extensions import db
from tracker.messages import account_alerts
from tracker.models import User, UserToken
from tracker.models.users import MIN_PASSWORD_LENGTH

SIGN_IN_FAILED = "Enter a correct email address and password"


@dataclass
class SignInResult:
    user: User | None
    error: str | None = None
    # Set while the account is slowed down and the answer waits for the second factor: the
    # password's verdict, not to be shown before the code is checked (``two_factor_proof``).
    password_ok: bool | None = None


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))


_DUMMY_HASH: list[str] = []


def _spend_time_like_a_password_check(password: str) -> None:
    """Check against a throwaway hash so an unknown email takes as long as a known one."""
    if not _DUMMY_HASH:
        _DUMMY_HASH.append(generate_password_hash(secrets.token_hex(16)))
    check_password_hash(_DUMMY_HASH[0], password)


def check_password_step(email: str, password: str,
                        known_device_users: frozenset[int] = frozenset()) -> SignInResult:
    """The first step of signing in. Failures are counted per account in the database (so
    every worker sees them); the message never reveals whether the account exists. Success
    records nothing yet: ``complete_sign_in`` does, after any second factor.

    After ``MAX_FAILED_SIGN_INS`` failures in a row the account is slowed down, never locked
    against its owner (docs/roles-and-permissions.md, "Signing in"): from a browser that has
    signed in to it before (``known_device_users``) the password is checked as usual; with a second
    factor the user goes on to the code step whatever the password, its verdict kept for
    then (``password_ok``); otherwise the attempt waits until ``locked_until`` passes, and a
    guess made meanwhile is neither checked nor counted."""
    user = find_user_by_email(email)
    usable = user is not None and user.active and user.password_hash is not None
    slowed = usable and is_slowed(user)  # type: ignore[arg-type]
    password_hash = user.password_hash if usable else None  # type: ignore[union-attr]
    known_device = usable and user.id in known_device_users  # type: ignore[union-attr]
    deferred = slowed and not known_device and user.totp_enabled  # type: ignore[union-attr]
    waits = slowed and not known_device and not deferred
    # End the read before the slow hash check: on SQLite an open transaction holds the
    # write lock (BEGIN IMMEDIATE), and other workers must not queue behind a hash.
    db.session.commit()
    if not usable or waits or password_hash is None:
        _spend_time_like_a_password_check(password)
        if not usable:
            audit.record("sign_in_failed", summary=f"Failed sign-in for {email.strip()[:200]!r}",
                         actor=None, actor_label="anonymous")
        else:
            audit.record("sign_in_failed", user, summary="Sign-in refused: slowed down after "
                         "failed attempts; password not checked", actor=user)
        db.session.commit()
        return SignInResult(None, SIGN_IN_FAILED)
    right = check_password_hash(password_hash, password)
    if not right:
        count_failure(user, "Failed sign-in: wrong password")  # type: ignore[arg-type]
    if deferred:
        return SignInResult(user, password_ok=right)
    if not right:
        return SignInResult(None, SIGN_IN_FAILED)
    return SignInResult(user)


def is_slowed(user: User) -> bool:
    """Too many failures in a row: an unknown browser without a second factor waits."""
    return bool(user.locked_until and user.locked_until > now())


def slow_down_for(failures: int) -> dt.timedelta:
    """The wait after ``failures`` in a row: ``SLOW_DOWN_SECONDS`` at the limit, doubling with
    each further failure, never more than ``LOCKOUT_MINUTES``."""
    config = current_app.config
    extra = max(0, failures - config["MAX_FAILED_SIGN_INS"])
    seconds = config["SLOW_DOWN_SECONDS"] * 2 ** min(extra, 16)
    return min(dt.timedelta(seconds=seconds), dt.timedelta(minutes=config["LOCKOUT_MINUTES"]))


def count_failure(user: User, summary: str) -> None:
    """Count a failed attempt on the account (atomically: workers may race); from
    ``MAX_FAILED_SIGN_INS`` in a row on, slow the account down (``slow_down_for``).

    The failure that starts the slowing (once an episode, not each attempt after it) also
    queues an email telling the holder, in the same transaction (no answer to the person
    trying reveals it)."""
    db.session.execute(sa.update(User).where(User.id == user.id).values(
        failed_sign_ins=User.failed_sign_ins + 1).execution_options(synchronize_session=False))
    db.session.refresh(user)
    if user.failed_sign_ins >= current_app.config["MAX_FAILED_SIGN_INS"]:
        starts_slowing = user.failed_sign_ins == current_app.config["MAX_FAILED_SIGN_INS"]
        db.session.execute(sa.update(User).where(User.id == user.id).values(
            locked_until=now() + slow_down_for(user.failed_sign_ins))
            .execution_options(synchronize_session=False))
        db.session.refresh(user)
        if starts_slowing:
            summary += f"; {user.failed_sign_ins} in a row: sign-in slowed down"
            if account_alerts.queue_slowed_down(user, user.failed_sign_ins) is not None:
                summary += "; the account holder is told by email"
    audit.record("sign_in_failed", user, summary=summary, actor=user)
    db.session.commit()


def complete_sign_in(user: User, how: str = "Signed in") -> None:
    """The last step of signing in: clear the failure count and record the sign-in."""
    db.session.execute(sa.update(User).where(User.id == user.id).values(
        failed_sign_ins=0, locked_until=None, last_sign_in_at=now())
        .execution_options(synchronize_session=False))
    db.session.refresh(user)
    audit.record("sign_in", user, summary=how, actor=user)
    db.session.commit()


def end_all_sessions(user: User) -> None:
    """Make every copy of the user's session cookie stop working (caller commits)."""
    db.session.execute(sa.update(User).where(User.id == user.id).values(
        session_version=User.session_version + 1).execution_options(synchronize_session=False))
    db.session.refresh(user)


def sign_out(user: User) -> None:
    end_all_sessions(user)
    audit.record("sign_out", user, summary="Signed out", actor=user)
    db.session.commit()


def password_problem(password: str, confirm: str | None = None) -> str | None:
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Password must be at least {MIN_PASSWORD_LENGTH} characters"
    if len(password) > 200:
        return "Password must be 200 characters or fewer"
    if confirm is not None and password != confirm:
        return "The passwords you entered do not match"
    return None


def change_password(user: User, new_password: str) -> None:
    user.set_password(new_password)
    end_all_sessions(user)
    audit.record("password_changed", user, summary="Password changed", actor=user)
    db.session.commit()


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(user: User, purpose: str, created_by: User | None, *, commit: bool = True) -> str:
    """Create a single-use link token, store only its hash, and return the raw token
    (``commit=False``: the caller commits, e.g. with the email carrying the link)."""
    raw = secrets.token_urlsafe(32)
    hours = current_app.config["TOKEN_VALID_HOURS"]
    moment = now()
    revoke_links(user, purpose, moment)  # earlier unused links of the same purpose stop working
    token = UserToken(user_id=user.id, purpose=purpose, token_hash=_hash_token(raw),
                      created_at=moment, expires_at=moment + dt.timedelta(hours=hours),
                      created_by_id=created_by.id if created_by else None)
    db.session.add(token)
    db.session.flush()
    label = "invitation" if purpose == "invitation" else "password reset"
    audit.record("token_issued", user, summary=f"{label.capitalize()} link issued")
    if commit:
        db.session.commit()
    return raw


def revoke_links(user: User, purpose: str | None = None, moment: dt.datetime | None = None) -> None:
    """Make the user's unused links stop working: those of ``purpose``, or every one (as
    deactivation does). The caller commits."""
    query = sa.update(UserToken).where(UserToken.user_id == user.id, UserToken.used_at.is_(None))
    if purpose is not None:
        query = query.where(UserToken.purpose == purpose)
    db.session.execute(query.values(used_at=moment or now()))


def find_token(raw: str) -> UserToken | None:
    token = db.session.scalar(sa.select(UserToken).where(UserToken.token_hash == _hash_token(raw)))
    if token is None or not token.usable(now()):
        return None
    return token


def use_token(token: UserToken, password: str) -> User:
    user = token.user
    token.used_at = now()
    user.set_password(password)  # never ``active``: only an administrator (re)activates
    user.failed_sign_ins = 0
    user.locked_until = None
    end_all_sessions(user)
    audit.record("token_used", user, summary=f"Password set from {token.purpose.replace('_', ' ')} link",
                 actor=user)
    db.session.commit()
    return user
