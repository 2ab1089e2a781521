"""``flask --app wsgi recommendations import PATH [--dry-run] --as EMAIL`` and
``flask --app wsgi recommendations export PATH --as EMAIL`` (layout: csv_io)."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from tracker.cli import acting_as, as_option
from tracker.clock import today
from tracker.extensions import db
from tracker.permissions import ADMIN, command_roles

recommendations_cli = AppGroup("recommendations", help="Import and export recommendations.")


@recommendations_cli.command("import")
@command_roles(ADMIN)
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and list the changes; apply none.")
@as_option
def import_command(path: Path, dry_run: bool, as_email: str) -> None:
    """Check a recommendations CSV, then apply it all or nothing."""
    from tracker.recommendations import csv_io

    with acting_as(as_email) as user:
        plan = csv_io.check(csv_io.decode(path.read_bytes()), today())
        for problem in plan.problems:
            click.echo(str(problem), err=True)
        if plan.problems:
            db.session.rollback()
            raise click.ClickException(f"{len(plan.problems)} problems: nothing was applied")
        for change in plan.changes:
            click.echo(f"Line {change.line}: {change.summary}")
        if dry_run:
            db.session.rollback()
            click.echo(f"Dry run: {len(plan.changes)} changes would be applied; none were.")
            return
        if plan.changes:
            csv_io.apply(plan, user, today(), csv_io.safe_name(path.name))
        click.echo(f"Applied {len(plan.changes)} changes from {plan.lines} lines.")


@recommendations_cli.command("export")
@command_roles(ADMIN)
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@as_option
def export_command(path: Path, as_email: str) -> None:
    """Write every recommendation with its actions to a CSV file (audited as the named user)."""
    from tracker.recommendations import csv_io

    with acting_as(as_email):
        body = csv_io.export_csv()
        path.write_text(body, encoding="utf-8", newline="")
        db.session.commit()
    click.echo(f"Wrote {path}")


COMMANDS = [recommendations_cli]
