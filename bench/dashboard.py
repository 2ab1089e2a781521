"""Time the dashboard, the committee report (page, CSV, Excel), the home pages and the open
data on a large generated data set, through the real app and database.

    .venv/bin/python bench/dashboard.py [--recommendations 200] [--actions 10] [--updates 20]
        [--schools 25000] [--repeat 3] [--database-url URL]

Default database: a new SQLite file under bench/out/. With --database-url (PostgreSQL) the
database's public schema is dropped and rebuilt: give it a scratch database only.

The data set is seeded (the same every run): one decision taken on 26 November 2020 with
its four parts; the recommendations under parts (a) review, (b) scrutiny (with executive
responses) and (d) referral, each with its actions and progress updates spread over the two
years after it; a guidance version adopted by most of the schools over three years; and
later edits of recommendations in the audit trail (so "as at" reads history back).
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

UTC = dt.timezone.utc
START = dt.datetime(2020, 12, 1, 10, tzinfo=UTC)
PHASES = ("Primary", "Primary", "Primary", "Secondary", "Nursery", "All-through", "16 plus",
          "Not applicable", None)
PASSWORD = "bench-password-2020"
NOW = dt.datetime(2026, 11, 30, 12, tzinfo=UTC)  # nothing recorded after this
# Words of safeguarding reviews' recommendations, the commonest first. Each recommendation's
# text draws 15 to 35 of them, the first far more often than the last (a Zipf law, as words
# are in real text), from a generator of its own (the rest of the data set is what it always
# was), so a recommendation's page finds its "similar recommendations" by searching words
# shared as real ones would be, not by words the search leaves out ("recommendation", "of").
TEXT_WORDS = (
    "safeguarding school schools staff children training policy designated lead governors "
    "partnership referral information sharing record keeping procedures pupils parents "
    "health police social care assessment multiagency early help threshold escalation "
    "supervision audit quality assurance practice guidance curriculum relationships "
    "education online safety harmful sexual behaviour peer abuse victims support plans "
    "monitoring reporting incidents concerns disclosure consent voice child family "
    "engagement communication chronology strategy meeting neglect exploitation missing "
    "attendance exclusion transition handover mental wellbeing professional curiosity "
    "challenge learning culture leadership oversight commissioning resources capacity "
    "workforce induction refresher annual report board scrutiny evaluation impact "
    "outcomes evidence feedback survey trust academy primary secondary college nursery "
    "alternative provision youth justice housing domestic violence contextual "
    "community transport bullying cyberbullying images devices filtering logging "
    "confidentiality retention protocols timescales"
).split()


def recommendation_text(rnd: random.Random) -> str:
    weights = [1 / (rank + 1) for rank in range(len(TEXT_WORDS))]
    words = rnd.choices(TEXT_WORDS, weights, k=rnd.randrange(15, 36))
    return " ".join(words).capitalize() + "."


def moment(rnd: random.Random, start: dt.datetime, days: int) -> dt.datetime:
    return start + dt.timedelta(seconds=rnd.randrange(max(1, days) * 86_400))


def _updates_for(rnd: random.Random, mean: float) -> int:
    """``mean`` updates on average: a whole mean draws nothing (the one-decision data set
    stays what it always was)."""
    whole = int(mean)
    return whole + (rnd.random() < mean - whole if mean != whole else 0)


def build(app: Any, args: argparse.Namespace) -> dict[str, int]:
    """The data set. ``args.decisions`` decisions (default 1) taken nine days apart share the
    recommendations; the first decision's part (c) approves ``args.versions`` guidance
    versions (default 1), a year apart, each adopted school by school. ``args.updates`` may
    be fractional (the mean per action). Nothing is recorded after ``NOW``."""
    from tracker.extensions import db
    from tracker.recommendations import kept, rollups
    from tracker.schools import counts as adoption_counts
    from tracker.schools import kept as adoption_kept
    from tracker.models import (
        Action, Adoption, AdoptionEvent, AuditEvent, Decision, DecisionPart, ExecutiveResponse,
        Guidance, GuidanceVersion, ProgressUpdate, Recommendation, School, User,
    )

    rnd = random.Random(2020)
    words = random.Random(2026)   # the recommendations' texts (recommendation_text)
    t = lambda model: model.__table__  # noqa: E731
    n_decisions = getattr(args, "decisions", 1)
    n_versions = getattr(args, "versions", 1)

    def capped(when: dt.datetime) -> dt.datetime:
        return min(when, NOW)

    with app.app_context():
        s = db.session
        member = User(email="member@example.gov.uk", name="Bench Member", role="member")
        admin = User(email="admin@example.gov.uk", name="Bench Admin", role="admin")
        lead = User(email="lead@example.gov.uk", name="Bench School Lead", role="school_lead")
        officers = [User(email=f"officer{n}@example.gov.uk", name=f"Officer {n:02d}",
                         role="officer") for n in range(40)]
        for user in (member, admin, lead, officers[0]):
            user.set_password(PASSWORD)
        s.add_all([member, admin, lead, *officers])
        decisions, parts = [], []
        for d in range(n_decisions):
            decided = dt.date(2020, 11, 26) + dt.timedelta(days=9 * d)
            created = dt.datetime.combine(decided + dt.timedelta(days=4), dt.time(9),
                                          tzinfo=UTC)
            decision = Decision(
                reference="I50035813" if d == 0 else f"I6{d:07d}",
                title="Review of peer on peer abuse cases" if d == 0 else f"Decision {d}",
                decision_maker="Cabinet", decided_on=decided, exemption="open",
                subject_to_call_in=True, call_in_expires_on=decided + dt.timedelta(days=8),
                created_at=created)
            parts.append({label: DecisionPart(decision=decision, label=label, position=n,
                                              kind=kind, text=f"Part ({label}).",
                                              created_at=created)
                          for n, (label, kind) in enumerate((("a", "agree_recommendations"),
                                                             ("b", "approve_response"),
                                                             ("c", "approve_guidance"),
                                                             ("d", "referral")))})
            decisions.append(decision)
        s.add_all(decisions)
        s.flush()
        officer_ids = [o.id for o in officers]
        rec_rows, action_rows, update_rows, response_rows = [], [], [], []
        rec_id = action_id = 0
        for r in range(args.recommendations):
            d = r * n_decisions // args.recommendations
            source = "scrutiny" if r % 5 == 1 else "referral" if r % 20 == 19 else "review"
            part = {"review": "a", "scrutiny": "b", "referral": "d"}[source]
            begin = START if d == 0 else decisions[d].created_at
            created = capped(moment(rnd, begin, 90))
            rec_id += 1
            rec_rows.append({"id": rec_id, "part_id": parts[d][part].id, "source": source,
                             "reference": f"{r + 1}", "position": r, "owner_id": rnd.choice(
                                 officer_ids), "text": recommendation_text(words),
                             "created_at": created, "updated_at": created, "version_id": 1,
                             "is_example": False})
            if source == "scrutiny":
                response_rows.append({"recommendation_id": rec_id, "recorded_at": created,
                                      "response": rnd.choice(("accepted", "accepted",
                                                              "partially_accepted",
                                                              "not_accepted")),
                                      "reason": "Reason given.", "response_text": "Response."})
            for _ in range(args.actions):
                action_id += 1
                due = (created + dt.timedelta(days=rnd.randrange(120, 900))).date()
                action_rows.append({"id": action_id, "recommendation_id": rec_id,
                                    "title": f"Action {action_id}", "owner_id": rnd.choice(
                                        officer_ids), "due_on": due, "current_due_on": due,
                                    "status": "not_started", "created_at": created,
                                    "updated_at": created, "version_id": 1, "is_example": False})
                times = sorted(capped(moment(rnd, created, 730))
                               for _ in range(_updates_for(rnd, args.updates)))
                finish = rnd.random() < 0.6
                for n, when in enumerate(times):
                    last = n == len(times) - 1
                    status = "complete" if last and finish else rnd.choice(
                        ("in_progress", "in_progress", "in_progress", "not_started"))
                    update_rows.append({"action_id": action_id, "recorded_at": when,
                                        "status": status, "is_example": False,
                                        "rag": None if status == "complete" else rnd.choice(
                                            ("red", "amber", "green", "green")),
                                        "narrative": f"Update {n + 1}."})
        for table, rows in ((t(Recommendation), rec_rows), (t(Action), action_rows),
                            (t(ProgressUpdate), update_rows),
                            (t(ExecutiveResponse), response_rows)):
            for start in range(0, len(rows), 5000):
                s.execute(sa.insert(table), rows[start:start + 5000])
        # Each action's figures kept on write, as the progress-update service keeps them
        kept.refresh(s.connection())
        rollups.refresh(s.connection())  # and each recommendation's roll-up, by the rules
        first = decisions[0]
        guidance = Guidance(title="Peer on peer model guidance", part_id=parts[0]["c"].id,
                            created_at=first.created_at)
        versions = [GuidanceVersion(guidance=guidance, number=v + 1, title=f"Version {v + 1}",
                                    approved_on=dt.date(2020, 11, 26) + dt.timedelta(
                                        days=365 * v), created_at=first.created_at)
                    for v in range(n_versions)]
        s.add_all([guidance, *versions])
        s.flush()
        school_rows, adoption_rows, event_rows = [], [], []
        for n in range(args.schools):
            closed = moment(rnd, START, 2000) if rnd.random() < 0.03 else None
            closed = None if closed is None or closed > NOW else closed
            school_rows.append({"id": n + 1, "urn": 100000 + n, "name": f"School {n}",
                                "phase": rnd.choice(PHASES), "status": "closed" if closed
                                else "open", "in_scope": rnd.random() < 0.9,
                                "closed_recorded_at": closed, "created_at": first.created_at,
                                "updated_at": first.created_at, "version_id": 1,
                                "is_example": False})
            for version in versions:
                if rnd.random() < 0.7:
                    begin = dt.datetime.combine(version.approved_on, dt.time(9), tzinfo=UTC)
                    times = sorted(capped(moment(rnd, max(begin, START), 1100))
                                   for _ in range(rnd.randrange(1, 4)))
                    status = rnd.choice(("adopted", "own_policy", "under_review", "adopted"))
                    adoption_rows.append({"id": len(adoption_rows) + 1, "school_id": n + 1,
                                          "guidance_version_id": version.id, "status": status,
                                          "created_at": times[0], "updated_at": times[-1],
                                          "version_id": 1})
                    for k, when in enumerate(times):
                        event_rows.append({"adoption_id": len(adoption_rows),
                                           "recorded_at": when, "via": "import",
                                           "status": status if k == len(times) - 1
                                           else "under_review"})
        for table, rows in ((t(School), school_rows), (t(Adoption), adoption_rows),
                            (t(AdoptionEvent), event_rows)):
            for start in range(0, len(rows), 5000):
                s.execute(sa.insert(table), rows[start:start + 5000])
        # Each adoption's latest event kept, as the writer of adoption events keeps it
        adoption_kept.refresh(s.connection())
        adoption_counts.refresh(s.connection())  # and the adoption counts, from them
        lead.schools = list(s.scalars(sa.select(School).order_by(School.id).limit(5)))
        edits = [{"occurred_at": moment(rnd, dt.datetime(2022, 1, 1, tzinfo=UTC), 700),
                  "actor_label": "bench", "action": "update", "object_type": "Recommendation",
                  "object_id": rnd.randrange(1, rec_id + 1), "summary": "Edited",
                  "before": {"text": "Earlier wording."}, "after": {"text": "Later wording."}}
                 for _ in range(500)]
        s.execute(sa.insert(t(AuditEvent)), edits)
        s.commit()
        if db.engine.dialect.name == "postgresql":
            for table in ("recommendations", "actions", "schools", "adoptions"):
                s.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                  f"(SELECT max(id) FROM {table}))"))
            s.commit()
            # The planner's statistics and the tables' visibility maps, as autovacuum makes
            # them soon after a real load (PostgreSQL 13 and later vacuum a table that was
            # only inserted into, too). Without statistics PostgreSQL guesses a dozen rows a
            # table and joins 25,000 schools to their adoptions by a nested loop without an
            # index (75 s, not 80 ms); without the visibility maps no index answers a query
            # alone (every row is looked up in the table as well).
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(sa.text("VACUUM ANALYZE"))
        return {"decisions": len(decisions), "recommendations": len(rec_rows),
                "actions": len(action_rows), "updates": len(update_rows),
                "schools": len(school_rows), "guidance versions": len(versions),
                "adoption events": len(event_rows)}


def timed(label: str, repeat: int, fn: Callable[[], Any]) -> None:
    """Wall-clock time (best, median) and this process's CPU time (best): on a busy machine
    the CPU time is the steadier figure."""
    runs, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        runs.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    size = len(result) if isinstance(result, (bytes, str)) else 0
    print(f"{label:<48} best {min(runs) * 1000:6.0f} ms  median "
          f"{statistics.median(runs) * 1000:6.0f} ms  cpu {min(cpu) * 1000:6.0f} ms  "
          f"{size / 1024:5.0f} KB")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recommendations", type=int, default=200)
    parser.add_argument("--actions", type=int, default=10)
    parser.add_argument("--updates", type=float, default=20)
    parser.add_argument("--schools", type=int, default=25_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url")
    args = parser.parse_args(argv)

    from flask_migrate import upgrade as alembic_upgrade

    from tracker import create_app
    from tracker.clock import today
    from tracker.extensions import db

    if args.database_url:
        engine = sa.create_engine(args.database_url)
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
        engine.dispose()
        url = args.database_url
    else:
        out = ROOT / "bench" / "out"
        out.mkdir(parents=True, exist_ok=True)
        target = out / "dashboard.sqlite"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{target}"
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False,
                                 "OPEN_DATA_ENABLED": True})
    with app.app_context():
        alembic_upgrade(directory=str(ROOT / "migrations"))
    start = time.perf_counter()
    counts = build(app, args)
    with app.app_context():
        dialect = db.engine.dialect.name
    print(f"{dialect}; built "
          + ", ".join(f"{n:,} {what}" for what, n in counts.items())
          + f" in {time.perf_counter() - start:.1f} s; Python {sys.version.split()[0]}")

    def client_for(email: str) -> Any:
        client = app.test_client()
        answer = client.post("/sign-in", data={"email": email, "password": PASSWORD})
        assert answer.status_code == 302, answer.get_data(as_text=True)[:500]
        return client

    member, admin = client_for("member@example.gov.uk"), client_for("admin@example.gov.uk")
    now = today()

    def get(client: Any, path: str) -> Callable[[], bytes]:
        def run() -> bytes:
            answer = client.get(path)
            assert answer.status_code == 200, (path, answer.status_code)
            return answer.data
        return run

    def report(path: str, day: dt.date) -> str:
        return f"{path}?decision=1&as_at={day.day}&as_at={day.month}&as_at={day.year}"

    past = dt.date(2021, 12, 31)
    timed("dashboard, all decisions (today)", args.repeat, get(member, "/dashboard"))
    timed("committee report page, as at today", args.repeat,
          get(member, report("/reports/committee", now)))
    timed("committee report page, as at 31 December 2021", args.repeat,
          get(member, report("/reports/committee", past)))
    timed("committee report CSV, as at 31 December 2021", args.repeat,
          get(member, report("/reports/committee.csv", past)))
    timed("committee report Excel, as at 31 December 2021", args.repeat,
          get(member, report("/reports/committee.xlsx", past)))
    timed("member's home page", args.repeat, get(member, "/"))
    timed("administrator's home page", args.repeat, get(admin, "/"))
    timed("open data: /api/decisions", args.repeat, get(member, "/api/decisions"))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory {peak:.0f} MB")


if __name__ == "__main__":
    main()
