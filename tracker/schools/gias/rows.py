"""What the readers yield -- :class:`SchoolRow`, :class:`LinkRow` and
:class:`RowError` -- and the parsing of the fields they are made from."""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Final

from tracker.schools.gias.scope import Placement, place

# ---------------------------------------------------------------------------
# Items
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SchoolRow:
    """One establishment from an ``edubasealldata`` file or a chosen-fields
    extract.

    Strings are stripped of surrounding spaces; optional values that are
    empty in the file, or whose column the file lacks, are ``None`` (the
    reader's :attr:`~tracker.schools.gias.reader.GiasReader.absent` says
    which fields the file lacks).
    """

    #: 1-based physical line of the file on which the record starts.
    line: int
    urn: int
    name: str
    la_code: str
    la_name: str | None
    #: ``TypeOfEstablishment (name)``, e.g. "Academy converter".
    type_name: str | None
    #: ``EstablishmentTypeGroup (name)``, e.g. "Academies".
    type_group: str | None
    #: ``PhaseOfEducation (name)``, e.g. "Primary", "Not applicable".
    phase: str | None
    #: One of "open", "closed", "open_proposed_to_close", "proposed_to_open".
    status: str
    open_date: date | None
    close_date: date | None
    trust_code: str | None
    trust_name: str | None
    postcode: str | None
    #: ``TypeOfEstablishment (code)``, e.g. "34".
    type_code: str | None = None
    #: ``EstablishmentTypeGroup (code)``, e.g. "10".
    type_group_code: str | None = None

    @property
    def placement(self) -> Placement:
        """See :func:`~tracker.schools.gias.scope.place`."""
        return place(self.type_name, self.type_group, type_code=self.type_code,
                     group_code=self.type_group_code)

    @property
    def in_scope_by_default(self) -> bool:
        """See :func:`~tracker.schools.gias.scope.in_scope_by_default`."""
        return self.placement.rule == "in"


@dataclass(frozen=True, slots=True)
class LinkRow:
    """One row of a ``links_edubasealldata`` file.

    ``link_type`` says what ``link_urn`` is to ``urn``: a row
    ``(urn=A, link_urn=B, link_type="Predecessor")`` means B is A's
    predecessor.
    """

    line: int
    urn: int
    link_urn: int
    link_type: str
    established_on: date | None
    link_name: str | None = None


@dataclass(frozen=True, slots=True)
class RowError:
    """A problem with one record, or with the file as a whole.

    ``column`` is the header name of the offending field, or ``None`` when
    the problem is the row's (or the file's) layout.
    """

    line: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", {self.column}" if self.column else "")
        return f"{where}: {self.message}"


# ---------------------------------------------------------------------------
# Field parsing
# ---------------------------------------------------------------------------

_DATE = re.compile(r"(\d{1,2})([-/])(\d{1,2})\2(\d{4})")


class _Invalid(str):
    """Why a field could not be parsed (a str, told apart by its type)."""


#: GIAS's stand-in for a date it does not know.
PLACEHOLDER_YEAR: Final = 1900


@lru_cache(maxsize=8192)
def _parse_date(text: str) -> date | None | _Invalid:
    """The date (DD-MM-YYYY or DD/MM/YYYY), ``None`` for an empty field or
    GIAS's placeholder 01-01-1900, or why it is not a date."""
    value = text.strip()
    if not value:
        return None
    match = _DATE.fullmatch(value)
    if match is None:
        return _Invalid(f'"{value}" is not a date in the form DD-MM-YYYY or DD/MM/YYYY '
                        "(for example 01-09-2021)")
    day, _, month, year = match.groups()
    try:
        parsed = date(int(year), int(month), int(day))
    except ValueError:
        return _Invalid(f'"{value}" is not a real date (expected DD-MM-YYYY, for example 01-09-2021)')
    if parsed == date(PLACEHOLDER_YEAR, 1, 1):
        return None
    return parsed


def _parse_urn(text: str, column: str) -> int | _Invalid:
    """The URN, or why it is not one."""
    value = text.strip()
    if not value:
        return _Invalid(f"{column} is empty; expected a positive whole number such as 116425")
    if not (value.isascii() and value.isdigit()):
        return _Invalid(f'{column} "{value}" is not a number; expected a positive whole number such as 116425')
    urn = int(value)
    if urn <= 0:
        return _Invalid(f'{column} "{value}" is not a valid URN; expected a positive whole number such as 116425')
    return urn


def _optional(text: str) -> str | None:
    value = text.strip()
    return value or None


class _UrnLines:
    """URN -> line of first sighting, in about 4 bytes per possible URN.

    GIAS URNs are six-digit numbers, so a flat array indexed by URN (grown on
    demand, at most 4 MiB) is far smaller than a dict of 50,000 ints; any URN
    beyond that range goes in a dict.
    """

    _DENSE_LIMIT: Final = 1 << 20

    def __init__(self) -> None:
        self._dense = array("I")
        self._sparse: dict[int, int] = {}

    def first_seen(self, urn: int, line: int) -> int | None:
        """Record ``urn`` at ``line``; return the earlier line if seen before."""
        if urn >= self._DENSE_LIMIT:
            earlier = self._sparse.get(urn)
            if earlier is None:
                self._sparse[urn] = line
            return earlier
        dense = self._dense
        if urn >= len(dense):
            size = max(1 << 12, len(dense))
            while size <= urn:
                size <<= 1
            dense.frombytes(bytes(4 * (min(size, self._DENSE_LIMIT) - len(dense))))
        earlier = dense[urn]
        if earlier:
            return earlier
        dense[urn] = line
        return None
