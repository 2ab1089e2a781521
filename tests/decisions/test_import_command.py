"""``flask --app wsgi decisions import PATH [--dry-run] [--json] [--yes] --as EMAIL``."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.decisions.conftest import DETAILS, EXPECTED, ISSUE, SEED, WRITTEN, seed_text
from tracker.models import AuditEvent, Decision

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def run(app, db_session):
    runner = app.test_cli_runner()

    def _run(*args: str, input: str | None = None):
        return runner.invoke(args=["decisions", "import", *args], input=input)
    return _run


def one_line(text: str) -> str:
    lines = text.strip("\n").split("\n")
    assert len(lines) == 1, text
    return lines[0]


@pytest.mark.parametrize("name", [WRITTEN, DETAILS, ISSUE])
def test_json_for_each_seed(run, name):
    result = run(str(SEED / name), "--dry-run", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == json.loads(
        (EXPECTED / name.replace(".txt", ".json")).read_text(encoding="utf-8"))
    assert result.stderr == ""


def test_dry_run_without_json_reports_and_saves_nothing(run, db_session):
    result = run(str(SEED / WRITTEN), "--dry-run")
    assert result.exit_code == 0
    assert "Read as: Written statement of a decision (text taken from its PDF)" in result.stdout
    assert "Issue reference: I50035813" in result.stdout
    assert "Part (d): The children and young people's scrutiny committee" in result.stdout
    assert "A new decision would be created with 4 part(s)" in result.stdout
    assert db_session.scalars(sa.select(Decision)).all() == []


@pytest.mark.parametrize("content,message", [
    (b"", "The file is empty"),
    (b"\x00\x01\x02binary" * 50, "The file is not text"),
    (b"%PDF-1.4 rest", "This PDF could not be read: it may be damaged"),
    (b"Decision maker: Cabinet\n" + b"z" * 1_000_001, "larger than 1 MB"),
    (b"Nothing to see here.\nReally.\n", "Nothing in this text was recognised"),
], ids=["empty", "binary", "pdf", "over-1MB", "not-a-notice"])
def test_bad_input_exits_non_zero_with_one_line(run, make, tmp_path, db_session, content,
                                                message):
    make.user(role="admin", email="chief@example.gov.uk")
    path = tmp_path / "notice.txt"
    path.write_bytes(content)
    for args in (["--dry-run", "--json"], ["--json", "--as", "chief@example.gov.uk"],
                 ["--as", "chief@example.gov.uk", "--yes"]):
        result = run(str(path), *args)
        assert result.exit_code != 0
        assert result.stdout == ""
        line = one_line(result.stderr)
        assert line.startswith("Error: ") and message in line, line
    assert db_session.scalars(sa.select(Decision)).all() == []


def test_a_missing_file_is_one_line(run, tmp_path):
    result = run(str(tmp_path / "nope.txt"), "--dry-run", "--json")
    assert result.exit_code != 0
    assert "No file at" in one_line(result.stderr)


def test_windows_1252_is_read_with_a_warning(run, tmp_path):
    path = tmp_path / "notice.txt"
    path.write_bytes(seed_text(DETAILS).encode("cp1252"))
    result = run(str(path), "--dry-run", "--json")
    assert result.exit_code == 0
    reading = json.loads(result.stdout)
    assert reading["warnings"][0] == "Decoded as Windows-1252 because the file is not valid UTF-8"
    assert "‘alleged victim’" in reading["parts"][0]["text"]


def test_saving_needs_a_named_user(run, db_session):
    result = run(str(SEED / WRITTEN), "--json")
    assert result.exit_code != 0 and result.stdout == ""
    assert "Say who is acting with --as EMAIL" in one_line(result.stderr)
    result = run(str(SEED / WRITTEN), "--as", "nobody@example.gov.uk")
    assert "No active user has the email address nobody@example.gov.uk" in one_line(result.stderr)
    assert db_session.scalars(sa.select(Decision)).all() == []


def test_saves_a_new_decision_as_the_named_user(run, make, db_session):
    admin = make.user(role="admin", email="chief@example.gov.uk")
    result = run(str(SEED / WRITTEN), "--json", "--as", "chief@example.gov.uk")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["reference"] == "I50035813"  # still exactly one object
    decision = db_session.scalars(sa.select(Decision)).one()
    assert "Created decision" in result.stderr
    assert [p.label for p in decision.parts] == ["a", "b", "c", "d"]
    assert decision.notice_text == seed_text(WRITTEN)
    labels = set(db_session.scalars(sa.select(AuditEvent.actor_label).where(
        AuditEvent.actor_id == admin.id)))
    assert labels == {"command line as chief@example.gov.uk"}


def test_reimport_asks_before_changing(run, make, db_session, tmp_path):
    make.user(role="admin", email="chief@example.gov.uk")
    assert run(str(SEED / WRITTEN), "--as", "chief@example.gov.uk").exit_code == 0
    decision = db_session.scalars(sa.select(Decision)).one()
    edited = tmp_path / "edited.txt"
    edited.write_text(seed_text(WRITTEN).replace("apply)\t4 December 2020", "apply)\t8 December 2020"),
                      encoding="utf-8")

    again = run(str(SEED / WRITTEN), "--as", "chief@example.gov.uk")
    assert again.exit_code == 0
    assert "Nothing to change: the decision already matches this notice." in again.stdout

    declined = run(str(edited), "--as", "chief@example.gov.uk", input="n\n")
    assert declined.exit_code != 0
    assert "Call-in expiry date: 4 December 2020 -> 8 December 2020" in declined.stdout
    db_session.expire_all()
    assert decision.call_in_expires_on.day == 4

    accepted = run(str(edited), "--as", "chief@example.gov.uk", input="y\n")
    assert accepted.exit_code == 0, accepted.stderr
    db_session.expire_all()
    assert decision.call_in_expires_on.day == 8

    edited.write_text(seed_text(WRITTEN).replace("apply)\t4 December 2020", "apply)\t9 December 2020"),
                      encoding="utf-8")
    assert run(str(edited), "--as", "chief@example.gov.uk", "--yes").exit_code == 0
    db_session.expire_all()
    assert decision.call_in_expires_on.day == 9


def test_same_title_without_reference_needs_a_choice(run, make, db_session):
    make.user(role="admin", email="chief@example.gov.uk")
    existing = make.decision(title="Review of peer on peer abuse cases", reference="I50035813",
                             published_on=None)
    refused = run(str(SEED / ISSUE), "--as", "chief@example.gov.uk")
    assert refused.exit_code != 0
    assert "give --update ID to update one of them, or --new" in one_line(refused.stderr)
    assert f"{existing.id}: Review of peer on peer abuse cases" in refused.stdout

    updated = run(str(SEED / ISSUE), "--as", "chief@example.gov.uk", "--update",
                  str(existing.id), "--yes")
    assert updated.exit_code == 0, updated.stderr
    db_session.expire_all()
    assert existing.published_on.isoformat() == "2020-11-30"

    lacking = run(str(SEED / ISSUE), "--as", "chief@example.gov.uk", "--new")
    assert lacking.exit_code != 0
    assert "(give it with --decision-maker)" in one_line(lacking.stderr)
    created = run(str(SEED / ISSUE), "--as", "chief@example.gov.uk", "--new",
                  "--decision-maker", "Cabinet", "--decided-on", "2020-11-26",
                  "--exemption", "open")
    assert created.exit_code == 0, created.stderr
    assert db_session.scalar(sa.select(sa.func.count(Decision.id))) == 2


def test_the_real_command_prints_exactly_one_json_object(tmp_path):
    """One run of the real ``flask`` command (the rest use Click's runner, which is faster)."""
    env = os.environ | {"TRACKER_CONFIG": "testing",
                        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite'}"}
    env.pop("TRACKER_AS", None)
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "decisions", "import",
         str(SEED / WRITTEN), "--dry-run", "--json"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == json.loads(
        (EXPECTED / WRITTEN.replace(".txt", ".json")).read_text(encoding="utf-8"))
