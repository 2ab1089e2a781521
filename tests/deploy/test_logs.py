"""Request ids and JSON log lines (tracker.logs): the id a response's header gives is the one
its log line carries and the one its error page shows; a line is one JSON object."""
from __future__ import annotations

import json
import logging
import re
import sys
from typing import Iterator

import pytest

from tests.conftest import sign_in
from tracker.logs import REQUEST_LOGGER, JsonFormatter


class Lines(logging.Handler):
    """Log lines as the JSON formatter writes them."""

    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(JsonFormatter())
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture()
def lines() -> Iterator[Lines]:
    handler = Lines()
    logger = logging.getLogger(REQUEST_LOGGER)
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def _entries(lines: Lines) -> list[dict]:
    for line in lines.lines:
        assert "\n" not in line
    return [json.loads(line) for line in lines.lines]


def test_a_request_line_carries_the_id_the_header_gave(client, make, lines):
    user = make.user(role="officer")
    sign_in(client, user)
    lines.lines.clear()
    response = client.get("/decisions")
    rid = response.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", rid)
    [entry] = [e for e in _entries(lines) if e.get("request_id") == rid]
    assert entry["level"] == "info"
    assert entry["user_id"] == user.id
    assert entry["route"] == "/decisions"
    assert entry["method"] == "GET" and entry["status"] == 200
    assert isinstance(entry["duration_ms"], float) and entry["duration_ms"] >= 0
    assert entry["time"].endswith("Z")


def test_a_sane_incoming_request_id_is_kept_and_a_bad_one_replaced(client, lines):
    kept = client.get("/sign-in", headers={"X-Request-ID": "lb-7f3a9c01.b_2"})
    assert kept.headers["X-Request-ID"] == "lb-7f3a9c01.b_2"
    for bad in ("short", "x" * 129, "has space in it", "evil\"}{\"level\":\"x"):
        replaced = client.get("/sign-in", headers={"X-Request-ID": bad})
        assert replaced.headers["X-Request-ID"] != bad
        assert re.fullmatch(r"[0-9a-f]{32}", replaced.headers["X-Request-ID"])
    assert {e["request_id"] for e in _entries(lines)} >= {"lb-7f3a9c01.b_2"}


def test_the_line_names_the_route_never_the_address_or_its_query(client, lines):
    client.get("/set-password/secret-looking-token-123?email=someone@example.gov.uk")
    [entry] = _entries(lines)
    assert entry["route"] == "/set-password/<token>"
    assert "secret-looking-token" not in lines.lines[0]
    assert "someone@" not in lines.lines[0]
    assert entry["user_id"] is None


def test_an_error_page_shows_the_request_id_to_quote(client, make, lines):
    sign_in(client, make.user(role="officer"))
    response = client.get("/decisions/999999")
    assert response.status_code == 404
    rid = response.headers["X-Request-ID"]
    page = response.get_data(as_text=True)
    assert f"quote this reference: <strong class=\"tracker-nowrap\">{rid}</strong>" in page
    assert any(e["request_id"] == rid and e["status"] == 404 for e in _entries(lines))


def test_passing_health_checks_are_not_logged(client, lines):
    client.get("/healthz")
    client.get("/readyz")
    assert lines.lines == []


def test_an_exception_stays_on_one_line():
    formatter = JsonFormatter()
    try:
        raise ValueError("first\nsecond")
    except ValueError:
        record = logging.LogRecord("tracker", logging.ERROR, __file__, 1, "failed %s", ("x",),
                                   sys.exc_info())
    line = formatter.format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "failed x" and entry["level"] == "error"
    assert "ValueError: first\nsecond" in entry["exception"]
