"""Writing the audit trail. Services call these in the same transaction as the change.

Never records a password, a token or a secret: ``snapshot`` leaves those columns out.
"""
from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from flask import g, has_request_context, request
from flask_login import current_user

from tracker.extensions import db
from tracker.models import AuditEvent, User

SECRET_COLUMNS = frozenset({"password_hash", "totp_secret", "token_hash", "code_hash"})


class StaleEdit(Exception):
    """A save based on a version of a row that someone else has since changed."""

    def __init__(self, obj: Any, changes: list[tuple[str, Any, Any]]):
        self.obj = obj
        self.changes = changes
        super().__init__(self.message)

    @property
    def message(self) -> str:
        if not self.changes:
            return "Someone else saved a change while you were editing. Check it and try again."
        fields = ", ".join(name.replace("_", " ") for name, _, _ in self.changes)
        return (f"Someone else saved a change while you were editing ({fields}). "
                "Your changes were not saved: check theirs and try again.")


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def snapshot(obj: Any) -> dict[str, Any]:
    """The object's column values as JSON-friendly data, secrets left out."""
    mapper = sa.inspect(obj).mapper
    return {
        col.key: _jsonable(getattr(obj, col.key))
        for col in mapper.column_attrs
        if col.key not in SECRET_COLUMNS
    }


def current_actor() -> tuple[User | None, str]:
    """The user acting: the signed-in user, or the named user a command acts as."""
    actor = getattr(g, "cli_actor", None) if _has_app_g() else None
    if actor is not None:
        return actor, f"command line as {actor.email}"
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user._get_current_object(), current_user.email  # type: ignore[attr-defined]
    return None, "system"


def _has_app_g() -> bool:
    from flask import has_app_context
    return has_app_context()


def _ip() -> str | None:
    return request.remote_addr if has_request_context() else None


def record(action: str, obj: Any = None, *, summary: str,
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
           actor: User | None = None, actor_label: str | None = None,
           object_type: str | None = None, object_id: int | None = None) -> AuditEvent:
    """Add an audit event to the current transaction (the caller commits)."""
    if actor is None and actor_label is None:
        actor, actor_label = current_actor()
    elif actor_label is None:
        actor_label = actor.email if actor else "system"
    if obj is not None:
        object_type = object_type or type(obj).__name__
        object_id = object_id if object_id is not None else getattr(obj, "id", None)
    event = AuditEvent(
        actor_id=actor.id if actor else None, actor_label=actor_label or "system",
        action=action, object_type=object_type, object_id=object_id,
        summary=summary[:500], before=before, after=after, ip_address=_ip(),
    )
    db.session.add(event)
    return event


def created(obj: Any, summary: str) -> AuditEvent:
    """Add ``obj`` and record its creation with its values after."""
    db.session.add(obj)
    db.session.flush()
    return record("create", obj, summary=summary, after=snapshot(obj))


def check_version(obj: Any, expected_version: int | None) -> None:
    """Refuse a save based on an old version, listing what changed since."""
    if expected_version is None or obj.version_id == expected_version:
        return
    events = db.session.scalars(
        sa.select(AuditEvent).where(
            AuditEvent.object_type == type(obj).__name__, AuditEvent.object_id == obj.id,
            AuditEvent.action.in_(("update", "withdraw"))).order_by(AuditEvent.id)).all()
    changes: list[tuple[str, Any, Any]] = []
    for event in events:
        if (event.before or {}).get("version_id", 0) >= expected_version:
            changes.extend(c for c in event.changes()
                           if c[0] not in ("version_id", "updated_at"))
    raise StaleEdit(obj, changes)


def updated(obj: Any, changes: dict[str, Any], summary: str,
            expected_version: int | None = None) -> AuditEvent | None:
    """Apply ``changes`` to ``obj`` and record before and after. No change, no event."""
    check_version(obj, expected_version)
    before = snapshot(obj)
    real = {k: v for k, v in changes.items() if getattr(obj, k) != v}
    if not real:
        return None
    for key, value in real.items():
        setattr(obj, key, value)
    db.session.flush()
    return record("update", obj, summary=summary, before=before, after=snapshot(obj))


def withdrawn(obj: Any, reason: str, summary: str,
              expected_version: int | None = None) -> AuditEvent:
    """Withdraw ``obj`` (never delete), recording who, when and why."""
    from tracker.clock import now

    check_version(obj, expected_version)
    actor, _ = current_actor()
    before = snapshot(obj)
    obj.withdrawn_at = now()
    obj.withdrawn_reason = reason
    obj.withdrawn_by_id = actor.id if actor else None
    db.session.flush()
    return record("withdraw", obj, summary=summary, before=before, after=snapshot(obj))


HISTORY_PER_PAGE = 25   # an object's history of changes, a page at a time


def history_of(obj: Any, *, page: int = 1, per_page: int | None = None) -> Any:
    """What was done to ``obj``, newest first, one page with how many in all (a
    ``recommendations.queries.Page`` of AuditEvent; one query): every audit event about it
    but the downloads made of it. A download changes nothing, and a decision's committee
    papers are downloaded for every meeting: listed, they grew its page by each one (280 KB
    after a few hundred); a person's every sign-in is an event about them, and a school's
    every GIAS import. They stay in the audit log, a page at a time."""
    return history_page(sa.and_(
        AuditEvent.object_type == type(obj).__name__, AuditEvent.object_id == obj.id,
        AuditEvent.action != "export"), page=page, per_page=per_page)


def history_page(condition: sa.ColumnElement[bool], *, page: int = 1,
                 per_page: int | None = None) -> Any:
    """The audit events meeting ``condition``, newest first, one page of ``per_page``
    (:data:`HISTORY_PER_PAGE`) with how many in all, in one query
    (``recommendations.queries.counted_page``): every history a page shows."""
    from tracker.recommendations.queries import Page, counted_page

    per_page = per_page or HISTORY_PER_PAGE
    found, total, page, pages = counted_page(
        sa.select(AuditEvent).where(condition)
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc()), page, per_page)
    return Page(tuple(event for event, _ in found), total, page, pages, per_page)


REFUSAL_WINDOW = dt.timedelta(minutes=10)


def _milestone(count: int) -> bool:
    """1, 10, 100, 1000, ...: the refusals of a window the audit trail is told of."""
    while count % 10 == 0:
        count //= 10
    return count == 1


def _count_refusal(user: User) -> tuple[int, int]:
    """Add one to the user's refusals in this window; returns (count in this window, count
    in the window just ended, when this one starts a new window, else 0)."""
    from tracker.clock import now
    from tracker.models import RefusalTally

    moment = now()
    tally = db.session.get(RefusalTally, user.id, with_for_update=True)
    if tally is None:
        db.session.add(RefusalTally(user_id=user.id, window_started_at=moment, refusals=1))
        return 1, 0
    if tally.window_started_at <= moment - REFUSAL_WINDOW:
        ended = tally.refusals
        tally.window_started_at, tally.refusals = moment, 1
        return 1, ended
    tally.refusals += 1
    return tally.refusals, 0


def record_refusal(path: str) -> None:
    """Count a refused access, and record it in the audit trail when it is the first of the
    user's ten-minute window or the 10th, 100th, ... of it. Nothing else may be pending: a
    refusal ends the request."""
    db.session.rollback()
    summary = f"Refused {request.method} {path}"
    actor, _ = current_actor()
    with own_transaction():
        if actor is None:
            record("access_refused", summary=summary)
            return
        count, ended = _count_refusal(actor)
        if count > 1 and _milestone(count):
            summary += (f" ({count} refusals of this user in ten minutes: the rest are "
                        "counted, not written one by one)")
        elif ended > 1:
            summary += f" ({ended} refusals of this user in the ten minutes before)"
        if _milestone(count):
            record("access_refused", summary=summary)


SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def writes_expected() -> bool:
    """Whether the transaction about to begin may write: outside a request (commands, tests)
    and in a POST, yes; in a GET only inside :func:`own_transaction`. On SQLite a writing
    transaction begins immediately (it queues for the write lock); others begin deferred."""
    if not has_request_context():
        return True
    return request.method not in SAFE_METHODS or bool(g.get("writing"))


@contextmanager
def own_transaction() -> Iterator[None]:
    """Write (an audit event of a GET: an export, a refusal) in a short transaction of its
    own: whatever was read is committed first, the write begins as a writer and commits."""
    db.session.commit()
    g.writing = True
    try:
        yield
        db.session.commit()
    finally:
        g.writing = False
