"""The field labels of council decision notices, and the page furniture around them.

Labels are matched on a *key*: lower case, parenthesised explanations removed,
hyphens read as spaces, "?", ":" and "." dropped, whitespace collapsed. So
"Call-in expiry date (decisions are not subject to call-in where special urgency
provisions apply)", "Is Key decision?" and "Declarations of interest (see • below)"
all find their field. The synonym table is per *layout*, not per council: the
labels below are the ones ModernGov pages and the statutory written statement
use across English councils.

Furniture is text that belongs to the page or the printed form, never to the
decision, and is dropped:

* page headings: "Decision details", "Issue - decisions", "Issue details";
* the "Written statement of a (non-)key decision" heading (read for key_decision);
* "Information about <body> ... can be found here:" and the link line after it;
* the statutory footnote of the written statement form (Local Authorities
  (Executive Arrangements) (Meetings and Access to Information) (England)
  Regulations 2012, reg. 13): "a record of any conflict of interest declared ...",
  the "and" between its bullets, and "in respect of any declared conflict of
  interest, a note of dispensation granted ...";
* bullets on their own and document sizes such as "PDF 123 KB";
* the "Accompanying Documents:" heading (document names under it are kept in
  ``unrecognised`` as "Accompanying document: <name>").
"""

from __future__ import annotations

from dataclasses import dataclass

TEXT = "text"  # free text, may run over several lines
SINGLE = "single"  # one short value
FLAG = "flag"  # Yes / No
DATE = "date"
SIGNATURE = "signature"  # "<who> Date <when>"
OTHER = "other"  # a label we know but have no field for: kept in unrecognised
DOCUMENTS = "documents"  # "Accompanying Documents:" list
MEETING = "meeting"  # "19/01/2009 - Full Council (Item 85)": date and body of the meeting

MULTI_LINE_KINDS = frozenset({TEXT, OTHER, DOCUMENTS})
MAX_LABEL_CHARS = 150


@dataclass(frozen=True)
class FieldSpec:
    """Where a label's value goes (``name``) and how it is read (``kind``)."""

    name: str
    kind: str
    human: str


_SYNONYMS: dict[tuple[str, str, str], tuple[str, ...]] = {
    ("reference", SINGLE, "Issue reference"): (
        "issue reference", "reference", "decision reference", "reference number",
        "decision no", "decision number", "decision ref", "record no", "record number",
    ),
    ("title", TEXT, "Title"): (
        "title", "issue title", "decision title", "subject title", "subject of decision",
        "title of decision", "title of report", "report title", "subject",
        "subject matter / title of decision", "subject matter/title of decision",
        "subject matter",
    ),
    ("decision_maker", SINGLE, "Decision maker"): (
        "decision maker", "decision taker", "decision made by", "decision taken by",
        "decision to be taken by",
    ),
    ("key_decision", FLAG, "Key decision"): (
        "is key decision", "key decision", "is this a key decision", "decision type",
        "is it a key decision",
    ),
    ("decided_on", DATE, "Date of decision"): (
        "date of decision", "decision date", "date of the decision", "date decision taken",
        "date decision made", "decision made on", "date of decision making",
        "date of decision making meeting", "date", "date decided",
    ),
    ("published_on", DATE, "Publication date"): (
        "publication date", "date published", "date of publication", "decision published",
        "published",
    ),
    ("effective_from", DATE, "Effective from"): (
        "effective from", "date comes into force if not called in", "comes into force",
        "date decision comes into force", "implementation date", "effective date",
        "decision to take effect at end of", "decision to take effect", "date decision takes effect",
        "takes effect", "date of implementation",
    ),
    ("subject_to_call_in", FLAG, "Subject to call-in"): (
        "is subject to call in", "subject to call in", "is the decision subject to call in",
    ),
    ("call_in_expires_on", DATE, "Call-in expiry date"): (
        "call in expiry date", "call in expiry", "call in deadline", "call in deadline date",
        "call in period ends", "deadline for call in", "last date for call in",
        "call in period expires", "call in expires", "call in period expiry date",
    ),
    ("exemption", SINGLE, "Exemption"): (
        "report exemption class", "exemption", "exemption class", "exempt information",
    ),
    ("purpose", TEXT, "Purpose"): (
        "purpose", "purpose of report", "purpose of the report", "purpose of the decision",
    ),
    ("decision", TEXT, "Decision"): (
        "decision", "decisions", "the decision", "decision taken", "decisions taken",
        "decision made", "decision outcome", "details of decision",
    ),
    ("reasons", TEXT, "Reasons"): (
        "reason for the decision", "reasons for the decision", "reason for decision",
        "reasons for decision", "reasons", "reason", "reason for decisions",
        "reasons for decisions", "reason for the decisions", "reasons for the decisions",
    ),
    ("options_considered", TEXT, "Options considered"): (
        "options considered", "alternative options considered", "alternative options",
        "alternatives considered", "other options considered",
        "alternative options considered and rejected", "options considered and rejected",
        "any alternatives considered and rejected",
    ),
    ("interests_declared", TEXT, "Declarations of interest"): (
        "declarations of interest", "declaration of interest", "interests declared",
        "interests and nature of interests declared", "conflicts of interest",
        "conflicts of interest declared", "conflicts of interest delared",
        "conflicts of interest / dispensations granted",
        "any interest declared when the decision was taken and any dispensation granted by the"
        " proper officer",
        "conflict of interest relating to the matter declared by cabinet member / dispensation"
        " granted",
    ),
    ("decision_status", SINGLE, "Decision status"): ("decision status",),
    ("signature", SIGNATURE, "Signed by"): ("councillor", "signed", "signed by"),
    ("documents", DOCUMENTS, "Accompanying documents"): (
        "accompanying documents", "accompanying document",
    ),
    ("other", OTHER, "Other"): (
        "wards affected", "divisions affected", "lead officer", "report author",
        "decided at meeting", "contact officer", "notice of proposed decision first published",
        "anticipated restriction on call in", "explanation of anticipated restriction",
        "lead member", "portfolio holder", "cabinet member", "reason key", "contact",
        "consultation with ward member", "attachments", "key portfolio", "decision options",
        "would the recommended decision be contrary to the budget and policy framework",
    ),
    ("meeting", MEETING, "Meeting"): ("meeting", "decided at meeting"),
}

LABELS: dict[str, FieldSpec] = {
    synonym: FieldSpec(name, kind, human)
    for (name, kind, human), synonyms in _SYNONYMS.items()
    for synonym in synonyms
}
UNKNOWN = FieldSpec("other", OTHER, "Other")

# The last three: Symbol/Wingdings bullets from PDF text, and the DEL some PDF writers map "•" to.
BULLETS = "•·▪◦‣*–-\uf0b7\uf0a7\x7f"
_PAGE_HEADINGS = {
    "decision details": "decision_details",
    "issue - decisions": "issue_decisions",
    "issue – decisions": "issue_decisions",
    "issue decisions": "issue_decisions",
    "issue - meetings": "issue_meetings",
    "issue – meetings": "issue_meetings",
    "issue meetings": "issue_meetings",
    "issue details": "issue_details",
    "issue history": "issue_details",
    "meeting documents": "written_record",
    "record of decision": "written_record",
    "proposed record of decision": "written_record",
    "record of decisions": "written_record",
    "record of executive decision": "written_record",
    "record of officer decision": "written_record",
    "record of delegated decision": "written_record",
    "executive decision record": "written_record",
    "officer decision record": "written_record",
    "delegated decision record": "written_record",
    "decision record": "written_record",
    "decision notice": "written_record",
    "agenda item": "minutes",
    "minutes extract": "minutes",
    "extract from the minutes": "minutes",
}
# Lines that head a block of a page and are never part of the decision.
_BLOCK_HEADINGS = frozenset({
    "additional documents:", "supporting documents:", "agenda items", "minutes:",
    "related documents:", "background papers:",
})
# CMIS pages: tab names, check-box captions and empty section headings.
_CMIS_FURNITURE = frozenset({
    "include item on forward plan", "is key decision", "item contains exempt/private reports",
    "urgent decision - not in forward plan", "details for agenda sheet", "relevant documents",
    "other information", "private reason", "additional information", "reg 10", "reg 11",
    "decision criteria", "overview and scrutiny", "decision history", "general", "reports",
    "chief officer decision maker", "reason for key decision", "------ n/a ------",
    "decision type:",
})
_CMIS_PREFIXES = ("this decision does not contain", "this section ", "date & time created",
                  "page 1 of")
CMIS_MARK = "this section allows you to view the general details of a decision"
# Fields whose label may be followed by a dash instead of a colon, as minutes print them.
DASH_FIELDS = frozenset({"reasons", "options_considered", "interests_declared"})
_DASHES = (" – ", " - ", " — ")
_BOILERPLATE = (
    "a record of any conflict of interest declared",
    "in respect of any declared conflict of interest",
)
_NOT_LABELS = frozenset({"that", "resolved", "agreed", "noted", "note", "decided"})
# A phrase ending so leads into what follows ("The Cabinet agree to:"): never a label.
_LEADS_IN = frozenset({"to", "that"})
_SIZE_UNITS = frozenset({"kb", "mb", "bytes"})
_FILE_TYPES = frozenset({"pdf", "doc", "docx", "xls", "xlsx", "htm", "html", "odt", "rtf"})


def strip_parentheses(text: str) -> str:
    """Remove parenthesised explanations, keeping unmatched ")" so odd text stays odd."""
    if "(" not in text:
        return text
    out: list[str] = []
    depth = 0
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")" and depth:
            depth -= 1
        elif not depth:
            out.append(char)
    return "".join(out)


_KEY_TABLE = str.maketrans({"-": " ", "_": " ", "?": None, ":": None, ".": None})
_KEY_CACHE: dict[str, str] = {}


def label_key(label: str) -> str:
    """The key a label is looked up by (see the module docstring)."""
    key = _KEY_CACHE.get(label)
    if key is None:
        text = strip_parentheses(label[:MAX_LABEL_CHARS]).lower().translate(_KEY_TABLE)
        key = " ".join(text.split())
        if len(_KEY_CACHE) < 4096:
            _KEY_CACHE[label] = key
    return key


@dataclass(frozen=True)
class LabelledLine:
    """A line that may be ``Label<TAB>value`` ("tab") or ``Label: value`` ("colon").

    ``spec`` is the field when the label is known, else None.
    """

    form: str
    label: str
    value: str
    spec: FieldSpec | None


def split_label(raw: str) -> LabelledLine | None:
    """Split a line that could be labelled; None when it cannot be.

    The tab form needs a label that does not start with whitespace (a trailing
    ":" is allowed). The colon form needs the colon within the first
    ``MAX_LABEL_CHARS`` characters and followed by whitespace or the end of the
    line, so "http://" is not a label. A known label in either form wins.
    """
    tabbed = raw[:1] not in (" ", "\t") and "\t" in raw
    head = rest = ""
    if tabbed:
        head, _, rest = raw.partition("\t")
        head = head.strip()
        if head.endswith(":"):
            head = head[:-1].rstrip()
        spec = LABELS.get(label_key(head)) if 0 < len(head) <= MAX_LABEL_CHARS else None
        if spec is not None:
            return LabelledLine("tab", head, rest, spec)
    text = raw.strip()
    colon = text.find(":", 0, MAX_LABEL_CHARS + 1)
    if colon > 0 and (colon + 1 == len(text) or text[colon + 1].isspace()):
        label = text[:colon].strip()
        return LabelledLine("colon", label, text[colon + 1:], LABELS.get(label_key(label)))
    if colon > 0 and text[colon + 1] == "-":  # "Decision Maker :-Cabinet"
        label = text[:colon].strip()
        return LabelledLine("colon", label, text[colon + 2:], LABELS.get(label_key(label)))
    dashed = _dash_label(text)
    if dashed is not None:
        return dashed
    return LabelledLine("tab", head, rest, None) if tabbed and head else None


def _dash_label(text: str) -> LabelledLine | None:
    """``Reasons for the decision – as detailed in the report``: a known label, a dash, a value.

    Only for the fields in :data:`DASH_FIELDS`, so titles such as "Transformation Board -
    deep dive" stay text.
    """
    for dash in _DASHES:
        at = text.find(dash, 0, 80)
        if at > 0:
            spec = LABELS.get(label_key(text[:at]))
            if spec is not None and spec.name in DASH_FIELDS:
                return LabelledLine("dash", text[:at].strip(), text[at + len(dash):], spec)
    return None


def bare_label(line: str) -> FieldSpec | None:
    """The field of a line that is only a label, no colon ("Decision taken", "Reason for
    decision", CMIS "Decision Outcome"): text, single-value and date fields only."""
    if len(line) > 60 or not line[:1].isupper():
        return None
    spec = LABELS.get(label_key(line))
    return spec if spec is not None and spec.kind in (TEXT, SINGLE, DATE) else None


def is_block_heading(lowered: str) -> bool:
    """True for "Additional documents:", "Minutes:" and other headings of a page block."""
    return lowered in _BLOCK_HEADINGS


def is_cmis_furniture(lowered: str) -> bool:
    """True for the tab names, check-box captions and empty sections of a CMIS page."""
    return lowered in _CMIS_FURNITURE or lowered.startswith(_CMIS_PREFIXES)


_LOOKS_CACHE: dict[str, bool] = {}


def looks_like_label(label: str) -> bool:
    """True for a short capitalised phrase such as "Wards affected" or "Lead officer"."""
    if not 2 <= len(label) <= 100 or not label[0].isupper() or not label[0].isalpha():
        return False
    known = _LOOKS_CACHE.get(label)
    if known is not None:
        return known
    text = strip_parentheses(label).strip()
    words = text.split()
    looks = not (len(text) > 60 or len(words) > 6 or label_key(text) in _NOT_LABELS
                 or words[-1].lower() in _LEADS_IN) and all(
        char.isalpha() or char in " -'’/?&" for char in text
    )
    if len(_LOOKS_CACHE) < 4096:
        _LOOKS_CACHE[label] = looks
    return looks


def page_heading(lowered: str) -> str | None:
    """The layout named by a page heading line ("decision details" ...), if it is one.

    Also when the council's name comes first: "KENT COUNTY COUNCIL – RECORD OF DECISION".
    """
    words = " ".join(lowered.split())
    layout = _PAGE_HEADINGS.get(words)
    if layout is None and "council" in words[:80]:
        for dash in _DASHES:
            council, found, heading = words.partition(dash)
            if found and council.endswith("council"):
                return _PAGE_HEADINGS.get(heading.strip())
    return layout


def written_statement_heading(line: str) -> tuple[bool | None, str] | None:
    """For "Written statement of a non-key decision Cabinet": ``(False, "Cabinet")``."""
    lowered = line.lower()
    if not lowered.startswith("written statement of"):
        return None
    at = lowered.find("decision")
    before = lowered[:at] if at >= 0 else lowered
    if "non-key" in before or "non key" in before or "nonkey" in before:
        key: bool | None = False
    elif "key" in before:
        key = True
    else:
        key = None
    rest = line[at + len("decision"):].strip() if at >= 0 else ""
    return key, rest


def without_bullet(text: str) -> str:
    """``text`` without a leading bullet character and the space after it."""
    return text.lstrip(BULLETS).strip()


def is_boilerplate(lowered: str) -> bool:
    """True for the statutory footnote lines of the written statement form.

    Up to three odd characters before the words are allowed: PDF text extraction
    turns the form's bullets into anything from "•" to "?" or a private-use glyph.
    """
    start = 0
    while start < 3 and start < len(lowered) and not lowered[start].isalnum():
        start += 1
    return lowered[start:].lstrip().startswith(_BOILERPLATE)


def is_link_intro(lowered: str) -> bool:
    """True for "Information about cabinet, ... can be found here:"."""
    return lowered.startswith("information about") and lowered.rstrip(":. ").endswith(
        "found here"
    )


def without_document_size(text: str) -> str:
    """Drop a bullet and a trailing size ("PDF 123 KB", "(123KB)") from a document line."""
    words = without_bullet(text).split()
    last = words[-1].strip("()").lower() if words else ""
    if last in _SIZE_UNITS and len(words) >= 2 and _is_number(words[-2].strip("()")):
        del words[-2:]
    elif last[-2:] in _SIZE_UNITS and _is_number(last[:-2]):
        words.pop()
    else:
        return " ".join(words)
    if words and words[-1].strip("(),").lower() in _FILE_TYPES:
        words.pop()
    return " ".join(words)


def _is_number(text: str) -> bool:
    """True for "123" or "1.5" (ASCII digits only)."""
    digits = text.replace(".", "", 1)
    return digits.isascii() and digits.isdigit()
