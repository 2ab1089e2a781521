"""Every enumeration of the domain with the words the interface shows for it.

Stored values are short snake_case strings (checked by named CHECK constraints);
labels are what people read. One place, so forms, pages, exports and constraints agree.
"""
from __future__ import annotations

from tracker.permissions import (
    ADMIN, ALL_ROLES, MEMBER, OFFICER, OPEN_EXEMPTION, PARTNER, SCHOOL_LEAD,
)
# The vocabulary of progress is defined with its rules, in tracker.progress.
from tracker.progress import (
    ACTION_STATUSES, ADOPTED_STATUSES, ADOPTION_STATUSES, ENTERED_RAGS as RAGS,
    COMPUTED_RAGS, EXECUTIVE_RESPONSES as RESPONSES, LABELS, SOURCES,
)

# The roles are named once, with the rules of who may do what (tracker.permissions).
ROLES = ALL_ROLES
ROLE_LABELS = {
    ADMIN: "Administrator",
    OFFICER: "Officer",
    MEMBER: "Scrutiny committee member",
    SCHOOL_LEAD: "School lead",
    PARTNER: "Partner officer",
}

# Report exemption class: Open, or exempt under a paragraph of Schedule 12A, LGA 1972.
EXEMPTIONS = (OPEN_EXEMPTION,) + tuple(f"para_{n}" for n in range(1, 8))
EXEMPTION_LABELS = {OPEN_EXEMPTION: "Open"} | {
    f"para_{n}": f"Exempt: paragraph {n} of Schedule 12A to the Local Government Act 1972"
    for n in range(1, 8)
}

# Recorded call-in events; the state itself is computed (tracker.decisions.callin).
CALL_IN_RECORDS = ("none", "called_in", "urgent")
CALL_IN_OUTCOMES = ("confirmed", "referred_back", "referred_to_council", "amended")
CALL_IN_OUTCOME_LABELS = {
    "confirmed": "Decision confirmed: may be implemented",
    "referred_back": "Referred back to the decision maker",
    "referred_to_council": "Referred to full council",
    "amended": "Amended decision taken: may be implemented",
}

PART_KINDS = ("agree_recommendations", "approve_response", "approve_guidance", "referral", "note")
PART_KIND_LABELS = {
    "agree_recommendations": "Agree recommendations",
    "approve_response": "Approve executive response",
    "approve_guidance": "Approve guidance",
    "referral": "Referral to a committee",
    "note": "Note",
}

DOCUMENT_KINDS = ("report", "appendix", "minutes", "notice", "other")

SOURCE_LABELS = {"review": "Review", "scrutiny": "Scrutiny", "referral": "Referral"}

RESPONSE_LABELS = {
    "accepted": "Accepted",
    "partially_accepted": "Partially accepted",
    "not_accepted": "Not accepted",
}

ACTION_STATUS_LABELS = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "paused": "Paused",
    "complete": "Complete",
    "cancelled": "Cancelled",
}
STATUSES_NEEDING_REASON = ("paused", "cancelled")

RAG_LABELS = {rag: LABELS[rag] for rag in COMPUTED_RAGS}

ADOPTION_STATUS_LABELS = {
    "not_started": "Not started",
    "under_review": "Under review",
    "adopted": "Adopted by the governing body or trust",
    "own_policy": "Own equivalent policy confirmed",
    "embedded": "Embedded (staff trained)",
    "declined": "Declined",
}
ADOPTION_VIA = (SCHOOL_LEAD, "trust_lead", OFFICER, ADMIN, "carried_over", "import", "demo")

SCHOOL_STATUSES = ("open", "closed", "open_proposed_to_close", "proposed_to_open")
SCHOOL_STATUS_LABELS = {
    "open": "Open",
    "closed": "Closed",
    "open_proposed_to_close": "Open, but proposed to close",
    "proposed_to_open": "Proposed to open",
}

TOKEN_PURPOSES = ("invitation", "password_reset")

TERM_SOURCES = ("decision", "national_guidance")

# Organisations that own work: the council's services and its partner agencies.
ORGANISATION_KIND_LABELS = {
    "council_service": "Council service",
    "police": "Police",
    "health": "Health",
    "school": "School or college",
    "voluntary": "Voluntary sector",
}
ORGANISATION_KINDS = tuple(ORGANISATION_KIND_LABELS)

AUDIT_ACTIONS = (
    "create", "update", "withdraw", "sign_in", "sign_in_failed", "sign_out",
    "access_refused", "export", "import", "password_changed", "token_issued", "token_used",
)

# Links between recommendations (docs/search-and-themes.md): a recommendation repeats an
# earlier one (the same learning came back), or is related to it.
LINK_KINDS = ("repeats", "related")
LINK_LABELS = {"repeats": "Repeats", "related": "Related to"}
