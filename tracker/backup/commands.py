"""``flask --app wsgi backup PATH --as EMAIL`` (an administrator: a backup holds everything).

SQLite: a consistent copy made with SQLite's online backup API while the app keeps running
(readers and writers are not stopped), checked with ``PRAGMA integrity_check``, written
readable by its owner only. PostgreSQL: prints the ``pg_dump`` command for this database
(never the password) and exits 0: pg_dump is the right tool, and its version must match
the server's, which this app cannot promise.

To restore a SQLite backup: stop the app, copy the file over ``instance/tracker.sqlite``
(removing any ``-wal`` and ``-shm`` files beside it), start the app.
"""
from __future__ import annotations

import os
import shlex
import sqlite3
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from tracker.extensions import db
from tracker.permissions import ADMIN, command_roles


def sqlite_backup(source: str, target: Path) -> dict[str, int]:
    """Copy the SQLite database ``source`` to ``target``; returns rows per table."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst, pages=256)
        dst.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        problem = dst.execute("PRAGMA integrity_check").fetchone()[0]
        if problem != "ok":
            raise click.ClickException(f"The copy failed its integrity check: {problem}")
        tables = [r[0] for r in dst.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        # Table names come from sqlite_master, not from anyone's input.
        query = 'SELECT count(*) FROM "{}"'
        return {t: dst.execute(query.format(t)).fetchone()[0] for t in sorted(tables)}
    finally:
        dst.close()
        src.close()


def pg_dump_command(url: sa.URL, target: str) -> str:
    parts = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges"]
    if url.host:
        parts += ["--host", url.host]
    if url.port:
        parts += ["--port", str(url.port)]
    if url.username:
        parts += ["--username", url.username]
    parts += ["--dbname", url.database or "", "--file", target]
    return shlex.join(parts)


@click.command("backup")
@with_appcontext
@command_roles(ADMIN)
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
@click.option("--as", "as_email", envvar="TRACKER_AS", required=True,
              help="Email address of the administrator making the backup (or TRACKER_AS).")
def backup_command(path: Path, force: bool, as_email: str) -> None:
    """Back up the database to PATH (SQLite), or print the pg_dump command (PostgreSQL)."""
    from tracker.cli import acting_as

    with acting_as(as_email):
        _backup(path, force)


def _backup(path: Path, force: bool) -> None:
    url = db.engine.url
    if url.get_backend_name() == "postgresql":
        click.echo("This database is PostgreSQL: back it up with pg_dump (of the same major "
                   "version as the server), for example:\n")
        click.echo("  " + pg_dump_command(url, str(path)))
        click.echo("\nGive the password in PGPASSWORD or ~/.pgpass, never on the command line. "
                   "Restore with: pg_restore --clean --if-exists --no-owner --dbname DATABASE "
                   + shlex.quote(str(path)))
        return
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise click.ClickException(f"Cannot back up a {url.get_backend_name()} database here")
    if path.exists() and not force:
        raise click.ClickException(f"{path} exists: choose another name, or add --force")
    source = str(Path(url.database).resolve())
    if Path(source) == path.resolve():
        raise click.ClickException("The backup cannot overwrite the database itself")
    _record_backup(path)
    counts = sqlite_backup(source, path)
    total = sum(counts.values())
    current_app.logger.info("Backed up %s to %s", source, path)
    click.echo(f"Backed up {source} to {path}: {len(counts)} tables, {total} rows, "
               "integrity check passed.")


def _record_backup(path: Path) -> None:
    """A backup is an export of everything, exempt material included: record it first (as
    the acting administrator), so the copy holds the record of its own making."""
    from tracker import audit

    audit.record("export", summary=f"Database backed up to {path.name}")
    db.session.commit()


COMMANDS = [backup_command]
