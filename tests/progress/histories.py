"""What the property tests of kept figures generate histories from: moments of recording at
three hours of the day (midnight, 9am, 11pm, so cut-offs at a day's end are crossed) and
dates, counted in days from ``FIRST``; ``TODAY`` is the day the pages are asked about."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import strategies as st

FIRST = date(2021, 1, 1)
TODAY = date(2022, 12, 31)


def moments(last_day: int) -> st.SearchStrategy[datetime]:
    """A moment on one of the ``last_day + 1`` days from ``FIRST``."""
    return st.builds(lambda day, hour: datetime.combine(FIRST + timedelta(days=day),
                                                        datetime.min.time(), UTC)
                     + timedelta(hours=hour),
                     st.integers(0, last_day), st.sampled_from((0, 9, 23)))


def days(last_day: int) -> st.SearchStrategy[date]:
    """One of the ``last_day + 1`` days from ``FIRST``."""
    return st.integers(0, last_day).map(lambda n: FIRST + timedelta(days=n))
