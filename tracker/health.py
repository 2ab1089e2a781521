"""Health checks for a load balancer or monitoring: ``/healthz`` and ``/readyz``.

Both answer anyone, signed in or not, with a few words of JSON and nothing from the data.

* ``/healthz``: this process is up and answering (200). It touches nothing else, so a
  database outage never makes a host look dead and get restarted for nothing.
* ``/readyz``: this host can serve (200) or not (503). It runs every check in ``CHECKS``;
  each answers None when fine, or a short reason, which is logged (with the request id) and
  never shown: the response says only which checks failed. A check is a function of no
  arguments added to ``CHECKS`` with its name and whether the host can serve without it.
  Redis is not required: while it is down, sign-in attempts per address are counted in each
  process instead (``RATELIMIT_IN_MEMORY_FALLBACK_ENABLED``) and the host answers 200 with
  status "degraded", rather than every host leaving the load balancer at once.
* The email outbox is not required either. It is *stuck* when a message has been queued and
  due for longer than ``OUTBOX_STUCK_MINUTES`` (default 30) past its next-attempt time, or
  claimed by a sender whose lease ended that long ago: no ``reminders run`` has come by (the
  timer is off or failing everywhere), or no transport is configured, or the relay refuses
  everything. Every host shares one outbox, so it would fail on all of them at once, and no
  page needs it: taking every host out of the load balancer would stop the service for
  something only the timer can fix. The host answers 200 with status "degraded" and
  ``"outbox": "failing"`` (alert on it); the log line says how long one such message has waited.
  One query answers it, through the index on (status, next_attempt_at).
"""
from __future__ import annotations

import datetime as dt
import functools
import logging
from typing import Callable

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask import Blueprint, current_app, jsonify
from werkzeug.wrappers import Response

from tracker.clock import now
from tracker.extensions import db
from tracker.models import Message
from tracker.permissions import public

bp = Blueprint("health", __name__)
log = logging.getLogger("tracker.health")
MIGRATIONS = "migrations"  # beside the tracker package (see create_app)


@bp.route("/healthz")
@public
def healthz() -> Response:
    return jsonify(status="ok")


@bp.route("/readyz")
@public
def readyz() -> Response:
    failing = []
    for name, check, _ in CHECKS:
        try:
            reason = check()
        except Exception as exc:  # any failure of a check means "not ready", never a 500
            reason = f"{type(exc).__name__}: {exc}"
        if reason is not None:
            failing.append(name)
            log.warning("Readiness check %s failed: %s", name, reason,
                        extra={"check": name})
    unready = any(required and name in failing for name, _, required in CHECKS)
    response = jsonify(status="not ready" if unready else "degraded" if failing else "ready",
                       checks={name: ("failing" if name in failing else "ok")
                               for name, _, _ in CHECKS})
    response.status_code = 503 if unready else 200
    return response


# --- The checks -------------------------------------------------------------------------------

def database_reachable() -> str | None:
    """The database answers a query (a broken pooled connection is replaced: pre-ping)."""
    try:
        db.session.execute(sa.text("SELECT 1"))
        return None
    finally:
        db.session.rollback()


@functools.lru_cache(maxsize=4)
def _revisions(folder: str) -> tuple[frozenset[str], frozenset[str]]:
    """(heads, every revision) of the migrations this code carries."""
    scripts = ScriptDirectory(folder)
    return (frozenset(scripts.get_heads()),
            frozenset(s.revision for s in scripts.walk_revisions()))


def migrations_folder() -> str:
    from tracker import ROOT
    return str(ROOT / MIGRATIONS)


def migration_state(applied: set[str], heads: frozenset[str], known: frozenset[str]) -> str:
    """"current", "ahead" (the database carries a migration this code does not know: a newer
    release has upgraded it, and migrations keep the release before working) or "behind"
    (this code needs a migration the database lacks: run ``flask db upgrade``)."""
    if applied and not applied <= known:
        return "ahead"
    if applied and heads <= applied:
        return "current"
    return "behind"


def migrations_at_head() -> str | None:
    """The database has every migration this code needs. A database a newer release has
    already upgraded counts as ready: during a release the old hosts keep serving until they
    are restarted (docs/deploying.md)."""
    try:
        applied = set(db.session.scalars(sa.text("SELECT version_num FROM alembic_version")))
    finally:
        db.session.rollback()
    heads, known = _revisions(migrations_folder())
    state = migration_state(applied, heads, known)
    if state == "behind":
        return (f"the database is at {sorted(applied) or 'no migration'}, this code needs "
                f"{sorted(heads)}: run flask db upgrade")
    return None


@functools.lru_cache(maxsize=4)
def _limiter_storage(uri: str):  # type: ignore[no-untyped-def]
    from limits.storage import storage_from_string
    return storage_from_string(uri, socket_connect_timeout=2, socket_timeout=2)


def limiter_storage_reachable() -> str | None:
    """Where sign-in attempts are counted answers (Redis when configured; the in-process
    count needs no check)."""
    uri = str(current_app.config.get("RATELIMIT_STORAGE_URI") or "memory://")
    if uri.startswith("memory://"):
        return None
    return None if _limiter_storage(uri).check() else "the sign-in count store does not answer"


def stuck_messages(limit: dt.datetime) -> sa.Select:
    """Messages queued and due since before ``limit``, or claimed (or being handed over) with
    a lease that ended before it (``release_expired`` would have put them back, had any
    sender run). Through ix_messages_status_next_attempt_at: queued rows by due time;
    claimed and sending rows by status, of which there are only a batch or two."""
    return sa.select(Message.status, Message.next_attempt_at, Message.claimed_until).where(
        sa.or_(sa.and_(Message.status == "queued", Message.next_attempt_at < limit),
               sa.and_(Message.status.in_(("claimed", "sending")),
                       Message.claimed_until < limit))).limit(1)


def outbox_moving() -> str | None:
    """No message waits more than ``OUTBOX_STUCK_MINUTES`` past its time (one query)."""
    moment = now()
    limit = moment - dt.timedelta(minutes=current_app.config["OUTBOX_STUCK_MINUTES"])
    try:
        oldest = db.session.execute(stuck_messages(limit)).first()
    finally:
        db.session.rollback()
    if oldest is None:
        return None
    since = oldest.next_attempt_at if oldest.status == "queued" else oldest.claimed_until
    return (f"a {oldest.status} message has waited {int((moment - since).total_seconds() // 60)}"
            " minutes past its time: is reminders run running, and is a mail transport "
            "configured and answering?")


# (name, check, required: the host cannot serve while it fails)
CHECKS: list[tuple[str, Callable[[], str | None], bool]] = [
    ("database", database_reachable, True),
    ("migrations", migrations_at_head, True),
    ("sign_in_limits", limiter_storage_reachable, False),
    ("outbox", outbox_moving, False),
]
