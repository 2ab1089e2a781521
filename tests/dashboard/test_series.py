"""The dashboard's weekly series (computed only at weeks where something was recorded) equal
``tracker.progress_series``'s, point for point, on any history (hypothesis)."""
from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from tests.progress.test_properties import SETTINGS, recommendations, schools
from tracker import progress_series
from tracker.dashboard import series

starts = st.dates(min_value=date(2020, 12, 1), max_value=date(2022, 6, 30))
spans = st.integers(0, 500)
TODAY = date(2023, 6, 30)


@SETTINGS
@given(st.lists(recommendations, max_size=6), starts, spans, st.integers(0, 400))
def test_actions_complete_by_week_equals_the_rules_series(recs, start, span, later):
    as_at = min(start.fromordinal(start.toordinal() + span), TODAY)
    today = min(as_at.fromordinal(as_at.toordinal() + later), TODAY)
    assert series.actions_complete_by_week(recs, start=start, as_at=as_at, today=today) == \
        progress_series.actions_complete_by_week(recs, start=start, as_at=as_at, today=today)


@SETTINGS
@given(st.lists(schools, max_size=12), starts, spans)
def test_adoption_by_week_equals_the_rules_series(found, start, span):
    as_at = min(start.fromordinal(start.toordinal() + span), TODAY)
    assert series.adoption_by_week(found, start=start, as_at=as_at) == \
        progress_series.adoption_by_week(found, start=start, as_at=as_at)
