"""``flask --app wsgi jobs run --as EMAIL``: the jobs worker (tracker/jobs.py). It runs the
jobs waiting, then waits for more; ``--once`` runs those waiting now and exits. Any number
may run, on any host: each job is claimed by one worker."""
from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import AppGroup

from tracker.cli import acting_as, as_option
from tracker.permissions import ADMIN, command_roles

jobs_cli = AppGroup("jobs", help="Background jobs (a large GIAS file's preview).")


@jobs_cli.command("run")
@command_roles(ADMIN)
@as_option
@click.option("--once", is_flag=True, help="Run the jobs waiting now, then exit.")
def run_jobs(as_email: str, once: bool) -> None:
    """Run background jobs as they are queued (until stopped), or those waiting (--once)."""
    from tracker import jobs

    with acting_as(as_email):
        while True:
            ran = jobs.run_waiting()
            if ran:
                click.echo(f"Ran {ran} job(s)")
            if once:
                break
            time.sleep(current_app.config["JOB_POLL_SECONDS"])


COMMANDS = [jobs_cli]
