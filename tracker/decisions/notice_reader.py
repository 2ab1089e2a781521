"""The line-by-line state machine behind :func:`tracker.decisions.notice.read_notice`.

Each line is, in this order: blank (remembered, as it matters for unknown labels and
paragraphs), furniture (dropped, see ``notice_labels``), a known label (opens a field;
also "Label :-value" and, for reasons, options and interests, "Label – value"), the title
(the first unlabelled line of a page whose layout prints it first, even with a colon in
it), a "30/11/2020 - title" line on an Issue - decisions page (published date, then the
decision), a label alone on its line ("Decision taken", CMIS "Decision Outcome"), an
unknown label (opens a field kept in ``unrecognised``), a continuation of the open field,
or unlabelled text. Unlabelled text is gathered in blocks that
:mod:`tracker.decisions.notice_blocks` reads for the decision when no label gave it.
Every step looks at one line once, so reading is linear in the size of the text, and no
step can raise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from tracker.decisions import notice_labels as labels
from tracker.decisions.notice_blocks import is_decision_start, settle_blocks, trim_narrative
from tracker.decisions.notice_dates import make_date, parse_date

DATE_LINE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4}) ?[-–—] ?(.*)", re.ASCII | re.DOTALL)
MODERNGOV = ("decision_details", "issue_decisions")
TITLE_FIRST = ("decision_details", "issue_decisions", "issue_meetings", "issue_details", "cmis")
# How page and block headings begin (a quick test before looking a line up).
_HEADING_STARTS = frozenset(
    "add sup age min rel bac dec iss mee rec exe off del ext".split()
)
_NOT_GIVEN = frozenset({"not applicable", "n/a", "na", "none given", "-"})
_FURNITURE_START = re.compile(  # how every furniture line but sizes and repeated titles starts
    r"written statement of|information about|decision details|issue"
    r"|[^\w\s]{0,3} ?(?:a record of any conflict|in respect of any declared)"
    r"|[" + re.escape(labels.BULLETS) + "]",
    re.IGNORECASE,
)


def split_lines(text: str) -> list[str]:
    """The lines of ``text`` with any line ending and a leading BOM removed."""
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")


def clean(text: str) -> str:
    """Collapse every run of whitespace (tabs, line breaks, wide spaces) to one space."""
    return " ".join(text.split())


@dataclass
class _Open:
    """A field being read: its spec, its label as published and its lines so far."""

    spec: labels.FieldSpec
    label: str
    lines: list[str]
    one_line: bool = False

    def has_value(self) -> bool:
        """True once a one-line field has its value."""
        return any(line.strip() for line in self.lines)


class LineReader:
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
        self.meetings = 0
        self.rest_unrecognised = False
        self.blocks: list[list[str]] = []
        self.block_open = False
        self.fallback: dict[str, object] = {}
        self.columns: list[tuple[labels.FieldSpec, str]] = []  # a row of labels, values below
        self.column_more = False  # the first column's value may run on to the next line
        self.held_date: str | None = None  # a date alone on its line, above "signed  date"

    def warn(self, message: str) -> None:
        """Add a warning once, keeping the order warnings were first given in."""
        self.warnings[message] = None

    def feed(self, raw: str) -> None:
        """Read one line."""
        line = raw.strip()
        if not line:
            self.blank_before = True
            self.column_more = False
            if self.block_open and self.blocks[-1] and self.blocks[-1][-1]:
                self.blocks[-1].append("")
            return
        if self.rest_unrecognised:
            self.unrecognised.append(clean(line))
        elif not self.furniture(line):
            if self.held_date is not None and not _is_signature_row(line):
                held, self.held_date = self.held_date, None
                self.content(held, held.strip(), replay=True)
            self.content(raw, line)
        self.blank_before = False
        self.column_more = self.column_more and self.current is not None

    def furniture(self, line: str) -> bool:
        """Drop page and form furniture (see ``notice_labels``); True if ``line`` was some."""
        after_boilerplate, after_link_intro = self.after_boilerplate, self.after_link_intro
        self.after_boilerplate = self.after_link_intro = False
        if line[:3].lower() in _HEADING_STARTS and len(line) < 40:
            lowered = line.lower()
            if labels.is_block_heading(lowered) or labels.page_heading(lowered):
                self.close()
                self.block_open = False
                return True
        elif len(line) < 100 and " council " in line[:80].lower() and (
            labels.page_heading(line.lower())
        ):  # "KENT COUNTY COUNCIL – RECORD OF DECISION"
            return True
        if line[0] == "." and not line.strip(". "):  # the dotted lines of a form to sign
            return True
        if _FORM_FOOTER.fullmatch(line):  # "01/decision/glossaries/FormC 2": form and page
            return True
        if self.held_date is None and _is_signature_row(line):  # "signed  date", unsigned
            return True
        if self.layout == "cmis" and labels.is_cmis_furniture(labels.without_bullet(line.lower())):
            return True
        if not (after_boilerplate or after_link_intro or _FURNITURE_START.match(line)):
            if line[-1] in "bBsS)" and not labels.without_document_size(line):
                return True
            title = self.values.get("title") if self.current is None else None
            return isinstance(title, str) and clean(line) == title
        lowered = line.lower()
        if lowered.startswith("written statement of"):
            heading = labels.written_statement_heading(line)
            if heading is not None:
                self.heading_key, self.heading_maker = heading[0], clean(heading[1])
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
        return self.current is None and isinstance(title, str) and clean(line) == title

    def content(self, raw: str, line: str, replay: bool = False) -> None:
        """Read a line that is not furniture: a label, a date line or a continuation.

        ``replay``: a date line held back by :meth:`form_row`, now read as any other line.
        """
        if not replay and self.form_row(line):
            return
        split = labels.split_label(raw) if ("\t" in raw or ":" in line or " " in line) else None
        current = self.current
        if (split is not None and split.spec is None and current is not None and current.lines
                and not split.value.strip()):  # a label the page wrapped over two lines
            joined = labels.LABELS.get(labels.label_key(f"{current.lines[-1]} {split.label}"))
            if joined is not None:
                label = f"{current.lines.pop()} {split.label}"
                split = labels.LabelledLine(split.form, label, "", joined)
        if split is not None and split.spec is not None:
            if (
                current is not None
                and current.spec.kind == labels.SIGNATURE
                and labels.label_key(split.label) == "date"
            ):  # "Date<TAB>26 November 2020" under "Signed"
                current.lines.append(f"Date {split.value}")
            else:
                self.open(split.spec, split.label, split.value, one_line=split.form == "dash")
        elif not self.seen_label and self.wants_title():
            self.continuation(line)
        elif self.layout == "issue_decisions" and line[:1].isdigit() and DATE_LINE.match(line):
            self.date_line(line)
        elif split is None and line[:1].isupper() and self.layout != "written_statement" and (
            self.bare(line)
        ):
            pass
        elif split is not None and self.starts_unknown_field(split):
            self.open(labels.UNKNOWN, split.label, split.value)
        else:
            self.continuation(line)

    def form_row(self, line: str) -> bool:
        """Rows of a printed form, as PDF text gives them; True if ``line`` was one.

        * a row of labels side by side ("DECISION TO BE TAKEN BY:   DECISION NUMBER:") and,
          on the next line, their values in the same columns; the first value may run on to
          the line after;
        * a date alone on its line is held back, and is the date signed when the next line
          is the form's "signed    date" row under the dotted lines.
        """
        cells = _COLUMNS.split(line) if "   " in line else [line]
        if self.columns:
            columns, self.columns = self.columns, []
            if len(cells) == len(columns):
                for (spec, label), value in list(zip(columns, cells))[:0:-1]:
                    self.open(spec, label, value)
                self.open(columns[0][0], columns[0][1], cells[0])
                self.column_more = True
                return True
            self.unrecognised.extend(label for _, label in columns)
        if len(cells) > 1 and all(cell.endswith(":") for cell in cells):
            specs = [labels.LABELS.get(labels.label_key(cell[:-1])) for cell in cells]
            if all(spec is not None and spec.kind in (labels.SINGLE, labels.TEXT)
                   for spec in specs):
                self.close()
                self.columns = [(spec, cell[:-1]) for spec, cell in zip(specs, cells) if spec]
                return True
        held, self.held_date = self.held_date, None
        if held is not None and _is_signature_row(line):
            signed = parse_date(held)
            if signed is not None:
                self.close()
                self.store("signed_on", signed, "Date")
                self.fallback.setdefault("decided_on", signed)
                return True
        current = self.current
        if (held is None and len(cells) == 1 and len(line) <= 20 and line[:1].isdigit()
                and (current is None or current.has_value()) and parse_date(line)):
            self.held_date = line  # not the value a "Date:" label above is waiting for
            return True
        return False

    def bare(self, line: str) -> bool:
        """Open the field of a label printed alone on its line; True if ``line`` was one."""
        spec = labels.bare_label(line)
        if spec is not None:
            self.open(spec, line, "")
        return spec is not None

    def wants_title(self) -> bool:
        """True while the next unlabelled line of the page is its title."""
        return (self.layout in TITLE_FIRST and not self.seen_label
                and "title" not in self.values and self.current is None)

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

    def open(self, spec: labels.FieldSpec, label: str, value: str, one_line: bool = False) -> None:
        """Start reading a new field, closing the one before."""
        self.close()
        self.block_open = False
        if spec.kind is labels.MEETING and labels.label_key(label) == "meeting":
            self.meetings += 1
            if self.meetings > 1:  # an Issue - meetings page lists the latest meeting first
                self.warn("This page lists more than one meeting; only the first was read")
                self.unrecognised.append(clean(f"{label}: {value}"))
                self.rest_unrecognised = True
                return
        self.seen_label = True
        if spec.name == "decision":
            self.decisions += 1
        self.current = _Open(spec, clean(label), [value] if value.strip() else [], one_line)

    def date_line(self, line: str) -> None:
        """Read "30/11/2020 - title" on an Issue - decisions page: published date, then the decision."""
        if self.decisions:
            self.warn("This page lists more than one decision; only the first was read")
            self.close()
            self.rest_unrecognised = True
            self.unrecognised.append(clean(line))
            return
        match = DATE_LINE.match(line)
        day, month, year, title = (match.groups() if match else ("", "", "", ""))
        self.close()
        published = make_date(int(year), int(month), int(day)) if match else None
        if published is None:
            self.unrecognised.append(clean(line))
        else:
            self.store("published_on", published, "Publication date")
        if clean(title):
            self.store("title", clean(title), "Title")
        self.open(labels.LABELS["decision"], "Decision", "")

    def continuation(self, line: str) -> None:
        """A line with no label: more of the open field, the title, or unrecognised."""
        current = self.current
        if self.column_more and current is not None:
            current.lines.append(line)
            return
        if current is None and self.block_open:  # the most common case: more unlabelled text
            self.blocks[-1].append(line)
            return
        if self.layout == "cmis" and "title" not in self.values and self._cmis_status(line):
            return
        if current is None and not self.seen_label and self.wants_title():
            self.values["title"] = clean(line)
        elif self.layout == "issue_meetings" and labels.without_document_size(line) != clean(line):
            self.close()  # "52 To receive the minutes ... PDF 164 KB": the agenda item, a link
            self.unrecognised.append(f"Agenda item: {labels.without_document_size(line)}")
            self.block_open = False
        elif current is not None and not current.one_line and (
            current.spec.kind in labels.MULTI_LINE_KINDS or not current.has_value()
        ):
            current.lines.append(line)
        elif self.layout == "written_statement":
            self.unrecognised.append(clean(line))
        else:
            self.close()
            if not self.block_open:
                self.blocks.append([])
                self.block_open = True
            self.blocks[-1].append(line)

    def _cmis_status(self, line: str) -> bool:
        """On a CMIS page the status ("Decision Confirmed") is printed just above the title."""
        lowered = line.lower()
        if "decision_status" in self.values or len(line.split()) > 4:
            return False
        if lowered.startswith(("decision ", "recommendation", "for determination")):
            self.values["decision_status"] = clean(line)
            return True
        return False

    def settle(self) -> None:
        """After the last line: find the decision in unlabelled text when no label gave it."""
        if self.held_date is not None:
            held, self.held_date = self.held_date, None
            self.content(held, held.strip(), replay=True)
        if self.columns:
            self.unrecognised.extend(label for _, label in self.columns)
            self.columns = []
        self.close()
        for name, value in self.fallback.items():
            self.values.setdefault(name, value)
        blocks = self.blocks
        if self.layout == "minutes" and "title" not in self.values and blocks:
            first = blocks[0]
            if len(first) > 2 and first[1] == "" and _title_like(first[0]):
                self.values["title"] = clean(first[0])
                blocks[0] = first[2:]
        if "decision" in self.values:
            for block in blocks:
                self.unrecognised.extend(settle_blocks([block], "", False).unplaced)
            return
        settled = settle_blocks(blocks, self.layout, "purpose" in self.values,
                                "decision_status" in self.values)
        if settled.purpose:
            self.store("purpose", settled.purpose, "Purpose")
        if settled.decision:
            self.store("decision", settled.decision, "Decision")
            self.warn("The decision has no label on this page: it was read from the text, "
                      "so check where it starts and ends")
        self.unrecognised.extend(settled.unplaced)

    def close(self) -> None:
        """Store the value of the open field, if any."""
        current, self.current = self.current, None
        if current is None:
            return
        spec, value = current.spec, clean(" ".join(current.lines))
        if spec.kind == labels.DOCUMENTS:
            for line in current.lines:
                name = labels.without_document_size(line)
                if name:
                    self.unrecognised.append(f"Accompanying document: {clean(name)}")
        elif spec.kind == labels.OTHER:
            self.unrecognised.append(f"{current.label}: {value}" if value else current.label)
        elif not value:
            return
        elif spec.kind == labels.MEETING:
            self.meeting(current.label, value)
        elif spec.kind == labels.SINGLE and value.lower().strip(" -") in _NOT_GIVEN:
            self.unrecognised.append(f"{current.label}: {value}")
        elif spec.name == "decision" and self.layout == "issue_decisions":
            narrative, decision = trim_narrative(current.lines)
            self.unrecognised.extend(clean(line) for line in narrative)
            self.store("decision", clean(" ".join(decision)), current.label)
        elif spec.kind == labels.SIGNATURE:
            self.signature(current.label, value)
        elif spec.kind in (labels.FLAG, labels.DATE):
            read = yes_no(value) if spec.kind == labels.FLAG else parse_date(value)
            if read is None:
                self.unrecognised.append(f"{current.label}: {value}")
                self.warn(f"Could not read the {spec.human.lower()}; it is kept as unrecognised")
            else:
                self.store(spec.name, read, current.label)
        else:
            self.store(spec.name, value, current.label)

    def meeting(self, label: str, value: str) -> None:
        """"19/01/2009 - Full Council (Item 85)": the date and body, used where not labelled.

        "Decided at meeting" is also kept in ``unrecognised``, as it always was; the
        "Meeting:" line of an Issue - meetings page is only used.
        """
        match = DATE_LINE.match(value)
        if match is None:
            self.unrecognised.append(f"{label}: {value}")
            return
        day, month, year, body = match.groups()
        at = body.lower().rfind("(item")
        body = clean(body[:at] if at > 0 and body.endswith(")") else body)
        when = make_date(int(year), int(month), int(day))
        if labels.label_key(label) != "meeting":
            self.unrecognised.append(f"{label}: {value}")
        if when is not None:
            self.fallback.setdefault("decided_on", when)
        if body:
            self.fallback.setdefault("decision_maker", body)

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
        """Set a field once; a later different value goes to unrecognised with a warning.

        ``label`` is the label as published, for the unrecognised entry; the warning
        names the field, so repeating a label a million times gives one warning.
        """
        if name not in self.values:
            self.values[name] = value
        elif self.values[name] != value:
            shown = value.isoformat() if isinstance(value, date) else value
            self.unrecognised.append(f"{label}: {shown}")
            field = name.replace("_", " ").capitalize()
            self.warn(f"{field} is given more than once; the first value was kept")


_COLUMNS = re.compile(r"\s{3,}")
_FORM_FOOTER = re.compile(r"[\w.-]+(?:/[\w.-]+){2,} +[0-9]{1,3}", re.ASCII)


def _is_signature_row(line: str) -> bool:
    """The "signed    date" row printed under the dotted lines of a form."""
    return line[:6].lower() == "signed" and _COLUMNS.split(line.lower()) == ["signed", "date"]


def yes_no(value: str) -> bool | None:
    """True for "Yes", False for "No" (also "Y"/"N", "Yes - ..."), else None.

    A "Decision type" is read the same way: "Key" is True, "Non-key" (or "Not key") False.
    """
    words = value.lower().replace("-", " ").replace(".", " ").replace(",", " ").split()
    first = words[0] if words else ""
    if first in ("yes", "y", "key"):
        return True
    return False if first in ("no", "n", "non", "nonkey", "not") else None


def _title_like(line: str) -> bool:
    """A one-line first paragraph of minutes that is a heading, not a sentence or resolution."""
    return len(line) <= 250 and not line.rstrip().endswith((".", ":", ";")) and not (
        is_decision_start(line)
    )
