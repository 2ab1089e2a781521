"""Statements PostgreSQL prepares once and plans for every value: keeping them, and keeping
their plans right.

psycopg prepares a statement on the server once a connection has run it five times, so the
server no longer parses and plans it on every request (the highest-ids stamp of the stored
bodies cost 1.2 ms to plan and 0.5 ms to run). Two things follow:

* psycopg forgets every prepared statement at a ROLLBACK, and a request that only read
  ended with one, so nothing was ever prepared: :func:`end_reads_with_commit` ends such a
  transaction with COMMIT, the same thing to the server when nothing was written;
* a prepared statement is planned, after five runs, once for any value of its parameters
  (a "generic" plan), on guesses: ``id > $1`` or ``due < $1`` is taken for a third of the
  table. Where a value decides between reading a few rows and reading them all, it is
  written into the statement (:func:`written_in`): PostgreSQL then plans with it, once for
  each value (each stamp, each day).
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa

_READS = ("SELECT", "SHOW")   # what a statement may begin with and write nothing


def written_in(value: Any, type_: Any = None) -> sa.ColumnElement[Any]:
    """``value`` written into the statement as a literal, not sent as a parameter (see the
    module docstring): for a value whose rows PostgreSQL must know to plan well."""
    return sa.literal(value, type_, literal_execute=True)


def end_reads_with_commit(engine: sa.Engine) -> None:
    """PostgreSQL: a transaction that wrote nothing ends with COMMIT, not ROLLBACK, so the
    statements psycopg prepared stay prepared (the module docstring).

    Wrote nothing: no statement but a SELECT or SHOW went through the connection since its
    transaction began (a savepoint, a WITH, anything else counts as a write; the tracker
    sends nothing to the server but through SQLAlchemy), and the transaction is open and
    not failed. Anything else is rolled back, as before."""
    import psycopg

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        conn.info["wrote"] = False

    @sa.event.listens_for(engine, "before_cursor_execute")
    def _on_execute(conn: sa.Connection, _cursor: Any, statement: str, *_: Any) -> None:
        if not statement.lstrip()[:6].upper().startswith(_READS):
            conn.info["wrote"] = True

    @sa.event.listens_for(engine, "rollback")
    def _on_rollback(conn: sa.Connection) -> None:
        dbapi = conn.connection.dbapi_connection
        if conn.info.get("wrote", True) or dbapi is None \
                or dbapi.info.transaction_status != psycopg.pq.TransactionStatus.INTRANS:
            return
        dbapi.commit()   # the driver's ROLLBACK that follows has no transaction left to end
