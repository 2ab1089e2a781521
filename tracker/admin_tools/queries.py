"""Reading the audit trail: filtered, newest first, a page at a time."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from tracker.clock import end_of_day_utc
from tracker.extensions import db
from tracker.models import AuditEvent


@dataclass(frozen=True)
class AuditFilter:
    user: str | None = None
    action: str | None = None
    object_type: str | None = None
    object_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@dataclass
class Page:
    events: list[AuditEvent]
    number: int
    size: int
    total: int

    @property
    def page(self) -> int:
        """The page's number, as components/pager.html asks it."""
        return self.number

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def first(self) -> int:
        return 0 if not self.total else (self.number - 1) * self.size + 1

    @property
    def last(self) -> int:
        return min(self.total, self.number * self.size)


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def conditions(f: AuditFilter) -> list[sa.ColumnElement[bool]]:
    where: list[sa.ColumnElement[bool]] = []
    if f.user:
        pattern = f"%{_escape_like(f.user.strip().lower())}%"
        where.append(sa.func.lower(AuditEvent.actor_label).like(pattern, escape="\\"))
    if f.action:
        where.append(AuditEvent.action == f.action)
    if f.object_type:
        where.append(AuditEvent.object_type == f.object_type)
    if f.object_id:
        where.append(AuditEvent.object_id == f.object_id)
    if f.date_from:
        # Dates are London days: from the start of the day before ``date_from`` ends.
        where.append(AuditEvent.occurred_at >= end_of_day_utc(f.date_from - dt.timedelta(days=1)))
    if f.date_to:
        where.append(AuditEvent.occurred_at < end_of_day_utc(f.date_to))
    return where


def audit_page(f: AuditFilter, number: int, size: int) -> Page:
    where = conditions(f)
    total = db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(*where)) or 0
    pages = max(1, -(-total // size))
    number = min(max(1, number), pages)
    events = list(db.session.scalars(
        sa.select(AuditEvent).where(*where)
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        .limit(size).offset((number - 1) * size)))
    return Page(events, number, size, total)


def object_types() -> list[str]:
    return [t for t in db.session.scalars(
        sa.select(AuditEvent.object_type).where(AuditEvent.object_type.is_not(None))
        .distinct().order_by(AuditEvent.object_type)) if t]
