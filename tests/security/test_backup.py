"""Backups: ``flask --app wsgi backup PATH --as ADMIN`` copies a live SQLite database consistently, and
the copy restores to the same rows; for PostgreSQL it prints the pg_dump command."""
from __future__ import annotations

import sqlite3
import stat
import threading

import pytest
import sqlalchemy as sa

from tests.conftest import make_app, upgrade
from tracker.backup.commands import pg_dump_command
from tracker.extensions import db

ADMIN = "admin@example.gov.uk"  # the demo's administrator


def _rows(url: str) -> dict[str, list[tuple]]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        tables = sa.inspect(conn).get_table_names()
        rows = {t: sorted(map(tuple, conn.execute(sa.text(f'SELECT * FROM "{t}"'))),
                          key=repr) for t in tables}
    engine.dispose()
    return rows


@pytest.fixture()
def demo_sqlite(tmp_path):  # type: ignore[no-untyped-def]
    """A fresh SQLite file with the demo data, as `make run` leaves it."""
    url = f"sqlite:///{tmp_path / 'live.sqlite'}"
    app = make_app(url)
    upgrade(app)
    with app.app_context():
        from tracker.demo import load_demo
        load_demo()
        db.session.remove()
    yield app, url
    with app.app_context():
        db.engine.dispose()


def test_backup_while_the_app_writes_then_restore_holds_the_same_rows(demo_sqlite, tmp_path):
    app, url = demo_sqlite
    stop = threading.Event()

    def keep_writing() -> None:  # another worker, busy while the backup runs
        writer = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=30)
        n = 0
        while not stop.is_set():
            writer.execute("UPDATE users SET job_title = ? WHERE id = 1", (f"title {n}",))
            writer.commit()
            n += 1
        writer.close()

    thread = threading.Thread(target=keep_writing)
    thread.start()
    try:
        target = tmp_path / "backup.sqlite"
        result = app.test_cli_runner().invoke(args=["backup", str(target), "--as", ADMIN])
    finally:
        stop.set()
        thread.join()
    assert result.exit_code == 0, result.output
    assert "integrity check passed" in result.output
    assert stat.S_IMODE(target.stat().st_mode) == 0o600, "a backup is readable by its owner only"

    # Restore: the copy, opened as the database, holds the same rows as the original
    # (the busy column aside, which the writer kept changing after the copy was taken).
    original, restored = _rows(url), _rows(f"sqlite:///{target}")
    assert set(original) == set(restored)
    for table in original:
        if table == "users":
            continue
        assert original[table] == restored[table], table
    assert len(original["users"]) == len(restored["users"])
    assert sum(map(len, restored.values())) > 30
    # The backup is itself an export of everything, and says so in the audit trail it holds.
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT count(*) FROM audit_events WHERE action = 'export' AND "
                            "summary LIKE 'Database backed up to backup.sqlite'").fetchone()[0] == 1
    # And it opens as the app's database.
    restored_app = make_app(f"sqlite:///{target}")
    restored_app.test_client_class = app.test_client_class
    assert restored_app.test_client().get("/sign-in").status_code == 200
    with restored_app.app_context():
        db.engine.dispose()


def test_backup_will_not_overwrite_without_force(demo_sqlite, tmp_path):
    app, _ = demo_sqlite
    target = tmp_path / "exists.sqlite"
    target.write_text("keep me")
    result = app.test_cli_runner().invoke(args=["backup", str(target), "--as", ADMIN])
    assert result.exit_code != 0 and "exists" in result.output
    assert target.read_text() == "keep me"
    forced = app.test_cli_runner().invoke(args=["backup", str(target), "--force", "--as", ADMIN])
    assert forced.exit_code == 0, forced.output


def test_postgresql_backup_prints_the_pg_dump_command(tmp_path):
    """The command (run against PostgreSQL by the command matrix, as an administrator) prints
    this line: never the password."""
    url = sa.make_url("postgresql+psycopg://tracker:s3cret-pass@db.internal:5433/tracker")
    line = pg_dump_command(url, str(tmp_path / "t.dump"))
    assert line == ("pg_dump --format=custom --no-owner --no-privileges --host db.internal "
                    f"--port 5433 --username tracker --dbname tracker --file {tmp_path / 't.dump'}")
    assert "s3cret-pass" not in line
    assert not (tmp_path / "t.dump").exists()


def test_a_backup_needs_a_named_administrator(demo_sqlite, tmp_path):
    app, _ = demo_sqlite
    target = tmp_path / "backup.sqlite"
    runner = app.test_cli_runner()
    nameless = runner.invoke(args=["backup", str(target)], env={"TRACKER_AS": ""})
    assert nameless.exit_code != 0 and "--as" in nameless.output
    officer = runner.invoke(args=["backup", str(target), "--as", "officer@example.gov.uk"])
    assert officer.exit_code != 0
    assert "Only an administrator can run" in officer.output
    assert not target.exists()
