"""The app served for real: gunicorn with several worker processes on 127.0.0.1, on a fresh
SQLite file (WAL) or a fresh PostgreSQL database, with officers who own actions and members
who read. Used by the concurrency test and by ``bench/load.py``.

Only 127.0.0.1 is ever contacted.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import secrets
import signal
import socket
import subprocess  # nosec B404: starts gunicorn from this checkout, fixed arguments
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import requests
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"  # the factories' password
UPDATE_MARK = "Served update"


@dataclass
class Seeded:
    officers: list[tuple[str, int]] = field(default_factory=list)  # (email, action id)
    members: list[str] = field(default_factory=list)
    admin: str = ""
    shared_action: int = 0  # an action the administrator updates alongside its owner
    recommendation_ids: list[int] = field(default_factory=list)
    decision_id: int = 0


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def fresh_database(kind: str, workdir: Path, purpose: str = "concurrency") -> Iterator[str]:
    """A fresh, migrated database: SQLite in ``workdir``, or a new PostgreSQL database next
    to TEST_DATABASE_URL's (named tracker_<purpose>_<pid>), dropped afterwards."""
    from tests.conftest import make_app, upgrade

    if kind == "sqlite":
        url = f"sqlite:///{workdir / 'served.sqlite'}"
        upgrade(make_app(url))
        yield url
        return
    base = sa.engine.make_url(os.environ.get(
        "TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    name = f"tracker_{purpose}_{os.getpid()}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = base.set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(make_app(url))
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def seed(url: str, officers: int, members: int, actions_each: int = 1,
         demo: bool = False) -> Seeded:
    """An implementable decision, one recommendation per officer, ``actions_each`` actions
    per officer, members who read, one administrator; with ``demo``, the demo data first
    (the seed decision, its recommendations, schools and adoptions)."""
    from tests.conftest import make_app
    from tests.factories import Factories
    from tracker.extensions import db

    app = make_app(url)
    out = Seeded()
    with app.app_context():
        if demo:
            from tracker.demo import load_demo
            load_demo()
        make = Factories(db.session)
        admin = make.user(role="admin", email="served-admin@example.gov.uk")
        out.admin = admin.email
        decision = make.decision(title="Served decision", call_in_expires_on=dt.date(2020, 12, 4))
        out.decision_id = decision.id
        part = make.part(decision)
        for n in range(officers):
            officer = make.user(role="officer", email=f"served-officer{n}@example.gov.uk")
            rec = make.recommendation(part, owner_id=officer.id, text=f"Served recommendation {n}")
            out.recommendation_ids.append(rec.id)
            for a in range(actions_each):
                action = make.action(rec, owner_id=officer.id, title=f"Served action {n}.{a}")
                if a == 0:
                    out.officers.append((officer.email, action.id))
        out.shared_action = out.officers[0][1] if out.officers else 0
        for n in range(members):
            out.members.append(make.user(role="member",
                                         email=f"served-member{n}@example.gov.uk").email)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return out


@contextlib.contextmanager
def gunicorn(url: str, workers: int = 4, threads: int = 1, log: Path | None = None,
             env: dict[str, str] | None = None, config: Path | None = None) -> Iterator[str]:
    """Serve the app with gunicorn on 127.0.0.1; yields its base URL. ``--preload`` builds
    the app once and forks the workers from it (the factory opens no database connection,
    so none is shared across the fork). ``env`` adds to or overrides the environment (hosts
    of one service share SECRET_KEY); ``config`` is a gunicorn settings file (the command's
    own options win over it)."""
    port = _port()
    env = os.environ | {
        "TRACKER_CONFIG": "development", "DATABASE_URL": url,
        "SECRET_KEY": secrets.token_hex(32), "REQUIRE_ADMIN_2FA": "0",
        "SIGN_IN_LIMIT": "100000 per minute",  # every simulated user comes from 127.0.0.1
        "PYTHONDONTWRITEBYTECODE": "1",
    } | (env or {})
    gunicorn_bin = str(Path(sys.executable).parent / "gunicorn")
    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115
    process = subprocess.Popen(  # nosec B603: fixed command, our own checkout
        [gunicorn_bin, *(["--config", str(config)] if config else []),
         "--workers", str(workers), "--threads", str(threads),
         "--bind", f"127.0.0.1:{port}", "--graceful-timeout", "5", "--timeout", "60",
         "--preload", "wsgi:app"], cwd=ROOT, env=env, stdout=out, stderr=out, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {process.returncode}")
            try:
                if requests.get(base + "/sign-in", timeout=10).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start within 30 seconds")
            time.sleep(0.2)
        yield base
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        if log:
            out.close()  # type: ignore[union-attr]


# --- A browser, roughly ---------------------------------------------------------------------

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


class Visitor:
    """One person's browser: a cookie jar, the CSRF token of the last form seen."""

    def __init__(self, base: str, email: str):
        self.base = base
        self.email = email
        self.http = requests.Session()
        self.token = ""

    def get(self, path: str) -> requests.Response:
        response = self.http.get(self.base + path, timeout=60, allow_redirects=False)
        match = TOKEN.search(response.text)
        if match:
            self.token = match.group(1)
        return response

    def post(self, path: str, data: dict[str, Any]) -> requests.Response:
        return self.http.post(self.base + path, data=data | {"csrf_token": self.token},
                              timeout=60, allow_redirects=False)

    def sign_in(self) -> None:
        self.get("/sign-in")
        response = self.post("/sign-in", {"email": self.email, "password": PASSWORD})
        if response.status_code != 302 or "/sign-in" in response.headers.get("Location", ""):
            raise RuntimeError(f"{self.email} could not sign in: {response.status_code}")

    def post_update(self, action_id: int, narrative: str) -> requests.Response:
        """Open the update form, then record an update, as an officer does."""
        form = self.get(f"/actions/{action_id}/updates/new")
        if form.status_code != 200:
            return form
        return self.post_update_only(action_id, narrative)

    def post_update_only(self, action_id: int, narrative: str) -> requests.Response:
        """Post the update form last opened: everything a browser sends, the three boxes of
        an empty date and empty evidence included."""
        data: dict[str, Any] = {"status": "in_progress", "rag": "green", "narrative": narrative,
                                "reason": "", "revised_due_on": ["", "", ""],
                                "revised_due_reason": "", "warnings_seen": ""}
        for n in (1, 2, 3):
            data[f"evidence_url_{n}"] = data[f"evidence_description_{n}"] = ""
        return self.post(f"/actions/{action_id}/updates/new", data)


def stored_updates(url: str) -> list[tuple[int, str]]:
    """(action id, narrative) of every update the served app stored."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT action_id, narrative FROM progress_updates WHERE narrative LIKE :mark"),
            {"mark": UPDATE_MARK + "%"}).all()
    engine.dispose()
    return [(r[0], r[1]) for r in rows]


def audited_updates(url: str) -> int:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        count = conn.execute(sa.text(
            "SELECT count(*) FROM audit_events WHERE action = 'create' "
            "AND object_type = 'ProgressUpdate'")).scalar_one()
    engine.dispose()
    return int(count)
