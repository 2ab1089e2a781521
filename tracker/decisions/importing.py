"""Turning a read notice into a decision: what would be created or changed, and doing it.

The reader (``tracker.decisions.notice``) only reads text. This module decides what a reading
means for the database, in two steps that the page and the command share:

1. ``make_plan(reading, choices)``: the decision values the notice gives (after the user's
   assignments of what the reader could not place), which decision it is (a new one, the one
   with its issue reference, or one the user chose among decisions with the same title), and
   field by field, part by part, what would change. Nothing is written.
2. ``apply_plan(plan, choices, text)``: after the user confirms, writes exactly the changes
   chosen, with their audit events, in one transaction.

Rules: a field the notice does not give is left as it is (a notice copied from one page
rarely carries every field); a part the notice no longer has is withdrawn, never deleted; a
new decision is never created beside one with the same title unless the user says so.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from tracker import audit
from tracker.decisions import queries
from tracker.decisions.notice import (
    MAX_NOTICE_BYTES, NO_TITLE, DecodedText, NoticePart, NoticeReading, decode_notice,
    read_notice,
)
from tracker.decisions.notice_files import text_from_file
from tracker.extensions import db
from tracker.models import Decision, DecisionPart, Document
from tracker.textcheck import text_warnings
from tracker.vocab import EXEMPTION_LABELS, EXEMPTIONS, PART_KIND_LABELS, PART_KINDS

FIELD_LABELS = {
    "reference": "Issue reference",
    "title": "Title",
    "decision_maker": "Decision maker",
    "key_decision": "Key decision",
    "decided_on": "Date of decision",
    "published_on": "Date published",
    "exemption": "Report exemption class",
    "purpose": "Purpose",
    "decision_text": "Decision",
    "reasons": "Reasons for the decision",
    "options_considered": "Options considered",
    "interests_declared": "Declarations of interest",
    "subject_to_call_in": "Subject to call-in",
    "call_in_expires_on": "Call-in expiry date",
    "effective_from": "Effective from",
    "signed_by": "Signed by",
    "signed_on": "Date signed",
}
MAX_LENGTHS = {"reference": 40, "title": 500, "decision_maker": 200, "signed_by": 300}
REQUIRED = ("title", "decision_maker", "decided_on", "exemption")
LAYOUT_LABELS = {
    "written_statement": "Written statement of a decision (text taken from its PDF)",
    "decision_details": "Committee system “Decision details” page",
    "issue_decisions": "Committee system “Issue - decisions” page",
    "issue_meetings": "Committee system “Issue - meetings” page",
    "issue_details": "Committee system “Issue details” or “Issue history” page",
    "written_record": "Written record of a decision",
    "minutes": "Minutes extract (“RESOLVED: That …”)",
    "cmis": "CMIS “Decision Details” page",
    "unknown": "Not a layout the reader knows: labelled fields were read where found",
}
ASSIGN_TARGETS = {
    "ignore": "Leave it out (it stays in the notice text kept with the decision)",
    "purpose": "Add it to Purpose",
    "decision_text": "Add it to Decision",
    "reasons": "Add it to Reasons for the decision",
    "options_considered": "Add it to Options considered",
    "interests_declared": "Add it to Declarations of interest",
    "document": "Add it as a document of the decision",
}
DOCUMENT_PREFIX = "Accompanying document: "
# Unplaced items offered for assignment one by one; any beyond stay in the notice text only.
MAX_ASSIGNABLE = 100
NOT_RECOGNISED = ("Nothing in this text was recognised as a council decision notice: paste or "
                  "upload the whole notice, including its labels (such as “Decision maker”)")


class NoticeProblem(ValueError):
    """Input that cannot be read as a notice: a one-line message for the user."""


# --- Getting text -----------------------------------------------------------------------

def text_from_upload(data: bytes, filename: str | None) -> DecodedText:
    """An uploaded file as text: .txt, .html, .pdf or .docx (see ``notice_files``)."""
    return text_from_file(data, filename)


def text_from_paste(text: str) -> DecodedText:
    """Pasted text, checked like a file (size, binary content); line endings made LF."""
    return decode_notice(text.encode("utf-8", errors="replace"))


def read(decoded: DecodedText) -> tuple[NoticeReading, str]:
    """Read decoded text: (the reading, the text); or raise NoticeProblem with the reason."""
    if decoded.error or decoded.text is None:
        raise NoticeProblem(decoded.error or "The notice is empty")
    if len(decoded.text.encode("utf-8", errors="replace")) > MAX_NOTICE_BYTES:
        raise NoticeProblem("The notice is larger than 1 MB, which is too big for a decision "
                            "notice")
    reading = read_notice(decoded.text, warnings=decoded.warnings)
    if not reading.recognised:
        raise NoticeProblem(NOT_RECOGNISED)
    return reading, decoded.text


# --- Meaning -----------------------------------------------------------------------------

_PARAGRAPH = re.compile(r"\b(?:paragraph|para)\.?\s*([1-7])\b")


def exemption_code(text: str | None) -> str | None:
    """"Open" -> "open"; "Exempt under paragraph 3 ..." -> "para_3"; otherwise None."""
    if not text:
        return None
    lowered = " ".join(text.lower().split())
    match = _PARAGRAPH.search(lowered)
    if match and ("exempt" in lowered or "schedule 12a" in lowered or lowered.startswith("para")):
        return f"para_{match.group(1)}"
    if lowered.startswith(("open", "public", "not exempt", "none", "no exemption")):
        return "open"
    return None


def guess_kind(text: str) -> str:
    """What a part does, guessed from its words (the user can change it before saving)."""
    lowered = text.lower()
    approves = any(w in lowered for w in ("approve", "adopt", "endorse"))
    if "guidance" in lowered and approves:
        return "approve_guidance"
    if "response" in lowered and (approves or "agree" in lowered):
        return "approve_response"
    if "recommendation" in lowered and (approves or "agree" in lowered or "accept" in lowered):
        return "agree_recommendations"
    if any(w in lowered for w in ("be asked to", "be requested to", "refer ", "referred to")):
        return "referral"
    return "note"


def show(name: str, value: Any) -> str:
    """A value as the pages show it."""
    if (value is None or value == "") and name == "title":
        return NO_TITLE
    if value is None or value == "":
        return "Not given"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.date):
        return f"{value.day} {value:%B %Y}"
    if name == "exemption":
        return EXEMPTION_LABELS.get(value, value)
    if name == "kind":
        return PART_KIND_LABELS.get(value, value)
    return str(value)


@dataclass
class Choices:
    """What the user decided on the preview page (never a parse: the text is read again)."""

    assignments: dict[int, str] = field(default_factory=dict)  # unrecognised item -> target
    kinds: dict[str, str] = field(default_factory=dict)  # new part label -> kind
    target: str | None = None  # "new" or a decision id, when the title matches others
    previewed_target: str | None = None  # the target whose changes the user has seen
    apply: set[str] | None = None  # keys of the changes to make; None: all of them
    extra: dict[str, Any] = field(default_factory=dict)  # required values the notice lacks
    target_version: int | None = None


@dataclass
class Change:
    key: str
    label: str
    before: str | None
    after: str | None
    note: str | None = None


@dataclass
class Plan:
    reading: NoticeReading
    text: str
    values: dict[str, Any]
    mode: str  # "create", "update" or "choose"
    target: Decision | None = None
    candidates: list[Decision] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    new_parts: list[tuple[NoticePart, str]] = field(default_factory=list)  # (part, kind)
    documents: list[str] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)  # required values the notice lacks
    missing: list[str] = field(default_factory=list)  # ... that the user has not given yet
    problems: list[str] = field(default_factory=list)
    exemption_unread: str | None = None
    text_checks: list[str] = field(default_factory=list)

    @property
    def unrecognised(self) -> list[str]:
        return self.reading.unrecognised

    @property
    def layout_label(self) -> str:
        return LAYOUT_LABELS.get(self.reading.layout, self.reading.layout)

    def selected(self, choices: Choices) -> list[Change]:
        return [c for c in self.changes if choices.apply is None or c.key in choices.apply]


def default_assignment(item: str) -> str:
    return "document" if item.startswith(DOCUMENT_PREFIX) else "ignore"


def _values(reading: NoticeReading,
            choices: Choices) -> tuple[dict[str, Any], list[str], str | None]:
    """The decision values the notice gives, with the user's assignments applied."""
    values: dict[str, Any] = {}
    for name in FIELD_LABELS:
        value = exemption_code(reading.exemption) if name == "exemption" else getattr(reading, name)
        if value is not None and value != "":
            values[name] = value
    unread = reading.exemption if reading.exemption and "exemption" not in values else None
    documents: list[str] = []
    for index, item in enumerate(reading.unrecognised[:MAX_ASSIGNABLE]):
        target = choices.assignments.get(index, default_assignment(item))
        if target == "document":
            title = item[len(DOCUMENT_PREFIX):] if item.startswith(DOCUMENT_PREFIX) else item
            documents.append(title[:500])
        elif target in ASSIGN_TARGETS and target != "ignore":
            values[target] = f"{values[target]}\n\n{item}" if values.get(target) else item
    return values, documents, unread


def make_plan(reading: NoticeReading, text: str, choices: Choices | None = None) -> Plan:
    """What saving this reading would do, as things stand in the database now."""
    choices = choices or Choices()
    values, documents, unread = _values(reading, choices)
    plan = Plan(reading=reading, text=text, values=values, mode="create", documents=documents,
                exemption_unread=unread)
    plan.text_checks = text_warnings(*(v for v in values.values() if isinstance(v, str)))
    reference = values.get("reference")
    existing = queries.by_reference(reference) if isinstance(reference, str) else None
    if existing is not None:
        plan.mode, plan.target = "update", existing
    else:
        title = values.get("title")
        plan.candidates = queries.same_title(title, reference) if isinstance(title, str) else []
        if plan.candidates:
            chosen = next((d for d in plan.candidates if str(d.id) == choices.target), None)
            if chosen is not None:
                plan.mode, plan.target = "update", chosen
            else:
                plan.mode = "create" if choices.target == "new" else "choose"
    plan.asked = [name for name in (REQUIRED if plan.mode != "update" else ("exemption",))
                  if name not in values and (plan.mode != "update" or unread)]
    for name in plan.asked:
        if choices.extra.get(name) not in (None, ""):
            values[name] = choices.extra[name]
    for name, limit in MAX_LENGTHS.items():
        value = values.get(name)
        if isinstance(value, str) and len(value) > limit:
            plan.problems.append(f"The {FIELD_LABELS[name].lower()} read from the notice is "
                                 f"longer than {limit} characters: check the notice")
    if plan.mode != "update":
        plan.missing = [n for n in REQUIRED if n not in values]
        plan.new_parts = [(p, _kind(choices, p)) for p in reading.parts]
    else:
        plan.missing = [n for n in plan.asked if n not in values]
        _changes(plan, choices)
    return plan


def _kind(choices: Choices, part: NoticePart) -> str:
    kind = choices.kinds.get(part.label)
    return kind if kind in PART_KINDS else guess_kind(part.text)


def _changes(plan: Plan, choices: Choices) -> None:
    """Field by field and part by part, what updating ``plan.target`` would change."""
    decision = plan.target
    if decision is None:
        return
    for name, value in plan.values.items():
        if getattr(decision, name) != value:
            plan.changes.append(Change(f"field:{name}", FIELD_LABELS[name],
                                       show(name, getattr(decision, name)), show(name, value)))
    by_label = {p.label: p for p in decision.parts}
    for part in plan.reading.parts:
        old = by_label.get(part.label)
        if old is None:
            plan.new_parts.append((part, _kind(choices, part)))
            plan.changes.append(Change(f"newpart:{part.label}", f"New part ({part.label})",
                                       None, part.text))
        elif old.is_withdrawn:
            plan.changes.append(Change(f"reinstate:{part.label}",
                                       f"Part ({part.label}) was withdrawn: reinstate it",
                                       old.text, part.text))
        elif old.text != part.text:
            plan.changes.append(Change(f"part:{part.label}", f"Part ({part.label})", old.text,
                                       part.text))
    read_labels = {p.label for p in plan.reading.parts}
    if read_labels:
        for old in decision.live_parts:
            if old.label not in read_labels:
                work = len([r for r in old.recommendations if not r.is_withdrawn])
                note = (f"{work} recommendation(s) come from this part; they are kept"
                        if work else None)
                plan.changes.append(Change(f"withdrawpart:{old.label}",
                                           f"Part ({old.label}) is not in this notice: "
                                           "withdraw it", old.text, None, note))
    have = {d.title for d in decision.documents if not d.is_withdrawn}
    for index, title in enumerate(plan.documents):
        if title not in have:
            plan.changes.append(Change(f"document:{index}", "New document", None, title))
    if decision.notice_text != plan.text or decision.notice_layout != plan.reading.layout:
        plan.changes.append(Change(
            "notice", "Notice text as received",
            f"{len(decision.notice_text):,} characters" if decision.notice_text else "None kept",
            f"{len(plan.text):,} characters ({plan.layout_label})"))


# --- Checking the user's choices and saving ---------------------------------------------

MISSING_MESSAGES = {
    "title": ("extra_title", "Enter the title of the decision: the notice does not give it"),
    "decision_maker": ("extra_decision_maker",
                       "Enter who took the decision: the notice does not give it"),
    "decided_on": ("extra_decided_on",
                   "Enter the date of decision: the notice does not give it"),
    "exemption": ("extra_exemption", "Choose the report exemption class"),
}


def check(plan: Plan, choices: Choices) -> dict[str, str]:
    """Problems that stop saving, keyed by the input to show them beside ("" for the page)."""
    errors: dict[str, str] = {}
    if plan.problems:
        errors[""] = plan.problems[0]
    if plan.mode == "choose":
        errors["target"] = ("Choose whether to update one of the decisions with this title or "
                            "to create a new decision")
    for name in plan.missing if plan.mode != "choose" else ():
        key, message = MISSING_MESSAGES[name]
        errors[key] = message
    if plan.mode == "update" and not plan.selected(choices) and "" not in errors:
        errors["apply"] = ("Nothing would change: choose at least one change to make, or "
                           "go back to the decision")
    return errors


def apply_plan(plan: Plan, choices: Choices) -> Decision:
    """Save the plan (after ``check`` found nothing wrong). One transaction, audited."""
    decision = _create(plan) if plan.mode == "create" else _update(plan, choices)
    db.session.commit()
    return decision


def _name(decision: Decision) -> str:
    return decision.reference or f"“{decision.title[:60]}”"


def _create(plan: Plan) -> Decision:
    values = plan.values
    decision = Decision(**{name: values.get(name) for name in FIELD_LABELS},
                        notice_text=plan.text, notice_layout=plan.reading.layout)
    audit.created(decision, f"Imported decision {_name(decision)} from a notice "
                  f"({plan.layout_label})")
    for position, (part, kind) in enumerate(plan.new_parts):
        row = DecisionPart(decision=decision, label=part.label, text=part.text, kind=kind,
                           position=position)
        audit.created(row, f"Imported part ({part.label}) of decision {_name(decision)}")
    for position, title in enumerate(plan.documents):
        document = Document(decision=decision, kind="other", title=title, position=position)
        audit.created(document, f"Imported document “{title[:80]}” of decision "
                      f"{_name(decision)}")
    audit.record("import", decision, summary=(
        f"Read a decision notice into new decision {_name(decision)}: "
        f"{len(plan.new_parts)} part(s), {len(plan.unrecognised)} item(s) not placed"))
    return decision


def _update(plan: Plan, choices: Choices) -> Decision:
    decision = plan.target
    if decision is None:
        raise ValueError("There is no decision to update: check() first")
    audit.check_version(decision, choices.target_version)
    chosen = {c.key for c in plan.selected(choices)}
    fields = {name: plan.values[name] for name in FIELD_LABELS if f"field:{name}" in chosen}
    if "notice" in chosen:
        fields |= {"notice_text": plan.text, "notice_layout": plan.reading.layout}
    audit.updated(decision, fields, f"Updated decision {_name(decision)} from a re-imported "
                  "notice", choices.target_version)
    by_label = {p.label: p for p in decision.parts}
    position = max((p.position for p in decision.parts), default=-1)
    for part in plan.reading.parts:
        old = by_label.get(part.label)
        if old is None and f"newpart:{part.label}" in chosen:
            position += 1
            kind = next(k for p, k in plan.new_parts if p.label == part.label)
            row = DecisionPart(decision=decision, label=part.label, text=part.text, kind=kind,
                               position=position)
            audit.created(row, f"Added part ({part.label}) to decision {_name(decision)} from "
                          "a re-imported notice")
        elif old is not None and f"reinstate:{part.label}" in chosen:
            audit.updated(old, {"text": part.text, "withdrawn_at": None, "withdrawn_reason": None,
                                "withdrawn_by_id": None},
                          f"Reinstated part ({part.label}) of decision {_name(decision)} from a "
                          "re-imported notice")
        elif old is not None and f"part:{part.label}" in chosen:
            audit.updated(old, {"text": part.text}, f"Updated part ({part.label}) of decision "
                          f"{_name(decision)} from a re-imported notice")
    for old in list(decision.live_parts):
        if f"withdrawpart:{old.label}" in chosen:
            audit.withdrawn(old, "Not in the re-imported notice",
                            f"Withdrew part ({old.label}) of decision {_name(decision)}: not in "
                            "the re-imported notice")
    doc_position = max((d.position for d in decision.documents), default=-1)
    for index, title in enumerate(plan.documents):
        if f"document:{index}" in chosen:
            doc_position += 1
            document = Document(decision=decision, kind="other", title=title,
                                position=doc_position)
            audit.created(document, f"Imported document “{title[:80]}” of decision "
                          f"{_name(decision)}")
    audit.record("import", decision, summary=(
        f"Re-imported a decision notice into decision {_name(decision)}: "
        f"{len(chosen)} change(s) made"))
    return decision


def exemption_choices() -> list[tuple[str, str]]:
    return [(e, EXEMPTION_LABELS[e]) for e in EXEMPTIONS]
