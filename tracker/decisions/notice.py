"""Read a council decision notice from plain text. Pure Python: no Flask, no database.

Three published layouts of the same decision are understood (see
``tests/decisions/seed`` for real examples), built for the layout, not one council:

* ``written_statement``: the statutory "Written statement of a (non-)key
  decision" as text extracted from its PDF: ``Label<TAB>value`` lines, trailing
  tabs, values continued on following lines (also after a page break, with a
  leading tab), a "Councillor: <name> Date <date>" signature line;
* ``decision_details``: a ModernGov "Decision details" page copied from a
  browser: title line, then ``Label: value`` lines or ``Label:`` headings with the
  value on the lines below;
* ``issue_decisions``: a ModernGov "Issue - decisions" page: title, a line
  "30/11/2020 - <title>" (the date the decision was PUBLISHED), then the decision
  text with no label, optionally followed by labelled lines.

Decisions the reader makes, pinned by tests/decisions/test_notice_reader.py:

* Nothing is silently lost. A label it does not know (a capitalised phrase of up
  to six words, then ":" or a tab) goes to ``unrecognised`` as "Label: value",
  and so do known labels without a field (e.g. "Wards affected"), extra lines
  after a one-line value (such as the garbled line under the signature), values
  that do not read (a "Key decision" of "Maybe"), repeated fields with a
  different value, and any line it cannot place. Only the page furniture listed
  in ``notice_labels`` is dropped. Inside a multi-line field such as Decision, a
  "Label: value" line of unknown label only ends the field after a blank line.
* "Decision status" is kept on the ``decision_status`` attribute, not in JSON.
* ``reference`` comes only from an explicit "Issue reference" label. It is never
  made up from links such as "mgIssueHistoryHome.aspx?IId=50035813": links in
  notices are often broken by PDF extraction and may point at another issue.
* ``subject_to_call_in`` is only read from an explicit Yes/No; a call-in expiry
  date alone does not set it.
* Part text is kept as published, including a trailing "; and" joining it to the
  next part, so the parts add up to the decision text.
* Values keep their wording (broken link words such as "mglssue" and curly
  quotes stay as published); runs of whitespace become one space and continued
  lines are joined with a space.
* When two values disagree (the heading says non-key, the label says key), the
  labelled value wins and a warning says so. A repeated field keeps its first value.

Nothing in ``read_notice`` raises for any text: there is no catch-all ``except``;
each step is written so it cannot fail, and works in one pass over the lines
(no backtracking regular expressions), so a megabyte of hostile text takes well
under a second.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date

from tracker.decisions import notice_labels as labels
from tracker.decisions.notice_dates import make_date, parse_date
from tracker.decisions.notice_parts import split_parts

MAX_NOTICE_BYTES = 1_000_000
LAYOUTS = ("written_statement", "decision_details", "issue_decisions", "unknown")
_MODERNGOV = ("decision_details", "issue_decisions")
_DATE_LINE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4}) ?[-–—] ?(.*)", re.ASCII | re.DOTALL)
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"
_ENDS_SENTENCE = tuple(".;:!?)]\"'’”")
_LAYOUT_LINES = 200
_FURNITURE_START = re.compile(  # how every furniture line but sizes and repeated titles starts
    r"written statement of|information about|decision details|issue|a record of any conflict"
    r"|in respect of any declared|[" + re.escape(labels.BULLETS) + "]",
    re.IGNORECASE,
)
_NOT_RECOGNISED = "Nothing in this text was recognised as a council decision notice"


@dataclass
class DecodedText:
    """Result of :func:`decode_notice`: ``text`` or a one-line ``error`` for the user."""

    text: str | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class NoticePart:
    """One lettered or numbered part of a decision; ``label`` is e.g. "a", "iv" or "3"."""

    label: str
    text: str

    def to_json_dict(self) -> dict[str, str]:
        """The part as ``{"label": ..., "text": ...}``."""
        return {"label": self.label, "text": self.text}


_NOT_JSON = {"json": False}


@dataclass
class NoticeReading:
    """What :func:`read_notice` found. Dates are ``datetime.date``; see ``to_json_dict``."""

    reference: str | None = None
    title: str | None = None
    decision_maker: str | None = None
    key_decision: bool | None = None
    decided_on: date | None = None
    published_on: date | None = None
    effective_from: date | None = None
    subject_to_call_in: bool | None = None
    call_in_expires_on: date | None = None
    exemption: str | None = None
    purpose: str | None = None
    decision_text: str | None = None
    parts: list[NoticePart] = field(default_factory=list)
    reasons: str | None = None
    options_considered: str | None = None
    interests_declared: str | None = None
    signed_by: str | None = None
    signed_on: date | None = None
    unrecognised: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    layout: str = field(default="unknown", metadata=_NOT_JSON)
    decision_status: str | None = field(default=None, metadata=_NOT_JSON)

    def to_json_dict(self) -> dict[str, object]:
        """The reading as a JSON object: dates as "YYYY-MM-DD", parts as label/text objects."""
        out: dict[str, object] = {}
        for spec in fields(self):
            if spec.metadata.get("json", True):
                value = getattr(self, spec.name)
                if isinstance(value, date):
                    value = value.isoformat()
                elif spec.name == "parts":
                    value = [part.to_json_dict() for part in self.parts]
                elif isinstance(value, list):
                    value = list(value)
                out[spec.name] = value
        return out

    def is_empty(self) -> bool:
        """True when no field of a decision notice was found."""
        return all(
            getattr(self, spec.name) in (None, [])
            for spec in fields(self)
            if spec.metadata.get("json", True) and spec.name not in ("unrecognised", "warnings")
        )

    @property
    def recognised(self) -> bool:
        """False when nothing recognisable as a decision notice was found."""
        return not self.is_empty()


def decode_notice(data: bytes) -> DecodedText:
    """Turn an uploaded file into text: UTF-8 (BOM or not), else Windows-1252; LF line ends."""
    if not data.strip():
        return DecodedText(error="The file is empty")
    if len(data) > MAX_NOTICE_BYTES:
        return DecodedText(error="The file is larger than 1 MB, which is too big for a decision notice")
    if data.startswith(b"%PDF"):
        return DecodedText(error="This is a PDF file: copy its text into a .txt file and upload that")
    control = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if b"\x00" in data or control * 20 > len(data):
        return DecodedText(error="The file is not text (it looks like a binary file such as a Word document)")
    warnings: list[str] = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        warnings.append("Decoded as Windows-1252 because the file is not valid UTF-8")
        if "\ufffd" in text:
            warnings.append("Some characters could not be read and were replaced with �")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return DecodedText(error="The file is empty")
    return DecodedText(text=text, warnings=warnings)


def _lines(text: str) -> list[str]:
    """The lines of ``text`` with any line ending and a leading BOM removed."""
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _clean(text: str) -> str:
    """Collapse every run of whitespace (tabs, line breaks, wide spaces) to one space."""
    return " ".join(text.split())


def detect_layout(text: str) -> str:
    """Which published layout ``text`` is in: one of :data:`LAYOUTS`.

    Decided from the first ``_LAYOUT_LINES`` non-blank lines: a page heading on the
    first line, a "Written statement of ..." heading, a "30/11/2020 - title" line
    before any label, else whether known labels are mostly tab- or colon-separated.
    """
    tab_labels = colon_labels = seen = 0
    for raw in _lines(text):
        line = raw.strip()
        if not line:
            continue
        seen += 1
        if seen > _LAYOUT_LINES:
            break
        heading = labels.page_heading(line.lower()) if seen == 1 else None
        if heading is not None:
            return heading
        if labels.written_statement_heading(line) is not None:
            return "written_statement"
        if seen <= 5 and tab_labels + colon_labels == 0 and _DATE_LINE.match(line):
            return "issue_decisions"
        split = labels.split_label(raw)
        if split is not None and split.spec is not None:
            if split.form == "tab":
                tab_labels += 1
            else:
                colon_labels += 1
    if tab_labels and tab_labels >= colon_labels:
        return "written_statement"
    return "decision_details" if colon_labels else "unknown"


@dataclass
class _Open:
    """A field being read: its spec, its label as published and its lines so far."""

    spec: labels.FieldSpec
    label: str
    lines: list[str]

    def has_value(self) -> bool:
        return any(line.strip() for line in self.lines)


class _Reader:
    """One pass over the lines of a notice, filling ``values``; see :func:`read_notice`."""

    def __init__(self, layout: str) -> None:
        self.layout = layout
        self.values: dict[str, object] = {}
        self.unrecognised: list[str] = []
        self.warnings: dict[str, None] = {}
        self.current: _Open | None = None
        self.blank_before = False
        self.seen_label = False
        self.heading_key: bool | None = None
        self.heading_maker = ""
        self.after_boilerplate = False
        self.after_link_intro = False
        self.decisions = 0
        self.rest_unrecognised = False

    def warn(self, message: str) -> None:
        self.warnings[message] = None

    def feed(self, raw: str) -> None:
        """Read one line."""
        line = raw.strip()
        if not line:
            self.blank_before = True
            return
        if self.rest_unrecognised:
            self.unrecognised.append(_clean(line))
        elif not self.furniture(line):
            self.content(raw, line)
        self.blank_before = False

    def furniture(self, line: str) -> bool:
        """Drop page and form furniture (see ``notice_labels``); True if ``line`` was some."""
        after_boilerplate, after_link_intro = self.after_boilerplate, self.after_link_intro
        self.after_boilerplate = self.after_link_intro = False
        if not (after_boilerplate or after_link_intro or _FURNITURE_START.match(line)):
            if line[-1] in "bBsS)" and not labels.without_document_size(line):
                return True
            title = self.values.get("title") if self.current is None else None
            return isinstance(title, str) and _clean(line) == title
        lowered = line.lower()
        if lowered.startswith("written statement of"):
            heading = labels.written_statement_heading(line)
            if heading is not None:
                self.heading_key, self.heading_maker = heading[0], _clean(heading[1])
                return True
        if labels.is_boilerplate(lowered) or (after_boilerplate and lowered in ("and", "or")):
            self.after_boilerplate = True
            return True
        if labels.is_link_intro(lowered):
            self.after_link_intro = True
            return True
        if after_link_intro and lowered.startswith(("http", "www.")):
            return True
        if len(line) < 40 and labels.page_heading(lowered):
            return True
        if (line[0] in labels.BULLETS or line[-1] in "bBsS)") and not labels.without_document_size(line):
            return True
        title = self.values.get("title")
        return self.current is None and isinstance(title, str) and _clean(line) == title

    def content(self, raw: str, line: str) -> None:
        """Read a line that is not furniture: a label, a date line or a continuation."""
        split = labels.split_label(raw) if ("\t" in raw or ":" in line) else None
        if split is not None and split.spec is not None:
            self.open(split.spec, split.label, split.value)
        elif self.layout == "issue_decisions" and line[:1].isdigit() and _DATE_LINE.match(line):
            self.date_line(line)
        elif split is not None and self.starts_unknown_field(split):
            self.open(labels.UNKNOWN, split.label, split.value)
        else:
            self.continuation(line)

    def starts_unknown_field(self, split: labels.LabelledLine) -> bool:
        """Whether a line with a label we do not know starts a field of its own.

        Always for ``Label<TAB>value``; for ``Label: value`` only outside free text
        or after a blank line, so "Note: ..." inside a decision stays in it.
        """
        if not labels.looks_like_label(split.label):
            return False
        if split.form == "tab":
            return bool(split.value.strip())
        current = self.current
        return self.blank_before or current is None or current.spec.kind != labels.TEXT

    def open(self, spec: labels.FieldSpec, label: str, value: str) -> None:
        """Start reading a new field, closing the one before."""
        self.close()
        self.seen_label = True
        if spec.name == "decision":
            self.decisions += 1
        self.current = _Open(spec, _clean(label), [value] if value.strip() else [])

    def date_line(self, line: str) -> None:
        """Read "30/11/2020 - title" on an Issue - decisions page: published date, then the decision."""
        if self.decisions:
            self.warn("This page lists more than one decision; only the first was read")
            self.close()
            self.rest_unrecognised = True
            self.unrecognised.append(_clean(line))
            return
        match = _DATE_LINE.match(line)
        day, month, year, title = (match.groups() if match else ("", "", "", ""))
        self.close()
        published = make_date(int(year), int(month), int(day)) if match else None
        if published is None:
            self.unrecognised.append(_clean(line))
        else:
            self.store("published_on", published, "Publication date")
        if _clean(title):
            self.store("title", _clean(title), "Title")
        self.open(labels.LABELS["decision"], "Decision", "")

    def continuation(self, line: str) -> None:
        """A line with no label: more of the open field, the title, or unrecognised."""
        current = self.current
        if current is None:
            if self.layout in _MODERNGOV and not self.seen_label and "title" not in self.values:
                self.values["title"] = _clean(line)
            else:
                self.unrecognised.append(_clean(line))
        elif current.spec.kind in labels.MULTI_LINE_KINDS or not current.has_value():
            current.lines.append(line)
        else:
            self.unrecognised.append(_clean(line))

    def close(self) -> None:
        """Store the value of the open field, if any."""
        current, self.current = self.current, None
        if current is None:
            return
        spec, value = current.spec, _clean(" ".join(current.lines))
        if spec.kind == labels.DOCUMENTS:
            for line in current.lines:
                name = labels.without_document_size(line)
                if name:
                    self.unrecognised.append(f"Accompanying document: {_clean(name)}")
        elif spec.kind == labels.OTHER:
            self.unrecognised.append(f"{current.label}: {value}" if value else current.label)
        elif not value:
            return
        elif spec.kind == labels.SIGNATURE:
            self.signature(current.label, value)
        elif spec.kind in (labels.FLAG, labels.DATE):
            read = _yes_no(value) if spec.kind == labels.FLAG else parse_date(value)
            if read is None:
                self.unrecognised.append(f"{current.label}: {value}")
                self.warn(f"Could not read the {spec.human.lower()} “{value[:80]}”")
            else:
                self.store(spec.name, read, current.label)
        else:
            self.store(spec.name, value, current.label)

    def signature(self, label: str, value: str) -> None:
        """Read "<who> Date <when>" into signed_by and signed_on."""
        words = value.split()
        at = max((i for i, word in enumerate(words) if word.lower().rstrip(":") == "date"), default=-1)
        when = parse_date(" ".join(words[at + 1:])) if at >= 0 else None
        who = " ".join(words[:at]) if when is not None else value
        if who:
            self.store("signed_by", who.rstrip(",;-– "), label)
        if when is not None:
            self.store("signed_on", when, label)

    def store(self, name: str, value: object, label: str) -> None:
        """Set a field once; a later different value goes to unrecognised with a warning."""
        if name not in self.values:
            self.values[name] = value
        elif self.values[name] != value:
            shown = value.isoformat() if isinstance(value, date) else value
            self.unrecognised.append(f"{label}: {shown}")
            self.warn(f"{label} is given more than once; the first value was kept")


def _yes_no(value: str) -> bool | None:
    """True for "Yes", False for "No" (also "Y"/"N", "Yes - ..."), else None."""
    words = value.lower().replace("-", " ").replace(".", " ").replace(",", " ").split()
    first = words[0] if words else ""
    return True if first in ("yes", "y") else False if first in ("no", "n") else None


def read_notice(text: str, *, warnings: Iterable[str] = ()) -> NoticeReading:
    """Read a decision notice; never raises. ``warnings`` (e.g. from decoding) are kept first."""
    layout = detect_layout(text)
    reader = _Reader(layout)
    for message in warnings:
        reader.warn(message)
    for raw in _lines(text):
        reader.feed(raw)
    reader.close()
    return _finish(reader)


def _finish(reader: _Reader) -> NoticeReading:
    """Turn what the reader collected into a NoticeReading, adding derived values and warnings."""
    values = reader.values
    if reader.heading_key is not None:
        if values.get("key_decision") not in (None, reader.heading_key):
            reader.warn("The heading and the Key decision field disagree; the field was kept")
        values.setdefault("key_decision", reader.heading_key)
    if reader.heading_maker and "decision_maker" not in values:
        values["decision_maker"] = reader.heading_maker
    reading = NoticeReading(layout=reader.layout)
    for spec in fields(reading):
        if spec.name in values:
            setattr(reading, spec.name, values[spec.name])
    decision = values.get("decision")
    if isinstance(decision, str):
        reading.decision_text = decision
        reading.parts = [NoticePart(label, text) for label, text in split_parts(decision)[1]]
        if reading.parts and not reading.parts[-1].text.endswith(_ENDS_SENTENCE):
            reader.warn(f"Part {reading.parts[-1].label} appears to be cut off mid-sentence")
    reading.unrecognised = reader.unrecognised
    if reading.is_empty():
        reader.warn(_NOT_RECOGNISED)
    reading.warnings = list(reader.warnings)
    return reading
