"""Streaming reader for DfE "Get Information About Schools" (GIAS) CSV files.

GIAS publishes ``edubasealldata<YYYYMMDD>.csv`` (every establishment in
England, about 50,000 rows and 139 columns) and a links file
``links_edubasealldata<YYYYMMDD>.csv``.  This module reads either one record
at a time, so memory stays flat whatever the size of the file, and turns each
record into a :class:`SchoolRow` (or :class:`LinkRow`) or into one or more
:class:`RowError` items that say which line and column are wrong and why.

It is pure Python (standard library only): no Flask, no database.  Applying
the rows to the database is the caller's job.

Typical use::

    with open(path, "rb") as f, open_gias(f, la=["884"]) as reader:
        for item in reader:
            if isinstance(item, RowError):
                report(item)
            else:
                upsert(item)
        print(reader.encoding, reader.rows_read, reader.rows_skipped_by_filter)

Encoding
--------
GIAS's download is Windows-1252; files that have been through other tools
may be UTF-8, with or without a byte-order mark.  The rule is:

* a UTF-8 byte-order mark means ``utf-8-sig``;
* otherwise ``utf-8`` if the *whole* stream is valid UTF-8 (a pure-ASCII file
  counts as UTF-8), else ``cp1252``.

The check is made before the first row is returned and uses bounded memory:
the stream is scanned in 64 KiB chunks with an incremental UTF-8 decoder,
stopping at the first byte that is not valid UTF-8, and then rewound.  A
stream that cannot seek is copied to a temporary file while it is scanned
(in memory up to 1 MiB, on disk beyond) and read back from there, so a
Windows-1252 stream whose first accented letter comes early is still read
almost straight through.  The five bytes Windows-1252 leaves undefined
(0x81, 0x8D, 0x8F, 0x90, 0x9D) decode to the matching C1 control character,
as Windows itself does, rather than failing.  A file that has the UTF-8 mark
but is not all UTF-8 is not re-guessed: a record whose used fields hold such
bytes yields a :class:`RowError` naming the column, and the rest read on.

Lines are counted as Python's universal newlines count them (``\r\n``,
``\n`` or a lone ``\r`` each end one line).

Only the standard ``csv`` module parses the text, so quoted fields may hold
commas, doubled quotes and line breaks; :attr:`SchoolRow.line` is always the
physical line on which the record *starts*.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import tempfile
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import IO, Final, Self

__all__ = [
    "EDUBASE_COLUMNS",
    "LINKS_COLUMNS",
    "LINKS_REQUIRED_COLUMNS",
    "REQUIRED_COLUMNS",
    "SCOPE_BY_TYPE",
    "SCOPE_BY_TYPE_GROUP",
    "STATUSES",
    "GiasLinksReader",
    "GiasReader",
    "LinkRow",
    "RowError",
    "SchoolRow",
    "in_scope_by_default",
    "open_gias",
    "open_gias_links",
    "predecessor_pairs",
    "read_gias",
    "read_gias_links",
]

# ---------------------------------------------------------------------------
# Layout
# ---------------------------------------------------------------------------

#: The full header of ``edubasealldata<date>.csv`` in GIAS's own order, as
#: published in July 2024 (139 columns).  The reader does not require it --
#: it needs only :data:`REQUIRED_COLUMNS`, wherever they are -- but test
#: fixtures and the benchmark generator write files in exactly this layout,
#: and a caller may compare :attr:`GiasReader.header` with it to notice that
#: GIAS has changed its layout.
EDUBASE_COLUMNS: Final[tuple[str, ...]] = (
    "URN",
    "LA (code)",
    "LA (name)",
    "EstablishmentNumber",
    "EstablishmentName",
    "TypeOfEstablishment (code)",
    "TypeOfEstablishment (name)",
    "EstablishmentTypeGroup (code)",
    "EstablishmentTypeGroup (name)",
    "EstablishmentStatus (code)",
    "EstablishmentStatus (name)",
    "ReasonEstablishmentOpened (code)",
    "ReasonEstablishmentOpened (name)",
    "OpenDate",
    "ReasonEstablishmentClosed (code)",
    "ReasonEstablishmentClosed (name)",
    "CloseDate",
    "PhaseOfEducation (code)",
    "PhaseOfEducation (name)",
    "StatutoryLowAge",
    "StatutoryHighAge",
    "Boarders (code)",
    "Boarders (name)",
    "NurseryProvision (name)",
    "OfficialSixthForm (code)",
    "OfficialSixthForm (name)",
    "Gender (code)",
    "Gender (name)",
    "ReligiousCharacter (code)",
    "ReligiousCharacter (name)",
    "ReligiousEthos (name)",
    "Diocese (code)",
    "Diocese (name)",
    "AdmissionsPolicy (code)",
    "AdmissionsPolicy (name)",
    "SchoolCapacity",
    "SpecialClasses (code)",
    "SpecialClasses (name)",
    "CensusDate",
    "NumberOfPupils",
    "NumberOfBoys",
    "NumberOfGirls",
    "PercentageFSM",
    "TrustSchoolFlag (code)",
    "TrustSchoolFlag (name)",
    "Trusts (code)",
    "Trusts (name)",
    "SchoolSponsorFlag (name)",
    "SchoolSponsors (name)",
    "FederationFlag (name)",
    "Federations (code)",
    "Federations (name)",
    "UKPRN",
    "FEHEIdentifier",
    "FurtherEducationType (name)",
    "OfstedLastInsp",
    "OfstedSpecialMeasures (code)",
    "OfstedSpecialMeasures (name)",
    "LastChangedDate",
    "Street",
    "Locality",
    "Address3",
    "Town",
    "County (name)",
    "Postcode",
    "SchoolWebsite",
    "TelephoneNum",
    "HeadTitle (name)",
    "HeadFirstName",
    "HeadLastName",
    "HeadPreferredJobTitle",
    "BSOInspectorateName (name)",
    "InspectorateReport",
    "DateOfLastInspectionVisit",
    "NextInspectionVisit",
    "TeenMoth (name)",
    "TeenMothPlaces",
    "CCF (name)",
    "SENPRU (name)",
    "EBD (name)",
    "PlacesPRU",
    "FTProv (name)",
    "EdByOther (name)",
    "Section41Approved (name)",
    "SEN1 (name)",
    "SEN2 (name)",
    "SEN3 (name)",
    "SEN4 (name)",
    "SEN5 (name)",
    "SEN6 (name)",
    "SEN7 (name)",
    "SEN8 (name)",
    "SEN9 (name)",
    "SEN10 (name)",
    "SEN11 (name)",
    "SEN12 (name)",
    "SEN13 (name)",
    "TypeOfResourcedProvision (name)",
    "ResourcedProvisionOnRoll",
    "ResourcedProvisionCapacity",
    "SenUnitOnRoll",
    "SenUnitCapacity",
    "GOR (code)",
    "GOR (name)",
    "DistrictAdministrative (code)",
    "DistrictAdministrative (name)",
    "AdministrativeWard (code)",
    "AdministrativeWard (name)",
    "ParliamentaryConstituency (code)",
    "ParliamentaryConstituency (name)",
    "UrbanRural (code)",
    "UrbanRural (name)",
    "GSSLACode (name)",
    "Easting",
    "Northing",
    "MSOA (name)",
    "LSOA (name)",
    "InspectorateName (name)",
    "SENStat",
    "SENNoStat",
    "BoardingEstablishment (name)",
    "PropsName",
    "PreviousLA (code)",
    "PreviousLA (name)",
    "PreviousEstablishmentNumber",
    "OfstedRating (name)",
    "Country (name)",
    "UPRN",
    "SiteName",
    "QABName (code)",
    "QABName (name)",
    "EstablishmentAccredited (code)",
    "EstablishmentAccredited (name)",
    "QABReport",
    "CHNumber",
    "MSOA (code)",
    "LSOA (code)",
    "FSM",
    "AccreditationExpiryDate",
)

#: The columns this reader uses; every other column is ignored, so extracts
#: with fewer columns, or a future layout with more, read the same.
REQUIRED_COLUMNS: Final[tuple[str, ...]] = (
    "URN",
    "EstablishmentName",
    "LA (code)",
    "LA (name)",
    "TypeOfEstablishment (name)",
    "EstablishmentTypeGroup (name)",
    "EstablishmentStatus (name)",
    "PhaseOfEducation (name)",
    "OpenDate",
    "CloseDate",
    "Trusts (code)",
    "Trusts (name)",
    "Postcode",
)

#: Header of ``links_edubasealldata<date>.csv``.
LINKS_COLUMNS: Final[tuple[str, ...]] = (
    "URN",
    "LinkURN",
    "LinkName",
    "LinkType",
    "LinkEstablishedDate",
)

#: Links columns that must be present (``LinkName`` and
#: ``LinkEstablishedDate`` are read when present).
LINKS_REQUIRED_COLUMNS: Final[tuple[str, ...]] = ("URN", "LinkURN", "LinkType")

#: GIAS's ``EstablishmentStatus (name)`` values and what they become.
STATUSES: Final[dict[str, str]] = {
    "Open": "open",
    "Closed": "closed",
    "Open, but proposed to close": "open_proposed_to_close",
    "Proposed to open": "proposed_to_open",
}
_STATUS_BY_FOLDED: Final[dict[str, str]] = {k.casefold(): v for k, v in STATUSES.items()}

# ---------------------------------------------------------------------------
# Scope
# ---------------------------------------------------------------------------

#: Whether an establishment is in the tracker's scope by default, by
#: ``EstablishmentTypeGroup (name)``.  State-funded schools are in: local
#: authority maintained schools (which include pupil referral units and LA
#: nursery schools), academies (including alternative provision, special and
#: 16-19 academies), free schools (including UTCs, studio schools, AP and
#: special free schools) and special schools.  Independent schools,
#: colleges, universities, Welsh establishments, online providers,
#: children's centres and "Other types" (secure units, offshore schools,
#: service children's education, British schools overseas, special post-16
#: institutions, miscellaneous) are out.
SCOPE_BY_TYPE_GROUP: Final[dict[str, bool]] = {
    "Local authority maintained schools": True,
    "Academies": True,
    "Free Schools": True,
    "Special schools": True,
    "Independent schools": False,
    "Colleges": False,
    "Universities": False,
    "Welsh schools": False,
    "Other types": False,
    "Online provider": False,
    "Children's centres": False,
}

#: ``TypeOfEstablishment (name)`` values whose scope differs from their
#: group's, or that must hold whatever group a file puts them in.  These
#: win over :data:`SCOPE_BY_TYPE_GROUP`.
SCOPE_BY_TYPE: Final[dict[str, bool]] = {
    # GIAS files this under "Special schools", but it is a fee-charging
    # independent school.
    "Other independent special school": False,
    # Under "Independent schools", but a city technology college is wholly
    # state-funded (a forerunner of academies), so it is treated like one.
    "City technology college": True,
    # Always in, whatever group a file gives them.
    "Pupil referral unit": True,
    "Non-maintained special school": True,
    # Always out.
    "Other independent school": False,
    "Further education": False,
    "Sixth form centres": False,
    "Higher education institutions": False,
    "Online provider": False,
    "Welsh establishment": False,
    "Service children's education": False,
    "British schools overseas": False,
    "Offshore schools": False,
    "Children's centre": False,
    "Children's centre linked site": False,
}

_SCOPE_GROUP_FOLDED: Final[dict[str, bool]] = {
    k.casefold(): v for k, v in SCOPE_BY_TYPE_GROUP.items()
}
_SCOPE_TYPE_FOLDED: Final[dict[str, bool]] = {k.casefold(): v for k, v in SCOPE_BY_TYPE.items()}


def in_scope_by_default(type_group: str, type_name: str) -> bool:
    """Whether an establishment of this group and type is tracked by default.

    ``type_name`` (``TypeOfEstablishment (name)``) is looked up first in
    :data:`SCOPE_BY_TYPE`, then ``type_group``
    (``EstablishmentTypeGroup (name)``) in :data:`SCOPE_BY_TYPE_GROUP`; both
    ignore case and surrounding spaces.  A group GIAS has not used before is
    out of scope by default, so a new kind of establishment is never added
    silently; a new *type* inside a known group follows its group (a new
    kind of academy is in).
    """
    by_type = _SCOPE_TYPE_FOLDED.get((type_name or "").strip().casefold())
    if by_type is not None:
        return by_type
    return _SCOPE_GROUP_FOLDED.get((type_group or "").strip().casefold(), False)


# ---------------------------------------------------------------------------
# Items
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SchoolRow:
    """One establishment from an ``edubasealldata`` file.

    Strings are stripped of surrounding spaces; optional values that are
    empty in the file are ``None``.
    """

    #: 1-based physical line of the file on which the record starts.
    line: int
    urn: int
    name: str
    la_code: str
    la_name: str
    #: ``TypeOfEstablishment (name)``, e.g. "Academy converter".
    type_name: str
    #: ``EstablishmentTypeGroup (name)``, e.g. "Academies".
    type_group: str
    #: ``PhaseOfEducation (name)``, e.g. "Primary", "Not applicable".
    phase: str
    #: One of "open", "closed", "open_proposed_to_close", "proposed_to_open".
    status: str
    open_date: date | None
    close_date: date | None
    trust_code: str | None
    trust_name: str | None
    postcode: str | None

    @property
    def in_scope_by_default(self) -> bool:
        """See :func:`in_scope_by_default`."""
        return _in_scope(self.type_group, self.type_name)


_in_scope = in_scope_by_default


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
# Bytes to text
# ---------------------------------------------------------------------------

_CHUNK: Final = 1 << 16
_SPOOL_IN_MEMORY: Final = 1 << 20
_BOM: Final = codecs.BOM_UTF8

_CP1252_ERRORS: Final = "gias-cp1252-undefined"


def _cp1252_undefined(exc: UnicodeError) -> tuple[str, int]:
    # Windows maps the five bytes cp1252 leaves undefined to U+0081 etc.
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return exc.object[exc.start : exc.end].decode("latin-1"), exc.end


codecs.register_error(_CP1252_ERRORS, _cp1252_undefined)


class _Source(io.RawIOBase):
    """Raw stream over the caller's stream (never closed by us), optionally
    preceded by a spool of bytes already read from it."""

    def __init__(self, stream: IO[bytes], spool: IO[bytes] | None = None) -> None:
        super().__init__()
        self._stream = stream
        self._spool = spool

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while self._spool is not None:
            data = self._spool.read(len(buffer))
            if data:
                buffer[: len(data)] = data
                return len(data)
            self._spool.close()
            self._spool = None
        data = self._stream.read(len(buffer))
        if not data:
            return 0
        if not isinstance(data, bytes | bytearray):
            raise TypeError("expected a binary stream")
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if self._spool is not None:
            self._spool.close()
            self._spool = None
        super().close()


def _seekable(stream: IO[bytes]) -> bool:
    try:
        return bool(stream.seekable())
    except (AttributeError, OSError, ValueError):
        return False


def _read(stream: IO[bytes], size: int) -> bytes:
    data = stream.read(size)
    if isinstance(data, str):
        raise TypeError(
            "a GIAS file must be given as a binary stream: open it with "
            "open(path, 'rb'), not in text mode"
        )
    return bytes(data or b"")


def _open_text(stream: IO[bytes]) -> tuple[io.TextIOWrapper, str]:
    """Choose the encoding (see the module docstring) and return a text
    stream positioned at the start of the file, plus the encoding's name."""
    seekable = _seekable(stream)
    start = stream.tell() if seekable else 0
    spool: IO[bytes] | None = None if seekable else tempfile.SpooledTemporaryFile(_SPOOL_IN_MEMORY)

    head = b""
    while len(head) < len(_BOM):
        data = _read(stream, _CHUNK)
        if not data:
            break
        head += data
    if spool is not None:
        spool.write(head)

    if head.startswith(_BOM):
        encoding = "utf-8-sig"
    else:
        encoding = "utf-8"
        decoder = codecs.getincrementaldecoder("utf-8")("strict")
        chunk = head
        ascii_so_far = True
        try:
            while chunk:
                # ASCII is valid UTF-8: skip decoding until the first byte
                # above 0x7F, then decode everything to the end (or error).
                if not ascii_so_far or not chunk.isascii():
                    ascii_so_far = False
                    decoder.decode(chunk)
                chunk = _read(stream, _CHUNK)
                if spool is not None:
                    spool.write(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            encoding = "cp1252"

    if spool is None:
        stream.seek(start)
    else:
        spool.seek(0)
    raw = _Source(stream, spool)
    # A file with a byte-order mark was not checked in advance: bytes in it
    # that are not UTF-8 become lone surrogates, which the row checks report.
    errors = {"cp1252": _CP1252_ERRORS, "utf-8-sig": "surrogateescape"}.get(encoding, "strict")
    text = io.TextIOWrapper(
        io.BufferedReader(raw, _CHUNK), encoding=encoding, errors=errors, newline=""
    )
    return text, encoding


# ---------------------------------------------------------------------------
# Field parsing
# ---------------------------------------------------------------------------

_SURROGATE = re.compile("[\udc80-\udcff]")
_DATE = re.compile(r"(\d{1,2})([-/])(\d{1,2})\2(\d{4})")


class _Invalid(str):
    """Why a field could not be parsed (a str, told apart by its type)."""


@lru_cache(maxsize=8192)
def _parse_date(text: str) -> date | None | _Invalid:
    """The date, ``None`` for an empty field, or why it is not a date."""
    value = text.strip()
    if not value:
        return None
    match = _DATE.fullmatch(value)
    if match is None:
        return _Invalid(f'"{value}" is not a date in the form DD-MM-YYYY (for example 01-09-2021)')
    day, _, month, year = match.groups()
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return _Invalid(f'"{value}" is not a real date (expected DD-MM-YYYY, for example 01-09-2021)')


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


# ---------------------------------------------------------------------------
# Shared CSV machinery
# ---------------------------------------------------------------------------

ProgressCallback = Callable[[int], None]


class _CsvFile:
    """Encoding detection, header check and record iteration with line
    numbers, shared by the establishments and links readers."""

    _required: tuple[str, ...] = ()
    _what = "GIAS file"

    def __init__(
        self,
        stream: IO[bytes],
        *,
        progress: ProgressCallback | None = None,
        progress_every: int = 1000,
    ) -> None:
        if progress_every < 1:
            raise ValueError("progress_every must be at least 1")
        self._text, self.encoding = _open_text(stream)
        self._csv = csv.reader(self._text)
        self._progress = progress
        self._progress_every = progress_every
        self._started = False
        self._closed = False
        #: Data records read so far (not counting the header or blank lines),
        #: whether they became rows, errors or were skipped by a filter.
        self.rows_read = 0
        #: Records that produced at least one :class:`RowError`.
        self.rows_rejected = 0
        self.header: tuple[str, ...] = ()
        self.header_line = 1
        self._index: dict[str, int] = {}
        self.header_error: RowError | None = self._read_header()

    # -- header ----------------------------------------------------------
    def _read_header(self) -> RowError | None:
        try:
            row: list[str] = []
            while not row:
                row = next(self._csv)
        except StopIteration:
            return RowError(1, None, f"the file is empty; expected a {self._what} with a header row")
        except csv.Error as exc:
            return RowError(1, None, f"could not read the header row ({exc}); expected a {self._what}")
        self.header_line = self._csv.line_num
        self.header = tuple(name.strip() for name in row)
        for position, name in enumerate(self.header):
            self._index.setdefault(name, position)
        missing = [name for name in self._required if name not in self._index]
        if not missing:
            return None
        listed = ", ".join(f'"{name}"' for name in missing)
        plural = "s" if len(missing) > 1 else ""
        return RowError(
            self.header_line,
            None,
            f"the header is missing the required column{plural} {listed}; "
            f"this does not look like a {self._what}{self._layout_hint()}",
        )

    def _layout_hint(self) -> str:
        return ""

    # -- records ---------------------------------------------------------
    def _records(self) -> Iterator[tuple[int, list[str]] | RowError]:
        """Yield ``(start_line, fields)`` per non-blank record, or a final
        RowError if the text cannot be decoded or parsed any further."""
        reader = self._csv
        previous = reader.line_num
        while True:
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield RowError(
                    previous + 1,
                    None,
                    f"cannot read the file from this line on ({exc}); a quote (\") "
                    "that is never closed usually causes this",
                )
                return
            start = previous + 1
            previous = reader.line_num
            if not fields or (len(fields) == 1 and not fields[0].strip()):
                continue
            yield start, fields

    def _tick(self) -> None:
        self.rows_read += 1
        if self._progress is not None and self.rows_read % self._progress_every == 0:
            self._progress(self.rows_read)

    def _finish(self) -> None:
        if self._progress is not None and self.rows_read % self._progress_every != 0:
            self._progress(self.rows_read)
        self.close()

    def _claim(self) -> None:
        if self._started:
            raise RuntimeError("a GIAS reader can be iterated only once")
        self._started = True

    def _undecodable(self, line: int, fields: list[str], used: Sequence[tuple[str, int]]) -> list[RowError]:
        """RowErrors for used fields holding bytes that are not UTF-8 (only
        possible in a file with a UTF-8 byte-order mark)."""
        if not _SURROGATE.search("".join(fields)):
            return []
        return [
            RowError(
                line,
                column,
                f"{column} contains bytes that are not valid UTF-8, but the file starts "
                "with a UTF-8 byte-order mark; re-save it as UTF-8, or as Windows-1252 "
                "(GIAS's own format) without the mark",
            )
            for column, i in used
            if _SURROGATE.search(fields[i])
        ]

    def _width_error(self, line: int, fields: list[str]) -> RowError:
        return RowError(
            line,
            None,
            f"the row has {len(fields)} fields but the header has {len(self.header)}; "
            "expected one field per column (an unquoted comma or a stray quote "
            "shifts the fields)",
        )

    # -- lifetime --------------------------------------------------------
    def close(self) -> None:
        """Release the reader's buffers and any temporary file.  The stream
        passed in is left open: it belongs to the caller."""
        if not self._closed:
            self._closed = True
            self._text.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


# ---------------------------------------------------------------------------
# Establishments
# ---------------------------------------------------------------------------

_NAME_SUFFIX = re.compile(r",\s*(city|county) of\s*$", re.IGNORECASE)


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


class GiasReader(_CsvFile):
    """Iterate once over an ``edubasealldata`` file, yielding
    :class:`SchoolRow` and :class:`RowError` items in file order.

    Made by :func:`open_gias`.  Counters (:attr:`rows_read`,
    :attr:`rows_skipped_by_filter`, :attr:`rows_rejected`) grow as the
    iteration proceeds; :attr:`encoding`, :attr:`header` and
    :attr:`header_error` are known as soon as the reader is made.
    """

    _required = REQUIRED_COLUMNS
    _what = 'GIAS establishment file ("edubasealldata" CSV)'

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

    def _layout_hint(self) -> str:
        if "LinkURN" in self._index:
            return " (it looks like a GIAS links file: read it with read_gias_links)"
        return ""

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

    def __iter__(self) -> Iterator[SchoolRow | RowError]:
        self._claim()
        try:
            if self.header_error is not None:
                yield self.header_error
                return
            yield from self._rows()
        finally:
            self._finish()

    def _rows(self) -> Iterator[SchoolRow | RowError]:
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
        width = len(self.header)
        la_reach = max(i_la_code, i_la_name)
        filtering = bool(self._la_filters)
        selected = self._la_selected
        seen = _UrnLines()
        statuses = _STATUS_BY_FOLDED
        check_bytes = self.encoding == "utf-8-sig"
        used = [(name, ix[name]) for name in REQUIRED_COLUMNS]

        for record in self._records():
            if isinstance(record, RowError):
                yield record
                return
            line, f = record
            self._tick()
            if filtering and len(f) > la_reach and not selected(f[i_la_code], f[i_la_name]):
                self.rows_skipped_by_filter += 1
                continue
            if len(f) != width:
                self.rows_rejected += 1
                yield self._width_error(line, f)
                continue

            if check_bytes:
                errors = self._undecodable(line, f, used)
                if errors:
                    self.rows_rejected += 1
                    yield from errors
                    continue
            errors = []
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
                self.rows_rejected += 1
                yield from errors
                continue
            yield SchoolRow(
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


def open_gias(
    stream: IO[bytes],
    *,
    la: Sequence[str] = (),
    progress: ProgressCallback | None = None,
    progress_every: int = 1000,
) -> GiasReader:
    """Open an ``edubasealldata`` CSV given as a binary stream.

    The encoding is chosen and the header read straight away (see the module
    docstring); iterate over the result for the rows.

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


# ---------------------------------------------------------------------------
# Links
# ---------------------------------------------------------------------------


class GiasLinksReader(_CsvFile):
    """Iterate once over a ``links_edubasealldata`` file, yielding
    :class:`LinkRow` and :class:`RowError` items.  Made by
    :func:`open_gias_links`."""

    _required = LINKS_REQUIRED_COLUMNS
    _what = 'GIAS links file ("links_edubasealldata" CSV)'

    def _layout_hint(self) -> str:
        if "EstablishmentName" in self._index:
            return " (it looks like a GIAS establishment file: read it with read_gias)"
        return ""

    def __iter__(self) -> Iterator[LinkRow | RowError]:
        self._claim()
        try:
            if self.header_error is not None:
                yield self.header_error
                return
            yield from self._rows()
        finally:
            self._finish()

    def _rows(self) -> Iterator[LinkRow | RowError]:
        ix = self._index
        i_urn, i_link, i_type = ix["URN"], ix["LinkURN"], ix["LinkType"]
        i_name = ix.get("LinkName")
        i_date = ix.get("LinkEstablishedDate")
        width = len(self.header)
        check_bytes = self.encoding == "utf-8-sig"
        used = [(name, ix[name]) for name in LINKS_COLUMNS if name in ix]
        for record in self._records():
            if isinstance(record, RowError):
                yield record
                return
            line, f = record
            self._tick()
            if len(f) != width:
                self.rows_rejected += 1
                yield self._width_error(line, f)
                continue
            errors = self._undecodable(line, f, used) if check_bytes else []
            if errors:
                self.rows_rejected += 1
                yield from errors
                continue
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
                self.rows_rejected += 1
                yield from errors
                continue
            yield LinkRow(
                line=line,
                urn=urn,
                link_urn=link_urn,
                link_type=link_type,
                established_on=established_on,
                link_name=_optional(f[i_name]) if i_name is not None else None,
            )


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
