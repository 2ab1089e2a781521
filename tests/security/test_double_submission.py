"""Two identical posts of a create form at the same moment, on the app as deployed (gunicorn,
4 workers, so the copies reach different processes): one progress update is stored and both
copies are answered with the same result. The one-time token lives in the database."""
from __future__ import annotations

import os
import re
import threading

import pytest

from tests.security import served

ROUNDS = 8
ONCE = re.compile(r'name="once" type="hidden" value="([^"]+)"')


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_two_copies_of_a_progress_update_posted_at_once_store_one(kind, tmp_path):
    if kind == "postgresql" and not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("TEST_DATABASE_URL is not set: PostgreSQL run skipped")
    with served.fresh_database(kind, tmp_path) as url:
        seeded = served.seed(url, officers=1, members=0)
        email, action_id = seeded.officers[0]
        with served.gunicorn(url, workers=4, log=tmp_path / "gunicorn.log") as base:
            first = served.Visitor(base, email)
            first.sign_in()
            second = served.Visitor(base, email)  # the same browser's second connection
            answers: list[tuple[int, str]] = []
            for n in range(ROUNDS):
                page = first.get(f"/actions/{action_id}/updates/new")
                second.token = first.token
                second.http.cookies.update(first.http.cookies)
                token = ONCE.search(page.text)
                assert token, "the update form carries no one-time token"
                data = {"status": "in_progress", "rag": "green", "reason": "",
                        "narrative": f"{served.UPDATE_MARK} round {n}", "once": token.group(1),
                        "revised_due_on": ["", "", ""], "revised_due_reason": "",
                        "warnings_seen": ""}
                for slot in (1, 2, 3):
                    data[f"evidence_url_{slot}"] = data[f"evidence_description_{slot}"] = ""
                together = threading.Barrier(2)
                got: list[tuple[int, str]] = []

                def send(visitor: served.Visitor) -> None:
                    together.wait()
                    response = visitor.post(f"/actions/{action_id}/updates/new", data)
                    got.append((response.status_code, response.headers.get("Location", "") or re.sub(r"<[^>]+>|\s+", " ", response.text)[-1500:-700]))

                threads = [threading.Thread(target=send, args=(v,)) for v in (first, second)]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                assert [code for code, _ in got] == [302, 302], got
                assert got[0][1] == got[1][1], got
                answers += got
        stored = served.stored_updates(url)
    assert sorted(n for _, n in stored) == sorted(
        f"{served.UPDATE_MARK} round {n}" for n in range(ROUNDS))
    assert all(location.endswith(f"#action-{action_id}") for _, location in answers)
