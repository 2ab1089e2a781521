"""Fixtures for the messages tests: a real SMTP server and a Notify stand-in on 127.0.0.1,
with the app configured to use one of them for the length of a test."""
from __future__ import annotations

from typing import Any, Iterator

import pytest

from tests.messages.servers import API_KEY, NotifyStandIn, SmtpServer
from tests.recommendations.conftest import world  # noqa: F401  (fixtures)

NOTIFY_TEMPLATES = {
    kind: f"00000000-0000-4000-8000-{n:012d}" for n, kind in enumerate((
        "invitation", "password_reset", "round_request", "round_reminder", "digest",
        "escalation_action", "escalation_response", "school_reminder", "challenge_answered",
        "sign_in_slowed", "impact_review", "escalation_impact"), 1)}


def smtp_settings(port: int) -> dict[str, Any]:
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port, "MAIL_USE_TLS": False,
            "MAIL_FROM": "tracker@council.example", "MAIL_TIMEOUT": 2.0,
            "NOTIFY_API_KEY": None}


@pytest.fixture(autouse=True)
def _links_and_no_transport(request: pytest.FixtureRequest) -> None:
    """Tests on the app's database start with links to https://tracker.council.example and
    no transport (the process tests build their own app and are left alone)."""
    if "app" in request.fixturenames:
        request.getfixturevalue("configure")


@pytest.fixture()
def configure(app: Any, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """configure(**settings): set app config items for this test only."""
    def _set(**settings: Any) -> None:
        for key, value in settings.items():
            monkeypatch.setitem(app.config, key, value)
    _set(BASE_URL="https://tracker.council.example", MAIL_SERVER=None, NOTIFY_API_KEY=None)
    return _set


@pytest.fixture()
def smtp(configure: Any) -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        configure(**smtp_settings(server.port))
        yield server


@pytest.fixture()
def notify(configure: Any) -> Iterator[NotifyStandIn]:
    with NotifyStandIn(set(NOTIFY_TEMPLATES.values())) as stand_in:
        configure(NOTIFY_API_KEY=API_KEY, NOTIFY_BASE_URL=stand_in.url,
                  NOTIFY_TEMPLATES=dict(NOTIFY_TEMPLATES), MAIL_TIMEOUT=5.0)
        yield stand_in
