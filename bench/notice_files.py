"""Time reading notice files as they come, and the reader over the corpus of published notices.

    .venv/bin/python bench/notice_files.py [--runs 5]

Rows: taking the text out of a PDF, a saved web page and a Word document made from the seed
"Decision details" page (``text_from_file``), and ``read_notice`` over every notice in
``tests/decisions/corpus``. Prints the median and worst wall-clock time of each.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.decisions.notice_documents import as_docx, as_html, as_pdf  # noqa: E402
from tracker.decisions.notice import read_notice  # noqa: E402
from tracker.decisions.notice_files import text_from_file  # noqa: E402

SEED = ROOT / "tracker" / "demo" / "seed" / "moderngov-decision-details-7356.txt"
CORPUS = ROOT / "tests" / "decisions" / "corpus"


def _time(job, runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        job()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    text = SEED.read_text(encoding="utf-8")
    texts = [path.read_text(encoding="utf-8") for path in sorted(CORPUS.glob("*.txt"))]
    jobs = {
        f"PDF ({len(as_pdf(text)):,} bytes) to text": (lambda d=as_pdf(text): text_from_file(d, "n.pdf")),
        f"web page ({len(as_html(text)):,} bytes) to text": (lambda d=as_html(text): text_from_file(d, "n.html")),
        f"Word ({len(as_docx(text)):,} bytes) to text": (lambda d=as_docx(text): text_from_file(d, "n.docx")),
        f"read the corpus ({len(texts)} notices)": (lambda: [read_notice(t) for t in texts]),
    }
    print(f"{'job':45} {'median ms':>10} {'worst ms':>10}")
    for name, job in jobs.items():
        median, worst = _time(job, runs)
        print(f"{name:45} {median:10.1f} {worst:10.1f}")


if __name__ == "__main__":
    main()
