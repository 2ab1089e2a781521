"""The one clock: times recorded in UTC; "today" and the end of a day in Europe/London.

The calendar rules themselves are pure functions in ``tracker.progress``; this module only
reads the time now and hands it to them. Tests move time with ``travel_to`` (the only way
time moves: every "now" and "today" of the services reads this module).
"""
from __future__ import annotations

import contextlib
import datetime as dt
from typing import Iterator

from tracker.models.base import utcnow
from tracker.progress import LONDON, end_of_day_utc, london_today

__all__ = ["LONDON", "end_of_day_utc", "now", "to_london", "today", "travel_to"]

_shifts: list[dt.timedelta] = []


def now() -> dt.datetime:
    return utcnow() + _shifts[-1] if _shifts else utcnow()


def today() -> dt.date:
    """Today's date in Europe/London."""
    return london_today(now())


def to_london(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(LONDON)


@contextlib.contextmanager
def travel_to(moment: dt.datetime) -> Iterator[None]:
    """Make ``now()`` read ``moment`` (then go on ticking) until the block ends."""
    if moment.tzinfo is None:
        raise ValueError("travel_to needs an aware datetime")
    _shifts.append(moment - utcnow())
    try:
        yield
    finally:
        _shifts.pop()
