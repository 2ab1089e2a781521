"""Load test: a few hundred simulated officers and scrutiny members using the tracker at once,
served by gunicorn on 127.0.0.1, on SQLite and on PostgreSQL.

    .venv/bin/python bench/load.py                       # 300 people, 3 minutes, both databases
    .venv/bin/python bench/load.py --users 100 --duration 60 --databases sqlite

Each simulated person signs in once (spread over the ramp-up), then repeats what they come
for, pausing between pages as people do ("think time"):
  officer: home page, their actions, their recommendation, and one visit in four records
           a progress update (form, then post);
  member:  home page, decisions, the seed decision, recommendations, one recommendation,
           the dashboard, the committee report.
Requests per second, median, 95th and 99th percentile latency and errors are reported for
the steady period after the ramp-up, overall and per page. Only 127.0.0.1 is contacted.
PostgreSQL: a fresh database next to TEST_DATABASE_URL's (default postgres@127.0.0.1/test),
dropped afterwards.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.security import served  # noqa: E402


@dataclass
class Sample:
    page: str
    started: float
    seconds: float
    ok: bool
    detail: str = ""


@dataclass
class Recorder:
    samples: list[Sample] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def time(self, page: str, call: Callable[[], Any], expect: tuple[int, ...]) -> Any:
        started = time.monotonic()
        try:
            response = call()
            ok = response.status_code in expect
            detail = "" if ok else f"HTTP {response.status_code}"
        except Exception as exc:  # timeouts and refused connections count as errors
            response, ok, detail = None, False, type(exc).__name__
        sample = Sample(page, started, time.monotonic() - started, ok, detail)
        with self.lock:
            self.samples.append(sample)
        return response


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def officer_visit(v: served.Visitor, rec: Recorder, rec_id: int, action_id: int, n: int,
                  rng: random.Random) -> None:
    rec.time("home", lambda: v.get("/"), (200,))
    rec.time("my actions", lambda: v.get("/my-actions"), (200,))
    rec.time("recommendation", lambda: v.get(f"/recommendations/{rec_id}"), (200,))
    if rng.random() < 0.25:
        rec.time("update form", lambda: v.get(f"/actions/{action_id}/updates/new"), (200,))
        rec.time("post update", lambda: v.post_update_only(
            action_id, f"{served.UPDATE_MARK} load {v.email} {n}"), (302,))


def member_visit(v: served.Visitor, rec: Recorder, ids: dict[str, int],
                 rng: random.Random) -> None:
    pages = [("home", "/"), ("decisions", "/decisions"),
             ("decision", f"/decisions/{ids['decision']}"),
             ("recommendations", "/recommendations"),
             ("recommendation", f"/recommendations/{ids['recommendation']}"),
             ("dashboard", "/dashboard"), ("committee report", "/reports/committee")]
    for name, path in rng.sample(pages, 3):
        rec.time(name, lambda path=path: v.get(path), (200,))


def run_one(kind: str, users: int, duration: float, ramp: float, think: tuple[float, float],
            workers: int, seed_value: int) -> dict[str, Any]:
    officers = users // 2
    members = users - officers
    with tempfile.TemporaryDirectory(prefix="tracker-load-") as tmp, \
            served.fresh_database(kind, Path(tmp)) as url:
        print(f"[{kind}] seeding {officers} officers and {members} members...", flush=True)
        seeded = served.seed(url, officers=officers, members=members, demo=True)
        ids = _demo_ids(url)
        with served.gunicorn(url, workers=workers, log=Path(tmp) / "gunicorn.log") as base:
            print(f"[{kind}] gunicorn ({workers} workers) at {base}; {users} people for "
                  f"{duration:.0f} s (ramp-up {ramp:.0f} s)", flush=True)
            recorder = Recorder()
            sign_ins = Recorder()
            started = time.monotonic()
            stop_at = started + duration
            people: list[tuple[str, Callable[[served.Visitor, int, random.Random], None]]] = []
            for (email, action_id), rec_id in zip(seeded.officers, seeded.recommendation_ids):
                people.append((email, lambda v, n, rng, a=action_id, r=rec_id:
                               officer_visit(v, recorder, r, a, n, rng)))
            for email in seeded.members:
                people.append((email, lambda v, n, rng: member_visit(v, recorder, ids, rng)))
            random.Random(seed_value).shuffle(people)

            def person(index: int, email: str, visit: Callable[..., None]) -> None:
                rng = random.Random(seed_value + index)
                time.sleep(ramp * index / max(1, len(people)))
                v = served.Visitor(base, email)
                response = sign_ins.time("sign in", lambda: _sign_in(v), (302,))
                if response is None:
                    return
                n = 0
                while time.monotonic() < stop_at:
                    n += 1
                    visit(v, n, rng)
                    time.sleep(rng.uniform(*think))

            threads = [threading.Thread(target=person, args=(i, e, f), daemon=True)
                       for i, (e, f) in enumerate(people)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=duration + 120)
            stored = len(served.stored_updates(url))
    steady_from = started + ramp
    steady = [s for s in recorder.samples if s.started >= steady_from]
    window = max(1e-9, (stop_at - steady_from))
    report = _summary(steady, window)
    report |= {"database": kind, "users": users, "duration_s": duration, "ramp_s": ramp,
               "workers": workers, "think_s": list(think),
               "sign_in": _summary(sign_ins.samples, ramp or 1)["overall"],
               "updates_posted_ok": sum(1 for s in recorder.samples
                                        if s.page == "post update" and s.ok),
               "updates_stored": stored}
    return report


def _sign_in(v: served.Visitor) -> Any:
    v.get("/sign-in")
    return v.post("/sign-in", {"email": v.email, "password": served.PASSWORD})


def _demo_ids(url: str) -> dict[str, int]:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        decision = conn.execute(sa.text(
            "SELECT id FROM decisions WHERE reference = 'I50035813'")).scalar_one()
        recommendation = conn.execute(sa.text(
            "SELECT r.id FROM recommendations r JOIN decision_parts p ON p.id = r.part_id "
            "WHERE p.decision_id = :d ORDER BY r.id LIMIT 1"), {"d": decision}).scalar_one()
    engine.dispose()
    return {"decision": decision, "recommendation": recommendation}


def _summary(samples: list[Sample], window: float) -> dict[str, Any]:
    def figures(group: list[Sample]) -> dict[str, Any]:
        times = [s.seconds * 1000 for s in group]
        errors = [s for s in group if not s.ok]
        return {"requests": len(group), "rps": round(len(group) / window, 1),
                "median_ms": round(statistics.median(times), 1) if times else None,
                "p95_ms": round(percentile(times, 95), 1) if times else None,
                "p99_ms": round(percentile(times, 99), 1) if times else None,
                "max_ms": round(max(times), 1) if times else None,
                "errors": len(errors),
                "error_kinds": sorted({e.detail for e in errors})}
    by_page: dict[str, list[Sample]] = defaultdict(list)
    for s in samples:
        by_page[s.page].append(s)
    return {"overall": figures(samples),
            "pages": {page: figures(group) for page, group in sorted(by_page.items())}}


def print_report(report: dict[str, Any]) -> None:
    o = report["overall"]
    print(f"\n== {report['database']}: {report['users']} people, {report['workers']} gunicorn "
          f"workers, steady {report['duration_s'] - report['ramp_s']:.0f} s ==")
    print(f"{'page':<18}{'requests':>9}{'req/s':>8}{'median ms':>11}{'p95 ms':>9}"
          f"{'p99 ms':>9}{'errors':>8}")
    for page, f in report["pages"].items():
        print(f"{page:<18}{f['requests']:>9}{f['rps']:>8}{f['median_ms']:>11}{f['p95_ms']:>9}"
              f"{f['p99_ms']:>9}{f['errors']:>8}")
    print(f"{'ALL':<18}{o['requests']:>9}{o['rps']:>8}{o['median_ms']:>11}{o['p95_ms']:>9}"
          f"{o['p99_ms']:>9}{o['errors']:>8}")
    s = report["sign_in"]
    print(f"sign-ins (ramp-up): {s['requests']}, median {s['median_ms']} ms, p95 {s['p95_ms']} "
          f"ms, errors {s['errors']}")
    print(f"progress updates posted {report['updates_posted_ok']}, stored "
          f"{report['updates_stored']}")
    if o["errors"]:
        print(f"error kinds: {o['error_kinds']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--duration", type=float, default=180, help="seconds, ramp-up included")
    parser.add_argument("--ramp", type=float, default=60, help="seconds over which people sign in")
    parser.add_argument("--think", type=float, nargs=2, default=(2.0, 8.0),
                        metavar=("MIN", "MAX"), help="pause between visits, seconds")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    reports = []
    for kind in args.databases.split(","):
        report = run_one(kind.strip(), args.users, args.duration, args.ramp, tuple(args.think),
                         args.workers, args.seed)
        print_report(report)
        reports.append(report)
    if args.json:
        args.json.write_text(json.dumps(reports, indent=2))


if __name__ == "__main__":
    main()
