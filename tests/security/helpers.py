"""Helpers for the security tests: second apps with other settings on the same database,
and second browsers holding a copy of a session cookie."""
from __future__ import annotations

import re
from typing import Any

from flask import Flask

from tests.conftest import Client, make_app


def app_with(database_url: str, **overrides: Any) -> Flask:
    """Another app on the test database with other settings (limits, proxies, 2FA)."""
    application = make_app(database_url, **overrides)
    application.test_client_class = Client
    return application


def copy_of_session(app: Flask, client: Client) -> Client:
    """A second browser holding a copy of ``client``'s session cookie, as a thief would."""
    other: Client = app.test_client()  # type: ignore[assignment]
    cookie = client.get_cookie("session")
    assert cookie is not None, "no session cookie to copy"
    other.set_cookie("session", cookie.value)
    return other


def signed_in_still(client: Client) -> bool:
    """True if the client's session still opens the home page."""
    response = client.get("/")
    if response.status_code == 200:
        return True
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    return False


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)
