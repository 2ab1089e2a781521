"""Test harness: the real app on a real database (SQLite always; PostgreSQL too when
TEST_DATABASE_URL is set), schema built by the migrations, each test rolled back.

Fixtures:
  app, db_session  the app bound to one connection; every test runs in a transaction that is
                   rolled back (services' commits become savepoints)
  client           Flask's test client; ``sign_in(client, user)`` signs in through the form
  make             factories for every model (tests/factories.py)

Hypothesis profiles: "ci" (derandomized: the same examples on every run, so a red build is
the code, not the draw; no deadline, as CI machines are slow and uneven; the failing
example's reproduction blob printed) is loaded when ``CI`` is set (to anything but "", "0",
"false" or "no") or ``HYPOTHESIS_PROFILE=ci``; otherwise "default", which draws new examples
every run to keep exploring. Tests' own ``@settings`` still set their example counts.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Iterator, Mapping

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from flask_sqlalchemy.session import _app_ctx_id
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from tests import factories
from tracker import create_app
from tracker.extensions import db

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("TEST_DATABASE_URL")
PASSWORD = factories.PASSWORD


def hypothesis_profile(environ: Mapping[str, str] = os.environ) -> str:
    """The hypothesis profile to load: "ci" when ``CI`` is set or ``HYPOTHESIS_PROFILE`` is
    "ci", else "default"."""
    in_ci = environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
    return "ci" if in_ci or environ.get("HYPOTHESIS_PROFILE") == "ci" else "default"


hypothesis_settings.register_profile(
    "ci",
    hypothesis_settings.get_profile("default"),
    derandomize=True,  # implies database=None: no examples replayed from earlier runs
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],  # a timing check: would make CI flaky
)
hypothesis_settings.load_profile(hypothesis_profile())


def redis_url() -> str:
    """Redis for the tests that need one: ``TEST_REDIS_URL`` when set (CI sets it and starts
    Redis, so an unreachable one fails the test), else 127.0.0.1:6379 if it answers, else
    the test is skipped. Database 15, away from a development server's own data."""
    import redis

    given = os.environ.get("TEST_REDIS_URL")
    url = given or "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        if given:
            pytest.fail(f"TEST_REDIS_URL={given} does not answer: {exc}")
        pytest.skip("no Redis at 127.0.0.1:6379 (set TEST_REDIS_URL to run these tests)")
    return url


def database_urls(tmp_dir: Path) -> dict[str, str]:
    return {"sqlite": f"sqlite:///{tmp_dir / 'test.sqlite'}", "postgresql": PG_URL or ""}


def private_postgres_database(url: str) -> str:
    """A fresh database for this test run beside TEST_DATABASE_URL's (several runs at once
    must not share one); returns its URL. ``drop_postgres_database`` removes it."""
    base = sa.engine.make_url(url)
    name = f"{base.database}_run{os.getpid()}"
    engine = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(url: str) -> None:
    target = sa.engine.make_url(url)
    engine = sa.create_engine(target.set(database=sa.engine.make_url(PG_URL or url).database),
                              isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
    engine.dispose()


def upgrade(app: Flask) -> None:
    from flask_migrate import upgrade as alembic_upgrade

    with app.app_context():
        alembic_upgrade(directory=str(ROOT / "migrations"))
        db.engine.dispose()


def make_app(url: str, **overrides: Any) -> Flask:
    return create_app("testing", {"SQLALCHEMY_DATABASE_URI": url, **overrides})


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest,
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated, empty database for the whole session, on each backend."""
    if request.param == "postgresql":
        if not PG_URL:
            pytest.skip("TEST_DATABASE_URL is not set: PostgreSQL run skipped")
        url = private_postgres_database(PG_URL)
        upgrade(make_app(url))
        yield url
        drop_postgres_database(url)
    else:
        url = database_urls(tmp_path_factory.mktemp("db"))["sqlite"]
        upgrade(make_app(url))
        yield url


@pytest.fixture(scope="session")
def app(database_url: str) -> Iterator[Flask]:
    application = make_app(database_url)
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture()
def db_session(app: Flask) -> Iterator[Any]:
    """Bind every session of this test to one connection inside a transaction, then roll
    back: commits made by services become savepoints and nothing outlives the test."""
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        factory = sa.orm.sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
        db.session = sa.orm.scoped_session(factory, scopefunc=_app_ctx_id)  # type: ignore[method-assign]
        try:
            yield db.session
        finally:
            db.session.remove()
            db.session = original  # type: ignore[method-assign]
            outer.rollback()
            connection.close()


@pytest.fixture()
def make(db_session: Any) -> factories.Factories:
    return factories.Factories(db_session)


class Client(FlaskClient):
    """The test client, remembering the CSRF token of its session."""

    csrf: str | None = None

    def open(self, *args: Any, **kwargs: Any) -> Any:
        """Each request starts with a fresh ``g``, as in a real server: the test's app context
        (kept for db_session) would otherwise carry the signed-in user and the CSRF token
        cached by an earlier request into the next one."""
        from flask import g, has_app_context

        if has_app_context():
            for name in ("_login_user", "csrf_token"):
                g.pop(name, None)
        return super().open(*args, **kwargs)

    def fetch_csrf(self, path: str = "/sign-in") -> str:
        page = self.get(path).get_data(as_text=True)
        match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or \
            re.search(r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"', page)
        assert match, f"no CSRF token on {path}"
        self.csrf = match.group(1)
        return self.csrf

    def post_form(self, path: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        """POST like a browser would: with the session's CSRF token."""
        payload = dict(data or {})
        payload.setdefault("csrf_token", self.csrf or self.fetch_csrf())
        return self.post(path, data=payload, **kwargs)


@pytest.fixture()
def client(app: Flask, db_session: Any) -> Client:
    app.test_client_class = Client
    return app.test_client()  # type: ignore[return-value]


def sign_in(client: Client, user: Any, password: str = PASSWORD) -> Any:
    client.csrf = None
    token = client.fetch_csrf("/sign-in")
    response = client.post("/sign-in", data={"email": user.email, "password": password,
                                             "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    client.fetch_csrf("/account")
    return response


@pytest.fixture()
def signed_in(client: Client, make: factories.Factories):  # type: ignore[no-untyped-def]
    """signed_in("officer") -> (client, user): a client signed in as a new user of that role."""
    def _sign_in(role: str, **kwargs: Any) -> tuple[Client, Any]:
        user = make.user(role=role, **kwargs)
        sign_in(client, user)
        return client, user
    return _sign_in
