"""SQLite: pages read without the write lock; writes (and a GET's audit event) take it.

A reading transaction begins deferred, so readers never queue behind a writer or each other;
a transaction that writes begins immediately, so concurrent writers queue for the lock
instead of failing. Run on a database of its own (not the rolled-back test transaction),
as a server runs.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import PASSWORD, make_app, upgrade
from tests.factories import _password_hash
from tracker.extensions import db
from tracker.models import AuditEvent, User


@pytest.fixture()
def served(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'served.sqlite'}"
    app = make_app(url, WTF_CSRF_ENABLED=False, SQLITE_BUSY_TIMEOUT_MS=300)
    upgrade(app)
    with app.app_context():
        db.session.add(User(email="member@example.gov.uk", name="Member", role="member",
                            password_hash=_password_hash(PASSWORD)))
        db.session.commit()
    statements: list[str] = []
    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute",
                        lambda _c, _cur, sql, *_: statements.append(sql))
    client = app.test_client()
    answer = client.post("/sign-in", data={"email": "member@example.gov.uk",
                                           "password": PASSWORD})
    assert answer.status_code == 302
    yield app, client, tmp_path / "served.sqlite", statements
    with app.app_context():
        db.engine.dispose()


def _begins(statements: list[str]) -> list[str]:
    return [s for s in statements if s.startswith("BEGIN")]


def test_a_page_is_read_while_another_worker_holds_the_write_lock(served):
    app, client, path, statements = served
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        statements.clear()
        answer = client.get("/decisions")
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert answer.status_code == 200
    assert _begins(statements) and set(_begins(statements)) == {"BEGIN"}


def test_a_download_records_its_audit_event_in_a_writing_transaction(served):
    app, client, path, statements = served
    statements.clear()
    answer = client.get("/reports/committee.csv?decision=all&as_at=1&as_at=2&as_at=2021")
    assert answer.status_code == 200
    assert _begins(statements)[0] == "BEGIN"
    assert "BEGIN IMMEDIATE" in _begins(statements)
    with app.app_context():
        exports = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "export"))
        assert [e.summary for e in exports] == [
            "Committee report for all decisions as at 2021-02-01 downloaded as CSV"]


def test_a_post_begins_as_a_writer(served):
    app, client, path, statements = served
    statements.clear()
    client.post("/sign-out")
    assert _begins(statements) and set(_begins(statements)) == {"BEGIN IMMEDIATE"}
