"""Writing kept figures and stored reports: one statement that inserts or replaces rows, and a
short transaction of its own for what a GET keeps (weekly and ageing points, sums, stored
reports), as a GET's audit event is written."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import has_request_context
from sqlalchemy.dialects import postgresql, sqlite

from tracker import audit
from tracker.planning import written_in
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


def after(column: Any, stamp: Any) -> sa.ColumnElement[bool]:
    """``column > stamp``, for asking whether anything was recorded after a stamp (the
    highest id seen when figures were kept), with the stamp written into the statement as a
    number, not sent as a parameter (``tracker.planning``). PostgreSQL plans a statement
    asked often (psycopg prepares it after five runs) once for every value of its
    parameters, and for ``id > $1`` it guesses a third of the table: it read all 1,000,000
    updates at national scale (67 ms) to find none after the stamp. Given the number, it
    walks the primary key from the stamp, and finds nothing there at once when nothing was
    written since. A stamp kept in a column (compared row by row in SQL) is compared as it
    is."""
    if not isinstance(stamp, int):
        return column > stamp   # type: ignore[no-any-return]
    return column > written_in(stamp)  # type: ignore[no-any-return]


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
