"""The adoption figure by phase by itself, counted from every school
(``schools.facts.counts_by_phase``, the rule) and as the pages read it
(``schools.facts.adoption_counts``: the kept counts as at today), as at today and as at a past
date, on the data set ``bench/pages.py`` left in ``bench/out`` (run it first,
once):

    .venv/bin/python bench/pages.py --shape issue --roles anonymous --repeat 1
    .venv/bin/python bench/adoption_counts.py [--shape issue] [--repeat 30]
    .venv/bin/python bench/adoption_counts.py --database-url postgresql+psycopg://...

Every page that shows adoption (home, decision page, dashboard, report, open data, schools)
asks for it once per guidance version shown. Prints the best and median CPU time of this
process per call (SQLite runs in the process; on PostgreSQL the server's work is not in it),
and the best wall time. The file is upgraded to the newest migration first.
"""
from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shape", default="issue")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--database-url")
    parser.add_argument("--past", default="2021-12-31", help="the past date (YYYY-MM-DD)")
    args = parser.parse_args()
    import sqlalchemy as sa
    from flask_migrate import upgrade

    from tracker import clock, create_app
    from tracker.extensions import db
    from tracker.models import GuidanceVersion
    from tracker.schools import facts

    url = args.database_url or f"sqlite:///{ROOT / 'bench' / 'out' / f'pages-{args.shape}.sqlite'}"
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        versions = list(db.session.scalars(sa.select(GuidanceVersion.id).order_by(
            GuidanceVersion.id)))
        for label, day in (("today", clock.today()),
                           (args.past, dt.date.fromisoformat(args.past))):
            for version_id in versions:
                for name, count in (("counts_by_phase", facts.counts_by_phase),
                                    ("adoption_counts", facts.adoption_counts)):
                    count(version_id, day)  # warm the cache
                    cpu, wall = [], []
                    for _ in range(args.repeat):
                        start, start_cpu = time.perf_counter(), time.process_time()
                        found = count(version_id, day)
                        cpu.append(time.process_time() - start_cpu)
                        wall.append(time.perf_counter() - start)
                    schools = sum(sum(by.values()) for by in found.values())
                    print(f"| {label} | version {version_id} | {name} | {schools:,} | "
                          f"{min(cpu) * 1000:.1f} ms | {statistics.median(cpu) * 1000:.1f} ms | "
                          f"{min(wall) * 1000:.1f} ms |", flush=True)
            db.session.rollback()


if __name__ == "__main__":
    main()
