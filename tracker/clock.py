"""The one clock: times recorded in UTC; "today" and the end of a day in Europe/London."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from tracker.models.base import utcnow

LONDON = ZoneInfo("Europe/London")


def now() -> dt.datetime:
    return utcnow()


def today() -> dt.date:
    """Today's date in Europe/London."""
    return utcnow().astimezone(LONDON).date()


def to_london(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(LONDON)


def end_of_day_utc(day: dt.date) -> dt.datetime:
    """The first instant after ``day`` ends in London, in UTC: the "as at" cut-off."""
    next_midnight = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=LONDON)
    return next_midnight.astimezone(dt.timezone.utc)
