"""History tables in plain English: each audit event's changes said in words, with people's
names (not ids or emails), labels (not stored codes such as ``not_started``) and UK dates
and times in London time: "Due date changed from 31 March 2021 to 30 June 2021".

One function, ``history_rows(events)``, used by the history table on every page
(templates/components/history.html). It reads the names of everyone an event names in one
query, however many events there are (docs/history-and-time.md: what history shows).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from tracker.clock import to_london
from tracker.extensions import db
from tracker.models import AuditEvent, User

# Bookkeeping columns: not something a person changed (and an action's completion figures,
# kept for the ageing chart: its history already says when it was completed).
HIDDEN = frozenset({"id", "version_id", "updated_at", "created_at", "position", "notice_layout",
                    "session_version", "failed_sign_ins", "locked_until", "last_sign_in_at",
                    "totp_last_step", "theme_ids", "days_to_complete", "completed_by_due"})

# What a column is called on the page, where its name alone does not say it.
FIELD_WORDS = {
    "due_on": "Due date", "current_due_on": "Current due date",
    "revised_due_on": "Revised due date", "revised_due_reason": "Reason for the revised due date",
    "owner_id": "Owner", "author_id": "Author", "asked_by_id": "Asked by",
    "answered_by_id": "Answered by", "signed_off_by_id": "Signed off by",
    "withdrawn_by_id": "Withdrawn by", "recorded_by_id": "Recorded by",
    "created_by_id": "Created by", "updated_by_id": "Updated by", "opened_by_id": "Opened by",
    "rag": "RAG", "urn": "URN", "la_name": "Local authority", "la_code": "Local authority code",
    "trust_code": "Trust code", "trust_name": "Trust", "type_name": "Type of establishment",
    "decided_on": "Date of decision", "published_on": "Date published",
    "call_in_expires_on": "Call-in expiry date", "called_in_on": "Called in on",
    "call_in_outcome_on": "Call-in outcome recorded on", "call_in_record": "Call-in",
    "call_in_outcome": "Call-in outcome", "meeting_on": "Meeting date",
    "report_published_on": "Date the report was published",
    "response_due_on": "Response due", "adopted_on": "Date adopted",
    "trained_on": "Date staff trained", "policy_url": "Published policy",
    "signed_off_at": "Signed off", "withdrawn_at": "Withdrawn", "withdrawn_reason":
    "Reason for withdrawal", "answered_at": "Answered", "asked_at": "Asked",
    "recorded_at": "Recorded", "is_example": "Example data", "totp_enabled": "Two-factor sign-in",
    "key_decision": "Key decision", "subject_to_call_in": "Subject to call-in",
    "in_scope": "In scope", "interests_declared": "Declarations of interest",
    "job_title": "Job title", "sign_off_meeting": "Sign-off meeting",
    "sign_off_minute": "Sign-off minute", "minute_reference": "Minute reference",
    "lead_service": "Lead service", "cabinet_member": "Cabinet member",
    "lead_officer": "Lead officer", "response_text": "Response text", "kind": "Kind",
    "exemption": "Report exemption", "decision_maker": "Decision maker",
    "part_id": "Decision part", "carried_from_id": "Carried over from",
    "predecessor_id": "Predecessor school", "approved_by_part_id": "Approved by part",
}

_USER_FIELDS = frozenset({f for f in FIELD_WORDS if f.endswith("_by_id")} |
                         {"owner_id", "author_id", "actor_id", "recipient_id", "user_id"})
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_ISO_MOMENT = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}")


@dataclass(frozen=True)
class HistoryRow:
    occurred_at: dt.datetime
    who: str
    summary: str
    changes: tuple[str, ...]


def history_rows(events: list[AuditEvent]) -> list[HistoryRow]:
    """Each event as the history table shows it, names read in one query."""
    wanted: set[int] = set()
    for event in events:
        if event.actor_id is not None:
            wanted.add(event.actor_id)
        for field, before, after in event.changes():
            if field in _USER_FIELDS:
                wanted.update(v for v in (before, after) if isinstance(v, int))
    # Always one query (even for no history), so a page asks the same number of questions
    # however much history it shows.
    names = dict(db.session.execute(
        sa.select(User.id, User.name).where(User.id.in_(wanted))).tuples().all())
    return [HistoryRow(
        occurred_at=event.occurred_at,
        who=names.get(event.actor_id, event.actor_label) if event.actor_id is not None
        else event.actor_label,
        summary=event.summary,
        changes=tuple(change_words(event.object_type, field, before, after, names)
                      for field, before, after in event.changes() if field not in HIDDEN))
        for event in events]


def field_words(field: str) -> str:
    if field in FIELD_WORDS:
        return FIELD_WORDS[field]
    return field.removesuffix("_id").replace("_", " ").capitalize()


def change_words(object_type: str | None, field: str, before: Any, after: Any,
                 names: dict[int, str]) -> str:
    """One change in words: "Due date changed from 31 March 2021 to 30 June 2021"."""
    name = field_words(field)
    old, new = (value_words(object_type, field, v, names) for v in (before, after))
    if before is None or before == "":
        return f"{name} set to {new}"
    if after is None or after == "":
        return f"{name} cleared (was {old})"
    return f"{name} changed from {old} to {new}"


def value_words(object_type: str | None, field: str, value: Any,
                names: dict[int, str]) -> str:
    """A stored value as the pages say it: a person's name, a label, a UK date."""
    from tracker import vocab

    if value is None or value == "":
        return "nothing"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if field in _USER_FIELDS and isinstance(value, int):
        return names.get(value, "a user no longer in the tracker")
    if isinstance(value, str):
        labels = _labels_for(object_type, field, vocab)
        if labels and value in labels:
            return labels[value]
        if _ISO_DATE.match(value):
            day = dt.date.fromisoformat(value)
            return f"{day.day} {day:%B %Y}"
        if _ISO_MOMENT.match(value):
            moment = dt.datetime.fromisoformat(value)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=dt.timezone.utc)
            local = to_london(moment)
            hour = local.hour % 12 or 12
            return (f"{local.day} {local:%B %Y} at {hour}:{local:%M}"
                    f"{'am' if local.hour < 12 else 'pm'}")
        return f"“{value}”"
    return str(value)


def _labels_for(object_type: str | None, field: str, vocab: Any) -> dict[str, str] | None:
    if field == "status":
        if object_type in ("Adoption", "AdoptionEvent"):
            return vocab.ADOPTION_STATUS_LABELS
        if object_type == "School":
            return None
        return vocab.ACTION_STATUS_LABELS
    return {
        "rag": vocab.RAG_LABELS, "source": vocab.SOURCE_LABELS,
        "response": vocab.RESPONSE_LABELS, "exemption": vocab.EXEMPTION_LABELS,
        "role": vocab.ROLE_LABELS, "call_in_outcome": vocab.CALL_IN_OUTCOME_LABELS,
        "kind": vocab.PART_KIND_LABELS if object_type == "DecisionPart" else None,
    }.get(field)
