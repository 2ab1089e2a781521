"""Reading what a request's address carries: the one way every route reads a number, a
date or a choice from its path or query string. A value that cannot be what the route asks
for answers 404 (an id or a page that does not exist) or 400 with a message that says what
is wrong, never a 500.

- Ids in paths: the ``int`` converter is bounded to what the database's integer column
  holds (2³¹ − 1 on PostgreSQL), so a longer number is simply a page that does not exist.
- A query string holding a NUL byte is refused before any view runs: 400, "cannot be
  read", the same on every database.
- ``page_arg``, ``int_arg``, ``id_arg``, ``choice_arg``, ``parse_int``, ``parse_date``: the
  rest, used by views, forms and queries. Typed dates are bounded in ``tracker.forms``.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from flask import Flask, abort, request
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

DB_INT_MAX = 2**31 - 1   # PostgreSQL's integer; SQLite's is wider, so this bounds both
PAGE_MAX = 100_000


class BadParameter(BadRequest):
    """A 400 whose description is written for the person who sent it (shown on the page)."""

    explained = True


class DatabaseId(IntegerConverter):
    """``<int:...>`` in every route: 1 to the largest id the database can hold; anything
    else (0, a leading zero, a number too large to be an id) does not match, so answers 404."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:  # noqa: A002
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", DB_INT_MAX)
        super().__init__(map, *args, **kwargs)


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = DatabaseId
    app.before_request(refuse_unreadable_query)


def refuse_unreadable_query() -> None:
    """A NUL byte in the query string: 400, before any view or query runs, the same on
    every database (a NUL in the path: 404)."""
    for key, values in request.args.lists():
        for text in (key, *values):
            if _unreadable(text):
                raise BadParameter(
                    "The web address has a character that cannot be read (a control "
                    "character such as a NUL byte). Check the address, or go back and "
                    "use the page's own links and filters.")
    if _unreadable(request.path):
        abort(404)


def _unreadable(text: str) -> bool:
    """A NUL byte: no database stores it the same way (PostgreSQL refuses it). Other
    control characters are each reader's to refuse: a filter form says so next to its field,
    and the sign-in page's ``next`` goes home when it is not a local path."""
    return "\x00" in text


def int_arg(name: str, default: int | None = None, *, low: int = 0,
            high: int = DB_INT_MAX) -> int | None:
    """A whole number written in ASCII digits, ``low`` to ``high``; else ``default``.
    ("²" or "١" are digits to Python, but not a number anyone typed into our address.)"""
    value = request.args.get(name, "")
    return parse_int(value, default, low=low, high=high)


def parse_int(value: str | None, default: int | None = None, *, low: int = 0,
              high: int = DB_INT_MAX) -> int | None:
    text = (value or "").strip()
    if not text or len(text) > 12 or not (text.isascii() and text.lstrip("-").isdigit()) \
            or text.count("-") > (1 if text.startswith("-") else 0):
        return default
    number = int(text)
    return number if low <= number <= high else default


def parse_date(value: str | None) -> dt.date | None:
    """A date written YYYY-MM-DD between the years dates are typed in (``tracker.forms``)."""
    from tracker.forms import FIRST_YEAR, LAST_YEAR

    text = (value or "").strip()
    if len(text) != 10 or not text.isascii():
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return None
    return day if FIRST_YEAR <= day.year <= LAST_YEAR else None


def page_arg(name: str = "page") -> int:
    """The page of a list asked for: 1 unless a sensible page number is given."""
    return int_arg(name, 1, low=1, high=PAGE_MAX) or 1


def id_arg(name: str) -> int | None:
    """An id from the query string (``?decision=12``); None when absent or not an id."""
    return int_arg(name, None, low=1, high=DB_INT_MAX)


def choice_arg(name: str, choices: Collection[str], default: str | None = None) -> str | None:
    """One of ``choices``, else ``default``."""
    value = request.args.get(name)
    return value if value in choices else default
