"""Editable values as they stood at an "as at" cut-off, read back from the audit trail.

A committee paper printed for a date must read the same whenever it is printed again, so the
report shows each editable value (a recommendation's text, reference and owner, an action's
title and owner, a decision's title, a part's text, a person's name, a school's phase and
scope) as it stood at the end of that day, not as it reads today.

Every change to tracked data is audited with the values before it (``tracker.audit.updated``
and ``withdrawn`` snapshot the whole row; bulk imports give the changed columns). So a
column's value as recorded by a cut-off is its "before" in the first change of that column
made at or after the cut-off, or today's value when nothing has changed it since. Rows that
did not exist by the cut-off are left out by the rules of progress (``created_at``), not here.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import sqlalchemy as sa

from tracker import progress
from tracker.extensions import db
from tracker.models import AuditEvent

CHANGES = ("update", "withdraw")
CHUNK = 500


class Plain:
    """A row read as plain columns, no ORM object (a page reads thousands): each column an
    attribute, and ``audited_as`` the model it is a row of, whose audit trail
    ``ValuesAsAt`` reads back. ``more``: what the reader hangs on it (its child rows)."""

    def __init__(self, audited_as: type, row: Any, **more: Any) -> None:
        self.__dict__.update(row._mapping, **more)
        self.audited_as = audited_as

    @classmethod
    def rows(cls, audited_as: type, statement: sa.Select[Any]) -> Iterator[Plain]:
        """The rows of ``statement`` (a select of columns), each a ``Plain`` of
        ``audited_as``: run through Core (``columns``), each row's values set by the
        result's keys, with no mapping made per row (a report reads thousands)."""
        result = columns(statement)
        keys = tuple(result.keys())
        for values in result:
            plain = cls.__new__(cls)
            plain.__dict__.update(zip(keys, values))
            plain.audited_as = audited_as
            yield plain


def columns(statement: sa.Select[Any]) -> sa.CursorResult[Any]:
    """The rows of a select of columns (no ORM entities) run through Core on the session's
    connection, so the same transaction, without the ORM wrapping each row again (a report
    reads thousands). Pending changes are flushed first, as the session's own ``execute``
    would (unless autoflush is off)."""
    if db.session.autoflush:
        db.session.flush()
    return db.session.connection().execute(statement)


def _model(obj: Any) -> type:
    return obj.audited_as if isinstance(obj, Plain) else type(obj)


class ValuesAsAt:
    """Looks up each row's values as at ``cutoff`` (None: now, so today's values)."""

    def __init__(self, cutoff: dt.datetime | None):
        self.cutoff = cutoff
        self._before: dict[tuple[str, int], dict[str, Any]] = {}  # field -> value as at
        self._loaded: set[tuple[str, int]] = set()

    @classmethod
    def on(cls, as_at: dt.date, today: dt.date) -> ValuesAsAt:
        """Values as they stood at the end of ``as_at``: as at today nothing can have been
        recorded after the end of the day yet, so today's values, without asking the audit
        trail (the report's and its downloads' names)."""
        return cls(None if as_at == today else progress.cutoff_for(as_at))

    def load(self, model: type, ids: Iterable[int]) -> None:
        """Read, in a few queries, the first change after the cut-off of each row."""
        kind = model.__name__
        wanted = sorted({i for i in ids if (kind, i) not in self._loaded})
        self._loaded.update((kind, i) for i in wanted)
        if self.cutoff is None or not wanted:
            return
        if len(wanted) > CHUNK:  # many rows (25,000 schools): ask only about those changed
            changed = set(self.changed_since(model))
            wanted = [i for i in wanted if i in changed]
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start:start + CHUNK]
            events = db.session.execute(
                sa.select(AuditEvent.object_id, AuditEvent.before)
                .where(AuditEvent.object_type == kind, AuditEvent.object_id.in_(chunk),
                       AuditEvent.action.in_(CHANGES), AuditEvent.occurred_at >= self.cutoff)
                .order_by(AuditEvent.object_id, AuditEvent.occurred_at, AuditEvent.id))
            for object_id, before in events:
                known = self._before.setdefault((kind, object_id), {})
                for field, value in (before or {}).items():
                    known.setdefault(field, value)

    def changed_since(self, model: type) -> list[int]:
        """Ids of rows of ``model`` changed at or after the cut-off (any row, loaded or not)."""
        if self.cutoff is None:
            return []
        return list(db.session.scalars(
            sa.select(AuditEvent.object_id.distinct())
            .where(AuditEvent.object_type == model.__name__, AuditEvent.action.in_(CHANGES),
                   AuditEvent.occurred_at >= self.cutoff, AuditEvent.object_id.is_not(None))))

    def stood_at(self, model: Any, field: str, among: Sequence[Any]) -> sa.Select[Any] | None:
        """Ids of rows of ``model`` whose ``field`` stood at one of ``among`` before some
        change made at or after the cut-off (a subquery; None when the cut-off is now): every
        row whose value as at the cut-off is among them and another now is one of these (its
        first change of the field since tells that value), with maybe a few others, which
        ``value`` then tells apart."""
        if self.cutoff is None:
            return None
        column = AuditEvent.before[field]
        kind = getattr(model.__table__.c, field).type.python_type
        return (sa.select(AuditEvent.object_id)
                .where(AuditEvent.object_type == model.__name__,
                       AuditEvent.action.in_(CHANGES), AuditEvent.occurred_at >= self.cutoff,
                       (column.as_integer() if kind is int else column.as_string())
                       .in_(list(among))))

    def changed(self, obj: Any) -> bool:
        """Whether any column of ``obj`` (loaded) has changed since the cut-off."""
        return bool(self._before.get((_model(obj).__name__, obj.id)))

    def value(self, obj: Any, field: str) -> Any:
        """``obj.field`` as it stood at the cut-off."""
        if self.cutoff is None:   # now: every value as it is (a page asks tens of thousands)
            return getattr(obj, field)
        model = _model(obj)
        key = (model.__name__, obj.id)
        if key not in self._loaded:
            self.load(model, [obj.id])
        before = self._before.get(key)
        if before is None or field not in before:
            return getattr(obj, field)
        return _restore(model, field, before[field])


def _restore(model: type, field: str, raw: Any) -> Any:
    """Turn a snapshot's JSON value back into the column's Python type."""
    if raw is None or not isinstance(raw, str):
        return raw
    column = sa.inspect(model).columns[field]
    python_type = getattr(column.type, "impl", column.type).python_type
    if python_type is dt.datetime:
        return dt.datetime.fromisoformat(raw)
    if python_type is dt.date:
        return dt.date.fromisoformat(raw)
    return raw
