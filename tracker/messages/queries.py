"""Reads for the messages pages: the outbox page by page, counts by status."""
from __future__ import annotations

import math
from dataclasses import dataclass

import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import Message

STATUS_FILTERS = {"": "All", "waiting": "Waiting to be sent", "sent": "Sent", "failed": "Failed"}
_WAITING = ("queued", "claimed", "sending")


@dataclass
class Page:
    rows: list[Message]
    total: int
    number: int
    size: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))


def _filtered(status: str) -> sa.Select:  # type: ignore[type-arg]
    query = sa.select(Message)
    if status == "waiting":
        query = query.where(Message.status.in_(_WAITING))
    elif status:
        query = query.where(Message.status == status)
    return query


def messages_page(status: str, number: int, size: int = 50) -> Page:
    query = _filtered(status)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0
    number = min(max(1, number), max(1, math.ceil(total / size)))
    rows = list(db.session.scalars(query.order_by(Message.id.desc())
                                   .limit(size).offset((number - 1) * size)))
    return Page(rows, total, number, size)


def counts() -> dict[str, int]:
    found = dict(db.session.execute(sa.select(Message.status, sa.func.count(Message.id))
                                    .group_by(Message.status)).all())
    return {"waiting": sum(found.get(s, 0) for s in _WAITING),
            "sent": found.get("sent", 0), "failed": found.get("failed", 0)}
