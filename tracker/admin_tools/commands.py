"""``flask --app wsgi two-factor reset EMAIL --as ADMIN``: for someone who has lost both
their authenticator app and their recovery codes. Acts as a named administrator."""
from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from tracker.cli import acting_as, as_option
from tracker.extensions import db
from tracker.models import User
from tracker.permissions import ADMIN, command_roles

two_factor_cli = AppGroup("two-factor", help="Two-factor sign-in.")


@two_factor_cli.command("reset")
@command_roles(ADMIN)
@click.argument("email")
@as_option
def reset_two_factor(email: str, as_email: str) -> None:
    """Turn off EMAIL's two-factor sign-in; their next sign-in sets it up again."""
    from tracker.auth.services import end_all_sessions
    from tracker.auth.two_factor import turn_off

    with acting_as(as_email) as actor:
        user = db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))
        if user is None:
            raise click.ClickException(f"No user has the email address {email}")
        end_all_sessions(user)
        turn_off(user, f"Two-factor sign-in reset for {user.email} by {actor.email}")
    click.echo(f"Two-factor sign-in is off for {user.email}. They set it up again at their next "
               "sign-in (administrators must).")


COMMANDS = [two_factor_cli]
