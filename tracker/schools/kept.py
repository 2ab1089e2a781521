"""Figures kept on write for guidance adoption: each adoption's status now, as the rules of
progress read it from its whole history, stored on the adoption's row so the adoption figure
as at today is a plain count over schools and their adoptions.

Kept on ``adoptions`` (docs/rules-of-progress.md, "Figures kept on write"):

* ``latest_status``: the status of its latest event (``progress.adoption_status_as_at`` over
  every event: "not started" with none);
* ``latest_event_id`` / ``latest_event_at``: that event (latest by ``recorded_at``, ties in
  the order recorded, so by id) and when it was recorded (None with no event).

Every adoption event is written by :func:`record_events` (one school's form, a trust-wide
record, carried over by a predecessor link, the demo data; :func:`record_event` for one event
through the ORM), which keeps these (and, from them, the adoption counts of
``tracker.schools.counts``) in the same transaction; the data backfill of migration
``0012_adoption_current`` and bulk loads (the bench's data sets) use :func:`refresh`.

A kept row stands for the adoption's history by any cut-off after ``latest_event_at``
(nothing was recorded after it), so ``schools.facts.counts_by_phase`` reads it for such a
cut-off and looks up the latest event by the cut-off only for adoptions with an event
recorded since. ``Adoption.status`` (the form's fields) is written with each event too, and
equals ``latest_status`` whenever events are recorded as they happen; the figures rest on the
history alone. tests/progress/test_kept_adoption.py proves, over generated histories (events
recorded out of order, several versions, schools in and out of scope, closed), on SQLite and
PostgreSQL, that the kept figures and the counts are the rules'.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from tracker import progress
from tracker.schools import counts
from tracker.models.base import UTCDateTime, utcnow
from tracker.progress import AdoptionEventFact, SchoolFact

# Table clauses, not the ORM models: the migration's backfill calls :func:`refresh` too, and
# must not depend on the models of a later revision.
ADOPTIONS = sa.table(
    "adoptions", sa.column("id", sa.Integer), sa.column("school_id", sa.Integer),
    sa.column("guidance_version_id", sa.Integer), sa.column("latest_status", sa.String),
    sa.column("latest_event_id", sa.Integer), sa.column("latest_event_at", UTCDateTime()))
EVENTS = sa.table(
    "adoption_events", sa.column("id", sa.Integer), sa.column("adoption_id", sa.Integer),
    sa.column("recorded_at", UTCDateTime()), sa.column("status", sa.String))
_NO_TIME = dt.datetime.min.replace(tzinfo=dt.UTC)


class Kept(NamedTuple):
    latest_status: str
    latest_event_id: int | None
    latest_event_at: dt.datetime | None

    def values(self) -> dict[str, Any]:
        return self._asdict()


class EventRow(NamedTuple):
    id: int
    recorded_at: dt.datetime
    status: str


def figures(events: Iterable[EventRow]) -> Kept:
    """An adoption's kept figures from its events, by the rules of progress."""
    ordered = sorted(events, key=lambda e: e.id)  # the order recorded: ties as given
    fact = SchoolFact(id=0, phase=None, in_scope=True, recorded_at=_NO_TIME, open_date=None,
                      closed_recorded_at=None, adoption_events=tuple(
                          AdoptionEventFact(recorded_at=e.recorded_at, status=e.status)
                          for e in ordered))
    latest = max(ordered, key=lambda e: (e.recorded_at, e.id), default=None)
    return Kept(progress.adoption_status_as_at(fact, None), latest.id if latest else None,
                latest.recorded_at if latest else None)


def _as_event(kept: Sequence[Any]) -> list[EventRow]:
    """A kept row (status, id, time) as the one event that stands for the history so far."""
    status, event_id, at = kept
    return [] if event_id is None else [EventRow(event_id, at, status)]


def record_events(session: Any, rows: Sequence[Mapping[str, Any]]) -> list[int]:
    """THE writer of adoption events: insert ``rows`` (``adoption_events`` columns) and keep
    each adoption's figures in the same transaction (no commit). Returns the events' ids in
    the order given. The latest of the kept event and the new ones is the latest of the whole
    history, so only the adoptions' kept rows are read, never their histories."""
    return list(_record(session, rows))


def _record(session: Any, rows: Sequence[Mapping[str, Any]]) -> dict[int, Kept]:
    """:func:`record_events`: the events' ids, in order, as keys; each its adoption's kept
    figures after. An adoption loaded in the session is given them as its loaded values (no
    version bump: they follow the history; the form's fields have not changed)."""
    from tracker.models import Adoption, AdoptionEvent

    if not rows:
        return {}
    session.flush()  # the adoptions, created or changed by the ORM, first
    full = [{"recorded_at": utcnow()} | dict(row) for row in rows]  # the model's default
    table = AdoptionEvent.__table__
    ids = [row[0] for row in session.execute(
        sa.insert(table).returning(table.c.id, sort_by_parameter_order=True), full)]
    new: dict[int, list[EventRow]] = {}
    for event_id, row in zip(ids, full, strict=True):
        new.setdefault(row["adoption_id"], []).append(
            EventRow(event_id, row["recorded_at"], row["status"]))
    after = _keep(session.connection(), new)
    for adoption_id, kept in after.items():
        loaded = session.identity_map.get(identity_key(Adoption, adoption_id))
        if loaded is not None:
            for name, value in kept.values().items():
                set_committed_value(loaded, name, value)
    return {event_id: after[row["adoption_id"]] for event_id, row in zip(ids, full, strict=True)}


def record_event(adoption: Any, **values: Any) -> int:
    """One event for an ORM ``Adoption`` (in a session) through :func:`record_events`; the
    adoption's kept attributes are then what was written. Returns the event's id."""
    session = sa.inspect(adoption).session
    if adoption.id is None:
        session.flush()
    [event_id] = record_events(session, [{"adoption_id": adoption.id} | values])
    return event_id


def _keep(connection: sa.Connection, new: Mapping[int, list[EventRow]]) -> dict[int, Kept]:
    """Combine each adoption's kept figures with its new events, by the rule; write those
    that change. Returns every adoption's kept figures after."""
    changed, after, schools, versions = [], {}, set(), set()
    ids = list(new)
    for start in range(0, len(ids), 500):
        for row in connection.execute(
                sa.select(ADOPTIONS.c.id, ADOPTIONS.c.latest_status, ADOPTIONS.c.latest_event_id,
                          ADOPTIONS.c.latest_event_at, ADOPTIONS.c.school_id,
                          ADOPTIONS.c.guidance_version_id)
                .where(ADOPTIONS.c.id.in_(ids[start:start + 500]))):
            kept = after[row.id] = figures(_as_event(row[1:4]) + new[row.id])
            if tuple(kept) != tuple(row[1:4]):
                changed.append({"k_id": row.id, **{f"k_{k}": v for k, v in kept.values().items()}})
                if kept.latest_status != row.latest_status:
                    schools.add(row.school_id)
                    versions.add(row.guidance_version_id)
    # The adoption counts move with the kept statuses (tracker.schools.counts).
    with counts.keeping(connection, counts.SCHOOLS.c.id, sorted(schools), sorted(versions)):
        _write(connection, changed)
    return after


def _write(connection: sa.Connection, changed: list[dict[str, Any]]) -> None:
    if changed:
        connection.execute(
            ADOPTIONS.update().where(ADOPTIONS.c.id == sa.bindparam("k_id")).values(
                {name: sa.bindparam(f"k_{name}") for name in Kept._fields}), changed)


def refresh(connection: sa.Connection, adoption_ids: Sequence[int] | None = None) -> int:
    """Recompute the kept figures of these adoptions (None: every adoption) from their every
    event and write those that differ; returns how many rows changed. Two reads and one
    batched write, for the migration's backfill and bulk loads (the bench's data sets)."""
    adoptions = sa.select(ADOPTIONS.c.id, ADOPTIONS.c.latest_status,
                          ADOPTIONS.c.latest_event_id, ADOPTIONS.c.latest_event_at)
    events = sa.select(EVENTS.c.adoption_id, EVENTS.c.id, EVENTS.c.recorded_at, EVENTS.c.status)
    if adoption_ids is not None:
        adoptions = adoptions.where(ADOPTIONS.c.id.in_(list(adoption_ids)))
        events = events.where(EVENTS.c.adoption_id.in_(list(adoption_ids)))
    history: dict[int, list[EventRow]] = {}
    for row in connection.execute(events):
        history.setdefault(row.adoption_id, []).append(EventRow(*row[1:]))
    changed = []
    for row in connection.execute(adoptions).all():
        kept = figures(history.get(row.id, ()))
        if tuple(kept) != tuple(row[1:]):
            changed.append({"k_id": row.id, **{f"k_{k}": v for k, v in kept.values().items()}})
    _write(connection, changed)
    return len(changed)
