"""``flask --app wsgi decisions import DIR_OR_FILES... [--dry-run] [--json] [--yes] --as EMAIL``.

Reads notice files as they come: .txt, a saved web page (.html), a PDF with a text layer or a
Word document (.docx); see ``notice_files``. A folder stands for the notice files in it (and
its sub-folders), in name order. With one file, ``--json`` puts exactly one JSON object on
standard output, the reading; with several, one JSON list with an object per file, ``{"file":
..., "reading": {...}}`` or ``{"file": ..., "error": "..."}``. Everything else goes to standard
error. Each file is reported on its own and a file that cannot be read does not stop the
others; the exit status is 0 only when every file was read (and, without ``--dry-run``, saved),
otherwise non-zero with a one-line reason on standard error.

Only ``--dry-run --json`` (reading the file alone) runs without ``--as``; the named user must
be an administrator (``@command_roles``, the pages' table). Without ``--dry-run`` it saves,
acting as the named user: a new decision, or, when the issue
reference is already in the tracker, the changes it lists, after confirmation (``--yes``
confirms). A notice without a reference whose title matches a decision already in the
tracker needs ``--update ID`` or ``--new``: a new decision is never created silently beside
an old one. Values a decision needs that the notice lacks are given with ``--decided-on``,
``--decision-maker`` and ``--exemption``.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
from pathlib import Path

import click
from flask.cli import AppGroup

from tracker.decisions import importing
from tracker.decisions.notice import NoticeReading
from tracker.decisions.notice_files import MAX_FILE_BYTES, text_from_file
from tracker.permissions import ADMIN, command_roles
from tracker.vocab import EXEMPTIONS

decisions_cli = AppGroup("decisions", help="Decisions: read council decision notices.")


def _fail(message: str) -> click.ClickException:
    return click.ClickException(" ".join(message.split()))


def _read_file(path: str) -> tuple[NoticeReading, str]:
    file = Path(path)
    if not file.is_file():
        raise _fail(f"No file at {path}")
    with file.open("rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    decoded = text_from_file(data, file.name)
    try:
        return importing.read(decoded)
    except importing.NoticeProblem as problem:
        raise _fail(f"{path}: {problem}") from None


NOTICE_SUFFIXES = (".txt", ".html", ".htm", ".pdf", ".docx")


def _notice_files(paths: tuple[str, ...]) -> list[str]:
    """The files named, a folder standing for the notice files under it (in name order);
    other files in a folder are named on standard error as skipped."""
    files: list[str] = []
    for path in paths:
        folder = Path(path)
        if folder.is_dir():
            inside = sorted(p for p in folder.rglob("*") if p.is_file())
            found = [str(p) for p in inside if p.suffix.lower() in NOTICE_SUFFIXES]
            for other in inside:
                if other.suffix.lower() not in NOTICE_SUFFIXES:  # said, never silently dropped
                    click.echo(f"Skipped {other}: not a notice file "
                               f"({', '.join(NOTICE_SUFFIXES)})", err=True)
            if not found:
                raise _fail(f"No notice files ({', '.join(NOTICE_SUFFIXES)}) in the folder {path}")
            files.extend(found)
        else:
            files.append(path)
    return files


@decisions_cli.command("import")
@command_roles(ADMIN)
@click.argument("paths", nargs=-1, required=True)
@click.option("--dry-run", is_flag=True, help="Read and report; save nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the reading as one JSON object.")
@click.option("--yes", is_flag=True, help="Confirm the changes without asking.")
@click.option("--update", "update_id", type=int, default=None,
              help="The id of the decision (same title, no reference) this notice updates.")
@click.option("--new", "create_new", is_flag=True,
              help="Create a new decision even though one has the same title.")
@click.option("--decided-on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Date of decision (YYYY-MM-DD) when the notice does not give it.")
@click.option("--decision-maker", default=None, help="When the notice does not give it.")
@click.option("--exemption", type=click.Choice(EXEMPTIONS), default=None,
              help="Report exemption class when the notice does not give one that reads.")
@click.option("--as", "as_email", envvar="TRACKER_AS", default=None,
              help="Email address of the user the command acts as (or TRACKER_AS); "
                   "needed to save.")
def import_command(paths: tuple[str, ...], dry_run: bool, as_json: bool, yes: bool,
                   update_id: int | None, create_new: bool, decided_on: dt.datetime | None,
                   decision_maker: str | None, exemption: str | None,
                   as_email: str | None) -> None:
    """Read the decision notices in DIR_OR_FILES (.txt, .html, .pdf, .docx) and save them."""
    if update_id is not None and create_new:
        raise _fail("Use --update ID or --new, not both")
    files = _notice_files(paths)
    single = len(paths) == 1 and len(files) == 1 and not Path(paths[0]).is_dir()
    if not single and (update_id is not None or create_new):
        raise _fail("--update and --new work on one notice file at a time")
    # Reading the files alone (--dry-run --json) touches nothing in the tracker; anything
    # else compares with, or saves to, the tracker's decisions: as a named administrator.
    if not (dry_run and as_json) and not as_email:
        raise _fail("Say who is acting with --as EMAIL (or set TRACKER_AS), or use "
                    "--dry-run --json to read the files alone")
    with contextlib.ExitStack() as stack:
        if as_email:
            from tracker.cli import acting_as

            stack.enter_context(acting_as(as_email or ""))
        if single:
            _import(files[0], dry_run, as_json, yes, update_id, create_new, decided_on,
                    decision_maker, exemption)
        else:
            _import_many(files, dry_run, as_json, yes, decided_on, decision_maker, exemption)


def _import_many(files: list[str], dry_run: bool, as_json: bool, yes: bool,
                 decided_on: dt.datetime | None, decision_maker: str | None,
                 exemption: str | None) -> None:
    """Each file on its own: read, report, and (without --dry-run) save; then the tally."""
    results: list[dict[str, object]] = []
    failed = 0
    for path in files:
        click.echo(f"== {path}", err=as_json)
        try:
            reading = _import(path, dry_run, False, yes, None, False, decided_on,
                              decision_maker, exemption, report=not as_json)
        except click.ClickException as problem:
            failed += 1
            click.echo(f"  {problem.message}", err=True)
            results.append({"file": path, "error": problem.message})
        except click.exceptions.Abort:
            failed += 1
            click.echo("  Not saved: not confirmed", err=True)
            results.append({"file": path, "error": "Not saved: not confirmed"})
        else:
            results.append({"file": path, "reading": reading.to_json_dict()})
    if as_json:
        click.echo(json.dumps(results, ensure_ascii=False, indent=2))
    read = len(files) - failed
    click.echo(f"{read} of {len(files)} notice file(s) read"
               f"{'' if dry_run else ' and saved'}", err=True)
    if failed:
        raise _fail(f"{failed} of {len(files)} notice file(s) could not be "
                    f"{'read' if dry_run else 'read or saved'}")


def _import(path: str, dry_run: bool, as_json: bool, yes: bool, update_id: int | None,
            create_new: bool, decided_on: dt.datetime | None, decision_maker: str | None,
            exemption: str | None, report: bool = True) -> NoticeReading:
    reading, text = _read_file(path)
    if as_json:
        click.echo(json.dumps(reading.to_json_dict(), ensure_ascii=False, indent=2))
    elif report:
        _report(reading)
    if dry_run and (as_json or not report):
        return reading
    choices = importing.Choices(
        target="new" if create_new else str(update_id) if update_id is not None else None,
        extra={k: v for k, v in {"decided_on": decided_on.date() if decided_on else None,
                                 "decision_maker": decision_maker, "exemption": exemption,
                                 }.items() if v})
    plan = importing.make_plan(reading, text, choices)
    if update_id is not None and (plan.target is None or plan.target.id != update_id):
        raise _fail(f"Decision {update_id} is not one with this notice's title and no other "
                    "issue reference")
    _describe(plan, as_json or not report)
    if not dry_run:
        _save(plan, choices, yes, as_json or not report)
    return reading


def _report(reading: NoticeReading) -> None:
    click.echo(f"Read as: {importing.LAYOUT_LABELS.get(reading.layout, reading.layout)}")
    for name, label in importing.FIELD_LABELS.items():
        value = getattr(reading, name)
        shown = importing.show(name, value) if name != "exemption" else (value or "Not given")
        click.echo(f"  {label}: {shown if len(shown) <= 100 else shown[:97] + '...'}")
    for part in reading.parts:
        click.echo(f"  Part ({part.label}): {part.text[:90]}{'...' if len(part.text) > 90 else ''}")
    for item in reading.unrecognised[:importing.MAX_ASSIGNABLE]:
        click.echo(f"  Not placed: {item}")
    if len(reading.unrecognised) > importing.MAX_ASSIGNABLE:
        click.echo(f"  ... and {len(reading.unrecognised) - importing.MAX_ASSIGNABLE:,} more "
                   "not placed")
    for warning in reading.warnings:
        click.echo(f"  Warning: {warning}")


def _describe(plan: importing.Plan, to_stderr: bool) -> None:
    def echo(message: str) -> None:
        click.echo(message, err=to_stderr)

    if plan.mode == "update" and plan.target is not None:
        echo(f"Decision {plan.target.id} ({plan.target.reference or plan.target.title}) "
             f"is already in the tracker: {len(plan.changes)} change(s)")
        for change in plan.changes:
            echo(f"  {change.label}: {_short(change.before)} -> {_short(change.after)}")
    elif plan.mode == "choose":
        echo("Decisions with the same title are already in the tracker:")
        for decision in plan.candidates:
            echo(f"  {decision.id}: {decision.title} ({decision.decision_maker}, "
                 f"{decision.decided_on:%Y-%m-%d})")
    else:
        echo(f"A new decision would be created with {len(plan.new_parts)} part(s)")


def _short(value: str | None) -> str:
    if value is None:
        return "–"
    return value if len(value) <= 60 else value[:57] + "..."


def _save(plan: importing.Plan, choices: importing.Choices, yes: bool, as_json: bool) -> None:
    errors = importing.check(plan, choices)
    if plan.mode == "choose":
        raise _fail("Decisions with the same title are already in the tracker: give "
                    "--update ID to update one of them, or --new to create a new decision")
    if plan.mode == "update" and not plan.changes:
        click.echo("Nothing to change: the decision already matches this notice.", err=as_json)
        return
    if errors:
        flags = {"extra_decided_on": "--decided-on", "extra_decision_maker": "--decision-maker",
                 "extra_exemption": "--exemption"}
        key, message = next(iter(errors.items()))
        hint = f" (give it with {flags[key]})" if key in flags else ""
        raise _fail(f"Not saved: {message}{hint}")
    if plan.mode == "update" and not yes:
        click.confirm(f"Make these {len(plan.changes)} change(s)?", abort=True, err=True)
    decision = importing.apply_plan(plan, choices)
    verb = "Created" if plan.mode == "create" else "Updated"
    click.echo(f"{verb} decision {decision.id}: {decision.title}", err=as_json)


COMMANDS = [decisions_cli]
