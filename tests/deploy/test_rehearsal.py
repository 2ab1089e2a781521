"""A rehearsal of the deployment: two app servers (gunicorn, 2 workers each, with
deploy/gunicorn.conf.py) on two ports, over one PostgreSQL database (private to this run)
and one Redis, behave as one service. One person's requests go alternately to both, as a
load balancer without sticky sessions would send them:

* sign in on one, read pages on the other;
* a form fetched from one and posted to the other, and the same copy posted again to the
  first: one thing is saved (the form's one-time token is spent in the shared database);
* a GIAS import previewed on one and confirmed on the other (its files wait in the
  database), once: the same confirmation sent again to the first is refused;
* sign out on one, and the session is over on both, even for a copy of its cookie;
* the per-address sign-in limit counted across both (Redis);
* an update round opened through the pages (fetched from one, posted to the other) queues a
  request to every action owner; then ``flask reminders run`` is started on both hosts at
  once (two processes, each with its host's settings, both sending to one SMTP server on
  127.0.0.1, an aiosmtpd server), and every queued message is delivered exactly once: what
  the SMTP server received is, message for message, what the outbox holds, all "sent";
* every line either server logged is one JSON object, and the request id a response header
  gave is in the log line of the host that served it.

Not rehearsed here: a real load balancer (requests are sent to each port in turn), and
systemd's timer (the two runs are started by the test, not by tracker-reminders.timer).
"""
from __future__ import annotations

import collections
import datetime as dt
import json
import os
import re
import secrets
import subprocess  # nosec B404: runs this checkout's own command with fixed arguments
import sys
from pathlib import Path

import pytest
import redis as redis_client
import requests
import sqlalchemy as sa

from tests.conftest import PG_URL, ROOT, redis_url
from tests.messages.servers import SmtpServer
from tests.schools.conftest import HEREFORD_CP1252, LINKS
from tests.security import served
from tracker import clock

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
ONCE = re.compile(r'name="once" type="hidden" value="([^"]+)"')
LIMIT = 12  # sign-in attempts per address in 5 minutes, across the service
OWNERS = 24  # officers owning an action: one round request each

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


def _rows(url: str, sql: str) -> list[tuple]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = [tuple(row) for row in conn.execute(sa.text(sql))]
    engine.dispose()
    return rows


def _reminders_run(env: dict[str, str]) -> subprocess.Popen[str]:
    """``flask --app wsgi reminders run`` as tracker-reminders.service runs it on a host."""
    return subprocess.Popen(  # nosec B603: fixed command, our own checkout
        [str(Path(sys.executable).parent / "flask"), "--app", "wsgi", "reminders", "run"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _date(day: dt.date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def test_two_hosts_over_one_database_and_one_redis_behave_as_one_service(tmp_path: Path):
    redis = redis_url()
    with served.fresh_database("postgresql", tmp_path, purpose="rehearsal") as url, \
            SmtpServer() as smtp:
        seeded = served.seed(url, officers=OWNERS, members=0)
        admin_id = _count(url, f"SELECT id FROM users WHERE email = '{seeded.admin}'")
        shared = {"SECRET_KEY": secrets.token_hex(32), "REDIS_URL": redis,
                  "RATELIMIT_KEY_PREFIX": f"tracker-rehearsal-{secrets.token_hex(4)}",
                  "SIGN_IN_LIMIT": f"{LIMIT} per 5 minutes", "LOG_FORMAT": "json",
                  "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(smtp.port),
                  "MAIL_FROM": "tracker@council.example", "MAIL_BATCH_SIZE": "5",
                  "BASE_URL": "https://tracker.council.example"}
        logs = [tmp_path / "host-a.log", tmp_path / "host-b.log"]
        config = ROOT / "deploy" / "gunicorn.conf.py"
        with served.gunicorn(url, workers=2, log=logs[0], env=shared, config=config) as a, \
                served.gunicorn(url, workers=2, log=logs[1], env=shared, config=config) as b:
            for base in (a, b):
                assert requests.get(base + "/readyz", timeout=10).json()["status"] == "ready"
            person = Person()

            # Sign in on A; pages on B.
            person.get(a, "/sign-in")
            signed_in = person.post(a, "/sign-in", {"email": seeded.admin,
                                                    "password": served.PASSWORD})
            assert signed_in.status_code == 302 and "/sign-in" not in signed_in.headers["Location"]
            home = person.get(b, "/")
            assert home.status_code == 200 and "Signed in as" in home.text
            page_id = home.headers["X-Request-ID"]
            assert person.get(b, f"/decisions/{seeded.decision_id}").status_code == 200

            # A form fetched from A, posted to B; the same copy posted again to A (a double
            # click answered by the other host) is answered with the first one's result: its
            # one-time token was spent in the database both hosts share.
            action = seeded.officers[0][1]
            form = person.get(a, f"/actions/{action}/updates/new")
            assert form.status_code == 200
            once = ONCE.search(form.text)
            assert once, form.text[:2000]
            update = {
                "status": "in_progress", "rag": "green", "narrative": "Rehearsal update",
                "reason": "", "revised_due_on": ["", "", ""], "revised_due_reason": "",
                "warnings_seen": "", "once": once.group(1),
                **{f"evidence_{k}_{n}": "" for k in ("url", "description") for n in (1, 2, 3)}}
            posted = person.post(b, f"/actions/{action}/updates/new", update)
            assert posted.status_code == 302, posted.text[:2000]
            again = person.post(a, f"/actions/{action}/updates/new", update)
            assert again.status_code == 302, again.text[:2000]
            assert again.headers["Location"] == posted.headers["Location"]
            assert _count(url, "SELECT count(*) FROM progress_updates "
                               "WHERE narrative = 'Rehearsal update'") == 1
            assert _count(url, "SELECT count(*) FROM form_tokens") == 1

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

            # An update round opened through the pages (form from B, posted to A) queues one
            # request per owner; nothing is sent by the web hosts themselves.
            person.get(b, "/admin/rounds/new")
            today = clock.today()  # London's date, as the app reads it
            opened = person.post(a, "/admin/rounds/new", {
                "committee": "Rehearsal Scrutiny Committee",
                "meeting_on": _date(today + dt.timedelta(days=21)),
                "due_on": _date(today + dt.timedelta(days=14)), "reminder_days": "7",
                "decision_ids": [str(seeded.decision_id)]})
            assert opened.status_code == 302, opened.text[:2000]
            assert _rows(url, "SELECT kind, status, count(*) FROM messages GROUP BY 1, 2") == [
                ("round_request", "queued", OWNERS)]
            assert smtp.received == []

            # `reminders run` on both hosts at once: each message is sent once.
            host_env = os.environ | {"TRACKER_CONFIG": "development", "DATABASE_URL": url,
                                     "TRACKER_AS": seeded.admin,
                                     "PYTHONDONTWRITEBYTECODE": "1"} | shared
            runs = [_reminders_run(host_env) for _ in (a, b)]
            outputs = [run.communicate(timeout=300) for run in runs]
            assert [run.returncode for run in runs] == [0, 0], outputs
            outbox = _rows(url, "SELECT to_address, subject, status FROM messages")
            assert len(outbox) >= OWNERS and {status for _, _, status in outbox} == {"sent"}
            received = collections.Counter(
                (to, mail.subject) for mail in smtp.received for to in mail.recipients)
            assert received == collections.Counter((to, subject) for to, subject, _ in outbox)
            assert sum(int(re.search(r"Sent (\d+),", out).group(1))  # type: ignore[union-attr]
                       for out, _ in outputs) == len(outbox)

            # Sign out on B: the session is over on A too, even for a copy of the cookie.
            copy = requests.Session()
            copy.cookies.update(person.http.cookies)
            assert person.get(b, "/account").status_code == 200
            assert person.post(b, "/sign-out").status_code == 302
            assert person.get(a, "/").status_code == 302
            replayed = copy.get(a + "/", timeout=30, allow_redirects=False)
            assert replayed.status_code == 302 and "/sign-in" in replayed.headers["Location"]

            # The per-address limit counts attempts on both hosts together. The count starts
            # afresh here: the sign-in above may have left the 5-minute window while the
            # steps between ran (they took longer than that on a loaded machine).
            store = redis_client.Redis.from_url(redis)
            stale = list(store.scan_iter(match="*" + shared["RATELIMIT_KEY_PREFIX"] + "*"))
            assert stale  # the sign-in above was counted in Redis, not on either host
            store.delete(*stale)
            store.close()
            attempts = 0
            answers = []
            while attempts < LIMIT + 1:
                base = (a, b)[attempts % 2]
                person.get(base, "/sign-in")
                answers.append(person.post(base, "/sign-in", {
                    "email": "nobody@example.gov.uk", "password": "not the password"}).status_code)
                attempts += 1
            assert answers[:-1] == [200] * LIMIT  # each host alone saw about half
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
