"""The outbox across processes, on SQLite and on PostgreSQL: two ``flask reminders run`` at
once send each message exactly once; a sender killed mid-batch loses nothing, and the one
message it was handing over is never sent twice by itself."""
from __future__ import annotations

import collections
import datetime as dt
import os
import signal
import subprocess  # nosec B404: runs this checkout's own command with fixed arguments
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.messages.servers import SilentServer, SmtpServer
from tests.security import served

ROOT = Path(__file__).resolve().parents[2]
ADMIN = "outbox-admin@council.example"


def _kinds() -> list[Any]:
    return ["sqlite", "postgresql"]


def _seed(url: str, count: int) -> None:
    from tests.conftest import make_app
    from tests.factories import Factories
    from tracker.extensions import db
    from tracker.messages import outbox
    from tracker.messages.composing import compose

    app = make_app(url, BASE_URL="https://tracker.council.example")
    with app.app_context():
        make = Factories(db.session)
        make.user(role="admin", email=ADMIN)
        member = make.user(role="member")
        for n in range(count):
            outbox.add(compose("challenge_answered", member, f"Answered {n}",
                               to_address=f"person{n}@council.example",
                               page_link=f"https://tracker.council.example/r/{n}",
                               reference=f"R{n}", asked_on=dt.date(2021, 1, 5)))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def _statuses(url: str) -> collections.Counter[str]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT status FROM messages")).scalars().all()
    engine.dispose()
    return collections.Counter(rows)


def _sender(url: str, port: int, **env: str) -> subprocess.Popen[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("MAIL_", "NOTIFY_"))}
    environ |= {"DATABASE_URL": url, "TRACKER_CONFIG": "testing", "MAIL_SERVER": "127.0.0.1",
                "MAIL_PORT": str(port), "MAIL_FROM": "tracker@council.example",
                "MAIL_BATCH_SIZE": "5", "TRACKER_AS": ADMIN} | env
    return subprocess.Popen(  # nosec B603
        [sys.executable, "-m", "flask", "--app", "wsgi", "reminders", "run"], cwd=ROOT,
        env=environ, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _skip_without_postgres(kind: str) -> None:
    if kind == "postgresql" and not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("TEST_DATABASE_URL is not set: PostgreSQL run skipped")


@pytest.mark.slow
@pytest.mark.parametrize("kind", _kinds())
def test_two_senders_at_once_send_each_message_once(kind, tmp_path):
    _skip_without_postgres(kind)
    count = 60
    with served.fresh_database(kind, tmp_path) as url, SmtpServer() as smtp:
        _seed(url, count)
        senders = [_sender(url, smtp.port) for _ in range(2)]
        outputs = [sender.communicate(timeout=300)[0] for sender in senders]
        assert [s.returncode for s in senders] == [0, 0], outputs
        delivered = collections.Counter(r for mail in smtp.received for r in mail.recipients)
        assert len(delivered) == count
        assert set(delivered.values()) == {1}, "a message was sent twice"
        assert _statuses(url) == {"sent": count}
        assert sum(int(out.split("Sent ")[1].split(",")[0]) for out in outputs) == count


@pytest.mark.slow
@pytest.mark.parametrize("kind", _kinds())
def test_a_sender_killed_mid_batch_loses_nothing(kind, tmp_path):
    _skip_without_postgres(kind)
    count = 12
    with served.fresh_database(kind, tmp_path) as url:
        _seed(url, count)
        with SilentServer() as silent:  # the relay accepts, then says nothing: the sender hangs
            sender = _sender(url, silent.port, MAIL_TIMEOUT="60", MAIL_LEASE_SECONDS="2")
            deadline = time.monotonic() + 60
            while _statuses(url)["claimed"] == 0 and time.monotonic() < deadline:
                time.sleep(0.2)
            sender.send_signal(signal.SIGKILL)
            sender.communicate(timeout=30)
        stranded = _statuses(url)
        assert stranded["claimed"] + stranded["sending"] == 5 and stranded["queued"] == count - 5
        time.sleep(2.5)  # the dead sender's lease ends
        with SmtpServer() as smtp:
            again = _sender(url, smtp.port, MAIL_LEASE_SECONDS="2")
            output = again.communicate(timeout=120)[0]
            assert again.returncode == 0, output
        after = _statuses(url)
        # Every message was sent once, except one the dead sender may have been handing over:
        # that one is failed with its reason, for an administrator to resend.
        assert after["sent"] + after["failed"] == count
        assert after["failed"] == stranded["sending"] <= 1
        delivered = collections.Counter(r for mail in smtp.received for r in mail.recipients)
        assert set(delivered.values()) == {1} and len(delivered) == after["sent"]
