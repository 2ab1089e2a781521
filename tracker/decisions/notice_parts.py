"""Split the text of a decision into its lettered or numbered parts.

A part marker is a whole whitespace-separated word in one of three shapes,
``a)``, ``(a)`` or ``a.``, whose label is a lower-case letter (a-z), an upper-case
letter (A-Z), a lower- or upper-case roman numeral (i-xxxix), or a number
(1-999). Shape and kind of label together make a *style*; ``(1)`` and ``a)`` are
different styles.

Rules, in the order they are applied:

* A marker must stand at the start of the text or after whitespace, and be
  followed by whitespace or the end of the text (so ``section1.3``, ``3(a)``,
  ``e.g.`` and ``a)The`` are never markers). ``THAT:(a)`` is read as ``THAT: (a)``.
* A marker right after a word that refers to a numbered thing (``paragraph 3.``,
  ``(appendix 1)``, ``section (2)``) is text. Punctuation after that word ends the
  reference: in ``approve the option; b) ...`` and ``items: (1) ...`` the marker
  starts a part (abbreviations such as ``para.`` and ``no.`` still refer).
* Parts run in sequence: after ``b)`` only ``c)`` of the same style starts a new
  part; every other marker is ordinary text of the current part. So ``i`` after
  ``h`` is the letter i, while a list that starts at ``i.`` is roman.
* The style is the style of the FIRST sequence start (``a``, ``A``, ``i``, ``I``
  or ``1``) in the text, provided that start opens the text (possibly after a
  short preamble such as "THAT" or "RESOLVED:") or the sequence has at least two
  parts. Otherwise the earliest start whose sequence has two or more parts wins,
  and a lone ``a)`` in the middle of prose is left as text.
* Text before the first part (e.g. "THAT") is the preamble: it stays in the
  decision text but is not a part. Part text is kept as published, including a
  trailing "; and" that joins it to the next part.
* A marker run into the word before it after punctuation ("approved;b) note",
  "consultation.2. That") is read as if a space were there; abbreviations such as
  "e.g." and "i.e." are never split.
* With no markers at all, a decision written as "That ..." paragraphs (it starts with
  "That", perhaps after "RESOLVED:", and at least one more sentence after "." or ";"
  starts with "That") has a part per paragraph, numbered 1, 2, 3 ...; the part text
  keeps its "That".

Every step is a single pass over the words of the text, so the time is linear.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

_ONES = ("", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix")
_TENS = ("", "x", "xx", "xxx")
_ROMAN_INDEX = {
    _TENS[n // 10] + _ONES[n % 10]: n - 1 for n in range(1, 40)
}

_REFERENCE_WORDS = frozenset(
    """annex annexe appendix article chapter clause figure item items no no. number
    option options page para para. paragraph paragraphs part phase point
    recommendation recommendations regulation rule schedule section sections stage
    step table tier level year""".split()
)

_PREAMBLES = frozenset(
    (
        "that", "resolved", "agreed", "decided", "decision", "recommended",
        "resolved that", "agreed that", "it was resolved that", "it was agreed that",
    )
)
_PREAMBLE_WORDS = frozenset({"that", "resolved", "agreed", "decided"})

_WORD = re.compile(r"\S+")
# "approved;b)" or "consultation.2.": a marker run into the word before it after punctuation.
_GLUED = re.compile(r"(.*[A-Za-z][;:,.])(\(?[A-Za-z0-9]{1,5}[.)])$")
_ABBREVIATIONS = frozenset({"e.g.", "i.e.", "etc.", "a.m.", "p.m.", "n.b.", "viz.", "cf."})
_THAT = re.compile(r"(?:(?<=[.;])\s+)(?=(?:That|THAT)\s)")


class _Marker(NamedTuple):
    """A word chosen as a part marker: where it is and its 0-based index in the sequence."""

    start: int
    end: int
    index: int


_Style = tuple[str, str]
_NO_READINGS: tuple[tuple[_Style, int], ...] = ()


def _readings(word: str) -> tuple[tuple[_Style, int], ...]:
    """All the ways ``word`` can be read as a part marker, as ``(style, 0-based index)``."""
    if not 2 <= len(word) <= 8:
        return _NO_READINGS
    if word[0] == "(" and word[-1] == ")":
        shape, core = "paren", word[1:-1]
    elif word[-1] == ")":
        shape, core = "close", word[:-1]
    elif word[-1] == ".":
        shape, core = "dot", word[:-1]
    else:
        return _NO_READINGS
    if not core.isascii() or not core.isalnum():
        return _NO_READINGS
    if core.isdigit():
        if len(core) <= 3 and core[0] != "0":
            return (((shape, "digit"), int(core) - 1),)
        return _NO_READINGS
    found: list[tuple[_Style, int]] = []
    if len(core) == 1:
        kind = "lower" if core.islower() else "upper"
        found.append(((shape, kind), ord(core.lower()) - ord("a")))
    roman = _ROMAN_INDEX.get(core.lower())
    if roman is not None and (core.islower() or core.isupper()):
        found.append(((shape, "lroman" if core.islower() else "uroman"), roman))
    return tuple(found)


def is_marker(word: str) -> bool:
    """True when ``word`` could be a part marker ("a)", "(iv)", "12.") in some style."""
    return bool(_readings(word))


def _words(text: str) -> Iterator[tuple[str, int]]:
    """The words of ``text`` with their offsets; a glued "THAT:(a)" is split in two."""
    first = True
    for match in _WORD.finditer(text):
        word, start = match.group(), match.start()
        if first:
            first = False
            colon = word.find(":")
            if 0 < colon < len(word) - 1 and word[:colon].lower() in _PREAMBLE_WORDS:
                yield word[: colon + 1], start
                word, start = word[colon + 1:], start + colon + 1
        if len(word) > 3 and word[-1] in ".)" and word.lower() not in _ABBREVIATIONS:
            glued = _GLUED.match(word)
            if glued is not None and _readings(glued.group(2)):
                head = glued.group(1)
                yield head, start
                word, start = glued.group(2), start + len(head)
        yield word, start


def _opens_text(text: str, marker: _Marker) -> bool:
    """True when ``marker`` starts the text or follows only a short preamble."""
    before = text[: marker.start].strip().rstrip(":,").strip().lower()
    return before == "" or before in _PREAMBLES


def _sequences(text: str) -> dict[_Style, list[_Marker]]:
    """For every style, the sequence that runs from its first start (a, i or 1) in ``text``."""
    cache: dict[str, tuple[tuple[_Style, int], ...]] = {}
    sequences: dict[_Style, list[_Marker]] = {}
    previous = ""
    for word, start in _words(text):
        readings = cache.get(word)
        if readings is None:
            readings = _readings(word)
            if len(cache) < 4096:
                cache[word] = readings
        if readings and previous.lower().lstrip("([") not in _REFERENCE_WORDS:
            for style, index in readings:
                sequence = sequences.get(style)
                if sequence is None:
                    if index == 0:
                        sequences[style] = [_Marker(start, start + len(word), 0)]
                elif index == sequence[-1].index + 1:
                    sequence.append(_Marker(start, start + len(word), index))
        previous = word
    return sequences


def split_parts(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Return ``(preamble, [(label, part text), ...])`` for a normalised decision text.

    Labels are lower case without brackets or dots ("a", "iv", "12"). When no
    sequence is found the whole text is the preamble and the list is empty.
    """
    sequences = _sequences(text)
    ordered = sorted(sequences.items(), key=lambda item: item[1][0].start)
    chosen: list[tuple[_Style, list[_Marker]]] = [
        (style, sequence)
        for position, (style, sequence) in enumerate(ordered)
        if len(sequence) >= 2 or (position == 0 and _opens_text(text, sequence[0]))
    ]
    if not chosen:
        return _that_paragraphs(text)
    kind, markers = chosen[0][0][1], chosen[0][1]
    parts: list[tuple[str, str]] = []
    for number, marker in enumerate(markers):
        stop = markers[number + 1].start if number + 1 < len(markers) else len(text)
        parts.append((_label(kind, marker.index), text[marker.end: stop].strip()))
    return text[: markers[0].start].strip(), parts


def _that_paragraphs(text: str) -> tuple[str, list[tuple[str, str]]]:
    """A decision of "That ..." sentences with no markers: one part per sentence."""
    stripped = text.strip()
    lowered = stripped.lower()
    preamble = ""
    for word in ("resolved:", "resolved -", "resolved –", "resolved", "agreed:"):
        if lowered.startswith(word + " that "):
            preamble, stripped = stripped[: len(word)], stripped[len(word):].strip()
            break
    if not stripped.lower().startswith("that "):
        return text.strip(), []
    pieces = [piece.strip() for piece in _THAT.split(stripped) if piece.strip()]
    if len(pieces) < 2:
        return text.strip(), []
    return preamble, [(str(number), piece) for number, piece in enumerate(pieces, start=1)]


def _label(kind: str, index: int) -> str:
    """The lower-case label of the ``index``-th (0-based) marker of a kind: "c", "iv" or "12"."""
    if kind == "digit":
        return str(index + 1)
    if kind in ("lower", "upper"):
        return chr(ord("a") + index)
    number = index + 1
    return _TENS[number // 10] + _ONES[number % 10]
