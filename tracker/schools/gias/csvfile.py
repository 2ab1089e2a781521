"""The machinery both GIAS readers share: the header check, and records
with their line numbers, counted and checked for shape.

Lines are counted as Python's universal newlines count them (``\r\n``,
``\n`` or a lone ``\r`` each end one line).

Only the standard ``csv`` module parses the text, so quoted fields may hold
commas, doubled quotes and line breaks; the line of a row
(:attr:`~tracker.schools.gias.rows.SchoolRow.line`) is always the physical
line on which the record *starts*.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator, Sequence
from typing import IO, Generic, Self, TypeVar

from tracker.schools.gias.columns import GROUP_LINKS_COLUMNS
from tracker.schools.gias.encoding import _open_text
from tracker.schools.gias.rows import RowError

ProgressCallback = Callable[[int], None]

_SURROGATE = re.compile("[\udc80-\udcff]")

_Item = TypeVar("_Item")


class _CsvFile(Generic[_Item]):
    """Encoding detection, header check and record iteration with line
    numbers, shared by the establishments and links readers.

    A subclass names its file (:attr:`_required`, :attr:`_used`,
    :attr:`_what`, :attr:`_other_column`, :attr:`_other_hint`) and says
    how to turn one record into an item (:meth:`_parser`) and, if it
    filters, which records to pass over (:meth:`_skip`).
    """

    #: Columns the header must have.
    _required: tuple[str, ...] = ()
    #: Columns whose fields the reader uses, checked for bytes that are not
    #: UTF-8 in a file with a UTF-8 byte-order mark (those in the header).
    _used: tuple[str, ...] = ()
    _what = "GIAS file"
    #: A column only the other kind of GIAS file has, and what to add to
    #: the missing-columns error when the header has it.
    _other_column = ""
    _other_hint = ""
    #: What the other kind of file is called in :attr:`looks_like`.
    _other_kind = ""

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
        #: When the header is refused: "links", "establishments" or
        #: "group_links" if it looks like that other kind of GIAS file.
        self.looks_like: str | None = None
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
        if all(name in self._index for name in GROUP_LINKS_COLUMNS):
            self.looks_like = "group_links"
            return RowError(
                self.header_line,
                None,
                "this is a GIAS group links file (alllinksdata: the schools in each trust or "
                f"federation), not a {self._what}; the tracker reads trusts from the "
                'establishments file\'s "Trusts (code)" and "Trusts (name)" columns',
            )
        missing = self._missing_columns()
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

    def _missing_columns(self) -> list[str]:
        """Required columns the header lacks (none: the header is sound)."""
        return [name for name in self._required if name not in self._index]

    def _layout_hint(self) -> str:
        if self._other_column and self._other_column in self._index:
            self.looks_like = self._other_kind
            return self._other_hint
        return ""

    # -- records ---------------------------------------------------------
    def __iter__(self) -> Iterator[_Item | RowError]:
        self._claim()
        try:
            if self.header_error is not None:
                yield self.header_error
                return
            yield from self._rows()
        finally:
            self._finish()

    def _rows(self) -> Iterator[_Item | RowError]:
        """The items and RowErrors for the records after a sound header."""
        parse = self._parser()
        for record in self._records(self._skip()):
            if isinstance(record, RowError):
                yield record
                continue
            item = parse(*record)
            if isinstance(item, list):
                self.rows_rejected += 1
                yield from item
            else:
                yield item

    def _parser(self) -> Callable[[int, list[str]], _Item | list[RowError]]:
        """Return the function that turns one record (its start line and
        fields) into an item, or into the RowErrors saying what is wrong with
        it.  Called once per read, after a sound header, so it can look the
        columns up once."""
        raise NotImplementedError

    def _skip(self) -> Callable[[list[str]], bool] | None:
        """Return a test for records to pass over unchecked (a filter), or
        ``None`` to check every record."""
        return None

    def _records(
        self, skip: Callable[[list[str]], bool] | None = None
    ) -> Iterator[tuple[int, list[str]] | RowError]:
        """Yield ``(start_line, fields)`` per non-blank record, or a final
        RowError if the text cannot be decoded or parsed any further.

        Each record counts in :attr:`rows_read`.  One for which
        ``skip(fields)`` is true is passed over unchecked.  One with the
        wrong number of fields, or (in a file with a UTF-8 byte-order mark)
        with used fields that are not UTF-8, yields its RowErrors instead
        and counts in :attr:`rows_rejected`.
        """
        reader = self._csv
        width = len(self.header)
        check_bytes = self.encoding == "utf-8-sig"
        used = [(name, self._index[name]) for name in self._used if name in self._index]
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
            self._tick()
            if skip is not None and skip(fields):
                continue
            if len(fields) != width:
                self.rows_rejected += 1
                yield self._width_error(start, fields)
                continue
            if check_bytes:
                errors = self._undecodable(start, fields, used)
                if errors:
                    self.rows_rejected += 1
                    yield from errors
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
