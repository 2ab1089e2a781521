"""Finding the decision in text that has no label: the unlabelled paragraphs of a page.

Many published pages print the decision without a "Decision:" label: ModernGov "Decision
details" pages after the status lines, "Issue - meetings" pages under "Minutes:", minutes
extracts ("RESOLVED: THAT ..."). The reader collects such text in *blocks* (the lines between
two labels, with ``""`` marking a blank line between paragraphs); this module decides which
block is the decision and where in it the decision starts. Pure functions, one pass each.

Rules, pinned by tests/decisions/test_notice_layouts.py and the corpus:

* A decision *starts* at a line beginning "RESOLVED", "Resolved", "AGREED", "Agreed", "It was
  resolved", "Decided", "Decision made", "That", "Recommendation(s) agreed", "Noted and
  agreed", or a first part marker ("(a)", "a)", "1.", "(1)", "(i)" ...). A bulleted "- That"
  is a proposal quoted in the minutes, not the resolution.
* Of the blocks with a start, the one whose decision has the most parts wins (a page that
  prints a summary and then the full resolution gives the full one); on a tie the first.
* Lines before the start: on a "Decision details" page or a written record they are the
  purpose (when no "Purpose" label was given); elsewhere they are kept as "could not be
  placed". Other blocks are kept as "could not be placed", one entry per line.
* A resolution printed as a numbered list ends with the list: after a line that starts
  with a part marker and ends a sentence (".", ";"), a line that starts with a capital and no
  marker ("To ensure that Cabinet is fully briefed ...", the unlabelled reasons) is not part
  of the decision; it and the rest of the block are kept as "could not be placed".
* Minutes with no resolution line: the first paragraph that says the meeting agreed,
  resolved, approved, noted or confirmed something ("the minutes ... were agreed as a
  correct record") is the decision.
* No block with a start: on a "Decision details" page, written record or CMIS page that
  prints a decision status, the first paragraph is the purpose and the rest the decision (a
  single line is the decision); on an "Issue - meetings" page the minutes are the decision.
  Otherwise nothing is taken as the decision: stray lines under a labelled notice stay
  unplaced.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from tracker.decisions.notice_parts import is_marker, split_parts

_START = re.compile(
    r"^(?:\((?:a|A|1|i|I)\)|(?:a|A|1|i|I)[.)])(?=\s|$)"
    r"|^(?i:that(?=[ :,]|$)|resolved|it was resolved|it was agreed|(?:agreed|decided)(?! by)"
    r"|decision made|recommendations? agreed|noted and agreed)",
    re.MULTILINE,
)
PURPOSE_LAYOUTS = ("decision_details", "written_record", "cmis")
# Layouts whose unlabelled text may hold the decision; in others it is only kept.
_SETTLED_LAYOUTS = PURPOSE_LAYOUTS + ("issue_meetings", "issue_details", "issue_decisions",
                                      "minutes")


def clean(text: str) -> str:
    """Collapse every run of whitespace to one space."""
    return " ".join(text.split())


def is_decision_start(line: str) -> bool:
    """True when ``line`` begins a resolution (see the module docstring)."""
    return _START.match(line) is not None


@dataclass
class Settled:
    """What :func:`settle_blocks` found: texts to store and paragraphs left unplaced."""

    purpose: str | None = None
    decision: str | None = None
    unplaced: list[str] = field(default_factory=list)


def _lines(block: list[str]) -> list[str]:
    """The lines of a block, cleaned, as "could not be placed" entries (one per line)."""
    return [clean(line) for line in block if line]


def _start(block: list[str]) -> int | None:
    """The index of the first line of ``block`` that starts a resolution (one regex scan)."""
    text = "\n".join(block)
    match = _START.search(text)
    return None if match is None else text.count("\n", 0, match.start())


def settle_blocks(blocks: list[list[str]], layout: str, has_purpose: bool,
                  has_status: bool = False) -> Settled:
    """Choose the decision among unlabelled ``blocks`` (see the module docstring).

    ``has_status``: the page printed a decision status, as the pages that give the decision
    without a label do; without it, unlabelled text with no resolution in it is not taken
    as the decision.
    """
    settled = Settled()
    blocks = [block for block in blocks if any(block)]
    if layout not in _SETTLED_LAYOUTS:
        for block in blocks:
            settled.unplaced.extend(_lines(block))
        return settled
    if not blocks:
        return settled
    rest: list[str] = []  # lines of the chosen block after the decision
    best: tuple[int, int] | None = None
    best_parts = -1
    for number, block in enumerate(blocks):
        start = _start(block)
        if start is None:
            continue
        parts = len(split_parts(clean(" ".join(block[start:])))[1])
        if parts > best_parts:
            best, best_parts = (number, start), parts
    if best is None:
        first = blocks[0]
        if layout in PURPOSE_LAYOUTS and has_status:
            split = first.index("") if "" in first else 1
            head, rest = first[:split], first[split:]
            if not any(rest):
                head, rest = [], head
            best_block, before, after = 0, head, rest
        elif layout == "issue_meetings":
            best_block, before, after = 0, [], first
        elif layout == "minutes" and _saying_paragraph(blocks) is not None:
            best_block, before, after, rest = _saying_paragraph(blocks) or (0, [], [], [])
        else:
            for block in blocks:
                settled.unplaced.extend(_lines(block))
            return settled
    else:
        best_block, start = best
        before, after = blocks[best_block][:start], blocks[best_block][start:]
    if any(before):
        if layout in PURPOSE_LAYOUTS and not has_purpose:
            settled.purpose = clean(" ".join(before))
        else:
            settled.unplaced.extend(_lines(before))
    after, beyond = _end_of_list(after)
    settled.decision = clean(" ".join(after)) or None
    settled.unplaced.extend(_lines(beyond + rest))
    for number, block in enumerate(blocks):
        if number != best_block:
            settled.unplaced.extend(_lines(block))
    return settled


_SAYS = re.compile(r"\b(?:agreed|resolved|approved|noted|confirmed)\b", re.IGNORECASE)


def _saying_paragraph(
    blocks: list[list[str]],
) -> tuple[int, list[str], list[str], list[str]] | None:
    """(block, lines before, the paragraph, lines after) of the first paragraph saying what
    was agreed."""
    for number, block in enumerate(blocks):
        start = 0
        for index, line in enumerate(block + [""]):
            if line:
                continue
            paragraph = block[start:index]
            if paragraph and _SAYS.search(" ".join(paragraph)):
                return number, block[:start], paragraph, block[index:]
            start = index + 1
    return None


def _end_of_list(lines: list[str]) -> tuple[list[str], list[str]]:
    """Split a decision printed as a list from unlabelled text after it (see the docstring)."""
    in_list = False
    previous = ""
    for index, line in enumerate(lines):
        if not line:
            continue
        first = line.split(maxsplit=1)[0]
        if is_marker(first):
            in_list = True
        elif (in_list and line[:1].isupper() and previous.rstrip().endswith((".", ";"))
              and not line.lower().startswith("that ")):
            return lines[:index], lines[index:]
        previous = line
    return lines, []


def trim_narrative(lines: list[str]) -> tuple[list[str], list[str]]:
    """Split the lines of an "Issue - decisions" decision into (narrative, decision).

    The narrative is the minutes printed before the resolution ("Cllr X presented the
    report ..."), when a later line starts the resolution; otherwise there is none. A first
    line "To agree ..." is itself a resolution, as such pages print them, so nothing is cut.
    """
    start = _start(lines)
    if not start or lines[0].startswith("To "):  # "To agree to publish ...": a resolution
        return [], lines
    return lines[:start], lines[start:]
