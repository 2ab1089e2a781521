"""PostgreSQL keeps the statements it prepared, and plans with the values that decide how
much it reads (tracker.planning).

psycopg forgets every statement it prepared at a ROLLBACK, and a request that only read
ended with one, so nothing was ever prepared: a transaction that wrote nothing now ends with
COMMIT. One that wrote anything, or failed, is rolled back as before.
"""
from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from tracker import planning


@pytest.fixture()
def engine(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("prepared statements and their plans: PostgreSQL")
    made = sa.create_engine(database_url)
    planning.end_reads_with_commit(made)
    with made.begin() as conn:
        conn.execute(sa.text("DROP TABLE IF EXISTS planning_scratch"))
        conn.execute(sa.text("CREATE TABLE planning_scratch (n integer)"))
    yield made
    with made.begin() as conn:
        conn.execute(sa.text("DROP TABLE planning_scratch"))
    made.dispose()


def _prepared(conn: sa.Connection) -> int:
    return conn.execute(sa.text("SELECT count(*) FROM pg_prepared_statements")).scalar_one()


def test_a_transaction_that_only_read_keeps_what_was_prepared(engine):
    with engine.connect() as conn:
        for n in range(8):   # psycopg prepares a statement at its fifth run
            conn.execute(sa.text("SELECT count(*) FROM planning_scratch WHERE n > :n"),
                         {"n": n})
            conn.rollback()   # as every request that read ends
        assert _prepared(conn) >= 1


def test_a_transaction_that_wrote_is_rolled_back(engine):
    with engine.connect() as conn:
        conn.execute(sa.text("INSERT INTO planning_scratch (n) VALUES (1)"))
        conn.rollback()
        conn.execute(sa.text("SELECT 1"))   # a read after it, in a transaction of its own
        conn.rollback()
        assert conn.execute(sa.text("SELECT count(*) FROM planning_scratch")).scalar_one() == 0
        # a write after reads in the same transaction: rolled back too
        conn.execute(sa.text("SELECT count(*) FROM planning_scratch"))
        conn.execute(sa.text("WITH x AS (INSERT INTO planning_scratch (n) VALUES (2) "
                             "RETURNING n) SELECT n FROM x"))
        conn.rollback()
        assert conn.execute(sa.text("SELECT count(*) FROM planning_scratch")).scalar_one() == 0


def test_a_savepoint_counts_as_a_write(engine):
    with engine.connect() as conn:
        nested = conn.begin_nested()
        conn.execute(sa.text("INSERT INTO planning_scratch (n) VALUES (3)"))
        nested.commit()
        conn.rollback()
        assert conn.execute(sa.text("SELECT count(*) FROM planning_scratch")).scalar_one() == 0


def test_a_failed_transaction_is_rolled_back_and_the_connection_goes_on(engine):
    with engine.connect() as conn:
        with pytest.raises(sa.exc.DBAPIError):
            conn.execute(sa.text("SELECT 1 / 0"))
        conn.rollback()
        assert conn.execute(sa.text("SELECT 2")).scalar_one() == 2


def test_a_value_written_in_is_in_the_statement_sent(engine):
    """planning.written_in: PostgreSQL plans with the value itself (a day, a stamp), not
    once for any value."""
    sent: list[str] = []
    sa.event.listen(engine, "before_cursor_execute",
                    lambda _c, _cur, statement, *_: sent.append(statement))
    day = dt.date(2026, 12, 7)
    with engine.connect() as conn:
        conn.execute(sa.select(sa.literal_column("n")).select_from(
            sa.table("planning_scratch", sa.column("n"))).where(
            sa.literal(dt.date(2026, 1, 1), sa.Date) < planning.written_in(day, sa.Date)))
    assert re.search(r"< '2026-12-07'", sent[-1])


@pytest.mark.parametrize("dialect", ["postgresql", "sqlite"])
def test_the_overdue_filter_is_planned_for_its_day(dialect):
    """Planned for any day, PostgreSQL read a third of the actions by their due-date index
    for "overdue only": the day is written in."""
    from sqlalchemy.dialects import postgresql, sqlite

    from tracker.models import Action
    from tracker.recommendations.queries import overdue_clause

    compiled = sa.select(Action.id).where(overdue_clause(dt.date(2026, 12, 7))).compile(
        dialect=(postgresql if dialect == "postgresql" else sqlite).dialect(),
        compile_kwargs={"render_postcompile": True})
    assert "actions.current_due_on < '2026-12-07'" in str(compiled)
