"""Reading GIAS's establishments file (``edubasealldata<date>.csv``): one
:class:`SchoolRow`, or the :class:`RowError` items saying what is wrong,
per record."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import IO, Final

from tracker import characters
from tracker.schools.gias.columns import REQUIRED_COLUMNS, STATUSES
from tracker.schools.gias.csvfile import ProgressCallback, _CsvFile
from tracker.schools.gias.rows import (
    RowError,
    SchoolRow,
    _Invalid,
    _optional,
    _parse_date,
    _parse_urn,
    _UrnLines,
)

_STATUS_BY_FOLDED: Final[dict[str, str]] = {k.casefold(): v for k, v in STATUSES.items()}
_NAME_SUFFIX = re.compile(r",\s*(city|county) of\s*$", re.IGNORECASE)


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


class GiasReader(_CsvFile[SchoolRow]):
    """Iterate once over an ``edubasealldata`` file, yielding
    :class:`SchoolRow` and :class:`RowError` items in file order.

    Made by :func:`open_gias`.  Counters (:attr:`rows_read`,
    :attr:`rows_skipped_by_filter`, :attr:`rows_rejected`) grow as the
    iteration proceeds; :attr:`encoding`, :attr:`header` and
    :attr:`header_error` are known as soon as the reader is made.
    """

    _required = REQUIRED_COLUMNS
    _used = REQUIRED_COLUMNS
    _what = 'GIAS establishment file ("edubasealldata" CSV)'
    _other_column = "LinkURN"
    _other_hint = " (it looks like a GIAS links file: read it with read_gias_links)"

    def __init__(
        self,
        stream: IO[bytes],
        *,
        la: Sequence[str] = (),
        progress: ProgressCallback | None = None,
        progress_every: int = 1000,
    ) -> None:
        if isinstance(la, str):
            la = (la,)
        self._la_filters = tuple(value for value in (str(v).strip() for v in la) if value)
        self._la_folded = {value: _fold(value) for value in self._la_filters}
        self._la_cache: dict[tuple[str, str], bool] = {}
        self._la_matched: set[str] = set()
        #: Records skipped because their LA is not in the ``la`` filter.
        self.rows_skipped_by_filter = 0
        super().__init__(stream, progress=progress, progress_every=progress_every)

    @property
    def la_filters_unmatched(self) -> tuple[str, ...]:
        """``la`` values that matched no record read so far: after a full
        read, a likely typo."""
        return tuple(v for v in self._la_filters if v not in self._la_matched)

    def _la_selected(self, code: str, name: str) -> bool:
        key = (code, name)
        hit = self._la_cache.get(key)
        if hit is None:
            code_s = code.strip()
            full = _fold(name)
            short = _fold(_NAME_SUFFIX.sub("", name))
            matched = [
                value
                for value, folded in self._la_folded.items()
                if value == code_s or folded == full or folded == short
            ]
            self._la_matched.update(matched)
            hit = self._la_cache[key] = bool(matched)
        return hit

    def _skip(self) -> Callable[[list[str]], bool] | None:
        """Pass over, and count, records of LAs outside the ``la`` filter."""
        if not self._la_filters:
            return None
        i_la_code = self._index["LA (code)"]
        i_la_name = self._index["LA (name)"]
        la_reach = max(i_la_code, i_la_name)
        selected = self._la_selected

        def outside_la_filter(f: list[str]) -> bool:
            if len(f) > la_reach and not selected(f[i_la_code], f[i_la_name]):
                self.rows_skipped_by_filter += 1
                return True
            return False

        return outside_la_filter

    def _parser(self) -> Callable[[int, list[str]], SchoolRow | list[RowError]]:
        ix = self._index
        i_urn = ix["URN"]
        i_name = ix["EstablishmentName"]
        i_la_code = ix["LA (code)"]
        i_la_name = ix["LA (name)"]
        i_type = ix["TypeOfEstablishment (name)"]
        i_group = ix["EstablishmentTypeGroup (name)"]
        i_status = ix["EstablishmentStatus (name)"]
        i_phase = ix["PhaseOfEducation (name)"]
        i_open = ix["OpenDate"]
        i_close = ix["CloseDate"]
        i_trust_code = ix["Trusts (code)"]
        i_trust_name = ix["Trusts (name)"]
        i_postcode = ix["Postcode"]
        seen = _UrnLines()
        statuses = _STATUS_BY_FOLDED
        stored = [(name, ix[name]) for name in (
            "EstablishmentName", "LA (code)", "LA (name)", "TypeOfEstablishment (name)",
            "EstablishmentTypeGroup (name)", "PhaseOfEducation (name)", "Trusts (code)",
            "Trusts (name)", "Postcode")]

        def parse(line: int, f: list[str]) -> SchoolRow | list[RowError]:
            errors: list[RowError] = []
            urn = _parse_urn(f[i_urn], "URN")
            if isinstance(urn, _Invalid):
                errors.append(RowError(line, "URN", str(urn)))
            else:
                earlier = seen.first_seen(urn, line)
                if earlier is not None:
                    errors.append(
                        RowError(
                            line,
                            "URN",
                            f"URN {urn} appears more than once (first on line {earlier}); "
                            "expected each establishment once",
                        )
                    )
            name = f[i_name].strip()
            if not name:
                errors.append(
                    RowError(
                        line,
                        "EstablishmentName",
                        "EstablishmentName is empty; every establishment needs a name",
                    )
                )
            status_text = f[i_status].strip()
            status = statuses.get(status_text.casefold())
            if status is None:
                allowed = ", ".join(f'"{s}"' for s in STATUSES)
                shown = f'"{status_text}"' if status_text else "is empty and"
                errors.append(
                    RowError(
                        line,
                        "EstablishmentStatus (name)",
                        f"EstablishmentStatus (name) {shown} is not one of GIAS's statuses: {allowed}",
                    )
                )
            if characters.any_problem("".join(f)):  # one search a row; columns only then
                for column, i in stored:
                    found = characters.problem(f[i], multi_line=False)
                    if found:
                        errors.append(RowError(line, column, f"{column} {found}"))
            open_date = _parse_date(f[i_open])
            if isinstance(open_date, _Invalid):
                errors.append(RowError(line, "OpenDate", f"OpenDate {open_date}"))
            close_date = _parse_date(f[i_close])
            if isinstance(close_date, _Invalid):
                errors.append(RowError(line, "CloseDate", f"CloseDate {close_date}"))

            if (
                errors
                or isinstance(urn, _Invalid)
                or status is None
                or isinstance(open_date, _Invalid)
                or isinstance(close_date, _Invalid)
            ):
                return errors
            return SchoolRow(
                line=line,
                urn=urn,
                name=name,
                la_code=f[i_la_code].strip(),
                la_name=f[i_la_name].strip(),
                type_name=f[i_type].strip(),
                type_group=f[i_group].strip(),
                phase=f[i_phase].strip(),
                status=status,
                open_date=open_date,
                close_date=close_date,
                trust_code=_optional(f[i_trust_code]),
                trust_name=_optional(f[i_trust_name]),
                postcode=_optional(f[i_postcode]),
            )

        return parse


def open_gias(
    stream: IO[bytes],
    *,
    la: Sequence[str] = (),
    progress: ProgressCallback | None = None,
    progress_every: int = 1000,
) -> GiasReader:
    """Open an ``edubasealldata`` CSV given as a binary stream.

    The encoding is chosen and the header read straight away (see
    :mod:`tracker.schools.gias.encoding`); iterate over the result for the
    rows.

    ``la`` keeps only establishments of those local authorities.  Each value
    matches a record when it equals the ``LA (code)`` (e.g. ``"884"``), or,
    ignoring case and runs of spaces, the whole ``LA (name)``
    (``"Herefordshire, County of"``) or that name without a trailing
    ", County of" / ", City of" (``"herefordshire"``, ``"bristol"``).  Other
    parts of a name do not match: ``"Bournemouth"`` is not
    "Bournemouth, Christchurch and Poole".  Records of other LAs are not
    checked at all, only counted in ``rows_skipped_by_filter``.

    ``progress`` is called with :attr:`~GiasReader.rows_read` every
    ``progress_every`` records and once more at the end.

    Each record yields either one :class:`SchoolRow` or one
    :class:`RowError` per problem found: URN not a positive whole number,
    empty EstablishmentName, unknown EstablishmentStatus, OpenDate or
    CloseDate not ``DD-MM-YYYY`` (``DD/MM/YYYY``, as Excel re-saves it, is
    accepted too), the URN already seen earlier in the file (only records
    within the filter are compared), or the wrong number of fields.  A
    header without every one of :data:`REQUIRED_COLUMNS` yields a single
    RowError at line 1 and nothing else; text that cannot be parsed any
    further (a quote never closed) ends the iteration with a RowError.
    """
    return GiasReader(stream, la=la, progress=progress, progress_every=progress_every)


def read_gias(
    stream: IO[bytes],
    *,
    la: Sequence[str] = (),
    progress: ProgressCallback | None = None,
    progress_every: int = 1000,
) -> Iterator[SchoolRow | RowError]:
    """Shorthand for iterating over :func:`open_gias` when the counters are
    not needed."""
    with open_gias(stream, la=la, progress=progress, progress_every=progress_every) as reader:
        yield from reader
