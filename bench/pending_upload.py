"""Time keeping a GIAS-sized upload in the database while it awaits confirmation
(tracker.uploads), on SQLite and PostgreSQL: storing it after the preview (``keep``), and
copying it back to a local file and deleting it on confirmation (``take`` + ``local_copy``).
Peak Python allocations (tracemalloc) show neither step holds the file whole in memory.

    .venv/bin/python bench/pending_upload.py [--mb 60] [--pg postgresql+psycopg://postgres@127.0.0.1:5432/test]

The file is random bytes (its content does not matter to the store). PostgreSQL runs use a
fresh database beside --pg's, dropped afterwards.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import (  # noqa: E402
    drop_postgres_database, make_app, private_postgres_database, upgrade,
)
from tracker import uploads  # noqa: E402
from tracker.extensions import db  # noqa: E402
from tracker.models import User  # noqa: E402


def run(url: str, path: Path) -> dict[str, float]:
    app = make_app(url)
    upgrade(app)
    with app.app_context():
        user = User(email="bench-admin@example.gov.uk", name="Bench Admin", role="admin",
                    active=True)
        db.session.add(user)
        db.session.commit()
        tracemalloc.start()
        started = time.perf_counter()
        with path.open("rb") as stream:
            token = uploads.keep("bench", user, {"establishments": stream}, {})
        kept = time.perf_counter() - started
        _, keep_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        started = time.perf_counter()
        pending = uploads.take("bench", token, user)
        assert pending is not None
        with uploads.local_copy(pending) as upload:
            copy = upload.path("establishments")
            assert copy is not None and copy.stat().st_size == path.stat().st_size
            db.session.commit()
        taken = time.perf_counter() - started
        _, take_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        db.session.remove()
        db.engine.dispose()
    return {"keep_s": kept, "keep_peak_mb": keep_peak / 2**20,
            "take_s": taken, "take_peak_mb": take_peak / 2**20}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=60)
    parser.add_argument("--pg", default=os.environ.get(
        "TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "upload.csv"
        with path.open("wb") as out:
            for _ in range(args.mb):
                out.write(os.urandom(2**20))
        results = {"SQLite": run(f"sqlite:///{tmp}/bench.sqlite", path)}
        pg = private_postgres_database(args.pg)
        try:
            results["PostgreSQL"] = run(pg, path)
        finally:
            drop_postgres_database(pg)
    print(f"{args.mb} MB upload awaiting confirmation")
    for name, r in results.items():
        print(f"{name:10} keep {r['keep_s']:.2f} s (peak {r['keep_peak_mb']:.1f} MB)   "
              f"take and copy back {r['take_s']:.2f} s (peak {r['take_peak_mb']:.1f} MB)")


if __name__ == "__main__":
    main()
