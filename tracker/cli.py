"""Command line: ``flask --app wsgi ...``. Commands act as a named user (``--as EMAIL``)."""
from __future__ import annotations

import contextlib
from typing import Iterator

import click
import sqlalchemy as sa
from flask import Flask, g
from flask.cli import AppGroup

from tracker.extensions import db
from tracker.models import User


@contextlib.contextmanager
def acting_as(email: str) -> Iterator[User]:
    """Run a command as the named, active user: their name goes on every audit event."""
    user = db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))
    if user is None or not user.active:
        raise click.ClickException(f"No active user has the email address {email}")
    g.cli_actor = user
    try:
        yield user
    finally:
        g.cli_actor = None


def as_option(func):  # type: ignore[no-untyped-def]
    return click.option("--as", "as_email", envvar="TRACKER_AS", required=True,
                        help="Email address of the user the command acts as (or TRACKER_AS).")(func)


users_cli = AppGroup("users", help="Manage users.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", type=click.Choice(["admin", "officer", "member", "school_lead"]),
              required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--as", "as_email", envvar="TRACKER_AS", default=None,
              help="Acting user; may be left out only to create the first administrator.")
def create_user(email: str, name: str, role: str, password: str, as_email: str | None) -> None:
    """Add a user with a password (the first administrator needs no --as)."""
    from tracker import audit
    from tracker.auth.services import password_problem

    problem = password_problem(password)
    if problem:
        raise click.ClickException(problem)
    if db.session.scalar(sa.select(User).where(User.email == email.lower())):
        raise click.ClickException(f"A user with the email address {email} already exists")
    has_users = db.session.scalar(sa.select(sa.func.count(User.id))) > 0
    if has_users and not as_email:
        raise click.ClickException("Say who is acting: --as EMAIL (or set TRACKER_AS)")
    ctx = acting_as(as_email) if as_email else contextlib.nullcontext()
    with ctx:
        user = User(email=email.lower(), name=name, role=role, active=True)
        user.set_password(password)
        if not as_email:
            db.session.add(user)
            db.session.flush()
            audit.record("create", user, summary=f"First administrator {user.email} created "
                         "from the command line", actor=None, actor_label="command line (bootstrap)",
                         after=audit.snapshot(user))
        else:
            audit.created(user, f"Added user {user.email} from the command line")
        db.session.commit()
    click.echo(f"Created {role} {email}")


@click.command("demo")
@click.option("--host", envvar="FLASK_RUN_HOST", default="127.0.0.1", show_default=True,
              help="Host the app is served on (flask run reads FLASK_RUN_HOST too)")
@click.option("--port", envvar="FLASK_RUN_PORT", default=5000, type=int, show_default=True,
              help="Port the app is served on (flask run reads FLASK_RUN_PORT too)")
def demo_command(host: str, port: int) -> None:
    """Load the demo data from the seed decision (safe to run again), and say where to sign
    in: the address `flask run` serves with the same FLASK_RUN_HOST and FLASK_RUN_PORT."""
    from tracker.demo import load_demo

    summary = load_demo(f"http://{host}:{port}")
    click.echo(summary)


def register_commands(app: Flask) -> None:
    from tracker.admin_tools.commands import COMMANDS as admin_commands
    from tracker.backup.commands import COMMANDS as backup_commands
    from tracker.decisions.commands import COMMANDS as decision_commands
    from tracker.recommendations.commands import COMMANDS as recommendation_commands
    from tracker.schools.commands import COMMANDS as school_commands

    app.cli.add_command(users_cli)
    app.cli.add_command(demo_command)
    for command in (*decision_commands, *recommendation_commands, *school_commands,
                    *admin_commands, *backup_commands):
        app.cli.add_command(command)
