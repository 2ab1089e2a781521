"""Time every page for every role on the two large data shapes, against a floor route that
returns the same bytes through the same test client, and count the queries each page makes.

    .venv/bin/python bench/pages.py [--shape issue|council|national|both] [--repeat 7]
        [--database-url URL] [--only home,dashboard] [--json FILE]

Shapes (issue 11):
* ``issue``: bench/dashboard.py's defaults: one decision, 200 recommendations, 2,000 actions,
  40,000 updates, 25,000 schools;
* ``council`` ("a large council, five years"): 200 decisions, 3,000 recommendations,
  15,000 actions, 100,000 updates, 600 schools with 4 guidance versions;
* ``national`` (only when asked for; meant for PostgreSQL): 50 decisions, 5,000
  recommendations, 50,000 actions, 1,000,000 updates, 25,800 schools (25,000 open).

Both are built by ``bench/dashboard.py``'s seeded builder, into a new SQLite file under
bench/out/ (or, with --database-url, a PostgreSQL database whose public schema is dropped and
rebuilt: give it a scratch database only; with --reuse, a database that already has the
tables is used as it is, upgraded by the migrations). The app runs in this process; each
page is asked :data:`WARM` times to warm up (``--warm``), then ``--repeat`` times; the floor
is a bare route returning the page's own bytes, asked as often after them (with
``--interleave``, in turn with the page: a drift in the machine's speed then moves both
alike, but the floor, asked after a page's work rather than after itself, comes out about
twice as slow, so its ratios are not those of issue 11's figures). Printed per page and
role: the median wall time and its ratio to the floor's median, the same for this process's
CPU time (steadier on a shared machine: time waiting for a CPU is not counted), and the
number of SQL statements the request ran (session and audit included).
"""
from __future__ import annotations

import argparse
import cProfile
import json
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import sqlalchemy as sa  # noqa: E402

import dashboard as builder  # noqa: E402  (bench/dashboard.py)

SHAPES = {
    "issue": dict(decisions=1, recommendations=200, actions=10, updates=20, schools=25_000,
                  versions=1),
    "council": dict(decisions=200, recommendations=3_000, actions=5, updates=100_000 / 15_000,
                    schools=600, versions=4),
    # National scale (issue 11: on PostgreSQL, every page under 300 ms): 25,000 open schools
    # (about 3% of the 25,800 built are closed), 1,000,000 updates over 50,000 actions.
    "national": dict(decisions=50, recommendations=5_000, actions=10, updates=20,
                     schools=25_800, versions=1),
}
PAST = "as_at=2021-12-31"
ROLES = ("member", "admin", "officer", "school_lead")
EMAILS = {"member": "member@example.gov.uk", "admin": "admin@example.gov.uk",
          "officer": "officer0@example.gov.uk", "school_lead": "lead@example.gov.uk"}


# Each page is asked this often before it is timed: on PostgreSQL its statements are then
# prepared and planned once, as a worker serving the page all day has them (psycopg prepares a
# statement at its sixth run; PostgreSQL plans it for any values after five plans of its own).
# With one warm-up, 10 of 16 timed runs planned every statement afresh: a recommendation's
# page 3 ms longer. SQLite prepares nothing; the same warm-up is asked of it.
WARM = 11


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    roles: tuple[str, ...] = ROLES


PAGES = (
    Page("home", "/"),
    Page("dashboard", "/dashboard"),
    Page("report page, 31 Dec 2021", f"/reports/committee?decision=1&{PAST}"),
    Page("report CSV, 31 Dec 2021", f"/reports/committee.csv?decision=1&{PAST}"),
    Page("report page, today", "/reports/committee?decision=1"),
    Page("decisions", "/decisions"),
    Page("decision page", "/decisions/1"),
    Page("recommendations", "/recommendations"),
    Page("recommendations, overdue", "/recommendations?overdue=y"),
    Page("recommendation", "/recommendations/2"),
    Page("executive responses", "/executive-responses", ("member", "admin", "officer")),
    Page("my actions", "/my-actions", ("officer",)),
    Page("schools", "/schools"),
    Page("audit log", "/admin/audit", ("admin",)),
    Page("open data /api/decisions", "/api/decisions", ("anonymous",)),
)


def _url(shape: str, args: argparse.Namespace) -> tuple[str, bool]:
    """The database to use and whether it must be built (``--reuse``: a SQLite file left by
    an earlier run of this shape, or a database that already has the tables, is used as it
    is)."""
    if args.database_url:
        engine = sa.create_engine(args.database_url)
        if args.reuse and sa.inspect(engine).has_table("recommendation_rollups"):
            engine.dispose()
            return str(args.database_url), False
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
        engine.dispose()
        return str(args.database_url), True
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"pages-{shape}.sqlite"
    if args.reuse and target.exists():
        return f"sqlite:///{target}", False
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{target}", True


def run_shape(shape: str, args: argparse.Namespace) -> list[dict[str, Any]]:
    from flask import Response
    from flask_migrate import upgrade as alembic_upgrade

    from tracker import create_app
    from tracker.extensions import db
    from tracker.permissions import public

    url, fresh = _url(shape, args)
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False,
                                 "OPEN_DATA_ENABLED": True, "RATELIMIT_ENABLED": False})
    floor_body: dict[str, tuple[bytes, str]] = {}

    @public
    def floor() -> Response:
        body, mimetype = floor_body["page"]
        return Response(body, mimetype=mimetype)

    app.add_url_rule("/bench-floor", "bench_floor", floor)
    with app.app_context():
        alembic_upgrade(directory=str(ROOT / "migrations"))
    start = time.perf_counter()
    counts = builder.build(app, argparse.Namespace(**SHAPES[shape])) if fresh else {}
    with app.app_context():
        dialect = db.engine.dialect.name
        engine = db.engine
    print(f"\n## {shape}: {dialect}; " + ("built " + ", ".join(
        f"{n:,} {what}" for what, n in counts.items())
        + f" in {time.perf_counter() - start:.0f} s" if fresh else "reused the data built earlier")
        + "\n", flush=True)

    statements = [0]

    @sa.event.listens_for(engine, "before_cursor_execute")
    def _count(*_: Any) -> None:
        statements[0] += 1

    clients: dict[str, Any] = {"anonymous": app.test_client()}
    for role, email in EMAILS.items():
        client = app.test_client()
        answer = client.post("/sign-in", data={"email": email,
                                               "password": builder.PASSWORD})
        assert answer.status_code == 302, (role, answer.get_data(as_text=True)[:300])
        clients[role] = client

    profiler = cProfile.Profile() if args.profile else None

    def one(client: Any, path: str, profiled: bool = False) -> tuple[float, float, Any]:
        begin, begin_cpu = time.perf_counter(), time.process_time()
        if profiled and profiler is not None:
            answer = profiler.runcall(client.get, path)
        else:
            answer = client.get(path)
        return time.perf_counter() - begin, time.process_time() - begin_cpu, answer

    def timed(client: Any, path: str) -> tuple[list[float], list[float], list[float],
                                                list[float], int, Any]:
        """The page ``--repeat`` times, then the floor as often (each after a warm-up); with
        ``--interleave``, the page and the floor in turn."""
        for _ in range(args.warm):   # warm up; the floor then returns these very bytes
            answer = client.get(path)
            floor_body["page"] = (answer.data, answer.mimetype)
            client.get("/bench-floor")
        runs, cpu, floor_runs, floor_cpu, queries = [], [], [], [], 0
        for _ in range(args.repeat):
            if args.cold:   # nothing stored: every report built afresh (tracker.dashboard.stored)
                with engine.begin() as connection:
                    connection.execute(sa.text("DELETE FROM stored_reports"))
            statements[0] = 0
            wall, used, answer = one(client, path, profiled=True)
            runs.append(wall)
            cpu.append(used)
            queries = statements[0]
            if args.interleave:
                wall, used, _ = one(client, "/bench-floor")
                floor_runs.append(wall)
                floor_cpu.append(used)
        while len(floor_runs) < args.repeat:
            wall, used, _ = one(client, "/bench-floor")
            floor_runs.append(wall)
            floor_cpu.append(used)
        return runs, cpu, floor_runs, floor_cpu, queries, answer

    rows = []
    only = set(args.only.split(",")) if args.only else None
    print("| page | role | median | × floor | CPU median | CPU × floor | queries | size |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for page in PAGES:
        if only and page.name.split(",")[0] not in only and page.name not in only:
            continue
        for role in page.roles:
            if args.roles and role not in args.roles.split(","):
                continue
            client = clients[role]
            runs, cpu, floor_runs, floor_cpu, queries, answer = timed(client, page.path)
            if answer.status_code != 200:
                print(f"| {page.name} | {role} | answered {answer.status_code} | | | | | |")
                continue
            median = statistics.median(runs) * 1000
            ratio = statistics.median(runs) / statistics.median(floor_runs)
            cpu_median = statistics.median(cpu) * 1000
            cpu_ratio = statistics.median(cpu) / max(statistics.median(floor_cpu), 1e-6)
            row = {"shape": shape, "database": dialect, "page": page.name, "path": page.path,
                   "role": role, "median_ms": round(median, 1),
                   "floor_ms": round(statistics.median(floor_runs) * 1000, 2),
                   "ratio": round(ratio, 1), "cpu_ms": round(cpu_median, 1),
                   "cpu_ratio": round(cpu_ratio, 1), "queries": queries,
                   "bytes": len(answer.data)}
            rows.append(row)
            print(f"| {page.name} | {role} | {median:,.1f} ms | {ratio:,.0f} | "
                  f"{cpu_median:,.1f} ms | {cpu_ratio:,.0f} | {queries} | "
                  f"{len(answer.data) / 1024:,.0f} KB |", flush=True)
    if profiler is not None:
        profiler.dump_stats(args.profile)
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shape", choices=("issue", "council", "national", "both"),
                        default="both")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--database-url")
    parser.add_argument("--only", help="comma-separated page names (the part before a comma)")
    parser.add_argument("--roles", help="comma-separated roles (default: every role)")
    parser.add_argument("--reuse", action="store_true",
                        help="use the data an earlier run built for the shape, if any (SQLite: its file "
                             "under bench/out; --database-url: that database, if it has "
                             "the tables)")
    parser.add_argument("--cold", action="store_true",
                        help="delete the stored committee reports before each timed request")
    parser.add_argument("--warm", type=int, default=WARM,
                        help=f"ask each page this many times before timing it (default {WARM})")
    parser.add_argument("--interleave", action="store_true",
                        help="ask the floor in turn with the page (steadier on a drifting "
                             "machine; a slower floor, so lower ratios than issue 11's)")
    parser.add_argument("--profile", help="write a cProfile of the timed requests to this file")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    shapes = ("issue", "council") if args.shape == "both" else (args.shape,)
    rows = [row for shape in shapes for row in run_shape(shape, args)]
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
