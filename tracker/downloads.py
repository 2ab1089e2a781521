"""How every download names its file: ``Content-Disposition: attachment`` with an ASCII
``filename`` (a header may hold nothing else: PEP 3333 sends headers as Latin-1, and a name
outside it gives no answer at all) and the whole name in RFC 5987's ``filename*``, which
browsers prefer. One helper, used by every route that sends a file."""
from __future__ import annotations

import re
import unicodedata
from typing import Any
from urllib.parse import quote

from flask import Response

_UNSAFE = re.compile(r'[\x00-\x1f\x7f"\\/]')


def content_disposition(filename: str) -> str:
    """``attachment; filename="..."; filename*=UTF-8''...`` for ``filename``."""
    full = _UNSAFE.sub("_", filename).strip() or "download"
    return (f'attachment; filename="{_ascii(full)}"; '
            f"filename*=UTF-8''{quote(full, safe='')}")


def _ascii(name: str) -> str:
    """Accents dropped (Café: Cafe), other letters left out, runs of dashes made one,
    none at either end."""
    decomposed = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in decomposed if c.isascii() and c.isprintable())
    text = re.sub(r"-{2,}", "-", text)
    stem, dot, extension = text.rpartition(".")
    if not dot:
        stem, extension = text, ""
    stem = stem.strip("-_ .")
    if not any(c.isalnum() for c in stem):
        stem = "download"
    return f"{stem}.{extension}" if dot else stem


def content_type(mimetype: str) -> str:
    """The ``Content-Type`` of a download: text says its character set exactly once
    (``text/csv; charset=utf-8``, whether or not ``mimetype`` gave it already)."""
    kind = mimetype.split(";", 1)[0].strip()
    return f"{kind}; charset=utf-8" if kind.startswith("text/") else kind


def download(body: Any, mimetype: str, filename: str) -> Response:
    """A response that the browser saves as ``filename``."""
    return Response(body, content_type=content_type(mimetype),
                    headers={"Content-Disposition": content_disposition(filename)})
