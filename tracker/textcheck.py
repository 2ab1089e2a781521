"""Warnings (never blocks) for text people type: terminology rules, and text that looks
like a Unique Pupil Number or an NHS number (the tracker must hold nothing about children)."""
from __future__ import annotations

import re
from typing import Iterable

import sqlalchemy as sa

UPN_RE = re.compile(r"\b[A-HJ-NP-RT-Z]\d{11}[0-9A-HJ-NP-RT-Z]\b")
NHS_RE = re.compile(r"(?<!\d)(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?!\d)")
UPN_CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def _valid_upn(upn: str) -> bool:
    """DfE's UPN check letter: weighted sum of characters 2-13 modulo 23."""
    values = []
    for ch in upn[1:]:
        if ch.isdigit():
            values.append(int(ch))
        elif ch in UPN_CHECK_LETTERS:  # a temporary UPN ends in a letter
            values.append(UPN_CHECK_LETTERS.index(ch))
        else:
            return False
    total = sum(v * w for v, w in zip(values, range(2, 14)))
    return UPN_CHECK_LETTERS[total % 23] == upn[0]


def _valid_nhs(digits: str) -> bool:
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1)))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def personal_data_warnings(text: str | None) -> list[str]:
    if not text:
        return []
    warnings = []
    if any(_valid_upn(m.group(0)) for m in UPN_RE.finditer(text.upper())):
        warnings.append("This text contains what looks like a Unique Pupil Number. Do not "
                        "record information about individual children: remove it.")
    if any(_valid_nhs("".join(m.groups())) for m in NHS_RE.finditer(text)):
        warnings.append("This text contains what looks like an NHS number. Do not record "
                        "information about individual children or families: remove it.")
    return warnings


def terminology_warnings(text: str | None, rules: Iterable[tuple[str, str, str]]) -> list[str]:
    """rules: (term, replacement, source) triples. Whole words, any case."""
    if not text:
        return []
    found = []
    for term, replacement, source in rules:
        if re.search(r"(?<!\w)" + re.escape(term) + r"(?!\w)", text, re.IGNORECASE):
            found.append(f"“{term}” should be written “{replacement}” ({source}).")
    return found


def active_rules() -> list[tuple[str, str, str]]:
    from tracker.extensions import db
    from tracker.models import TerminologyRule

    rows = db.session.scalars(sa.select(TerminologyRule).where(
        TerminologyRule.withdrawn_at.is_(None)).order_by(TerminologyRule.term))
    return [(r.term, r.replacement, r.source_title or r.source_kind.replace("_", " ")) for r in rows]


def text_warnings(*texts: str | None) -> list[str]:
    """Every warning for the given texts, each once, in a stable order."""
    rules = active_rules()
    out: list[str] = []
    for text in texts:
        for warning in personal_data_warnings(text) + terminology_warnings(text, rules):
            if warning not in out:
                out.append(warning)
    return out
