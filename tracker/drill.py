"""Checks of a restored database, for the restore drill (deploy/backup/restore-drill.sh):

    DATABASE_URL=postgresql://.../scratch python -m tracker.drill

Passes (exit 0) when the database is at this release's migrations, holds users and an
audit trail, and its audit trail still refuses to be changed (the triggers came back with
the tables). Prints each check and the row counts of the main tables, for the record.
Touches no live data: it reads, and its one attempted change is refused and rolled back.
"""
from __future__ import annotations

import os
import sys

import sqlalchemy as sa

from tracker.config import INSTANCE, database_url
from tracker.health import _revisions, migration_state, migrations_folder

COUNTED = ("users", "decisions", "recommendations", "actions", "progress_updates",
           "schools", "adoptions", "audit_events")


def check(url: str) -> list[str]:
    """The problems found (none: the drill passes); prints what it saw."""
    problems = []
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            applied = set(conn.scalars(sa.text("SELECT version_num FROM alembic_version")))
            heads, known = _revisions(migrations_folder())
            state = migration_state(applied, heads, known)
            print(f"migrations: {', '.join(sorted(applied)) or 'none'} ({state})")
            if state != "current":
                problems.append(f"the restored database is {state} of this release's "
                                f"migrations ({', '.join(sorted(heads))})")
            for table in COUNTED:
                count = conn.scalar(sa.select(sa.func.count()).select_from(sa.table(table)))
                print(f"{table}: {count}")
                if table in ("users", "audit_events") and not count:
                    problems.append(f"no rows in {table}")
        with engine.connect() as conn:
            try:
                with conn.begin():
                    conn.execute(sa.text("UPDATE audit_events SET summary = summary"))
                    raise _Changed
            except sa.exc.DBAPIError:
                print("audit trail: refuses changes")
            except _Changed:
                problems.append("the audit trail accepted a change: its triggers are missing")
    finally:
        engine.dispose()
    return problems


class _Changed(Exception):
    """The audit trail took an update (rolled back by leaving the transaction)."""


def main() -> int:
    url = os.environ.get("DATABASE_URL")
    if not url:
        print("set DATABASE_URL to the restored database", file=sys.stderr)
        return 2
    problems = check(database_url(INSTANCE / "unused.sqlite"))  # as the app reads it
    for problem in problems:
        print(f"restore drill: FAILED: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
