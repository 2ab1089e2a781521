"""Signing in under attack: failures counted per account in the database and per address
(Flask-Limiter, in Redis when configured), one message that never says whether an account
exists, and proxy headers believed only for the configured number of hops."""
from __future__ import annotations

import datetime as dt
import uuid

import pytest
import sqlalchemy as sa

from tests.conftest import PASSWORD, redis_url
from tests.security.helpers import app_with
from tracker.extensions import limiter
from tracker.models import AuditEvent

MESSAGE = "Enter a correct email address and password"


def _attempt(client, email, password, **kwargs):  # type: ignore[no-untyped-def]
    client.csrf = None
    return client.post_form("/sign-in", {"email": email, "password": password}, **kwargs)


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return response.get_data(as_text=True)


def test_every_kind_of_failure_reads_the_same(client, make):
    user = make.user()
    locked = make.user(locked_until=dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=5))
    inactive = make.user(active=False)
    invited = make.user(password=None)
    pages = {
        "wrong password": _text(_attempt(client, user.email, "wrong password!!")),
        "no such account": _text(_attempt(client, "nobody@example.gov.uk", "wrong password!!")),
        "locked, right password": _text(_attempt(client, locked.email, PASSWORD)),
        "deactivated, right password": _text(_attempt(client, inactive.email, PASSWORD)),
        "invited, no password yet": _text(_attempt(client, invited.email, PASSWORD)),
    }
    for kind, page in pages.items():
        assert MESSAGE in page, kind
        for word in ("locked", "deactivated", "does not exist", "no account", "not found"):
            assert word not in page.lower(), (kind, word)


def test_failures_are_counted_per_account_in_the_database_and_lock_it(client, make, db_session):
    user = make.user()
    for attempt in range(1, 5):
        _attempt(client, user.email, "not my password")
        db_session.refresh(user)
        assert user.failed_sign_ins == attempt and user.locked_until is None
    _attempt(client, user.email, "not my password")
    db_session.refresh(user)
    assert user.locked_until is not None
    assert MESSAGE in _text(_attempt(client, user.email, PASSWORD))
    # When the lock has passed, the right password works again and clears the count.
    user.locked_until = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1)
    db_session.flush()
    assert _attempt(client, user.email, PASSWORD).status_code == 302
    db_session.refresh(user)
    assert user.failed_sign_ins == 0 and user.locked_until is None


def test_each_failure_is_in_the_audit_trail_without_the_password(client, make, db_session):
    user = make.user()
    _attempt(client, user.email, "hunter2 hunter2")
    _attempt(client, "stranger@example.gov.uk", "hunter3 hunter3")
    events = db_session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "sign_in_failed")).all()
    assert len(events) == 2
    assert all("hunter" not in f"{e.summary}{e.before}{e.after}" for e in events)


def _limited_app(database_url, storage):  # type: ignore[no-untyped-def]
    return app_with(database_url, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=storage,
                    SIGN_IN_LIMIT="3 per 5 minutes")


@pytest.fixture(params=["memory", "redis"])
def limited_app(request, database_url, db_session):  # type: ignore[no-untyped-def]
    storage = "memory://" if request.param == "memory" else redis_url()
    app = _limited_app(database_url, storage)
    limiter.reset()
    yield app
    limiter.reset()


def test_sign_in_attempts_are_limited_per_address(limited_app, make):
    limited_client = limited_app.test_client()
    user = make.user()
    for _ in range(3):
        assert _attempt(limited_client, user.email, "wrong password!!").status_code == 200
    # The fourth try from this address is refused, whichever account it names, even with
    # the right password and a forged X-Forwarded-For (no proxy is trusted by default).
    for email, password in ((user.email, PASSWORD), ("nobody@example.gov.uk", "x" * 12)):
        refused = _attempt(limited_client, email, password,
                           headers={"X-Forwarded-For": f"198.51.100.{uuid.uuid4().int % 250}"})
        assert refused.status_code == 429
        assert "Too many attempts" in _text(refused)
        assert email not in _text(refused)
    # Another address is not held back by this one's attempts.
    # Reading the sign-in page is not limited.
    assert limited_client.get("/sign-in").status_code == 200
    other = _attempt(limited_app.test_client(), user.email, PASSWORD,
                     environ_base={"REMOTE_ADDR": "192.0.2.44"})
    assert other.status_code == 302


def test_the_address_limit_covers_the_second_factor_step_too(limited_app, make):
    limited_client = limited_app.test_client()
    for _ in range(3):
        limited_client.post_form("/sign-in/two-factor", {"code": "123456"})
    assert _attempt(limited_client, make.user().email, PASSWORD).status_code == 429


@pytest.mark.parametrize("hops,forwarded,recorded", [
    (0, "203.0.113.9", "127.0.0.1"),                     # no proxy configured: header ignored
    (1, "203.0.113.9", "203.0.113.9"),                   # one proxy: its word is taken
    (1, "10.9.9.9, 203.0.113.9", "203.0.113.9"),         # a client-forged entry is ignored
    (2, "198.51.100.1, 203.0.113.9", "198.51.100.1"),    # two proxies: two hops back
])
def test_proxy_headers_are_trusted_only_for_the_configured_hops(database_url, db_session, hops,
                                                                 forwarded, recorded):
    app = app_with(database_url, PROXY_FIX_HOPS=hops)
    client = app.test_client()
    email = f"probe-{uuid.uuid4().hex[:8]}@example.gov.uk"
    _attempt(client, email, "wrong password!!", headers={"X-Forwarded-For": forwarded})
    event = db_session.scalar(sa.select(AuditEvent).where(AuditEvent.summary.contains(email)))
    assert event.ip_address == recorded
