"""``flask --app wsgi reminders run --as EMAIL``: work out what is due now, queue it, and
deliver the outbox. Safe from cron every few minutes, twice at once, or after a missed day:
each reminder has a key per (kind, recipient, period), so a second run adds nothing, and the
outbox hands each message over at most once."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from tracker.cli import acting_as, as_option
from tracker.extensions import db
from tracker.permissions import ADMIN, command_roles

reminders_cli = AppGroup("reminders", help="Reminders, update rounds and the outbox.")


@reminders_cli.command("run")
@command_roles(ADMIN)
@as_option
@click.option("--no-deliver", is_flag=True, help="Queue what is due but send nothing.")
def run_reminders(as_email: str, no_deliver: bool) -> None:
    """Queue every reminder due now, then deliver the outbox."""
    from tracker import clock
    from tracker.messages import outbox, reminders

    with acting_as(as_email):
        counts = reminders.queue_due(clock.now())
        db.session.commit()
        queued = ", ".join(f"{kind} {n}" for kind, n in counts.items() if n) or "nothing new"
        click.echo(f"Queued: {queued}")
        if not no_deliver:
            report = outbox.deliver(batch_size=current_app.config["MAIL_BATCH_SIZE"])
            click.echo(str(report))


COMMANDS = [reminders_cli]
