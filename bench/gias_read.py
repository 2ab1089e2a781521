"""Time tracker.schools.gias on a GIAS file and report rows/s and peak memory.

    .venv/bin/python bench/gias_read.py PATH [--la 884 ...] [--repeat 3]

Makes a file first with bench/gias_make_file.py.  Reads it --repeat times
for the timing (best run reported), then once more under tracemalloc for
the peak of Python allocations; maxrss (resource.getrusage) is the whole
process's peak resident size, shown with its value before the first read
so the reader's own share can be seen.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tracker.schools.gias import RowError, SchoolRow, open_gias  # noqa: E402


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def read_once(path: Path, la: list[str]) -> dict[str, object]:
    schools = errors = in_scope = 0
    started = time.perf_counter()
    with path.open("rb") as f, open_gias(f, la=la) as reader:
        for item in reader:
            if isinstance(item, SchoolRow):
                schools += 1
                in_scope += item.in_scope_by_default
            elif isinstance(item, RowError):
                errors += 1
    return {
        "seconds": time.perf_counter() - started,
        "encoding": reader.encoding,
        "rows_read": reader.rows_read,
        "skipped": reader.rows_skipped_by_filter,
        "schools": schools,
        "in_scope": in_scope,
        "errors": errors,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--la", action="append", default=[], help="LA code or name (repeatable)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    size_mb = args.path.stat().st_size / 1e6
    rss_before = maxrss_mb()
    runs = [read_once(args.path, args.la) for _ in range(max(1, args.repeat))]
    best = min(runs, key=lambda r: r["seconds"])
    rss_after = maxrss_mb()

    tracemalloc.start()
    traced = read_once(args.path, args.la)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    seconds = float(best["seconds"])
    rows = int(best["rows_read"])
    print(f"file:            {args.path} ({size_mb:.1f} MB, {best['encoding']})")
    print(f"filter:          {args.la or 'none'}")
    print(f"rows read:       {rows}  (schools {best['schools']}, in scope by default "
          f"{best['in_scope']}, errors {best['errors']}, skipped by filter {best['skipped']})")
    all_times = ", ".join(f"{float(r['seconds']):.2f}" for r in runs)
    print(f"time:            {seconds:.2f} s best of {len(runs)} ({all_times})")
    print(f"throughput:      {rows / seconds:,.0f} rows/s, {size_mb / seconds:.1f} MB/s")
    print(f"tracemalloc:     peak {peak / 1e6:.2f} MB of Python allocations "
          f"(run took {float(traced['seconds']):.2f} s under tracing)")
    print(f"maxrss:          {rss_after:.1f} MB after reading (was {rss_before:.1f} MB after imports)")


if __name__ == "__main__":
    main()
