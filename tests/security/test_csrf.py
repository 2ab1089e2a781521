"""Every state change needs the form's CSRF token: a POST without it, to any route, signed
in or not, is refused with 400 before the view runs, and changes nothing."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.conftest import sign_in
from tests.security import world as world_module
from tracker.extensions import csrf
from tracker.models import AuditEvent


def _audit_count(db_session) -> int:  # type: ignore[no-untyped-def]
    return db_session.scalar(sa.select(sa.func.count(AuditEvent.id)))


@pytest.mark.parametrize("who", ["anonymous", "admin"])
def test_every_post_route_refuses_a_request_without_a_token(app, client, make, db_session, who):
    world = world_module.build(make)
    if who == "admin":
        sign_in(client, world.users["admin"])
    before = _audit_count(db_session)
    posts = world_module.routes(app, "POST")
    assert len(posts) >= 10
    wrong = []
    for rule in posts:
        path = world_module.url(app, rule, world)
        for data in ({}, {"csrf_token": "forged"}):
            response = client.post(path, data=data)
            if response.status_code != 400:
                wrong.append(f"{rule.endpoint} {path} {data}: {response.status_code}")
    assert not wrong, "POST without a valid CSRF token was not refused:\n" + "\n".join(wrong)
    assert _audit_count(db_session) == before, "a refused POST changed something"


def test_no_view_is_exempt_from_csrf(app):
    assert not csrf._exempt_views and not csrf._exempt_blueprints


def test_a_token_from_another_session_is_refused(app, client, make):
    sign_in(client, make.user())
    other = app.test_client()
    token = other.fetch_csrf("/sign-in")
    response = client.post("/sign-out", data={"csrf_token": token})
    assert response.status_code == 400
    assert client.get("/").status_code == 200, "the forged sign-out must not sign out"
