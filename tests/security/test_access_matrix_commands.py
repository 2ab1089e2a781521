"""The access matrix for the command line: every ``flask`` command of the tracker, run as
each role and as no one, against the answer written down here (as MATRIX in
test_access_matrix.py does for routes). Commands obey the same table as the pages: a role
the table does not admit is refused before anything is read or changed, and the refusal is
in the audit trail.

Reading a row: the six answers are for no ``--as``, admin, officer, member, school lead,
partner officer.
"ok": the command ran (exit 0); "no": refused for the role (the one refusal message, an
``access_refused`` audit event, nothing changed); "as": refused for want of ``--as``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import pytest
import sqlalchemy as sa

from tests.security import world as world_module
from tracker.models import AuditEvent, Decision, School, User

ROOT = Path(__file__).resolve().parents[2]
NOTICE = ROOT / "tracker" / "demo" / "seed" / "decision-I50035813.txt"
GIAS = ROOT / "tests" / "schools" / "data" / "edubasealldata_hereford_utf8.csv"
WHO = ("nobody", "admin", "officer", "member", "school_lead", "partner_officer")

#                                   nobody admin officer member lead partner
COMMANDS: dict[str, str] = {
    "users create":                 "as ok no no no no",
    "demo":                         "as ok no no no no",
    "decisions import":             "as ok no no no no",
    "schools import":               "as ok no no no no",
    "recommendations import":       "as ok no no no no",
    "recommendations export":       "as ok no no no no",
    "two-factor reset":             "as ok no no no no",
    "backup":                       "as ok no no no no",
    "reminders run":                "as ok no no no no",
    "jobs run":                     "as ok no no no no",
}


def _arguments(tmp_path: Path, world: Any, who: str) -> dict[str, list[str]]:
    """What each command is given: its real work, small enough to run in a test."""
    export = tmp_path / f"recommendations-{who}.csv"
    return {
        "users create": ["--email", f"new-{who}@example.gov.uk", "--name", "New Person",
                         "--role", "officer", "--password", "a long enough password"],
        "demo": [],
        "decisions import": [str(NOTICE), "--dry-run"],
        "schools import": [str(GIAS), "--la", "884", "--dry-run"],
        "recommendations import": [str(tmp_path / "recommendations.csv"), "--dry-run"],
        "recommendations export": [str(export)],
        "two-factor reset": [world.users["officer2"].email],
        "backup": [str(tmp_path / f"backup-{who}.sqlite")],
        "reminders run": ["--no-deliver"],
        "jobs run": ["--once"],
    }


def every_command(group: click.Group, prefix: str = "") -> dict[str, click.Command]:
    """Every command the app adds, by its words: ``{"decisions import": <Command>}``."""
    found: dict[str, click.Command] = {}
    for name, command in group.commands.items():
        words = f"{prefix} {name}".strip()
        if isinstance(command, click.Group):
            found |= every_command(command, words)
        else:
            found[words] = command
    return found


# The tracker's commands that read or change no tracked data, run by IT as no user:
# copying the static files out for nginx (tracker/static_files.py).
NO_TRACKED_DATA = {"collect-static"}


def tracker_commands(app: Any) -> dict[str, click.Command]:
    """The tracker's own commands (Flask's and its extensions' aside: ``run``, ``shell``,
    ``routes``, ``db ...``, which act on no tracked data through the app; and
    ``NO_TRACKED_DATA``)."""
    return {words: command for words, command in every_command(app.cli).items()
            if command.callback is not None and words not in NO_TRACKED_DATA
            and command.callback.__module__.startswith("tracker.")}


@pytest.fixture()
def world(app, make, db_session, tmp_path):  # type: ignore[no-untyped-def]
    from tracker.recommendations.csv_io import export_csv

    built = world_module.build(make)
    (tmp_path / "recommendations.csv").write_text(export_csv(), encoding="utf-8")
    db_session.commit()
    return built


def _run(app: Any, words: str, arguments: list[str], email: str | None) -> Any:
    args = [*words.split(), *arguments]
    if email is not None:
        args += ["--as", email]
    return app.test_cli_runner().invoke(args=args, env={"TRACKER_AS": ""}, input="")


def _counts(db_session: Any) -> tuple[int, ...]:
    return tuple(db_session.scalar(sa.select(sa.func.count()).select_from(model))
                 for model in (User, Decision, School))


def test_every_command_is_in_the_matrix(app):
    commands = set(tracker_commands(app))
    missing = sorted(commands - set(COMMANDS))
    assert not missing, f"commands missing from COMMANDS (write their answers): {missing}"
    stale = sorted(set(COMMANDS) - commands)
    assert not stale, f"COMMANDS names commands that no longer exist: {stale}"


def test_every_command_declares_its_roles(app):
    undeclared = [words for words, command in tracker_commands(app).items()
                  if not getattr(command.callback, "allowed_roles", None)]
    assert not undeclared, f"commands without @command_roles(...): {undeclared}"


@pytest.mark.parametrize("words", sorted(COMMANDS))
def test_every_role_gets_the_expected_answer_from_every_command(app, world, db_session,
                                                               tmp_path, words):
    wrong = []
    for who, want in zip(WHO, COMMANDS[words].split()):
        user = world.users.get(who)
        arguments = _arguments(tmp_path, world, who)[words]
        before = _counts(db_session)
        refusals = _refusals(db_session)
        result = _run(app, words, arguments, user.email if user else None)
        got = _answer(result, db_session, refusals, before)
        if got != want:
            wrong.append(f"{words} as {who}: {got} ({result.output.strip()[-200:]!r}), "
                         f"expected {want}")
    assert not wrong, "\n".join(wrong)


def _refusals(db_session: Any) -> int:
    return db_session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(
        AuditEvent.action == "access_refused"))


def _answer(result: Any, db_session: Any, refusals: int, before: tuple[int, ...]) -> str:
    if result.exit_code == 0:
        return "ok"
    output = result.output
    if "--as" in output and "Only" not in output:
        return "as"
    changed = _counts(db_session) != before
    if "Only an administrator can run" in output and not changed and \
            _refusals(db_session) == refusals + 1:
        return "no"
    return f"failed otherwise (exit {result.exit_code})"


def test_the_first_administrator_needs_no_one_to_act_as(app, db_session):
    """An empty tracker: ``users create`` without ``--as`` makes the first administrator,
    and only an administrator."""
    assert db_session.scalar(sa.select(sa.func.count(User.id))) == 0
    officer = _run(app, "users create", ["--email", "first@example.gov.uk", "--name", "First",
                                         "--role", "officer", "--password", "a long password!"],
                   None)
    assert officer.exit_code != 0 and "must be an administrator" in officer.output
    admin = _run(app, "users create", ["--email", "first@example.gov.uk", "--name", "First",
                                       "--role", "admin", "--password", "a long password!"], None)
    assert admin.exit_code == 0, admin.output
    again = _run(app, "users create", ["--email", "second@example.gov.uk", "--name", "Second",
                                       "--role", "admin", "--password", "a long password!"], None)
    assert again.exit_code != 0 and "--as" in again.output
