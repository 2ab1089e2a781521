"""Tests read the same clock as the app: "today" is London's date (``tracker.clock.today``),
not the server's local date, which differs around midnight and wherever TZ is not London."""
from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
LOCAL_CLOCK = re.compile(r"\bdate\.today\(\)|\bdatetime\.now\(\)|\bdatetime\.today\(\)")


def test_no_test_reads_the_servers_local_date():
    found = [f"{path.relative_to(TESTS)}:{number}: {line.strip()}"
             for path in sorted(TESTS.rglob("*.py")) if path != Path(__file__)
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if LOCAL_CLOCK.search(line)]
    assert not found, "use tracker.clock.today() / now() instead:\n" + "\n".join(found)
