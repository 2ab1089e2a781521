"""A rehearsal of the deployment: two app servers (gunicorn, 2 workers each, with
deploy/gunicorn.conf.py) on two ports, over one PostgreSQL database (private to this run)
and one Redis, behave as one service. One person's requests go alternately to both, as a
load balancer without sticky sessions would send them:

* sign in on one, read pages on the other;
* a form fetched from one and posted to the other;
* a GIAS import previewed on one and confirmed on the other (its files wait in the
  database), once: the same confirmation sent again to the first is refused;
* sign out on one, and the session is over on both, even for a copy of its cookie;
* the per-address sign-in limit counted across both (Redis);
* every line either server logged is one JSON object, and the request id a response header
  gave is in the log line of the host that served it.

Not rehearsed here: a real load balancer (requests are sent to each port in turn), and
``reminders run`` started on both hosts at once (the outbox and that command are not in
the tracker yet; the rehearsal gains that step when they are).
"""
from __future__ import annotations

import json
import re
import secrets
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa

from tests.conftest import PG_URL, ROOT, redis_url
from tests.schools.conftest import HEREFORD_CP1252, LINKS
from tests.security import served

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
LIMIT = 12  # sign-in attempts per address in 5 minutes, across the service

pytestmark = [pytest.mark.slow, pytest.mark.skipif(
    not PG_URL, reason="TEST_DATABASE_URL is not set: the rehearsal runs on PostgreSQL")]


class Person:
    """One browser: one cookie jar, whichever host answers."""

    def __init__(self) -> None:
        self.http = requests.Session()
        self.token = ""

    def get(self, base: str, path: str) -> requests.Response:
        response = self.http.get(base + path, timeout=60, allow_redirects=False)
        if match := TOKEN.search(response.text):
            self.token = match.group(1)
        return response

    def post(self, base: str, path: str, data: dict | None = None,
             files: dict | None = None) -> requests.Response:
        return self.http.post(base + path, data=(data or {}) | {"csrf_token": self.token},
                              files=files, timeout=120, allow_redirects=False)


def _count(url: str, sql: str) -> int:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        value = conn.execute(sa.text(sql)).scalar_one()
    engine.dispose()
    return int(value)


def test_two_hosts_over_one_database_and_one_redis_behave_as_one_service(tmp_path: Path):
    redis = redis_url()
    with served.fresh_database("postgresql", tmp_path, purpose="rehearsal") as url:
        seeded = served.seed(url, officers=1, members=0)
        admin_id = _count(url, f"SELECT id FROM users WHERE email = '{seeded.admin}'")
        shared = {"SECRET_KEY": secrets.token_hex(32), "REDIS_URL": redis,
                  "RATELIMIT_KEY_PREFIX": f"tracker-rehearsal-{secrets.token_hex(4)}",
                  "SIGN_IN_LIMIT": f"{LIMIT} per 5 minutes", "LOG_FORMAT": "json"}
        logs = [tmp_path / "host-a.log", tmp_path / "host-b.log"]
        config = ROOT / "deploy" / "gunicorn.conf.py"
        with served.gunicorn(url, workers=2, log=logs[0], env=shared, config=config) as a, \
                served.gunicorn(url, workers=2, log=logs[1], env=shared, config=config) as b:
            for base in (a, b):
                assert requests.get(base + "/readyz", timeout=10).json()["status"] == "ready"
            person = Person()
            attempts = 0

            # Sign in on A; pages on B.
            person.get(a, "/sign-in")
            signed_in = person.post(a, "/sign-in", {"email": seeded.admin,
                                                    "password": served.PASSWORD})
            attempts += 1
            assert signed_in.status_code == 302 and "/sign-in" not in signed_in.headers["Location"]
            home = person.get(b, "/")
            assert home.status_code == 200 and "Signed in as" in home.text
            page_id = home.headers["X-Request-ID"]
            assert person.get(b, f"/decisions/{seeded.decision_id}").status_code == 200

            # A form fetched from A, posted to B.
            action = seeded.officers[0][1]
            assert person.get(a, f"/actions/{action}/updates/new").status_code == 200
            posted = person.post(b, f"/actions/{action}/updates/new", {
                "status": "in_progress", "rag": "green", "narrative": "Rehearsal update",
                "reason": "", "revised_due_on": ["", "", ""], "revised_due_reason": "",
                "warnings_seen": "", **{f"evidence_{k}_{n}": "" for k in ("url", "description")
                                        for n in (1, 2, 3)}})
            assert posted.status_code == 302, posted.text[:2000]
            assert _count(url, "SELECT count(*) FROM progress_updates "
                               "WHERE narrative = 'Rehearsal update'") == 1

            # A GIAS import previewed on A, confirmed on B, once.
            person.get(a, "/schools/import")
            with HEREFORD_CP1252.open("rb") as data, LINKS.open("rb") as links:
                preview = person.post(a, "/schools/import", {"la": "884"}, files={
                    "establishments": (HEREFORD_CP1252.name, data, "text/csv"),
                    "links": (LINKS.name, links, "text/csv")})
            assert preview.status_code == 200, preview.text[:2000]
            token = re.search(r'action="/schools/import/([A-Za-z0-9_-]{24})"', preview.text)
            assert token, preview.text[:2000]
            assert _count(url, "SELECT count(*) FROM schools") == 0
            # Waiting in the database, not on A's disk (both hosts here share one checkout,
            # so a file on disk would not be caught by B's answer alone).
            assert _count(url, "SELECT count(*) FROM pending_uploads") == 1
            assert _count(url, "SELECT count(DISTINCT part) FROM pending_upload_chunks") == 2
            confirmed = person.post(b, f"/schools/import/{token.group(1)}")
            assert confirmed.status_code == 200 and "Schools imported" in confirmed.text
            assert _count(url, "SELECT count(*) FROM schools") == 13
            again = person.post(a, f"/schools/import/{token.group(1)}")
            assert again.status_code == 302  # "expired or already imported"
            assert _count(url, "SELECT count(*) FROM pending_uploads") == 0

            # Sign out on B: the session is over on A too, even for a copy of the cookie.
            copy = requests.Session()
            copy.cookies.update(person.http.cookies)
            assert person.get(b, "/account").status_code == 200
            assert person.post(b, "/sign-out").status_code == 302
            assert person.get(a, "/").status_code == 302
            replayed = copy.get(a + "/", timeout=30, allow_redirects=False)
            assert replayed.status_code == 302 and "/sign-in" in replayed.headers["Location"]

            # The per-address limit counts attempts on both hosts together.
            answers = []
            while attempts < LIMIT + 1:
                base = (a, b)[attempts % 2]
                person.get(base, "/sign-in")
                answers.append(person.post(base, "/sign-in", {
                    "email": "nobody@example.gov.uk", "password": "not the password"}).status_code)
                attempts += 1
            assert answers[:-1] == [200] * (LIMIT - 1)  # each host alone saw about half
            assert answers[-1] == 429

            for base in (a, b):
                assert requests.get(base + "/healthz", timeout=10).status_code == 200

        # Every line either host logged is JSON; the page read on B is in B's log.
        entries = []
        for log in logs:
            for line in log.read_text().splitlines():
                if line.strip():
                    entries.append((log, json.loads(line)))
        [(where, page)] = [(log, e) for log, e in entries if e.get("request_id") == page_id]
        assert where == logs[1]
        assert page["route"] == "/" and page["status"] == 200 and page["user_id"] == admin_id
        assert page["level"] == "info" and page["duration_ms"] >= 0
        assert any(e.get("status") == 429 for _, e in entries)
