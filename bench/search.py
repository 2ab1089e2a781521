"""Time full-text search (docs/search-and-themes.md) on the large-council data set, on SQLite
or PostgreSQL: the search function alone and the /search page, for a member (sees
everything) and a school lead (Open decisions only).

    .venv/bin/python bench/search.py [--repeat 9] [--database-url URL] [--json FILE]

The data set is bench/pages.py's ``council`` shape (200 decisions, 3,000 recommendations,
15,000 actions, about 100,000 progress updates), built by bench/dashboard.py's seeded builder
into bench/out/search.sqlite (or, with --database-url, a PostgreSQL database whose public
schema is dropped and rebuilt: give it a scratch database only). Its texts are then rewritten
from a seeded vocabulary of safeguarding words, row by row through the tables' own update
path, so the search index is written by its triggers as in real use, and every word occurs
in many rows (the ranking must score thousands of matches, not a handful).

Printed per query and role: the number of results, the median wall time of ``search()``
and its CPU time (this process's, plus on PostgreSQL the database server process's, read
from /proc: the server runs on the same machine), and the same for the whole page (this
process's CPU only), with the worst of the runs. On a shared, loaded machine the CPU times
are the steadier measure (time spent waiting for a CPU is not counted).
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import sqlalchemy as sa  # noqa: E402

import dashboard as builder  # noqa: E402  (bench/dashboard.py)
import pages  # noqa: E402  (bench/pages.py: the council shape)

VOCABULARY = (
    "record keeping chronology information sharing voice child neglect escalation "
    "supervision training designated safeguarding lead health police school referral "
    "threshold assessment multiagency strategy meeting audit quality assurance early help "
    "domestic abuse exploitation missing education attendance governors policy procedure "
    "communication family engagement professional curiosity challenge consent disclosure "
    "online safety mental wellbeing transition handover case management plan review"
).split()
QUERIES = (
    ("one common word", "review"),
    ("two words", "record keeping"),
    ("three words, filtered by status", "information sharing police"),
    ("a rare word", "curiosity consent"),
    ("a word in no row", "zebra"),
)


def _sentence(rnd: random.Random, n: int) -> str:
    return " ".join(rnd.choice(VOCABULARY) for _ in range(n)).capitalize() + "."


def rewrite_texts(app: Any) -> dict[str, float]:
    """Give every recommendation, action and update words from the vocabulary, by UPDATE
    (the triggers rewrite the index as they would for an edit). Returns seconds taken."""
    from tracker.extensions import db

    rnd = random.Random(14)
    took = {}
    with app.app_context():
        for table, column, words in (("recommendations", "text", 30),
                                     ("actions", "title", 8), ("progress_updates", "narrative", 20)):
            ids = list(db.session.scalars(sa.text(f"SELECT id FROM {table}")))  # noqa: S608
            begin = time.perf_counter()
            for start in range(0, len(ids), 5000):
                db.session.execute(
                    sa.text(f"UPDATE {table} SET {column} = :v WHERE id = :id"),  # noqa: S608
                    [{"id": i, "v": _sentence(rnd, words)} for i in ids[start:start + 5000]])
            db.session.commit()
            took[table] = time.perf_counter() - begin
        if db.engine.dialect.name == "postgresql":  # as autovacuum would, after so many rows
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(sa.text("VACUUM ANALYZE search_index"))
    return took


def _server_cpu(pid: int | None) -> float:
    """Seconds of CPU the database server process ``pid`` has used (0 without one)."""
    if pid is None:
        return 0.0
    import os

    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--database-url")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)

    from flask_migrate import upgrade as alembic_upgrade

    from tracker import create_app
    from tracker.clock import today
    from tracker.extensions import db
    from tracker.models import User
    from tracker.search import queries

    url = pages._url("search", argparse.Namespace(database_url=args.database_url))
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False,
                                 "RATELIMIT_ENABLED": False})
    with app.app_context():
        alembic_upgrade(directory=str(ROOT / "migrations"))
    begin = time.perf_counter()
    counts = builder.build(app, argparse.Namespace(**pages.SHAPES["council"]))
    built = time.perf_counter() - begin
    rewrite = rewrite_texts(app)
    with app.app_context():
        dialect = db.engine.dialect.name
        indexed = db.session.execute(sa.text("SELECT count(*) FROM search_index")).scalar()
    print(f"\n## search, council shape: {dialect}; built " + ", ".join(
        f"{n:,} {what}" for what, n in counts.items()) + f" in {built:.0f} s; texts rewritten "
        "through the triggers in " + ", ".join(f"{t} {s:.1f} s" for t, s in rewrite.items())
        + f"; {indexed:,} entries in the index\n", flush=True)

    clients = {}
    for role in ("member", "school_lead"):
        client = app.test_client()
        answer = client.post("/sign-in", data={"email": pages.EMAILS[role],
                                               "password": builder.PASSWORD})
        assert answer.status_code == 302
        clients[role] = client

    rows = []
    print("| query | role | results | search() median | worst | search() CPU | page median "
          "| page CPU | worst page |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, text in QUERIES:
        status = "green" if "status" in name else None
        for role, client in clients.items():
            with app.app_context():
                user = db.session.scalar(sa.select(User).where(User.email == pages.EMAILS[role]))
                f = queries.Filters(status=status)
                found = queries.search(user, text, f, today=today())  # warm up
                pid = db.session.execute(sa.text("SELECT pg_backend_pid()")).scalar() \
                    if dialect == "postgresql" else None
                runs = []
                cpu_begin, server_begin = time.process_time(), _server_cpu(pid)
                for _ in range(args.repeat):
                    start = time.perf_counter()
                    found = queries.search(user, text, f, today=today())
                    runs.append(time.perf_counter() - start)
                cpu = (time.process_time() - cpu_begin + _server_cpu(pid) - server_begin) \
                    / args.repeat
            path = f"/search?q={text.replace(' ', '+')}" + (f"&status={status}" if status else "")
            client.get(path)
            page_runs, page_cpu = [], []
            for _ in range(args.repeat):
                start, start_cpu = time.perf_counter(), time.process_time()
                answer = client.get(path)
                page_runs.append(time.perf_counter() - start)
                page_cpu.append(time.process_time() - start_cpu)
            assert answer.status_code == 200
            row = {"database": dialect, "query": text, "role": role, "results": len(found),
                   "search_ms": round(statistics.median(runs) * 1000, 1),
                   "search_worst_ms": round(max(runs) * 1000, 1),
                   "search_cpu_ms": round(cpu * 1000, 1),
                   "page_ms": round(statistics.median(page_runs) * 1000, 1),
                   "page_cpu_ms": round(statistics.median(page_cpu) * 1000, 1),
                   "page_worst_ms": round(max(page_runs) * 1000, 1)}
            rows.append(row)
            print(f"| {name}: “{text}” | {role} | {row['results']} | {row['search_ms']} ms | "
                  f"{row['search_worst_ms']} ms | {row['search_cpu_ms']} ms | {row['page_ms']} ms | {row['page_cpu_ms']} ms | "
                  f"{row['page_worst_ms']} ms |", flush=True)
    # Repeated learning: the recommendations most like one, as its page asks (first 16
    # salient words of a 30-word text, OR, ranked), for ten recommendations.
    with app.app_context():
        from tracker.models import Recommendation
        from tracker.themes import similar

        user = db.session.scalar(sa.select(User).where(User.email == pages.EMAILS["member"]))
        recs = list(db.session.scalars(sa.select(Recommendation).order_by(Recommendation.id)
                                       .limit(10)))
        pid = db.session.execute(sa.text("SELECT pg_backend_pid()")).scalar() \
            if dialect == "postgresql" else None
        similar.similar_to(user, recs[0].text, exclude=[recs[0].id])  # warm up
        runs = []
        cpu_begin, server_begin = time.process_time(), _server_cpu(pid)
        for rec in recs:
            start = time.perf_counter()
            similar.similar_to(user, rec.text, exclude=[rec.id])
            runs.append(time.perf_counter() - start)
        cpu = (time.process_time() - cpu_begin + _server_cpu(pid) - server_begin) / len(recs)
    row = {"database": dialect, "query": "similar recommendations", "role": "member",
           "results": 5, "search_ms": round(statistics.median(runs) * 1000, 1),
           "search_worst_ms": round(max(runs) * 1000, 1), "search_cpu_ms": round(cpu * 1000, 1)}
    rows.append(row)
    print(f"| similar recommendations (10 texts) | member | 5 | {row['search_ms']} ms | "
          f"{row['search_worst_ms']} ms | {row['search_cpu_ms']} ms | | | |", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
