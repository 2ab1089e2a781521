"""Time ``flask reminders run``'s two halves on a large council: working out what is due and
queueing it, then delivering to a local SMTP server (aiosmtpd on 127.0.0.1).

    .venv/bin/python bench/reminders.py [--owners 2000] [--actions 20000] [--schools 25000]
                                        [--deliver 1000] [--pg URL]

Data (invented, bulk-inserted into a fresh, migrated database): one decision; 200
recommendations with accountable owners; ``--owners`` officers owning ``--actions`` open actions
between them, due from 90 days ago to 90 days ahead (so some are overdue by more than 28 days,
some due within 14, most later); 30 scrutiny recommendations awaiting a response; ``--schools``
schools in scope, a third of them adopted, with a school lead for every 10 schools and a trust
lead for every 50; one guidance version. The clock is a Monday, so weekly digests are due.
Queueing is timed twice: the first run (everything new) and a second (nothing new: the keys
say so). Delivery hands ``--deliver`` messages to aiosmtpd (its own process, discarding what
it accepts) over one connection per batch of 50, each message claimed, handed over and
recorded as sent (with its audit event) in its own committed steps.
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import socket
import subprocess  # nosec B404: starts aiosmtpd, our own dev dependency
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MONDAY = dt.datetime(2031, 3, 3, 7, tzinfo=dt.timezone.utc)


def seed(app, owners: int, actions: int, schools: int) -> None:  # type: ignore[no-untyped-def]
    from tracker.extensions import db
    from tracker.models import (
        Action, Adoption, Decision, DecisionPart, Guidance, GuidanceVersion, Recommendation,
        School, User, user_schools,
    )

    now = MONDAY - dt.timedelta(days=200)
    today = MONDAY.date()
    with app.app_context():
        conn = db.session.connection()
        user_rows = [{"email": f"owner{n}@example.gov.uk", "name": f"Owner {n}", "role": "officer",
                      "active": True, "session_version": 1, "failed_sign_ins": 0,
                      "totp_enabled": False, "is_example": False, "version_id": 1,
                      "trust_code": None, "created_at": now, "updated_at": now}
                     for n in range(owners)]
        user_rows.append(user_rows[0] | {"email": "bench-admin@example.gov.uk", "name": "Admin",
                                         "role": "admin"})
        leads = schools // 10
        user_rows += [user_rows[0] | {"email": f"lead{n}@example.gov.uk", "name": f"Lead {n}",
                                      "role": "school_lead",
                                      "trust_code": f"TR{n // 5}" if n % 5 == 0 else None}
                      for n in range(leads)]
        conn.execute(sa.insert(User), user_rows)
        ids = dict(conn.execute(sa.select(User.email, User.id)).all())
        owner_ids = [ids[f"owner{n}@example.gov.uk"] for n in range(owners)]
        base = {"created_at": now, "updated_at": now, "version_id": 1, "is_example": False}
        conn.execute(sa.insert(Decision), [base | {
            "reference": "I1", "title": "Bench decision", "decision_maker": "Cabinet",
            "key_decision": False, "decided_on": dt.date(2030, 1, 1), "exemption": "open",
            "subject_to_call_in": True, "call_in_expires_on": dt.date(2030, 1, 8),
            "call_in_record": "none"}])
        decision_id = conn.execute(sa.select(Decision.id)).scalar_one()
        part = {"decision_id": decision_id, "label": "a", "text": "Agree",
                "kind": "agree_recommendations", "position": 0}
        conn.execute(sa.insert(DecisionPart), [base | part,
                                               base | part | {"label": "c", "kind": "approve_guidance"}])
        part_ids = conn.execute(sa.select(DecisionPart.id).order_by(DecisionPart.id)).scalars().all()
        conn.execute(sa.insert(Recommendation), [base | {  # one set of keys for every row
            "part_id": part_ids[0], "source": "review", "reference": f"R{n}", "position": n,
            "text": "Bench", "owner_id": owner_ids[n % owners], "committee": None,
            "response_due_on": None} for n in range(200)])
        conn.execute(sa.insert(Recommendation), [base | {
            "part_id": None, "source": "scrutiny", "reference": f"S{n}", "position": n,
            "text": "Bench", "owner_id": owner_ids[n], "committee": "Scrutiny",
            "response_due_on": today + dt.timedelta(days=n - 10)} for n in range(30)])
        rec_ids = conn.execute(sa.select(Recommendation.id).where(
            Recommendation.source == "review")).scalars().all()
        rows = []
        for n in range(actions):
            due = today + dt.timedelta(days=(n * 7) % 181 - 90)
            rows.append(base | {"recommendation_id": rec_ids[n % len(rec_ids)],
                                "title": f"Action {n}", "owner_id": owner_ids[n % owners],
                                "due_on": due, "current_due_on": due, "status": "in_progress"})
        for start in range(0, len(rows), 5000):
            conn.execute(sa.insert(Action), rows[start:start + 5000])
        conn.execute(sa.insert(Guidance), [base | {"title": "Model guidance", "part_id": part_ids[1]}])
        guidance_id = conn.execute(sa.select(Guidance.id)).scalar_one()
        conn.execute(sa.insert(GuidanceVersion), [base | {
            "guidance_id": guidance_id, "number": 1, "title": "v1",
            "approved_on": today - dt.timedelta(days=10)}])
        version_id = conn.execute(sa.select(GuidanceVersion.id)).scalar_one()
        rows = [base | {"urn": 100000 + n, "name": f"School {n}", "status": "open",
                        "in_scope": True, "trust_code": f"TR{n // 50}" if n % 3 else None}
                for n in range(schools)]
        for start in range(0, len(rows), 5000):
            conn.execute(sa.insert(School), rows[start:start + 5000])
        school_ids = conn.execute(sa.select(School.id).order_by(School.id)).scalars().all()
        lead_ids = [ids[f"lead{n}@example.gov.uk"] for n in range(leads)]
        conn.execute(sa.insert(user_schools), [
            {"user_id": lead_ids[n // 10], "school_id": sid}
            for n, sid in enumerate(school_ids) if n // 10 < leads])
        conn.execute(sa.insert(Adoption), [base | {
            "school_id": sid, "guidance_version_id": version_id, "status": "adopted"}
            for n, sid in enumerate(school_ids) if n % 3 == 0])
        db.session.commit()


@contextlib.contextmanager
def smtp_process() -> Iterator[int]:
    """aiosmtpd in its own process (as a relay would be), accepting and discarding mail."""
    from tests.messages.servers import free_port

    port = free_port()
    server = subprocess.Popen(  # nosec B603: our own dev dependency, fixed arguments
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
         "-c", "aiosmtpd.handlers.Sink"])
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def run(url: str, args: argparse.Namespace) -> None:
    from tests.conftest import make_app, upgrade
    from tracker import clock
    from tracker.extensions import db
    from tracker.messages import outbox, reminders
    from tracker.models import Message

    app = make_app(url, BASE_URL="https://tracker.example.gov.uk")
    upgrade(app)
    started = time.perf_counter()
    seed(app, args.owners, args.actions, args.schools)
    print(f"seeded in {time.perf_counter() - started:.1f} s")
    with app.app_context(), clock.travel_to(MONDAY):
        for label in ("first run", "second run"):
            started, cpu = time.perf_counter(), time.process_time()
            counts = reminders.queue_due(clock.now())
            db.session.commit()
            print(f"{label}: worked out and queued {sum(counts.values())} messages "
                  f"({counts}) in {time.perf_counter() - started:.2f} s "
                  f"({time.process_time() - cpu:.2f} s of CPU)")
        waiting = db.session.scalar(sa.select(sa.func.count(Message.id)))
        with smtp_process() as port:
            app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_TIMEOUT=30.0,
                              MAIL_FROM="tracker@example.gov.uk")
            started, cpu = time.perf_counter(), time.process_time()
            report = outbox.deliver(limit=min(args.deliver, waiting))
            took, used = time.perf_counter() - started, time.process_time() - cpu
            print(f"delivered {report.sent} to aiosmtpd in {took:.2f} s: "
                  f"{report.sent / took:.0f} messages a second; {used:.2f} s of the sender's "
                  f"CPU, {report.sent / used:.0f} messages per CPU second "
                  f"(to retry {report.retried}, failed {report.failed})")
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--owners", type=int, default=2000)
    parser.add_argument("--actions", type=int, default=20000)
    parser.add_argument("--schools", type=int, default=25000)
    parser.add_argument("--deliver", type=int, default=1000)
    parser.add_argument("--pg", help="PostgreSQL URL of a database to create a bench one beside")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print("SQLite")
        run(f"sqlite:///{Path(tmp) / 'bench.sqlite'}", args)
    if args.pg:
        base = sa.engine.make_url(args.pg)
        name = f"tracker_bench_reminders_{os.getpid()}"
        admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        try:
            print("PostgreSQL")
            run(base.set(database=name).render_as_string(hide_password=False), args)
        finally:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()
