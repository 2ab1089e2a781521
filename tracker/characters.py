"""Which characters the tracker stores, and which it leaves out of what it writes as XML.

One rule for every way text comes in (forms, query strings, the CSV, notice and GIAS
imports): C0 control characters are refused (NUL would fail on PostgreSQL and is stored by
SQLite; a bell or an escape sequence breaks the Excel report), except tab, and line breaks in
multi-line text; the two non-characters U+FFFE and U+FFFF, which XML 1.0 also forbids, are
refused with them. A one-line field keeps no line break.

And one rule for every way text goes out as XML (the Excel report): what XML 1.0 forbids is
left out (``for_xml``), so text stored before this rule, or by a command, cannot break it.
"""
from __future__ import annotations

import re

# C0 controls but tab, LF and CR; the non-characters XML 1.0 forbids; lone surrogates.
_NOT_STORED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_LINE_BREAK = re.compile("[\r\n]")
_XML_FORBIDDEN = _NOT_STORED

NOT_STORED = ("contains a character that cannot be stored (a control character, such as "
              "a NUL byte or an escape code, often pasted from another program): "
              "delete it and try again")
ONE_LINE = "must be on one line: remove the line breaks"


def problem(text: str, *, multi_line: bool) -> str | None:
    """What is wrong with ``text`` ("contains ..." or "must be on one line ..."), or None.
    The caller puts the field's name or the column before it."""
    if _NOT_STORED.search(text):
        return NOT_STORED
    if not multi_line and _LINE_BREAK.search(text):
        return ONE_LINE
    return None


def any_problem(text: str) -> bool:
    """Whether ``text`` has any character not stored, line breaks aside (a quick first look
    over a whole row before its columns are checked one by one)."""
    return _NOT_STORED.search(text) is not None


def for_xml(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (an Excel cell is XML)."""
    return _XML_FORBIDDEN.sub("", text)


def without_controls(text: str) -> tuple[str, int]:
    """``text`` with control characters other than tab and line breaks removed (a form feed
    becomes a line break), and how many were removed: for text read out of a PDF."""
    text = text.replace("\x0c", "\n")
    cleaned, count = _NOT_STORED.subn("", text)
    return cleaned, count
