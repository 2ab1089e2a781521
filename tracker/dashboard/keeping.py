"""Writing kept figures and stored reports: one statement that inserts or replaces rows, and a
short transaction of its own for what a GET keeps (weekly and ageing points, sums, stored
reports), as a GET's audit event is written."""
from __future__ import annotations

from collections.abc import Callable

from flask import has_request_context
from sqlalchemy.dialects import postgresql, sqlite

from tracker import audit
from tracker.extensions import db


def upsert(model: type, index: list[str], rows: list[dict[str, object]]) -> None:
    """Insert these rows, replacing those with the same ``index`` (one statement)."""
    if not rows:
        return
    insert = (postgresql.insert if db.engine.dialect.name == "postgresql"
              else sqlite.insert)(model)
    db.session.execute(insert.on_conflict_do_update(
        index_elements=index,
        set_={name: getattr(insert.excluded, name) for name in rows[0] if name not in index}),
        rows)


def write_aside(write: Callable[[], None]) -> None:
    """Run ``write`` (keeping figures) in a short transaction of its own, as a GET's audit
    event is written (``audit.own_transaction``), without expiring what the request has
    loaded (it changed nothing: what it read stays as read). Outside a request (a test
    calling a builder, a command) nothing is kept."""
    if not has_request_context():
        return
    session = db.session()
    expire = session.expire_on_commit
    session.expire_on_commit = False
    try:
        with audit.own_transaction():
            write()
    finally:
        session.expire_on_commit = expire
