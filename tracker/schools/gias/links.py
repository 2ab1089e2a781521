"""Reading GIAS's links file (``links_edubasealldata<date>.csv``), and the
successions it records."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Final, Literal

from tracker.schools.gias.columns import LINKS_COLUMNS, LINKS_REQUIRED_COLUMNS
from tracker.schools.gias.csvfile import ProgressCallback, _CsvFile
from tracker.schools.gias.rows import LinkRow, RowError, _Invalid, _optional, _parse_date, _parse_urn


class GiasLinksReader(_CsvFile[LinkRow]):
    """Iterate once over a ``links_edubasealldata`` file, yielding
    :class:`LinkRow` and :class:`RowError` items.  Made by
    :func:`open_gias_links`."""

    _required = LINKS_REQUIRED_COLUMNS
    _used = LINKS_COLUMNS
    _what = 'GIAS links file ("links_edubasealldata" CSV)'
    _other_column = "EstablishmentName"
    _other_hint = " (it looks like a GIAS establishments file, edubasealldata)"
    _other_kind = "establishments"

    def _parser(self) -> Callable[[int, list[str]], LinkRow | list[RowError]]:
        ix = self._index
        i_urn, i_link, i_type = ix["URN"], ix["LinkURN"], ix["LinkType"]
        i_name = ix.get("LinkName")
        i_date = ix.get("LinkEstablishedDate")

        def parse(line: int, f: list[str]) -> LinkRow | list[RowError]:
            errors: list[RowError] = []
            urn = _parse_urn(f[i_urn], "URN")
            if isinstance(urn, _Invalid):
                errors.append(RowError(line, "URN", str(urn)))
            link_urn = _parse_urn(f[i_link], "LinkURN")
            if isinstance(link_urn, _Invalid):
                errors.append(RowError(line, "LinkURN", str(link_urn)))
            link_type = f[i_type].strip()
            if not link_type:
                errors.append(
                    RowError(line, "LinkType", 'LinkType is empty; expected e.g. "Predecessor" or "Successor"')
                )
            established_on = _parse_date(f[i_date]) if i_date is not None else None
            if isinstance(established_on, _Invalid):
                errors.append(
                    RowError(line, "LinkEstablishedDate", f"LinkEstablishedDate {established_on}")
                )
            if (
                errors
                or isinstance(urn, _Invalid)
                or isinstance(link_urn, _Invalid)
                or isinstance(established_on, _Invalid)
            ):
                return errors
            return LinkRow(
                line=line,
                urn=urn,
                link_urn=link_urn,
                link_type=link_type,
                established_on=established_on,
                link_name=_optional(f[i_name]) if i_name is not None else None,
            )

        return parse


def open_gias_links(
    stream: IO[bytes],
    *,
    progress: ProgressCallback | None = None,
    progress_every: int = 1000,
) -> GiasLinksReader:
    """Open a ``links_edubasealldata`` CSV given as a binary stream (same
    encoding rules as :func:`open_gias`).  Requires ``URN``, ``LinkURN`` and
    ``LinkType``; reads ``LinkName`` and ``LinkEstablishedDate`` if present.
    """
    return GiasLinksReader(stream, progress=progress, progress_every=progress_every)


def read_gias_links(stream: IO[bytes]) -> Iterator[LinkRow | RowError]:
    """Shorthand for iterating over :func:`open_gias_links`."""
    with open_gias_links(stream) as reader:
        yield from reader


_FIRST_NOT_STATED = "does not say which school came first: link such schools by hand"
_NOT_SUCCESSION = "not a succession"

#: Every ``LinkType`` GIAS uses -- the 17 of its links files of January and
#: April 2025 -- and what the tracker does with it: ``"predecessor"`` (the
#: LinkURN came before the URN) and ``"successor"`` (it came after) are used
#: for predecessor links; the others are skipped, for the reason given.
#: "changer" is GIAS's own spelling.
LINK_TYPES: Final[dict[str, tuple[Literal["predecessor", "successor"] | None, str]]] = {
    "Predecessor": ("predecessor", ""),
    "Predecessor - amalgamated": ("predecessor", ""),
    "Predecessor - merged": ("predecessor", ""),
    "Predecessor - Split School": ("predecessor", ""),
    "Successor": ("successor", ""),
    "Successor - amalgamated": ("successor", ""),
    "Successor - merged": ("successor", ""),
    "Successor - Split School": ("successor", ""),
    "Result of Amalgamation": (None, _FIRST_NOT_STATED),
    "Merged - change in age range": (None, _FIRST_NOT_STATED),
    "Merged - expansion of school capacity": (None, _FIRST_NOT_STATED),
    "Merged - expansion in school capacity and changer in age range": (None, _FIRST_NOT_STATED),
    "Closure": (None, _FIRST_NOT_STATED),
    "Expansion": (None, _FIRST_NOT_STATED),
    "Other": (None, _NOT_SUCCESSION),
    "Sixth Form Centre Link": (None, _NOT_SUCCESSION + " (a sixth form shared by schools)"),
    "Sixth Form Centre School": (None, _NOT_SUCCESSION + " (a sixth form shared by schools)"),
}
_LINK_TYPES_FOLDED = {" ".join(k.split()).casefold(): (k, v) for k, v in LINK_TYPES.items()}


class LinkTally:
    """Link rows counted by type: used for predecessor links, skipped (a
    known type that is not a succession, or does not say which way), or of a
    type never seen before (skipped too, and listed)."""

    def __init__(self) -> None:
        self.used: Counter[str] = Counter()
        self.skipped: Counter[str] = Counter()
        self.unknown: Counter[str] = Counter()

    def direction(self, link_type: str) -> Literal["predecessor", "successor"] | None:
        """Count one row of this type and say how it is used."""
        known = _LINK_TYPES_FOLDED.get(" ".join(link_type.split()).casefold())
        if known is None:
            self.unknown[link_type] += 1
            return None
        name, (direction, _) = known
        (self.used if direction else self.skipped)[name] += 1
        return direction

    @staticmethod
    def why_skipped(link_type: str) -> str:
        return LINK_TYPES[link_type][1]


def predecessor_pairs(links: Iterable[LinkRow | RowError],
                      tally: LinkTally | None = None) -> Iterator[tuple[int, int]]:
    """Yield ``(predecessor_urn, successor_urn)`` once per succession.

    Only the link types :data:`LINK_TYPES` marks as predecessor or successor
    are used; GIAS lists each succession from both ends, so the second
    sighting is dropped.  Other link types, self-links and RowError items are
    ignored; every LinkRow is counted by type in ``tally`` when one is given.
    """
    tally = tally if tally is not None else LinkTally()
    seen: set[tuple[int, int]] = set()
    for link in links:
        if not isinstance(link, LinkRow):
            continue
        direction = tally.direction(link.link_type)
        if direction is None or link.urn == link.link_urn:
            continue
        pair = (link.link_urn, link.urn) if direction == "predecessor" else (link.urn, link.link_urn)
        if pair not in seen:
            seen.add(pair)
            yield pair
