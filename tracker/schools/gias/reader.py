"""Reading GIAS's establishments file (``edubasealldata<date>.csv``): one
:class:`SchoolRow`, or the :class:`RowError` items saying what is wrong,
per record."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import IO, Final

from tracker import characters
from tracker.schools.gias.columns import (
    OPTIONAL_FIELDS,
    REQUIRED_COLUMNS,
    STATUS_CODES,
    STATUS_COLUMNS,
    STATUSES,
    USED_COLUMNS,
)
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
    _used = USED_COLUMNS
    _what = 'GIAS establishment file ("edubasealldata" CSV)'
    _other_column = "LinkURN"
    _other_hint = " (it looks like a GIAS links file, links_edubasealldata)"
    _other_kind = "links"

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

    def _missing_columns(self) -> list[str]:
        missing = super()._missing_columns()
        if not any(name in self._index for name in STATUS_COLUMNS):
            missing.append(STATUS_COLUMNS[0])
        return missing

    @property
    def absent(self) -> tuple[str, ...]:
        """Optional fields (keys of :data:`OPTIONAL_FIELDS`) the file has no
        column for: their values in every row are ``None``, meaning unknown."""
        return tuple(field for field, columns in OPTIONAL_FIELDS.items()
                     if not any(c in self._index for c in columns))

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
        i_la_name = self._index.get("LA (name)", i_la_code)
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
        i_status = ix.get("EstablishmentStatus (name)")
        i_status_code = ix.get("EstablishmentStatus (code)")
        i_open = ix.get("OpenDate")
        i_close = ix.get("CloseDate")

        def text(column: str) -> Callable[[list[str]], str | None]:
            """Reads the column's value (``None`` if empty), or always
            ``None`` if the file lacks the column."""
            i = ix.get(column)
            if i is None:
                return lambda f: None
            return lambda f: _optional(f[i])

        la_name = text("LA (name)")
        type_name = text("TypeOfEstablishment (name)")
        type_code = text("TypeOfEstablishment (code)")
        group_name = text("EstablishmentTypeGroup (name)")
        group_code = text("EstablishmentTypeGroup (code)")
        phase = text("PhaseOfEducation (name)")
        trust_code = text("Trusts (code)")
        trust_name = text("Trusts (name)")
        postcode = text("Postcode")
        seen = _UrnLines()
        statuses = _STATUS_BY_FOLDED
        stored = [(name, ix[name]) for name in (
            "EstablishmentName", "LA (code)", "LA (name)", "TypeOfEstablishment (name)",
            "EstablishmentTypeGroup (name)", "PhaseOfEducation (name)", "Trusts (code)",
            "Trusts (name)", "Postcode") if name in ix]  # an extract may lack the optional ones

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
            if i_status is not None:
                status_column, status_text = "EstablishmentStatus (name)", f[i_status].strip()
                status = statuses.get(status_text.casefold())
                allowed = ", ".join(f'"{s}"' for s in STATUSES)
            else:
                status_column, status_text = "EstablishmentStatus (code)", f[i_status_code].strip()
                status = statuses.get(STATUS_CODES.get(status_text, "").casefold())
                allowed = ", ".join(f"{code} ({name})" for code, name in STATUS_CODES.items())
            if status is None:
                shown = f'"{status_text}"' if status_text else "is empty and"
                errors.append(
                    RowError(
                        line,
                        status_column,
                        f"{status_column} {shown} is not one of GIAS's statuses: {allowed}",
                    )
                )
            if characters.any_problem("".join(f)):  # one search a row; columns only then
                for column, i in stored:
                    found = characters.problem(f[i], multi_line=False)
                    if found:
                        errors.append(RowError(line, column, f"{column} {found}"))
            open_date = _parse_date(f[i_open]) if i_open is not None else None
            if isinstance(open_date, _Invalid):
                errors.append(RowError(line, "OpenDate", f"OpenDate {open_date}"))
            close_date = _parse_date(f[i_close]) if i_close is not None else None
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
                la_name=la_name(f),
                type_name=type_name(f),
                type_group=group_name(f),
                phase=phase(f),
                status=status,
                open_date=open_date,
                close_date=close_date,
                trust_code=trust_code(f),
                trust_name=trust_name(f),
                postcode=postcode(f),
                type_code=type_code(f),
                type_group_code=group_code(f),
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
    empty EstablishmentName, unknown EstablishmentStatus (name or code),
    OpenDate or CloseDate not ``DD-MM-YYYY`` or ``DD/MM/YYYY`` (GIAS's
    placeholder ``01-01-1900`` reads as no date), the URN already seen earlier
    in the file (only records within the filter are compared), or the wrong
    number of fields.  A header without every one of
    :data:`REQUIRED_COLUMNS` and one of :data:`STATUS_COLUMNS` (or the header
    of a GIAS group links file) yields a single RowError at line 1 and nothing
    else; text that cannot be parsed any further (a quote never closed) ends
    the iteration with a RowError.  Optional columns
    (:data:`OPTIONAL_FIELDS`) the file lacks are listed in
    :attr:`GiasReader.absent`.
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
