"""Dates as English councils print them on decision notices.

UK order only: "26/11/2020" is 26 November. Accepted forms (a leading weekday such
as "Thursday," and a trailing time such as "at 5pm" or "17:00" are ignored):

* ``26 November 2020``, ``26th November 2020``, ``26 Nov 2020``, ``26 Sept. 2020``
* ``November 26, 2020`` (seen on some copied web pages)
* ``26/11/2020``, ``26.11.2020``, ``26-11-2020``
* ``2020-11-26`` (ISO) and ``2020/11/26`` (as some committee systems print it)
* two-digit years: ``16 Sep 13``, ``16/09/13`` (read as 2013; always this century)

``find_date`` finds the first such date inside a sentence ("... unless it is called in by
5pm on 16th September 2013").

Anything else, including impossible dates such as 31/02/2020, reads as ``None``;
nothing here raises. The regular expressions are anchored and have no nested
quantifiers, and input longer than ``_MAX_DATE_CHARS`` is refused up front.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

_MAX_DATE_CHARS = 80

_MONTHS: dict[str, int] = {}
for _number, _name in enumerate(calendar.month_name[1:], start=1):
    _MONTHS[_name.lower()] = _number
    _MONTHS[_name[:3].lower()] = _number
_MONTHS["sept"] = 9

_WEEKDAYS = frozenset(
    [day.lower() for day in calendar.day_name] + [day.lower() for day in calendar.day_abbr]
)

_DAY_MONTH_YEAR = re.compile(
    r"([0-9]{1,2})(?:st|nd|rd|th)? ?(?:of )?([A-Za-z]{3,9})\.?,? ?([0-9]{4}|[0-9]{2})", re.ASCII
)
_MONTH_DAY_YEAR = re.compile(
    r"([A-Za-z]{3,9})\.? ([0-9]{1,2})(?:st|nd|rd|th)?,? ([0-9]{4})", re.ASCII
)
_NUMERIC = re.compile(r"([0-9]{1,2})([/.-])([0-9]{1,2})\2([0-9]{4}|[0-9]{2})", re.ASCII)
_ISO = re.compile(r"([0-9]{4})[-/]([0-9]{1,2})[-/]([0-9]{1,2})", re.ASCII)
_TIME = re.compile(
    r"(?:, ?| )(?:at )?[0-9]{1,2}"
    r"(?:[.:][0-9]{2} ?(?:am|pm|a\.m\.|p\.m\.|hrs)?| ?(?:am|pm|a\.m\.|p\.m\.))",
    re.ASCII | re.IGNORECASE,
)


def _year(text: str) -> int:
    """A printed year: two digits are this century ("13" is 2013)."""
    return 2000 + int(text) if len(text) == 2 else int(text)


def find_date(text: str) -> date | None:
    """The first date written inside ``text``, in any form :func:`parse_date` reads."""
    words = text.replace(",", " ").split()[:60]
    for start in range(len(words)):
        if not words[start][:1].isdigit() and words[start].lower().rstrip(".") not in _MONTHS:
            continue
        for size in (3, 4, 1, 2):
            found = parse_date(" ".join(words[start:start + size]).rstrip(".;:)"))
            if found is not None:
                return found
    return None


def make_date(year: int, month: int, day: int) -> date | None:
    """The date, or None when the three numbers are not a real calendar day."""
    if not (1000 <= year <= 9999 and 1 <= month <= 12 and day >= 1):
        return None
    if day > calendar.monthrange(year, month)[1]:
        return None
    return date(year, month, day)


def parse_date(value: str) -> date | None:
    """Read one UK date written in any of the forms listed in the module docstring."""
    if len(value) > _MAX_DATE_CHARS:
        return None
    words = value.split()
    if not words:
        return None
    if words[0].lower().rstrip(",.") in _WEEKDAYS:
        words = words[1:]
    text = " ".join(words).rstrip(".,;")
    for pattern in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR, _NUMERIC, _ISO):
        match = pattern.match(text)
        if match is None:
            continue
        rest = text[match.end():]
        if rest and _TIME.fullmatch(rest) is None:
            continue
        return _from_match(pattern, match)
    return None


def _from_match(pattern: re.Pattern[str], match: re.Match[str]) -> date | None:
    """Turn a match of one of the module's patterns into a date."""
    if pattern is _DAY_MONTH_YEAR:
        month = _MONTHS.get(match.group(2).lower())
        return make_date(_year(match.group(3)), month, int(match.group(1))) if month else None
    if pattern is _MONTH_DAY_YEAR:
        month = _MONTHS.get(match.group(1).lower())
        return make_date(int(match.group(3)), month, int(match.group(2))) if month else None
    if pattern is _NUMERIC:
        return make_date(_year(match.group(4)), int(match.group(3)), int(match.group(1)))
    return make_date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
