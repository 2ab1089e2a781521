"""CSV import and export of recommendations with their actions: one layout, shared by both.

Layout (UTF-8; the export adds a byte-order mark so spreadsheets read it as UTF-8). The first
line names the columns below, in any order; every column must be present. One line per
action; a recommendation with no actions has one line with the action columns blank. The
recommendation columns repeat on each of its lines and must agree.

  recommendation_id      the tracker's number; blank for a new recommendation
  decision_reference     the decision's issue reference (e.g. I50035813), or id:N for a
                         decision without one; blank only for a scrutiny recommendation the
                         executive has not yet taken up
  part                   the decision part's letter, e.g. a (blank with decision_reference)
  source                 review, scrutiny or referral
  reference              as the paper numbers it (required, 40 characters at most)
  text                   the recommendation (required)
  owner_email            the accountable owner: an active officer or administrator; may be blank
  lead_service
  committee, meeting_date, minute_reference, report_published_date
                         scrutiny only; the response due date (two months after
                         publication) is worked out, not imported
  response               the current executive response: accepted, partially_accepted or
                         not_accepted; blank if none yet. A change records a new response
                         (earlier ones stay as history); a response cannot be removed
  response_text, response_reason, cabinet_member, lead_officer, timetable
                         the response's other fields; a reason is required unless accepted
  action_id              the tracker's number; blank for a new action
  action_title           required on a line with an action
  action_description
  action_owner_email     required on a line with an action: an active officer or administrator
                         (blank on an action an organisation owns: the organisation keeps it)
  action_due_date        the original due date, required for a new action; it cannot be
                         changed by import (a progress update revises it, with a reason)

Dates are written YYYY-MM-DD; DD/MM/YYYY (as spreadsheets save them) is read too. Rows of new
recommendations belong together when decision_reference, part and reference agree.

Status, RAG and progress are not in this file: they come only from progress updates.
Import never withdraws: a recommendation or action left out of the file is left unchanged.

Every line is checked before anything is written; problems are reported by line and column
(letter and name) and nothing is applied. A file without problems is applied in one
transaction, all or nothing, through the same services (and audit) as the pages. Exporting
then importing changes nothing; an edited file applies exactly its edits.

Cells a spreadsheet would run as a formula (starting =, +, -, @, tab or carriage return) are
written with a leading apostrophe, and so is a cell that already starts with one; the
importer removes that one apostrophe again.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable

import sqlalchemy as sa

from tracker import audit, characters
from tracker.models import Decision, DecisionPart, Recommendation, User

if TYPE_CHECKING:
    from tracker.recommendations.csv_plan import Plan

REC_COLUMNS = (
    "recommendation_id", "decision_reference", "part", "source", "reference", "text",
    "owner_email", "lead_service", "committee", "meeting_date", "minute_reference",
    "report_published_date", "response", "response_text", "response_reason", "cabinet_member",
    "lead_officer", "timetable",
)
ACTION_COLUMNS = ("action_id", "action_title", "action_description", "action_owner_email",
                  "action_due_date")
COLUMNS = REC_COLUMNS + ACTION_COLUMNS
RESPONSE_COLUMNS = ("response", "response_text", "response_reason", "cabinet_member",
                    "lead_officer", "timetable")
LIMITS = {"reference": 40, "lead_service": 200, "committee": 200, "minute_reference": 100,
          "cabinet_member": 200, "lead_officer": 200, "timetable": 500, "action_title": 500,
          "part": 10}
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


# --- cells ---------------------------------------------------------------------------------
def neutralise(value: str) -> str:
    """A cell a spreadsheet will show as text, never run as a formula."""
    return "'" + value if value.startswith(DANGEROUS + ("'",)) else value


def restore(value: str) -> str:
    """Reverse ``neutralise``: drop the one apostrophe it added."""
    return value[1:] if value.startswith("'") and value[1:].startswith(DANGEROUS + ("'",)) \
        else value


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _same(a: str | None, b: str | None) -> bool:
    def norm(v: str | None) -> str:
        return (v or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    return norm(a) == norm(b)


def _equal(a: Any, b: Any) -> bool:
    return _same(a, b) if isinstance(a, str) or isinstance(b, str) else a == b


def decision_key(decision: Decision) -> str:
    return decision.reference or f"id:{decision.id}"


# --- export --------------------------------------------------------------------------------
def export_rows() -> Iterable[dict[str, str]]:
    from sqlalchemy.orm import joinedload, selectinload

    from tracker.models import Action
    from tracker.recommendations import facts

    recs = facts.load(sa.select(Recommendation).where(Recommendation.withdrawn_at.is_(None))
                      .outerjoin(DecisionPart).outerjoin(Decision)
                      .order_by(Decision.decided_on.nulls_last(), Decision.id,
                                DecisionPart.position, Recommendation.position,
                                Recommendation.id), (
        joinedload(Recommendation.part).joinedload(DecisionPart.decision),
        joinedload(Recommendation.owner), selectinload(Recommendation.responses),
        selectinload(Recommendation.actions).joinedload(Action.owner)))
    for rec in recs:
        part, resp = rec.part, rec.current_response
        base = {
            "recommendation_id": str(rec.id),
            "decision_reference": decision_key(part.decision) if part else "",
            "part": part.label if part else "", "source": rec.source,
            "reference": rec.reference, "text": rec.text,
            "owner_email": rec.owner.email if rec.owner else "",
            "lead_service": rec.lead_service or "", "committee": rec.committee or "",
            "meeting_date": _iso(rec.meeting_on), "minute_reference": rec.minute_reference or "",
            "report_published_date": _iso(rec.report_published_on),
            "response": resp.response if resp else "",
            "response_text": (resp.response_text or "") if resp else "",
            "response_reason": (resp.reason or "") if resp else "",
            "cabinet_member": (resp.cabinet_member or "") if resp else "",
            "lead_officer": (resp.lead_officer or "") if resp else "",
            "timetable": (resp.timetable or "") if resp else "",
        }
        actions = rec.live_actions
        for action in actions or [None]:
            yield base | ({
                "action_id": str(action.id), "action_title": action.title,
                "action_description": action.description or "",
                "action_owner_email": action.owner.email if action.owner else "",
                "action_due_date": _iso(action.due_on)} if action else dict.fromkeys(
                    ACTION_COLUMNS, ""))


def export_csv() -> str:
    """The whole file, and an "export" audit event (the caller commits)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    recs, lines = set(), 0
    for row in export_rows():
        writer.writerow({k: neutralise(v) for k, v in row.items()})
        recs.add(row["recommendation_id"])
        lines += 1
    audit.record("export", summary=f"Recommendations CSV exported: {len(recs)} "
                 f"recommendations, {lines} lines", object_type="Recommendation")
    return "\ufeff" + out.getvalue()


# --- reading and checking ------------------------------------------------------------------
@dataclass(frozen=True)
class CsvProblem:
    line: int
    column: str | None
    letter: str | None
    message: str

    def __str__(self) -> str:
        where = f"Line {self.line}"
        if self.column:
            where += f", column {self.letter} ({self.column})"
        return f"{where}: {self.message}"


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# Columns whose text may run over several lines; a line break in any other is refused.
MULTI_LINE = frozenset({"text", "response_text", "response_reason", "action_description"})


def read(text: str) -> tuple[list[str], list[tuple[int, dict[str, str]]], list[CsvProblem]]:
    """Header, (line, row) pairs and problems with the file's shape."""
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        return [], [], [CsvProblem(1, None, None, "The file is empty")]
    except csv.Error as exc:
        return [], [], [CsvProblem(1, None, None, f"The file is not CSV: {exc}")]
    problems = []
    missing = [c for c in COLUMNS if c not in header]
    unknown = [h for h in header if h not in COLUMNS]
    if missing:
        problems.append(CsvProblem(1, None, None, "Columns missing from the first line: "
                                   + ", ".join(missing)))
    for name in unknown:
        problems.append(CsvProblem(1, name or "(blank)", _letter(header.index(name)),
                                   "Not a column of this layout"))
    if problems:
        return header, [], problems
    rows: list[tuple[int, dict[str, str]]] = []
    start = reader.line_num + 1
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                if len(cells) > len(header):
                    problems.append(CsvProblem(start, None, None,
                                               f"{len(cells)} cells, but {len(header)} columns"))
                values = {name: restore(cells[i]) if i < len(cells) else ""
                          for i, name in enumerate(header)}
                for i, name in enumerate(header):
                    found = characters.problem(values[name], multi_line=name in MULTI_LINE)
                    if found:
                        problems.append(CsvProblem(start, name, _letter(i),
                                                   f"The cell {found}"))
                rows.append((start, values))
            start = reader.line_num + 1
    except csv.Error as exc:
        problems.append(CsvProblem(start, None, None, f"Cannot be read as CSV: {exc}"))
    return header, rows, problems


def check(text: str, today: dt.date) -> Plan:
    """Read and check the whole file: the plan of every change, or the problems."""
    from tracker.recommendations.csv_plan import check as _check

    return _check(text, today)


def apply(plan: Plan, user: User, today: dt.date, source_name: str) -> None:
    """Apply a checked plan in one transaction (all or nothing) and commit."""
    from tracker.recommendations.csv_plan import apply as _apply

    _apply(plan, user, today, source_name)


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def safe_name(name: str | None) -> str:
    """A file name fit for an audit summary."""
    return re.sub(r"[^A-Za-z0-9._ -]+", "_", name or "upload")[:100]
