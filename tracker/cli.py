"""Command line: ``flask --app wsgi ...``. Commands act as a named user (``--as EMAIL``)."""
from __future__ import annotations

import contextlib
from typing import Any, Callable, Iterator

import click
import sqlalchemy as sa
from flask import Flask, g
from flask.cli import AppGroup

from tracker.extensions import db
from tracker.models import User
from tracker.permissions import ADMIN, command_roles, may_run
from tracker.vocab import ROLE_LABELS, ROLES


def _running_command() -> tuple[str, Callable[..., Any]]:
    ctx = click.get_current_context()
    return ctx.command_path, ctx.command.callback  # type: ignore[return-value]


def _refusal(path: str, allowed: frozenset[str]) -> str:
    if allowed == {ADMIN}:
        return f"Only an administrator can run {path}"
    names = ", ".join(sorted(ROLE_LABELS[r].lower() for r in allowed))
    return f"Only these users can run {path}: {names}"


@contextlib.contextmanager
def acting_as(email: str) -> Iterator[User]:
    """Run the current command as the named, active user, if the command's roles
    (``@command_roles``, the same table as the pages) admit theirs: their name goes on every
    audit event. Anyone else is refused, and the refusal is audited."""
    path, command = _running_command()
    allowed = getattr(command, "allowed_roles", None)
    if not allowed:
        raise RuntimeError(f"{path} declares no roles: add @command_roles(...) to it")
    user = db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))
    if user is None or not user.active:
        raise click.ClickException(f"No active user has the email address {email}")
    if not may_run(user, command):
        from tracker import audit

        db.session.rollback()
        audit.record("access_refused", summary=f"Refused command: {path}", actor=user,
                     actor_label=f"command line as {user.email}")
        db.session.commit()
        raise click.ClickException(_refusal(path, allowed))
    g.cli_actor = user
    try:
        yield user
    finally:
        g.cli_actor = None


def acting_as_or_bootstrap(email: str | None) -> contextlib.AbstractContextManager[User | None]:
    """``acting_as(email)``; or, for a ``bootstrap`` command while the tracker has no users
    of its own (example accounts aside), acting as no one."""
    if email:
        return acting_as(email)
    path, command = _running_command()
    real_users = db.session.scalar(sa.select(sa.func.count(User.id)).where(
        User.is_example.is_(False)))
    if getattr(command, "bootstrap", False) and not real_users:
        return contextlib.nullcontext()
    raise click.ClickException("Say who is acting: --as EMAIL (or set TRACKER_AS)")


def as_option(func):  # type: ignore[no-untyped-def]
    return click.option("--as", "as_email", envvar="TRACKER_AS", required=True,
                        help="Email address of the user the command acts as (or TRACKER_AS).")(func)


users_cli = AppGroup("users", help="Manage users.")


@users_cli.command("create")
@command_roles(ADMIN, bootstrap=True)
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", type=click.Choice(ROLES), required=True)
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
    with acting_as_or_bootstrap(as_email) as actor:
        if actor is None and role != ADMIN:
            raise click.ClickException("The first user must be an administrator: --role admin")
        user = User(email=email.lower(), name=name, role=role, active=True)
        user.set_password(password)
        if actor is None:
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
@command_roles(ADMIN, bootstrap=True)
@click.option("--as", "as_email", envvar="TRACKER_AS", default=None,
              help="Acting administrator; may be left out while the tracker has no users "
                   "of its own (only the example accounts, or none).")
@click.option("--host", envvar="FLASK_RUN_HOST", default="127.0.0.1", show_default=True,
              help="Host the app is served on (flask run reads FLASK_RUN_HOST too)")
@click.option("--port", envvar="FLASK_RUN_PORT", default=5000, type=int, show_default=True,
              help="Port the app is served on (flask run reads FLASK_RUN_PORT too)")
def demo_command(as_email: str | None, host: str, port: int) -> None:
    """Load the demo data from the seed decision (safe to run again), and say where to sign
    in: the address `flask run` serves with the same FLASK_RUN_HOST and FLASK_RUN_PORT."""
    from tracker.demo import load_demo

    with acting_as_or_bootstrap(as_email):
        summary = load_demo(f"http://{host}:{port}")
    click.echo(summary)


def register_commands(app: Flask) -> None:
    from tracker.admin_tools.commands import COMMANDS as admin_commands
    from tracker.backup.commands import COMMANDS as backup_commands
    from tracker.decisions.commands import COMMANDS as decision_commands
    from tracker.job_commands import COMMANDS as job_commands
    from tracker.messages.commands import COMMANDS as message_commands
    from tracker.recommendations.commands import COMMANDS as recommendation_commands
    from tracker.schools.commands import COMMANDS as school_commands

    app.cli.add_command(users_cli)
    app.cli.add_command(demo_command)
    for command in (*decision_commands, *recommendation_commands, *school_commands,
                    *admin_commands, *backup_commands, *message_commands, *job_commands):
        app.cli.add_command(command)
