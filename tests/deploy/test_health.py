"""/healthz and /readyz: what a load balancer asks each host. Both answer without a session
and say nothing about the data; /readyz says which of its checks fail, and recovers by
itself when the database comes back."""
from __future__ import annotations

import pytest
import requests
import sqlalchemy as sa
from flask_migrate import upgrade as alembic_upgrade

from tests.conftest import PG_URL, ROOT, make_app, sign_in
from tests.deploy.tcpproxy import Relay
from tests.security import served
from tracker.extensions import db
from tracker.health import migration_state


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
        "database": "ok", "migrations": "ok", "sign_in_limits": "ok"}}
    assert "Set-Cookie" not in response.headers
    sign_in(client, make.user(role="admin"))  # signed in, the answer is the same
    assert client.get("/readyz").get_json()["status"] == "ready"


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
        "database": "ok", "migrations": "failing", "sign_in_limits": "ok"}
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
            "database": "ok", "migrations": "ok", "sign_in_limits": "failing"}}
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
            "database": "failing", "migrations": "failing", "sign_in_limits": "ok"}}
        assert client.get("/readyz").status_code == 503  # still down: still not ready
        relay.start()
        assert client.get("/readyz").status_code == 200
        assert client.get("/sign-in").status_code == 200
    finally:
        relay.stop()
        with app.app_context():
            db.engine.dispose()

