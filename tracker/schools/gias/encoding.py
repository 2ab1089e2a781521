"""Bytes to text: choosing the encoding of a GIAS file, and reading a stream
that cannot seek.

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
bytes yields a :class:`~tracker.schools.gias.rows.RowError` naming the
column, and the rest read on.
"""

from __future__ import annotations

import codecs
import io
import tempfile
from typing import IO, Final

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
