"""The line-by-line state machine behind :func:`tracker.decisions.notice.read_notice`.

Each line is, in this order: blank (remembered, as it matters for unknown labels),
furniture (dropped, see ``notice_labels``), a known label (opens a field), a
"30/11/2020 - title" line on an Issue - decisions page (published date, then the
decision), an unknown label (opens a field kept in ``unrecognised``), or a
continuation of the open field. Every step looks at one line once, so reading is
linear in the size of the text, and no step can raise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from tracker.decisions import notice_labels as labels
from tracker.decisions.notice_dates import make_date, parse_date

DATE_LINE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4}) ?[-–—] ?(.*)", re.ASCII | re.DOTALL)
MODERNGOV = ("decision_details", "issue_decisions")
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
        self.rest_unrecognised = False

    def warn(self, message: str) -> None:
        """Add a warning once, keeping the order warnings were first given in."""
        self.warnings[message] = None

    def feed(self, raw: str) -> None:
        """Read one line."""
        line = raw.strip()
        if not line:
            self.blank_before = True
            return
        if self.rest_unrecognised:
            self.unrecognised.append(clean(line))
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

    def content(self, raw: str, line: str) -> None:
        """Read a line that is not furniture: a label, a date line or a continuation."""
        split = labels.split_label(raw) if ("\t" in raw or ":" in line) else None
        current = self.current
        if split is not None and split.spec is not None:
            self.open(split.spec, split.label, split.value)
        elif (
            split is not None
            and current is not None
            and current.spec.kind == labels.SIGNATURE
            and labels.label_key(split.label) == "date"
        ):
            current.lines.append(f"Date {split.value}")  # "Date<TAB>26 November 2020" under "Signed"
        elif self.layout == "issue_decisions" and line[:1].isdigit() and DATE_LINE.match(line):
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
        self.current = _Open(spec, clean(label), [value] if value.strip() else [])

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
        if current is None:
            if self.layout in MODERNGOV and not self.seen_label and "title" not in self.values:
                self.values["title"] = clean(line)
            else:
                self.unrecognised.append(clean(line))
        elif current.spec.kind in labels.MULTI_LINE_KINDS or not current.has_value():
            current.lines.append(line)
        else:
            self.unrecognised.append(clean(line))

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


def yes_no(value: str) -> bool | None:
    """True for "Yes", False for "No" (also "Y"/"N", "Yes - ..."), else None."""
    words = value.lower().replace("-", " ").replace(".", " ").replace(",", " ").split()
    first = words[0] if words else ""
    return True if first in ("yes", "y") else False if first in ("no", "n") else None
