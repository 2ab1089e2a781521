"""The one clock: times recorded in UTC; "today" and the end of a day in Europe/London.

The calendar rules themselves are pure functions in ``tracker.progress``; this module only
reads the time now and hands it to them.
"""
from __future__ import annotations

import datetime as dt

from tracker.models.base import utcnow
from tracker.progress import LONDON, end_of_day_utc, london_today

__all__ = ["LONDON", "end_of_day_utc", "now", "to_london", "today"]


def now() -> dt.datetime:
    return utcnow()


def today() -> dt.date:
    """Today's date in Europe/London."""
    return london_today(utcnow())


def to_london(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(LONDON)
