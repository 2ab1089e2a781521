"""Many people recording progress at once, on the app as deployed: gunicorn with 4 worker
processes, on SQLite (WAL, writes queue for the lock) and on PostgreSQL. Every update
posted is stored exactly once, with its audit event, and no request fails.

Sixteen officers each update their own action, while two administrators update the first
officer's action too, so the same row is written by several workers at once.
"""
from __future__ import annotations

import collections
import os
import threading
import time

import pytest

from tests.security import served

DURATION = float(os.environ.get("CONCURRENCY_SECONDS", "15"))
OFFICERS = 16
ADMIN_THREADS = 6


def _kinds() -> list[str]:
    return ["sqlite", "postgresql"]


@pytest.mark.slow
@pytest.mark.parametrize("kind", _kinds())
def test_concurrent_progress_updates_are_each_stored_exactly_once(kind, tmp_path):
    if kind == "postgresql" and not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("TEST_DATABASE_URL is not set: PostgreSQL run skipped")
    with served.fresh_database(kind, tmp_path) as url:
        seeded = served.seed(url, officers=OFFICERS, members=0)
        log = tmp_path / "gunicorn.log"
        with served.gunicorn(url, workers=4, log=log) as base:
            sent: list[tuple[int, str]] = []
            errors: list[str] = []
            lock = threading.Lock()
            stop_at = time.monotonic() + DURATION

            def work(email: str, action_id: int, who: str) -> None:
                visitor = served.Visitor(base, email)
                try:
                    visitor.sign_in()
                    n = 0
                    while time.monotonic() < stop_at:
                        n += 1
                        narrative = f"{served.UPDATE_MARK} {who} number {n}"
                        response = visitor.post_update(action_id, narrative)
                        with lock:
                            if response.status_code == 302:
                                sent.append((action_id, narrative))
                            else:
                                errors.append(f"{who} #{n}: {response.status_code} "
                                              f"{response.text[:300]!r}")
                except Exception as exc:  # a refused connection or timeout is a failure too
                    with lock:
                        errors.append(f"{who}: {exc!r}")

            workers = [threading.Thread(target=work, args=(email, action, f"officer{i}"))
                       for i, (email, action) in enumerate(seeded.officers)]
            workers += [threading.Thread(target=work, args=(seeded.admin, seeded.shared_action,
                                                            f"admin{i}"))
                        for i in range(ADMIN_THREADS)]
            for thread in workers:
                thread.start()
            for thread in workers:
                thread.join()

        stored = served.stored_updates(url)
        on_shared = sum(1 for action, _ in sent if action == seeded.shared_action)
        print(f"{kind}: {len(sent)} updates posted in {DURATION:.0f} s by "
              f"{OFFICERS + ADMIN_THREADS} people, {on_shared} on the shared action; "
              f"{len(stored)} stored; {len(errors)} errors")
        server_log = log.read_text(errors="replace")[-3000:] if log.exists() else ""
        assert not errors, f"{len(errors)} failed requests, first: {errors[:5]}\n{server_log}"
        assert len(sent) >= 30, f"only {len(sent)} updates in {DURATION} s"
        duplicates = [k for k, c in collections.Counter(stored).items() if c > 1]
        assert not duplicates, f"stored more than once: {duplicates[:5]}"
        assert collections.Counter(stored) == collections.Counter(sent), (
            f"posted {len(sent)}, stored {len(stored)}")
        assert served.audited_updates(url) == len(sent)
        assert on_shared > 3, "the shared action was not written by several people"
