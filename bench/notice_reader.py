"""Time the decision notice reader on the seed files and on 1 MB of hostile text.

    .venv/bin/python bench/notice_reader.py [--runs 7]

Prints one row per input: its size, the median and worst wall-clock time of
``read_notice`` over the runs, and what was read (layout, parts, unrecognised
entries). The reader's promise is "well under 2 seconds" for any 1 MB input.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tracker.decisions.notice import MAX_NOTICE_BYTES, read_notice  # noqa: E402

SEED = ROOT / "tracker" / "demo" / "seed"
MB = MAX_NOTICE_BYTES


def _fill(unit: str, head: str = "") -> str:
    """``head`` then ``unit`` repeated up to 1 MB."""
    return head + unit * ((MB - len(head)) // len(unit))


def _random_unicode() -> str:
    rng = random.Random(20201126)
    return "".join(chr(rng.randint(1, 0x2FFFF)) for _ in range(MB // 3))


def _random_notice_words() -> str:
    rng = random.Random(50035813)
    words = ["a)", "(1)", "i.", "Decision:", "Title\t", "\n", "\t", "THAT", "26/11/2020", "-", "•", "PDF", "KB", "and"]
    return " ".join(rng.choice(words) for _ in range(MB // 3))[:MB]


HOSTILE: dict[str, Callable[[], str]] = {
    '"a)" x 500k, no spaces': lambda: _fill("a)"),
    '"a) " in a Decision': lambda: _fill("a) ", "Decision:\n"),
    '"(" x 1M': lambda: "(" * MB,
    "one line, no newline": lambda: _fill("word "),
    "1M newlines": lambda: "\n" * MB,
    '"a" lines x 500k': lambda: _fill("a\n"),
    "repeated known label": lambda: _fill("Decision maker: Cabinet\n"),
    "repeated label, new values": lambda: "".join(f"Title: t{i}\n" for i in range(MB // 12))[:MB],
    "unknown labels": lambda: _fill("Foo: x\n"),
    "tab labels": lambda: _fill("Foo bar\tbaz\n"),
    "tabs after a label": lambda: _fill("\t", "Decision\t"),
    "numbered parts 1..999+": lambda: ("Decision: " + " ".join(f"{n}. x" for n in range(1, MB)))[:MB],
    "date lines": lambda: _fill("30/11/2020 - x\n", "Issue - decisions\n"),
    "random unicode": _random_unicode,
    "random notice words": _random_notice_words,
}


def _time(text: str, runs: int) -> tuple[float, float, str]:
    """Median and worst seconds for ``read_notice(text)``, and a summary of the reading."""
    times = []
    reading = None
    for _ in range(runs):
        started = time.perf_counter()
        reading = read_notice(text)
        times.append(time.perf_counter() - started)
    summary = f"{reading.layout}, {len(reading.parts)} parts, {len(reading.unrecognised)} unrecognised" if reading else ""
    return statistics.median(times), max(times), summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per input (default 7)")
    runs = parser.parse_args().runs
    inputs = {path.name: path.read_text(encoding="utf-8") for path in sorted(SEED.glob("*.txt"))}
    inputs.update({name: make() for name, make in HOSTILE.items()})
    print(f"read_notice, {runs} runs each (Python {sys.version.split()[0]})")
    print(f"{'input':42} {'chars':>9} {'median ms':>10} {'worst ms':>9}  reading")
    for name, text in inputs.items():
        median, worst, summary = _time(text, runs)
        print(f"{name:42} {len(text):9,d} {median * 1000:10.1f} {worst * 1000:9.1f}  {summary}")


if __name__ == "__main__":
    main()
