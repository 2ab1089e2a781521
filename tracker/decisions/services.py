"""Writing decisions, their parts and documents, and call-in events.

Every write records its audit event in the same transaction and commits. Edits are refused
when based on an old version (``audit.StaleEdit`` names what changed); nothing is deleted:
rows are withdrawn with a reason.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from tracker.problems import FieldProblem
from tracker import audit
from tracker.extensions import db
from tracker.models import Decision, DecisionPart, Document
from tracker.vocab import CALL_IN_OUTCOME_LABELS

DECISION_FIELDS = (
    "reference", "title", "decision_maker", "key_decision", "decided_on", "published_on",
    "exemption", "purpose", "decision_text", "reasons", "options_considered",
    "interests_declared", "subject_to_call_in", "call_in_expires_on", "effective_from",
    "signed_by", "signed_on",
)
PART_FIELDS = ("label", "text", "kind", "owner_id")
DOCUMENT_FIELDS = ("kind", "label", "title", "url", "part_id")




def _name(decision: Decision) -> str:
    return decision.reference or f"“{decision.title[:60]}”"


def _check_reference(reference: str | None, decision: Decision | None = None) -> None:
    if not reference:
        return
    clash = db.session.scalar(sa.select(Decision).where(Decision.reference == reference))
    if clash is not None and clash is not decision:
        raise FieldProblem("reference", f"Decision {reference} already exists: "
                              "each issue reference belongs to one decision")


def create_decision(values: dict[str, Any]) -> Decision:
    _check_reference(values.get("reference"))
    decision = Decision(**{k: values.get(k) for k in DECISION_FIELDS if k in values})
    if not decision.exemption:
        decision.exemption = "open"
    audit.created(decision, f"Added decision {_name(decision)}")
    db.session.commit()
    return decision


def edit_decision(decision: Decision, values: dict[str, Any],
                  expected_version: int | None) -> None:
    audit.check_version(decision, expected_version)
    _check_reference(values.get("reference"), decision)
    audit.updated(decision, {k: values[k] for k in DECISION_FIELDS if k in values},
                  f"Edited decision {_name(decision)}", expected_version)
    db.session.commit()


def withdraw_decision(decision: Decision, reason: str, expected_version: int | None) -> None:
    audit.withdrawn(decision, reason, f"Withdrew decision {_name(decision)}", expected_version)
    db.session.commit()


# --- Parts ------------------------------------------------------------------------------

def _check_label(decision: Decision, label: str, part: DecisionPart | None = None) -> None:
    clash = next((p for p in decision.parts if p.label == label and p is not part), None)
    if clash is not None:
        state = " (withdrawn)" if clash.is_withdrawn else ""
        raise FieldProblem("label", f"Part ({label}){state} already exists in this decision: "
                              "choose another label")


def add_part(decision: Decision, values: dict[str, Any]) -> DecisionPart:
    _check_label(decision, values["label"])
    position = max((p.position for p in decision.parts), default=-1) + 1
    part = DecisionPart(decision=decision, position=position,
                        **{k: values.get(k) for k in PART_FIELDS})
    audit.created(part, f"Added part ({part.label}) to decision {_name(decision)}")
    db.session.commit()
    return part


def edit_part(part: DecisionPart, values: dict[str, Any], expected_version: int | None) -> None:
    audit.check_version(part, expected_version)
    _check_label(part.decision, values["label"], part)
    audit.updated(part, {k: values[k] for k in PART_FIELDS if k in values},
                  f"Edited part ({values['label']}) of decision {_name(part.decision)}",
                  expected_version)
    db.session.commit()


def withdraw_part(part: DecisionPart, reason: str, expected_version: int | None) -> None:
    audit.withdrawn(part, reason, f"Withdrew part ({part.label}) of decision "
                    f"{_name(part.decision)}", expected_version)
    db.session.commit()


# --- Documents --------------------------------------------------------------------------

def add_document(decision: Decision, values: dict[str, Any]) -> Document:
    position = max((d.position for d in decision.documents), default=-1) + 1
    document = Document(decision=decision, position=position,
                        **{k: values.get(k) for k in DOCUMENT_FIELDS})
    audit.created(document, f"Added document “{document.title[:80]}” to decision "
                  f"{_name(decision)}")
    db.session.commit()
    return document


def edit_document(document: Document, values: dict[str, Any],
                  expected_version: int | None) -> None:
    audit.updated(document, {k: values[k] for k in DOCUMENT_FIELDS if k in values},
                  f"Edited document “{document.title[:80]}” of decision "
                  f"{_name(document.decision)}", expected_version)
    db.session.commit()


def withdraw_document(document: Document, reason: str, expected_version: int | None) -> None:
    audit.withdrawn(document, reason, f"Withdrew document “{document.title[:80]}” of decision "
                    f"{_name(document.decision)}", expected_version)
    db.session.commit()


# --- Call-in events ---------------------------------------------------------------------

def check_call_in(decision: Decision, record: str, called_in_on: dt.date | None,
                  outcome: str | None, outcome_on: dt.date | None) -> None:
    """Refuse a call-in record that cannot be true, naming the field to fix."""
    if record != "called_in":
        if outcome or outcome_on or called_in_on:
            field = "called_in_on" if called_in_on else "outcome"
            raise FieldProblem(field, "Only a decision that was called in has a call-in date "
                                  "or a committee outcome: choose “Called in” or clear them")
        return
    if called_in_on is None:
        raise FieldProblem("called_in_on", "Enter the date the decision was called in")
    if called_in_on < decision.decided_on:
        raise FieldProblem("called_in_on", "The date it was called in must be on or after "
                              "the date of decision")
    if decision.call_in_expires_on and called_in_on > decision.call_in_expires_on:
        raise FieldProblem("called_in_on", "The date it was called in must be on or before "
                              "the call-in expiry date "
                              f"({decision.call_in_expires_on.day} "
                              f"{decision.call_in_expires_on:%B %Y})")
    if outcome and outcome_on is None:
        raise FieldProblem("outcome_on", "Enter the date of the committee's outcome")
    if outcome_on and not outcome:
        raise FieldProblem("outcome", "Choose the committee's outcome")
    if outcome_on and outcome_on < called_in_on:
        raise FieldProblem("outcome_on", "The committee's outcome must be on or after the "
                              "date the decision was called in")


def record_call_in(decision: Decision, record: str, called_in_on: dt.date | None,
                   outcome: str | None, outcome_on: dt.date | None,
                   expected_version: int | None) -> None:
    """Record that a decision was called in (and the committee's outcome), or urgency."""
    audit.check_version(decision, expected_version)
    check_call_in(decision, record, called_in_on, outcome, outcome_on)
    what = {"none": "no call-in recorded", "urgent": "not subject to call-in (special urgency)",
            "called_in": "called in"}[record]
    if outcome:
        what += f"; outcome: {CALL_IN_OUTCOME_LABELS[outcome]}"
    audit.updated(decision, {"call_in_record": record, "called_in_on": called_in_on,
                             "call_in_outcome": outcome, "call_in_outcome_on": outcome_on},
                  f"Call-in of decision {_name(decision)}: {what}", expected_version)
    db.session.commit()
