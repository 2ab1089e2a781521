"""``flask --app wsgi schools ...``: import GIAS files from the command line."""
from __future__ import annotations

import time
from pathlib import Path

import click
from flask.cli import AppGroup

from tracker.cli import acting_as, as_option
from tracker.extensions import db
from tracker.permissions import ADMIN, command_roles

schools_cli = AppGroup("schools", help="Schools from Get Information About Schools (GIAS).")


def _progress() -> "callable":  # type: ignore[valid-type]
    started = time.monotonic()

    def report(phase: str, rows: int) -> None:
        click.echo(f"{phase}: {rows:,} rows read ({time.monotonic() - started:.1f}s)", err=True)
    return report


@schools_cli.command("import")
@command_roles(ADMIN)
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--la", "la", multiple=True, metavar="CODE_OR_NAME",
              help='Keep only this local authority, by code ("884") or name ("Herefordshire"). '
                   "Repeat for several.")
@click.option("--links", "links_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="GIAS links file: link schools to their predecessors, carrying adoption over.")
@click.option("--include-independent", is_flag=True,
              help="Count independent schools in scope (out by default).")
@click.option("--include-fe", is_flag=True, help="Count further education in scope (out by default).")
@click.option("--dry-run", is_flag=True, help="Check and report what would change; change nothing.")
@as_option
def import_command(path: Path, la: tuple[str, ...], links_path: Path | None,
                   include_independent: bool, include_fe: bool, dry_run: bool,
                   as_email: str) -> None:
    """Import a GIAS establishments CSV (edubasealldata or a chosen-fields extract) at PATH.

    An extract needs URN, EstablishmentName, LA (code) and EstablishmentStatus (name or
    code); type, type group, phase, trust, dates and postcode columns it lacks are left as
    they are for every school (the summary says which). Scope by type is listed, with any
    type never seen before.

    Every record is checked first; nothing is applied unless every one is good. Then the
    whole file is applied in one transaction: new schools added, changed ones updated,
    closed ones recorded closed. Nothing is ever deleted.
    """
    from tracker.schools.importing import ImportAborted, ImportOptions, run_import

    options = ImportOptions(la=tuple(la), include_independent=include_independent,
                            include_fe=include_fe)
    with acting_as(as_email):
        db.session.commit()  # end the read: hold no lock (SQLite) while the file is checked
        try:
            summary = run_import(path, options, links_path=links_path, dry_run=dry_run,
                                 progress=_progress())
        except ImportAborted as exc:
            raise click.ClickException(str(exc)) from exc
    if not summary.ok:
        for problem in summary.problems:
            click.echo(str(problem), err=True)
        hidden = summary.problem_count - len(summary.problems)
        if hidden:
            click.echo(f"... and {hidden:,} more problems", err=True)
        raise click.ClickException(
            f"{summary.problem_count:,} problems found in the file: nothing was imported. "
            "Fix them and import the file again.")
    click.echo(f"Read {summary.rows_read:,} rows ({summary.encoding}) from {summary.file_name}; "
               f"{options.describe()}.")
    for line in summary.lines() + summary.scope_lines():
        click.echo(line)
    if dry_run:
        click.echo("Dry run: nothing was changed.")
    elif summary.applied:
        click.echo("Imported.")
    else:
        click.echo("Nothing to change: the tracker already matches the file.")


COMMANDS = [schools_cli]
