"""Time the GIAS import command on a 50,000-row file in GIAS's full layout, on SQLite and
PostgreSQL: the first import (every school added), the same file again (nothing changes)
and an edited file (a few hundred schools renamed, closed or moved trust).

    .venv/bin/python bench/schools_import.py [--rows 50000] [--pg postgresql+psycopg://postgres@127.0.0.1:5432/postgres]

Each import runs ``flask --app wsgi schools import PATH --as EMAIL`` in its own process
under ``/usr/bin/time -v``, so the figures are the whole command's: wall time, CPU time of
the command (user + system; the database server's own work on PostgreSQL is not in it) and
peak resident memory (maximum resident set size), the app and Python included. The file is made
by bench/gias_make_file.py (invented data) and kept in bench/out/.
"""
from __future__ import annotations

import argparse
import csv
import io
import os
import re
import subprocess  # nosec B404: runs our own commands
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
FLASK = [str(ROOT / ".venv" / "bin" / "flask"), "--app", "wsgi"]
EMAIL = "bench-admin@example.gov.uk"


def make_file(rows: int) -> Path:
    path = OUT / f"edubasealldata_bench_{rows}.csv"
    if not path.exists():
        OUT.mkdir(exist_ok=True)
        subprocess.run([sys.executable, str(ROOT / "bench" / "gias_make_file.py"), str(path),
                        "--rows", str(rows)], check=True)  # nosec B603
    return path


def edited_copy(source: Path, every: int = 200) -> Path:
    """Every ``every``-th record renamed, closed or given another trust, in turn."""
    dest = source.with_name(source.stem + "_edited.csv")
    text = source.read_bytes().decode("cp1252")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    name, status = header.index("EstablishmentName"), header.index("EstablishmentStatus (name)")
    trust = header.index("Trusts (name)")
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    writer.writerow(header)
    for n, row in enumerate(reader):
        if n % every == 0:
            kind = (n // every) % 3
            if kind == 0:
                row[name] = row[name] + " (renamed)"
            elif kind == 1 and row[status] != "Closed":
                row[status] = "Closed"
            else:
                row[trust] = "Bench Renamed Trust"
        writer.writerow(row)
    dest.write_bytes(out.getvalue().encode("cp1252"))
    return dest


def run(env: dict[str, str], *args: str) -> dict[str, object]:
    command = ["/usr/bin/time", "-v", *FLASK, *args]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)  # nosec B603
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr[-3000:]}")
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    cpu = sum(float(m) for m in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)",
                                           done.stderr))
    summary = next((line for line in done.stdout.splitlines() if " added, " in line), "")
    if not args[-1:] == ("--help",) and not summary:
        raise SystemExit(f"no summary from {' '.join(args)}:\n{done.stdout}")
    return {"seconds": seconds, "cpu": cpu, "summary": summary,
            "peak_mb": int(peak.group(1)) / 1024 if peak else None}


def prepare(url: str) -> dict[str, str]:
    env = dict(os.environ, DATABASE_URL=url, TRACKER_CONFIG="development")
    if url.startswith("postgresql"):
        import sqlalchemy as sa

        admin_url = sa.engine.make_url(url).set(database="postgres")
        engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
        name = sa.engine.make_url(url).database
        with engine.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    subprocess.run([*FLASK, "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True)  # nosec B603
    subprocess.run([*FLASK, "users", "create", "--email", EMAIL, "--name", "Bench Admin",
                    "--role", "admin", "--password", "bench-password-2020"], cwd=ROOT, env=env,
                   check=True, capture_output=True)  # nosec B603
    return env


def bench(label: str, url: str, path: Path, edited: Path) -> None:
    env = prepare(url)
    start = run(env, "schools", "import", "--help")  # the app starting, importing nothing
    print(f"{label:<10} {'app start only':<16} {start['seconds']:6.1f} s wall {start['cpu']:6.1f} s CPU "
          f"peak {start['peak_mb']:4.0f} MB", flush=True)
    for title, file in (("first import", path), ("same file again", path),
                        ("edited file", edited)):
        result = run(env, "schools", "import", str(file), "--as", EMAIL)
        print(f"{label:<10} {title:<16} {result['seconds']:6.1f} s wall {result['cpu']:6.1f} s CPU "
              f"peak {result['peak_mb']:4.0f} MB   {result['summary']}", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/bench_schools",
                        help="PostgreSQL URL of a database to (re)create; empty to skip")
    args = parser.parse_args(argv)
    path = make_file(args.rows)
    edited = edited_copy(path)
    print(f"{path.name}: {args.rows:,} rows, {path.stat().st_size / 1e6:.1f} MB (cp1252)")
    bench("SQLite", f"sqlite:///{OUT / 'bench_schools.sqlite'}", path, edited)
    if args.pg:
        bench("PostgreSQL", args.pg, path, edited)


if __name__ == "__main__":
    main()
