"""People who use the tracker, their links to schools and trusts, and one-time links."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from tracker.models.base import Base, Timestamped, Versioned, enum_check, utcnow
from tracker.permissions import is_school_lead
from tracker.vocab import ROLE_LABELS, ROLES, TOKEN_PURPOSES

if TYPE_CHECKING:
    from tracker.models.organisations import Organisation
    from tracker.models.schools import School

MIN_PASSWORD_LENGTH = 12

user_schools = sa.Table(
    "user_schools",
    Base.metadata,
    sa.Column("user_id", sa.ForeignKey("users.id"), primary_key=True),
    sa.Column("school_id", sa.ForeignKey("schools.id"), primary_key=True, index=True),
)


class User(Timestamped, Versioned, Base):
    __tablename__ = "users"
    __table_args__ = (enum_check("role", ROLES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[str] = mapped_column(sa.String(20), index=True)
    job_title: Mapped[str | None] = mapped_column(sa.String(200))
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    active: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    # Bumped by sign-out, a password change, a role change or deactivation: every copy of
    # the user's session cookie carries the version it was issued with and stops working.
    session_version: Mapped[int] = mapped_column(sa.Integer, default=1)
    failed_sign_ins: Mapped[int] = mapped_column(sa.Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column()
    last_sign_in_at: Mapped[dt.datetime | None] = mapped_column()
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64))
    totp_enabled: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    # The last TOTP time step accepted: a code is never accepted twice (RFC 6238, 5.2).
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger)
    # A trust lead is a school lead who records once for every school of a trust.
    trust_code: Mapped[str | None] = mapped_column(sa.String(20), index=True)
    is_example: Mapped[bool] = mapped_column(sa.Boolean, default=False)

    schools: Mapped[list[School]] = relationship(secondary=user_schools, back_populates="leads")
    # The organisation this person works for (a partner officer's agency), if recorded.
    organisation: Mapped[Organisation | None] = relationship(
        secondary="organisation_members", back_populates="members", uselist=False)

    # Flask-Login protocol -------------------------------------------------------------
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        """The session identifier: id and session version, so bumping the version signs out."""
        return f"{self.id}:{self.session_version}"

    # Behaviour ---------------------------------------------------------------------------
    def set_password(self, password: str) -> None:
        if len(password) < MIN_PASSWORD_LENGTH:
            raise ValueError(f"Password must be at least {MIN_PASSWORD_LENGTH} characters")
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash or "", password)

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]

    @property
    def is_trust_lead(self) -> bool:
        return is_school_lead(self) and bool(self.trust_code)

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class UserToken(Base):
    """An invitation or password-reset link: single use, stored hashed, valid 72 hours."""

    __tablename__ = "user_tokens"
    __table_args__ = (enum_check("purpose", TOKEN_PURPOSES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    purpose: Mapped[str] = mapped_column(sa.String(20))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column()
    used_at: Mapped[dt.datetime | None] = mapped_column()
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    def usable(self, now: dt.datetime) -> bool:
        return self.used_at is None and now < self.expires_at


class RecoveryCode(Base):
    """Two-factor recovery codes, stored hashed, each usable once."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(255))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    used_at: Mapped[dt.datetime | None] = mapped_column()


class FormToken(Base):
    """A create form's one-time token, spent in the same transaction as what the form creates.

    Kept in the database (not process memory) so every worker and host sees it: the second
    copy of a double-submitted form finds the token spent and is sent to the first's result.
    """

    __tablename__ = "form_tokens"

    token: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    result_url: Mapped[str] = mapped_column(sa.String(500))
    spent_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
