"""Sessions: cookie flags, 8 hours and no longer, and every copy of a session ended by
sign-out, a password change, a role change or deactivation. Pages are never cached."""
from __future__ import annotations

import time

import pytest

from tests.conftest import PASSWORD, sign_in
from tests.security.helpers import copy_of_session, signed_in_still
from tracker.security import SIGNED_IN_AT


def _session_cookie_header(response) -> str:  # type: ignore[no-untyped-def]
    headers = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("session=")]
    assert headers, "the response set no session cookie"
    return headers[-1]


def test_session_cookie_is_httponly_samesite_lax_and_lasts_8_hours(client, make):
    response = sign_in(client, make.user())
    header = _session_cookie_header(response)
    assert "HttpOnly" in header
    assert "SameSite=Lax" in header
    cookie = client.get_cookie("session")
    assert cookie.expires is not None
    hours = (cookie.expires.timestamp() - time.time()) / 3600
    assert 7.9 < hours <= 8.0
    assert not any(c.key.startswith("remember") for c in client._cookies.values())


def test_production_cookies_are_secure_and_host_only_with_hsts(database_url, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    app = create_production_app(database_url)
    response = app.test_client().get("/sign-in")
    header = [h for h in response.headers.getlist("Set-Cookie")
              if h.startswith("__Host-tracker-session=")][-1]
    assert "Secure" in header and "HttpOnly" in header and "SameSite=Lax" in header
    assert "Domain=" not in header and "Path=/" in header
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert app.config["REQUIRE_ADMIN_2FA"] is True


def create_production_app(database_url):  # type: ignore[no-untyped-def]
    from tracker import create_app
    return create_app("production", {"SQLALCHEMY_DATABASE_URI": database_url})


def test_sign_out_ends_every_copy_of_the_session(app, client, make):
    sign_in(client, make.user())
    thief = copy_of_session(app, client)
    assert signed_in_still(thief)
    client.post_form("/sign-out")
    assert not signed_in_still(client)
    assert not signed_in_still(thief)


def test_password_change_ends_other_copies_but_keeps_this_browser(app, client, make):
    sign_in(client, make.user())
    thief = copy_of_session(app, client)
    response = client.post_form("/account/password", {
        "current_password": PASSWORD, "new_password": "a whole new passphrase",
        "confirm_password": "a whole new passphrase"})
    assert response.status_code == 302
    assert signed_in_still(client)
    assert not signed_in_still(thief)


def _edit_user_form(user, **changes):  # type: ignore[no-untyped-def]
    return {"name": user.name, "email": user.email, "role": user.role, "job_title": "",
            "school_urns": "", "trust_code": "", "version_id": user.version_id} | changes


@pytest.mark.parametrize("change", ["role", "deactivation"])
def test_role_change_or_deactivation_ends_every_copy_of_their_session(app, client, make, change):
    officer = make.user(role="officer")
    officers_browser = app.test_client()
    sign_in(officers_browser, officer)
    stolen = copy_of_session(app, officers_browser)
    sign_in(client, make.user(role="admin"))
    if change == "role":
        response = client.post_form(f"/admin/users/{officer.id}",
                                    _edit_user_form(officer, role="member"))
    else:
        response = client.post_form(f"/admin/users/{officer.id}/deactivate")
    assert response.status_code == 302
    assert not signed_in_still(officers_browser)
    assert not signed_in_still(stolen)


def test_a_session_ends_8_hours_after_signing_in_however_busy(client, make):
    sign_in(client, make.user())
    with client.session_transaction() as session:
        session[SIGNED_IN_AT] = int(time.time()) - 8 * 3600 + 60
    assert signed_in_still(client)
    with client.session_transaction() as session:
        session[SIGNED_IN_AT] = int(time.time()) - 8 * 3600 - 1
    response = client.get("/")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    assert not signed_in_still(client)


def test_signed_in_pages_and_sign_in_page_are_never_cached(client, make):
    assert client.get("/sign-in").headers["Cache-Control"] == "no-store"
    sign_in(client, make.user())
    for path in ("/", "/account", "/account/password", "/no-such-page"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path
    static = client.get("/static/js/enable-js.js")
    assert "no-store" not in static.headers.get("Cache-Control", "")
    static.close()
