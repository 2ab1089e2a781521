"""Checking a recommendations CSV (layout: tracker.recommendations.csv_io) into a plan of
changes, and applying a plan in one transaction through the services."""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any, Callable

import sqlalchemy as sa

from tracker.problems import FieldProblem
from tracker import audit
from tracker.decisions.callin import CallInRefused, call_in_status
from tracker.extensions import db
from tracker.models import Action, Decision, DecisionPart, Recommendation, User
from tracker.permissions import may_own_work
from tracker.recommendations import services
from tracker.recommendations.csv_io import (
    ACTION_COLUMNS, LIMITS, REC_COLUMNS, RESPONSE_COLUMNS, CsvProblem, _equal, _letter, _same,
    decision_key, read,
)
from tracker.vocab import RESPONSES, SOURCES
from tracker.params import parse_int


@dataclass(frozen=True)
class Change:
    line: int
    # create_recommendation, update_recommendation, response, create_action or update_action
    kind: str
    key: Any         # the recommendation's group key
    target_id: int | None
    values: tuple[tuple[str, Any], ...]
    summary: str
    version: int | None = None  # of the row changed, as checked: part of the plan's digest


@dataclass
class Plan:
    changes: list[Change] = field(default_factory=list)
    problems: list[CsvProblem] = field(default_factory=list)
    lines: int = 0

    @property
    def digest(self) -> str:
        text = "\n".join(f"{c.kind}|{c.key}|{c.target_id}|{c.version}|{c.values!r}"
                         for c in self.changes)
        return hashlib.sha256(text.encode()).hexdigest()


class _Checker:
    def __init__(self, header: list[str], today: dt.date):
        self.letters = {name: _letter(i) for i, name in enumerate(header)}
        self.today = today
        self.plan = Plan()
        self.users = {u.email.lower(): u for u in db.session.scalars(sa.select(User))}
        self.parts: dict[tuple[str, str], DecisionPart] = {}
        for part, decision in db.session.execute(sa.select(DecisionPart, Decision).join(Decision)
                                                 .where(DecisionPart.withdrawn_at.is_(None),
                                                        Decision.withdrawn_at.is_(None))):
            self.parts[(decision_key(decision).lower(), part.label.lower())] = part
        self.part_by_id = {part.id: part for part in self.parts.values()}
        self.seen_actions: set[int] = set()
        # The file's recommendations and actions, held here (the session only keeps weak
        # references) so each line is checked without a query of its own.
        self.recs: dict[int, Recommendation] = {}
        self.actions: dict[int, Action] = {}

    def problem(self, line: int, column: str | None, message: str) -> None:
        self.plan.problems.append(CsvProblem(line, column, self.letters.get(column or ""),
                                             message))

    def owner(self, line: int, column: str, email: str, required: bool) -> int | None:
        if not email:
            if required:
                self.problem(line, column, "Enter the owner's email address")
            return None
        user = self.users.get(email.lower())
        if user is None or not user.active or not may_own_work(user):
            self.problem(line, column, f"No active officer or administrator has the email "
                                       f"address {email}")
            return None
        return user.id

    def date(self, line: int, column: str, value: str) -> dt.date | None:
        if not value:
            return None
        for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return dt.datetime.strptime(value, pattern).date()
            except ValueError:
                continue
        self.problem(line, column, f"“{value}” is not a date: write it as YYYY-MM-DD, for "
                                   "example 2021-03-31")
        return None


def check(text: str, today: dt.date) -> Plan:
    """Read and check the whole file; the plan lists every change it would make."""
    header, rows, problems = read(text)
    if problems:
        return Plan(problems=problems, lines=len(rows))
    checker = _Checker(header, today)
    checker.plan.lines = len(rows)
    groups: dict[Any, list[tuple[int, dict[str, str]]]] = {}
    for line, row in rows:
        simple = {k: v.strip() for k, v in row.items() if k not in ("text", "response_text",
                                                                     "response_reason",
                                                                     "action_description")}
        row = row | simple
        rid = row["recommendation_id"]
        if rid and parse_int(rid, low=1) is None:
            checker.problem(line, "recommendation_id", "Must be the tracker's number, or blank "
                                                       "for a new recommendation")
            continue
        key = ("id", parse_int(rid)) if rid else ("new", row["decision_reference"].lower(),
                                            row["part"].lower(), row["reference"])
        groups.setdefault(key, []).append((line, row))
    _preload(checker, [key[1] for key in groups if key[0] == "id"])
    for key, group in groups.items():
        _check_group(checker, key, group)
    return checker.plan


def _preload(ck: _Checker, ids: list[int]) -> None:
    """Load the file's recommendations, responses and actions in a few queries."""
    from sqlalchemy.orm import selectinload

    for start in range(0, len(ids), 500):
        for rec in db.session.scalars(sa.select(Recommendation)
                                      .where(Recommendation.id.in_(ids[start:start + 500]))
                                      .options(selectinload(Recommendation.responses),
                                               selectinload(Recommendation.actions))):
            ck.recs[rec.id] = rec
            ck.actions.update((action.id, action) for action in rec.actions)


def _check_group(ck: _Checker, key: Any, group: list[tuple[int, dict[str, str]]]) -> None:
    first_line, first = group[0]
    for line, row in group[1:]:
        for name in REC_COLUMNS:
            if not _same(row[name], first[name]):
                ck.problem(line, name, f"Differs from line {first_line} for the same "
                                       "recommendation: its columns must agree on every line")
    rec: Recommendation | None = None
    if key[0] == "id":
        rec = ck.recs.get(key[1])
        if rec is None or rec.is_withdrawn:
            ck.problem(first_line, "recommendation_id", f"No recommendation {key[1]} is in the "
                                                        "tracker (leave it blank to add one)")
            return
    details = _rec_details(ck, first_line, first)
    if details is None:  # still check the action cells, so every problem is reported at once
        for line, row in group:
            _check_action(ck, key, line, row, rec, None, cells_only=True)
        return
    if rec is None:
        ck.plan.changes.append(Change(first_line, "create_recommendation", key, None,
                                      tuple(vars(details).items()),
                                      f"Add recommendation {details.reference}"))
    else:
        current = services.RecommendationDetails(
            source=rec.source, reference=rec.reference, text=rec.text, part_id=rec.part_id,
            owner_id=rec.owner_id, lead_service=rec.lead_service, committee=rec.committee,
            meeting_on=rec.meeting_on, minute_reference=rec.minute_reference,
            report_published_on=rec.report_published_on)
        changed = [k for k, v in vars(details).items() if not _equal(v, getattr(current, k))]
        if changed:
            fields = ", ".join(c.replace("_", " ") for c in changed)
            ck.plan.changes.append(Change(first_line, "update_recommendation", key, rec.id,
                                          tuple(vars(details).items()),
                                          f"Change {fields} of recommendation {details.reference}",
                                          rec.version_id))
    _check_response(ck, key, first_line, first, rec)
    part = ck.part_by_id.get(details.part_id) if details.part_id else None
    for line, row in group:
        _check_action(ck, key, line, row, rec, part)


def _rec_details(ck: _Checker, line: int, row: dict[str, str]
                 ) -> services.RecommendationDetails | None:
    before = len(ck.plan.problems)
    source = row["source"].lower()
    if source not in SOURCES:
        ck.problem(line, "source", "Must be review, scrutiny or referral")
    for name in ("reference", "text"):
        if not row[name].strip():
            ck.problem(line, name, f"Enter the recommendation's {name}")
    for name, limit in LIMITS.items():
        if name in REC_COLUMNS and len(row[name]) > limit:
            ck.problem(line, name, f"Must be {limit} characters or fewer")
    part_id = None
    if row["decision_reference"] or row["part"]:
        part = ck.parts.get((row["decision_reference"].lower(), row["part"].lower()))
        if part is None:
            ck.problem(line, "part", f"No part ({row['part']}) of decision "
                                     f"{row['decision_reference'] or '(blank)'} is in the tracker")
        else:
            part_id = part.id
    elif source != "scrutiny":
        ck.problem(line, "decision_reference", "Enter the decision and part: only a scrutiny "
                                               "recommendation may wait for the executive")
    owner_id = ck.owner(line, "owner_email", row["owner_email"], required=False)
    meeting_on = ck.date(line, "meeting_date", row["meeting_date"])
    published = ck.date(line, "report_published_date", row["report_published_date"])
    if source != "scrutiny":
        for name in ("committee", "meeting_date", "minute_reference", "report_published_date"):
            if row[name]:
                ck.problem(line, name, "For scrutiny recommendations only")
    if len(ck.plan.problems) > before:
        return None
    return services.RecommendationDetails(
        source=source, reference=row["reference"], text=row["text"], part_id=part_id,
        owner_id=owner_id, lead_service=row["lead_service"] or None,
        committee=row["committee"] or None, meeting_on=meeting_on,
        minute_reference=row["minute_reference"] or None, report_published_on=published)


def _check_response(ck: _Checker, key: Any, line: int, row: dict[str, str],
                    rec: Recommendation | None) -> None:
    current = rec.current_response if rec else None
    response = row["response"].lower()
    if not response:
        if current is not None:
            ck.problem(line, "response", "A response cannot be removed: give the current one, "
                                         "or a new one")
        elif any(row[c].strip() for c in RESPONSE_COLUMNS):
            ck.problem(line, "response", "Choose the response (accepted, partially_accepted or "
                                         "not_accepted) or clear the other response columns")
        return
    if response not in RESPONSES:
        ck.problem(line, "response", "Must be accepted, partially_accepted or not_accepted")
        return
    if response != "accepted" and not row["response_reason"].strip():
        ck.problem(line, "response_reason", "Give the reason: required unless accepted")
        return
    values = {"response": response, "response_text": row["response_text"] or None,
              "reason": row["response_reason"] or None,
              "cabinet_member": row["cabinet_member"] or None,
              "lead_officer": row["lead_officer"] or None, "timetable": row["timetable"] or None}
    if current is not None and all(_same(v, getattr(current, k)) for k, v in values.items()):
        return
    ck.plan.changes.append(Change(line, "response", key, None, tuple(values.items()),
                                  f"Record the executive response “{response.replace('_', ' ')}”"
                                  f" to {row['reference']}", current.id if current else None))


def _check_action(ck: _Checker, key: Any, line: int, row: dict[str, str],
                  rec: Recommendation | None, part: DecisionPart | None,
                  cells_only: bool = False) -> None:
    if not any(row[c].strip() for c in ACTION_COLUMNS):
        return
    before = len(ck.plan.problems)
    action = None
    if row["action_id"]:
        action = ck.actions.get(parse_int(row["action_id"], low=1))
        if (action is None or action.is_withdrawn or rec is None
                or action.recommendation_id != rec.id):
            ck.problem(line, "action_id", f"No action {row['action_id']} of this recommendation "
                                          "is in the tracker (leave it blank to add one)")
            return
        if action.id in ck.seen_actions:
            ck.problem(line, "action_id", f"Action {action.id} is on more than one line")
        ck.seen_actions.add(action.id)
    if not row["action_title"]:
        ck.problem(line, "action_title", "Enter the action")
    if len(row["action_title"]) > LIMITS["action_title"]:
        ck.problem(line, "action_title", "Must be 500 characters or fewer")
    # An action an organisation owns (shown as its named lead) has no owner's email in the
    # file: left blank, the organisation keeps it (docs/recommendations-csv.md).
    organisation_id = (action.owner_organisation_id if action is not None
                       and not row["action_owner_email"] else None)
    owner_id = ck.owner(line, "action_owner_email", row["action_owner_email"],
                        required=organisation_id is None)
    due = ck.date(line, "action_due_date", row["action_due_date"])
    if action is None and due is None and row["action_due_date"] == "":
        ck.problem(line, "action_due_date", "Enter the date the new action is due")
    if action is not None and due is not None and due != action.due_on:
        ck.problem(line, "action_due_date", "The original due date cannot be changed: record "
                                            "a progress update with a revised due date")
    if len(ck.plan.problems) > before or cells_only:
        return
    values = (("title", row["action_title"]), ("description", row["action_description"] or None),
              ("owner_id", owner_id), ("due_on", due), ("owner_organisation_id", organisation_id))
    if action is None:
        if part is None:
            ck.problem(line, "action_title", "Actions can be added once the executive has taken "
                                             "the recommendation up under a decision part")
            return
        status = call_in_status(part.decision, ck.today)
        if not status.implementable:
            ck.problem(line, "action_title", status.reason)
            return
        ck.plan.changes.append(Change(line, "create_action", key, None, values,
                                      f"Add action “{row['action_title']}” to {row['reference']}"))
    elif not (_same(action.title, row["action_title"])
              and _same(action.description, row["action_description"])
              and action.owner_id == owner_id
              and action.owner_organisation_id == organisation_id):
        ck.plan.changes.append(Change(line, "update_action", key, action.id, values,
                                      f"Change action {action.id} “{row['action_title']}”",
                                      action.version_id))


# --- applying --------------------------------------------------------------------------------
def apply(plan: Plan, user: User, today: dt.date, source_name: str) -> None:
    """Apply every change in one transaction (all or nothing) and commit."""
    if plan.problems:
        raise ValueError("a plan with problems cannot be applied")
    recs: dict[Any, Recommendation] = {}

    def rec_for(change: Change) -> Recommendation:
        if change.key not in recs:
            found = db.session.get(Recommendation, change.key[1])
            assert found is not None  # nosec B101  # checked rows are never deleted
            recs[change.key] = found
        return recs[change.key]

    handlers: dict[str, Callable[[Change, dict[str, Any]], None]] = {
        "create_recommendation": lambda c, v: recs.__setitem__(
            c.key, services.create_recommendation(
                user, services.RecommendationDetails(**v), commit=False)),
        "update_recommendation": lambda c, v: services.edit_recommendation(
            user, rec_for(c), services.RecommendationDetails(**v), c.version, commit=False),
        "response": lambda c, v: services.record_response(
            user, rec_for(c), services.ResponseDetails(**v), commit=False),
        "create_action": lambda c, v: services.add_action(
            user, rec_for(c), services.ActionDetails(
                title=v["title"], owner_id=v["owner_id"], due_on=v["due_on"],
                description=v["description"]), today, commit=False),
        "update_action": lambda c, v: services.edit_action(
            user, db.session.get_one(Action, c.target_id), services.ActionDetails(
                title=v["title"], owner_id=v["owner_id"], description=v["description"],
                owner_organisation_id=v["owner_organisation_id"]),
            c.version, commit=False),
    }
    try:
        for change in plan.changes:
            handlers[change.kind](change, dict(change.values))
        audit.record("import", summary=f"Recommendations CSV {source_name} imported: "
                     f"{len(plan.changes)} changes from {plan.lines} lines",
                     object_type="Recommendation")
        db.session.commit()
    except (FieldProblem, CallInRefused, services.NotAllowed, audit.StaleEdit):
        db.session.rollback()
        raise


