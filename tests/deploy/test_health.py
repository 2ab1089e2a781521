"""/healthz and /readyz: what a load balancer asks each host. Both answer without a session
and say nothing about the data; /readyz says which of its checks fail, and recovers by
itself when the database comes back."""
from __future__ import annotations

import datetime as dt
import logging

import pytest
import requests
import sqlalchemy as sa
from flask_migrate import upgrade as alembic_upgrade

from tests.conftest import PG_URL, ROOT, make_app, sign_in
from tests.deploy.tcpproxy import Relay
from tests.security import served
from tracker.extensions import db
from tracker.clock import now
from tracker.health import migration_state, outbox_moving


def test_healthz_answers_anyone_with_no_session_and_no_data(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_on_a_migrated_database_says_ready_and_names_only_its_checks(client, make):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ready", "checks": {
        "database": "ok", "migrations": "ok", "sign_in_limits": "ok", "outbox": "ok"}}
    assert "Set-Cookie" not in response.headers
    sign_in(client, make.user(role="admin"))  # signed in, the answer is the same
    assert client.get("/readyz").get_json()["status"] == "ready"


# --- The outbox: stuck degrades the host, never takes it out ---------------------------------

def _minutes(n: float) -> dt.datetime:
    return now() + dt.timedelta(minutes=n)


@pytest.mark.parametrize("row, outbox", [
    ({"status": "queued", "next_attempt_at": -31}, "failing"),  # due 31 minutes, none came
    ({"status": "queued", "next_attempt_at": -29}, "ok"),       # the next run will take it
    ({"status": "queued", "next_attempt_at": 45}, "ok"),        # waiting for its retry
    ({"status": "claimed", "next_attempt_at": -60, "claimed_until": -31}, "failing"),
    ({"status": "sending", "next_attempt_at": -60, "claimed_until": -31}, "failing"),
    ({"status": "claimed", "next_attempt_at": -60, "claimed_until": 5}, "ok"),  # sending now
    ({"status": "claimed", "next_attempt_at": -60, "claimed_until": -10}, "ok"),  # next run
    ({"status": "failed", "next_attempt_at": -600}, "ok"),  # an administrator's, not the timer's
    ({"status": "sent", "next_attempt_at": -600}, "ok"),
])
def test_readyz_says_degraded_while_a_message_waits_past_its_time(client, make, db_session,
                                                                   row, outbox):
    times = {k: _minutes(v) for k, v in row.items() if k != "status"}
    make.message(status=row["status"], sent_at=_minutes(-1) if row["status"] == "sent" else None,
                 **times)
    make.message()  # one sent long ago beside it changes nothing
    db_session.commit()
    response = client.get("/readyz")
    assert response.status_code == 200  # never out of the load balancer for the outbox
    assert response.get_json() == {
        "status": "degraded" if outbox == "failing" else "ready",
        "checks": {"database": "ok", "migrations": "ok", "sign_in_limits": "ok",
                   "outbox": outbox}}


def test_how_long_is_stuck_is_a_setting_and_the_log_says_how_long(app, client, make,
                                                                  db_session, monkeypatch,
                                                                  caplog):
    make.message(status="queued", sent_at=None, next_attempt_at=_minutes(-10.5))
    db_session.commit()
    assert client.get("/readyz").get_json()["checks"]["outbox"] == "ok"  # 30 by default
    monkeypatch.setitem(app.config, "OUTBOX_STUCK_MINUTES", 10)
    # Once JSON logs are configured the "tracker" logger stops propagating to the root, where
    # caplog listens; so caplog's handler is put on the logger itself (and may hear it twice).
    health_log = logging.getLogger("tracker.health")
    health_log.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.WARNING, logger="tracker.health"):
            answer = client.get("/readyz").get_json()
    finally:
        health_log.removeHandler(caplog.handler)
    assert answer["status"] == "degraded" and answer["checks"]["outbox"] == "failing"
    outbox_records = {id(r): r for r in caplog.records if getattr(r, "check", "") == "outbox"}
    [line] = [r.getMessage() for r in outbox_records.values()]  # each record once, however heard
    assert "a queued message has waited 10 minutes past its time" in line
    assert "@" not in line and "Your weekly summary" not in line  # nothing of the message


def test_the_outbox_check_is_one_query_through_the_status_index(app, db_session):
    """/readyz runs every few seconds on every host: the check must not read the outbox.
    The statement it runs is caught and explained; PostgreSQL is told to avoid a full scan
    where it can, as a table of a few rows would otherwise be scanned whatever the indexes."""
    engine = db_session.get_bind().engine
    statements: list[tuple[str, object]] = []

    def seen(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            statements.append((statement, parameters))

    sa.event.listen(engine, "before_cursor_execute", seen)
    try:
        with app.test_request_context():
            assert outbox_moving() is None
    finally:
        sa.event.remove(engine, "before_cursor_execute", seen)
    [(statement, parameters)] = statements  # one query
    connection = db_session.connection()
    if engine.dialect.name == "postgresql":
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        plan = "\n".join(connection.exec_driver_sql("EXPLAIN " + statement, parameters).scalars())
        assert "Seq Scan" not in plan, plan
    else:
        plan = "\n".join(row[-1] for row in connection.exec_driver_sql(
            "EXPLAIN QUERY PLAN " + statement, parameters))
        assert "SCAN messages" not in plan, plan
    assert "ix_messages_status_next_attempt_at" in plan, plan


@pytest.mark.parametrize("applied, state", [
    ({"b"}, "current"),
    ({"a"}, "behind"),          # this code needs b: run flask db upgrade first
    (set(), "behind"),          # never migrated
    ({"c-from-next-release"}, "ahead"),  # a newer release upgraded it: keep serving
])
def test_migration_state(applied, state):
    assert migration_state(applied, heads=frozenset({"b"}), known=frozenset({"a", "b"})) == state


def test_readyz_refuses_a_database_behind_this_code(tmp_path):
    url = f"sqlite:///{tmp_path / 'behind.sqlite'}"
    app = make_app(url)
    with app.app_context():
        alembic_upgrade(directory=str(ROOT / "migrations"), revision="0001_domain")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"] == {
        "database": "ok", "migrations": "failing", "sign_in_limits": "ok",
        "outbox": "failing"}  # 0001 has no messages table
    assert app.test_client().get("/healthz").status_code == 200
    with app.app_context():
        db.engine.dispose()


def test_redis_down_degrades_the_host_but_sign_in_still_works(tmp_path):
    """Served for real (the limiter is one object per process), on SQLite, with Redis
    pointed at a port where nothing answers."""
    with served.fresh_database("sqlite", tmp_path) as url, served.gunicorn(url, workers=1, env={
            "REDIS_URL": "redis://127.0.0.1:9/0", "SIGN_IN_LIMIT": "3 per minute"}) as base:
        ready = requests.get(base + "/readyz", timeout=30)
        assert ready.status_code == 200
        assert ready.json() == {"status": "degraded", "checks": {
            "database": "ok", "migrations": "ok", "sign_in_limits": "failing", "outbox": "ok"}}
        person = served.Visitor(base, "nobody@example.gov.uk")
        person.get("/sign-in")
        answers = [person.post("/sign-in", {"email": person.email, "password": "wrong"})
                   .status_code for _ in range(4)]
        # Wrong passwords answered with the form, never a 500; the per-address limit is
        # counted in the process meanwhile (one worker here: the fourth is refused).
        assert answers == [200, 200, 200, 429]


@pytest.mark.skipif(not PG_URL, reason="TEST_DATABASE_URL is not set: PostgreSQL run skipped")
def test_database_stopped_and_started_again_the_app_recovers_without_restarting(database_url):
    """The database is "stopped" by a relay between the app and PostgreSQL: it refuses new
    connections and cuts open ones, as a stopped server does (tests/deploy/tcpproxy.py)."""
    if not database_url.startswith("postgresql"):
        pytest.skip("the PostgreSQL run stops a database server")
    target = sa.engine.make_url(database_url)
    relay = Relay((target.host or "127.0.0.1", target.port or 5432))
    relay.start()
    app = make_app(target.set(host="127.0.0.1", port=relay.port)
                   .render_as_string(hide_password=False))
    client = app.test_client()
    try:
        assert client.get("/readyz").status_code == 200  # a pooled connection now exists
        relay.stop()
        assert client.get("/healthz").status_code == 200
        down = client.get("/readyz")
        assert down.status_code == 503
        assert down.get_json() == {"status": "not ready", "checks": {
            "database": "failing", "migrations": "failing", "sign_in_limits": "ok",
            "outbox": "failing"}}
        assert client.get("/readyz").status_code == 503  # still down: still not ready
        relay.start()
        assert client.get("/readyz").status_code == 200
        assert client.get("/sign-in").status_code == 200
    finally:
        relay.stop()
        with app.app_context():
            db.engine.dispose()

