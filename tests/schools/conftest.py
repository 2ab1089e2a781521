"""Helpers for the schools tests: GIAS files edited the way a new download differs from the
last one, the model guidance with its first version, and running the import command."""
from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import AuditEvent, School

DATA = Path(__file__).resolve().parent / "data"
HEREFORD_CP1252 = DATA / "edubasealldata_hereford_cp1252.csv"
HEREFORD_UTF8 = DATA / "edubasealldata_hereford_utf8.csv"
HEREFORD_UTF8_BOM = DATA / "edubasealldata_hereford_utf8_bom.csv"
LINKS = DATA / "links_edubasealldata_hereford.csv"
BAD_ROWS = DATA / "edubasealldata_bad_rows.csv"
NOT_GIAS = DATA / "not_gias.csv"
# In the Herefordshire fixture: 13 establishments in LA 884, 4 elsewhere.
HEREFORD_URNS = tuple(range(990001, 990014))


def edited_gias(source: Path, dest: Path, *, encoding: str = "cp1252",
                changes: dict[int, dict[str, str]] | None = None, drop: tuple[int, ...] = (),
                add: list[dict[str, str]] | None = None) -> Path:
    """Copy a GIAS file (full header kept) with some records changed, dropped or added.
    ``add`` rows start from the first record and override the columns given."""
    raw = source.read_bytes()
    text = raw.decode("utf-8-sig") if raw.startswith(b"\xef\xbb\xbf") else _decode(raw)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    rows = list(reader)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        urn = int(row["URN"])
        if urn in drop:
            continue
        writer.writerow(row | (changes or {}).get(urn, {}))
    for extra in add or []:
        writer.writerow(rows[0] | extra)
    dest.write_bytes(out.getvalue().encode(encoding))
    return dest


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def schools_by_urn() -> dict[int, School]:
    return {s.urn: s for s in db.session.scalars(sa.select(School))}


def audit_count() -> int:
    return db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) or 0


def versions() -> dict[int, tuple[int, Any]]:
    """urn -> (version_id, updated_at): what a no-op re-import must leave alone."""
    return {u: v for u, *v in db.session.execute(
        sa.select(School.urn, School.version_id, School.updated_at))}  # type: ignore[misc]


@pytest.fixture()
def guidance(make):  # type: ignore[no-untyped-def]
    """The model guidance approved by part (c), version 1 approved 26 November 2020; the
    decision could be implemented from 5 December 2020. Returns (guidance, version, owner)."""
    owner = make.user(role="officer")
    decision = make.decision(title="Review of peer on peer abuse cases")
    part = make.part(decision, label="c", kind="approve_guidance", owner_id=owner.id)
    guidance = make.guidance(part, title="Peer on peer model guidance")
    recorded = dt.datetime(2020, 11, 26, 12, tzinfo=dt.timezone.utc)  # as the tracker recorded it
    version = make.guidance_version(guidance, title="Model guidance (appendix 6)",
                                    approved_on=dt.date(2020, 11, 26), approved_by_part_id=part.id,
                                    created_at=recorded)
    return guidance, version, owner


@pytest.fixture()
def run_cli(app):  # type: ignore[no-untyped-def]
    """run_cli("schools", "import", PATH, "--as", EMAIL) -> click Result."""
    def _run(*args: str) -> Any:
        return app.test_cli_runner().invoke(args=[str(a) for a in args])
    return _run

