"""Read a council decision notice from plain text. Pure Python: no Flask, no database.

The layouts councils publish are understood, built for the layout, not one council
(real examples: ``tracker/demo/seed`` and the corpus in ``tests/decisions/corpus``; files
other than text are turned into text by ``notice_files``):

* ``written_statement``: the statutory "Written statement of a (non-)key
  decision" as text extracted from its PDF: ``Label<TAB>value`` lines, trailing
  tabs, values continued on following lines (also after a page break, with a
  leading tab), a "Councillor: <name> Date <date>" signature line;
* ``decision_details``: a ModernGov "Decision details" page copied from a
  browser: title line, then ``Label: value`` lines or ``Label:`` headings with the
  value on the lines below;
* ``issue_decisions``: a ModernGov "Issue - decisions" page: title, a line
  "30/11/2020 - <title>" (the date the decision was PUBLISHED), then the decision
  text with no label, optionally followed by labelled lines; minutes printed before
  the resolution ("Cllr X presented ...") are kept as unrecognised;
* ``issue_meetings``: a ModernGov "Issue - meetings" page: title, "Meeting: 14/01/2019 -
  Cabinet (Item 5)" (date of decision and decision maker, when not labelled), the item
  and its minutes, in which the resolution is found (see ``notice_blocks``);
* ``issue_details``: a ModernGov "Issue details" / "Issue history" page: title,
  "Decision type: Key" / "Non-key", "Decision status";
* ``written_record``: a record of an executive or officer decision with colon-dash or
  capitalised labels ("Decision Maker :-Cabinet", "SUBJECT TITLE:", "Decision No:"),
  the title from its label;
* ``minutes``: a minutes extract ("RESOLVED: THAT ...", "RESOLVED – That ..."): the
  heading line is the title, the resolution the decision;
* ``cmis``: a CMIS "Decision Details" page: status, title, labels alone on their line
  with the value below ("Decision Outcome", "Implementation Date").

A "Decision details" page may print the purpose and the decision as unlabelled
paragraphs after the status lines; they are read as ``notice_blocks`` says. A page
heading ("Decision details", "Issue - meetings", "Meeting documents", "Record of
decision") is never the title; when a notice has no title line the title is None and
the preview and the command say so (:data:`NO_TITLE`).

Decisions the reader makes, pinned by tests/decisions/test_notice_reader.py:

* Nothing is silently lost. A label it does not know (a capitalised phrase of up
  to six words, then ":" or a tab) goes to ``unrecognised`` as "Label: value",
  and so do known labels without a field (e.g. "Wards affected"), extra lines
  after a one-line value (such as the garbled line under the signature), values
  that do not read (a "Key decision" of "Maybe"), repeated fields with a
  different value, and any line it cannot place. Only the page furniture listed
  in ``notice_labels`` is dropped. Inside a multi-line field such as Decision, a
  "Label: value" line of unknown label only ends the field after a blank line.
* The statutory footnote of the written statement form ("a record of any conflict
  of interest declared ...", "and", "in respect of any declared conflict of
  interest, a note of dispensation granted") is form furniture, dropped: it is
  the same on every statement and is not a declaration, so ``interests_declared``
  only holds what follows a "Declarations of interest" label.
* "Decision status" is kept on the ``decision_status`` attribute, not in JSON;
  ``layout`` is an attribute too. ``recognised`` is False (with a warning) when
  no field at all was found.
* ``reference`` comes only from an explicit "Issue reference" label. It is never
  made up from links such as "mgIssueHistoryHome.aspx?IId=50035813": links in
  notices are often broken by PDF extraction and may point at another issue.
* ``subject_to_call_in`` is read from an explicit Yes/No, else from a sentence of
  the notice: "not subject to call-in" / "call-in does not apply" (False), "subject to
  call-in" / "unless it is called in" (True); a call-in expiry date alone does not set
  it. Text in brackets is not read for this: "Call-in expiry date (decisions are not
  subject to call-in where ...)" is a label's note, not a statement. A date in the sentence "unless it is called in by ... 16th September 2013" is the
  call-in expiry and one after "effective from" / "comes into force on" / "take effect
  on" the date it takes effect, when no label gave them.
* Part text is kept as published, including a trailing "; and" joining it to the
  next part, so the parts add up to the decision text.
* Values keep their wording (broken link words such as "mglssue" and "I D=251",
  curly quotes and words split by a PDF line break stay as published); runs of
  whitespace become one space and continued lines are joined with a space.
* A last part that does not end like a sentence (".", ";", ")" ...) is kept and
  flagged: "Part d appears to be cut off mid-sentence".
* When two values disagree (the heading says non-key, the label says key), the
  labelled value wins and a warning says so. A repeated field keeps its first value.

Nothing in ``read_notice`` raises for any text: there is no catch-all ``except``;
each step is written so it cannot fail, and works in one pass over the lines
(no backtracking regular expressions), so a megabyte of hostile text takes well
under a second.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date

from tracker.decisions import notice_labels as labels
from tracker.decisions.notice_dates import find_date
from tracker.decisions.notice_parts import split_parts
from tracker.decisions.notice_reader import DATE_LINE, LineReader, clean, split_lines

MAX_NOTICE_BYTES = 1_000_000
LAYOUTS = ("written_statement", "decision_details", "issue_decisions", "issue_meetings",
           "issue_details", "written_record", "minutes", "cmis", "unknown")
_NO_CALL_IN = ("not subject to call-in", "not subject to call in", "call-in does not apply",
               "call in does not apply", "not be subject to call-in", "exempt from call-in")
_CALL_IN = ("subject to call-in", "subject to call in", "unless it is called in",
            "unless the decision is called in", "unless called in")
_TAKES_EFFECT = ("effective from", "comes into force on", "come into force on",
                 "take effect on", "takes effect on", "implemented on or after")
NO_TITLE = "Not given: the notice has no title line (a page heading is never the title)"
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"
_ENDS_SENTENCE = tuple(".;!?)]\"'’”")
_LAYOUT_LINES = 200
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
    """Turn an uploaded file into text: UTF-8 (BOM or not), else Windows-1252; LF line ends.

    Refused with a one-line ``error``: empty (or only whitespace), over
    :data:`MAX_NOTICE_BYTES`, UTF-16, PDF, or binary (a NUL byte, or more than 5%
    control bytes other than tab, line feed, form feed and carriage return).
    """
    if not data.strip():
        return DecodedText(error="The file is empty")
    if len(data) > MAX_NOTICE_BYTES:
        return DecodedText(error="The file is larger than 1 MB, which is too big for a decision notice")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return DecodedText(error="This file is saved as UTF-16: save it as UTF-8 text and upload it again")
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


def detect_layout(text: str) -> str:
    """Which published layout ``text`` is in: one of :data:`LAYOUTS`.

    Decided from the first ``_LAYOUT_LINES`` non-blank lines: a page heading on the
    first line, a "Written statement of ..." heading, a "30/11/2020 - title" line
    before any label, else whether known labels are mostly ``Label<TAB>value`` (the
    PDF) or ``Label: value`` (ModernGov, also when a copied table puts a tab after
    the colon). A signature line ("Councillor:<TAB>name<TAB>Date<TAB>...") counts for
    the written statement whatever its punctuation: ModernGov pages are not signed,
    and the form prints it with a colon, as it prints "Issue reference: ...".
    """
    if labels.CMIS_MARK in text[:3000].lower():
        return "cmis"
    tab_labels = colon_labels = seen = dash_colon = upper = resolved = 0
    for raw in split_lines(text):
        line = raw.strip()
        if not line:
            continue
        seen += 1
        if seen > _LAYOUT_LINES:
            break
        heading = labels.page_heading(line.lower()) if seen == 1 else None
        if heading is not None:
            return heading
        resolved += line[:8].lower() == "resolved"
        if labels.written_statement_heading(line) is not None:
            return "written_statement"
        if seen <= 5 and tab_labels + colon_labels == 0 and DATE_LINE.match(line):
            return "issue_decisions"
        split = labels.split_label(raw)
        if split is not None and split.spec is not None:
            if split.spec.kind == labels.SIGNATURE:
                tab_labels += 1  # only the signed statement has a signature, however punctuated
            elif split.form == "tab" and not raw.partition("\t")[0].rstrip().endswith(":"):
                tab_labels += 1
            else:
                colon_labels += 1
                dash_colon += ":-" in line
                upper += split.label.isupper() and len(split.label) > 3
    if tab_labels and tab_labels >= colon_labels:
        return "written_statement"
    if dash_colon >= 2 or (upper >= 2 and upper * 2 >= colon_labels):
        return "written_record"
    if colon_labels:
        return "decision_details"
    return "minutes" if resolved else "unknown"


def read_notice(text: str, *, warnings: Iterable[str] = ()) -> NoticeReading:
    """Read a decision notice; never raises. ``warnings`` (e.g. from decoding) are kept first."""
    layout = detect_layout(text)
    reader = LineReader(layout)
    for message in warnings:
        reader.warn(message)
    for raw in split_lines(text):
        reader.feed(raw)
    reader.settle()
    _from_sentences(reader, text)
    return _finish(reader)


def _from_sentences(reader: LineReader, text: str) -> None:
    """Call-in and the date a decision takes effect, from sentences, where no label gave them."""
    flat = clean(labels.strip_parentheses(text[:MAX_NOTICE_BYTES])).lower()  # not label notes
    values = reader.values
    if "subject_to_call_in" not in values:
        if any(phrase in flat for phrase in _NO_CALL_IN):
            values["subject_to_call_in"] = False
        elif any(phrase in flat for phrase in _CALL_IN):
            values["subject_to_call_in"] = True
    for names, phrases in ((("call_in_expires_on",), ("unless it is called in",
                                                        "unless the decision is called in",
                                                        "call-in period expires",
                                                        "call in period expires")),
                           (("effective_from",), _TAKES_EFFECT)):
        if names[0] in values:
            continue
        for phrase in phrases:
            at = flat.find(phrase)
            if at >= 0:
                found = find_date(flat[at + len(phrase): at + len(phrase) + 80])
                if found is not None:
                    values[names[0]] = found
                    break


def _finish(reader: LineReader) -> NoticeReading:
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
