"""Reading GIAS's links file (``links_edubasealldata<date>.csv``), and the
successions it records."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import IO

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
    _other_hint = " (it looks like a GIAS establishment file: read it with read_gias)"

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


def predecessor_pairs(links: Iterable[LinkRow | RowError]) -> Iterator[tuple[int, int]]:
    """Yield ``(predecessor_urn, successor_urn)`` once per succession.

    Link types beginning "Predecessor" ("Predecessor", "Predecessor -
    amalgamated", "Predecessor - merged", ...) say the linked URN came
    before; those beginning "Successor" say it came after.  GIAS lists each
    succession from both ends, so the second sighting is dropped.  Other
    link types (e.g. "Sixth Form Centre Link"), self-links and RowError
    items are ignored.
    """
    seen: set[tuple[int, int]] = set()
    for link in links:
        if not isinstance(link, LinkRow) or link.urn == link.link_urn:
            continue
        kind = link.link_type.casefold()
        if kind.startswith("predecessor"):
            pair = (link.link_urn, link.urn)
        elif kind.startswith("successor"):
            pair = (link.urn, link.link_urn)
        else:
            continue
        if pair not in seen:
            seen.add(pair)
            yield pair
