"""Two-factor sign-in: time-based codes (TOTP, RFC 6238) from an authenticator app, and ten
single-use recovery codes stored hashed.

* A code is accepted for its 30-second step and one step either side (clocks drift), and
  never twice: the last accepted step is kept on the user and claimed atomically, so two
  workers racing with the same code cannot both accept it.
* Recovery codes carry 79 random bits, so a SHA-256 hash is as safe to store as a slow
  password hash would be for a password, and checking one costs nothing.
* The QR code is drawn here (segno, SVG as a data URI): the secret never leaves the server
  for a third-party QR service.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import time

import pyotp
import segno
import sqlalchemy as sa
from flask import current_app

from tracker import audit
from tracker.clock import now
from tracker.extensions import db
from tracker.models import RecoveryCode, User
from tracker.permissions import requires_second_factor

RECOVERY_CODE_COUNT = 10
# 31 letters and digits people do not confuse (no 0/o, 1/l/i): 16 of them carry 79 bits.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
STEP_SECONDS = 30


def new_secret() -> str:
    return pyotp.random_base32()  # 32 base32 characters: 160 bits, as RFC 4226 advises


def grouped(secret: str) -> str:
    """The key in groups of four, easier to type into an app than to read as one word."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def provisioning_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(
        name=email, issuer_name=current_app.config["TWO_FACTOR_ISSUER"])


def qr_code_data_uri(uri: str) -> str:
    return segno.make(uri, error="m").svg_data_uri(scale=5, dark="#0b0c0c", light="#ffffff")


def _digits(code: str | None) -> str:
    return "".join(ch for ch in (code or "") if not ch.isspace())


def matching_step(secret: str, code: str | None, at: float | None = None) -> int | None:
    """The time step whose code this is (this step or one either side), or None."""
    code = _digits(code)
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = int((time.time() if at is None else at) // STEP_SECONDS)
    for step in (current, current - 1, current + 1):
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def verify_code(user: User, code: str | None) -> bool:
    """Accept a current code once: the step is claimed atomically (the caller commits)."""
    if not user.totp_enabled or not user.totp_secret:
        return False
    step = matching_step(user.totp_secret, code)
    if step is None:
        return False
    claimed = db.session.execute(
        sa.update(User).where(
            User.id == user.id,
            sa.or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step).execution_options(synchronize_session=False))
    db.session.refresh(user)
    return claimed.rowcount == 1  # type: ignore[attr-defined]


# --- Recovery codes -----------------------------------------------------------------------

def _normalise(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def _hash(code: str) -> str:
    return hashlib.sha256(_normalise(code).encode()).hexdigest()


def _new_code() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(16))
    return "-".join(raw[i:i + 4] for i in range(0, 16, 4))


def replace_recovery_codes(user: User) -> list[str]:
    """Ten new codes; every earlier code stops working. Returns them to show once."""
    moment = now()
    db.session.execute(sa.update(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)).values(used_at=moment))
    codes = [_new_code() for _ in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash(c), created_at=moment)
                       for c in codes)
    db.session.flush()
    return codes


def use_recovery_code(user: User, code: str | None) -> bool:
    """Spend one unused recovery code (atomically: it works once, even under a race)."""
    if not code or not 8 <= len(_normalise(code)) <= 32:
        return False
    row = db.session.scalar(sa.select(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _hash(code),
        RecoveryCode.used_at.is_(None)))
    if row is None:
        return False
    spent = db.session.execute(sa.update(RecoveryCode).where(
        RecoveryCode.id == row.id, RecoveryCode.used_at.is_(None)).values(used_at=now())
        .execution_options(synchronize_session=False))
    return spent.rowcount == 1  # type: ignore[attr-defined]


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(sa.select(sa.func.count(RecoveryCode.id)).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))) or 0


# --- Turning it on and off ----------------------------------------------------------------

def turn_on(user: User, secret: str, step: int) -> list[str]:
    """Save the confirmed secret, make recovery codes, record it; returns the codes."""
    user.totp_secret = secret
    user.totp_enabled = True
    user.totp_last_step = step
    codes = replace_recovery_codes(user)
    audit.record("update", user, summary="Two-factor sign-in turned on",
                 before={"totp_enabled": False}, after={"totp_enabled": True})
    db.session.commit()
    return codes


def new_recovery_codes(user: User) -> list[str]:
    codes = replace_recovery_codes(user)
    audit.record("update", user, summary="New two-factor recovery codes made; the old ones "
                 "stopped working")
    db.session.commit()
    return codes


def turn_off(user: User, summary: str = "Two-factor sign-in turned off") -> None:
    """Forget the secret and every recovery code (an administrator may do this for a user
    who has lost both; their next sign-in asks them to set it up again)."""
    was_on = user.totp_enabled
    user.totp_secret = None
    user.totp_enabled = False
    user.totp_last_step = None
    db.session.execute(sa.update(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)).values(used_at=now()))
    audit.record("update", user, summary=summary, before={"totp_enabled": was_on},
                 after={"totp_enabled": False})
    db.session.commit()


def required_for(user: User) -> bool:
    return requires_second_factor(user) and bool(current_app.config["REQUIRE_ADMIN_2FA"])
