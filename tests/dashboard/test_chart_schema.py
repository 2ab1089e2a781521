"""Every chart kind of ``tracker.charts`` is valid by Plotly's own schema, and is exactly what
Plotly would serialise for it. Pages build the figures as plain values without asking Plotly
(its validation costs about 10 ms a figure at each request): this test is where the schema is
checked, so a property Plotly does not know, or a value it refuses, fails here."""
from __future__ import annotations

import datetime as dt
import json
from fractions import Fraction
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
import pytest

from tracker import charts, progress
from tracker.dashboard.figures import (
    AdoptionByPhase, OwnerRow, PhaseRow, SeriesPoint, Status, StatusBySource, WeeklySeries,
)
from tracker.dashboard.impact import ImpactFigures
from tracker.dashboard.late import AgeingSeries, LateLine
from tracker.progress import ActionState

LINK = '<a href="https://evil.example">Bob %{x}</a> & co'
DAY = dt.date(2021, 1, 31)


def _weekly(name: str, weeks: int) -> WeeklySeries:
    points = []
    for n in range(weeks):
        denominator = n % 4
        numerator = min(n % 3, denominator)
        share = None if denominator == 0 else Fraction(numerator, denominator)
        points.append(SeriesPoint(week_ending=DAY + dt.timedelta(weeks=n), numerator=numerator,
                                  denominator=denominator, share=share))
    return WeeklySeries(name, tuple(points))


def _late(n: int) -> LateLine:
    state = ActionState(id=n, owner_id=2, status="in_progress", rag="red",
                        current_due_on=DAY, original_due_on=DAY, overdue=True, counted=True,
                        latest_update=None)
    return LateLine(n, "D1", f"R{n}", f"Action {n} {LINK}", f"Owner {LINK}", "Service", DAY,
                    DAY, 40 - n, None, "", "", state)


def _ageing(months: int) -> AgeingSeries:
    points = tuple(progress.Ageing(
        as_at=DAY + dt.timedelta(days=30 * n),
        recommendations_by_band={band: n + i for i, band in enumerate(progress.AGE_BANDS)},
        actions_by_band={band: 2 * n + i for i, band in enumerate(progress.AGE_BANDS)},
        complete_actions=n, average_days_to_complete=None, complete_by_original_due=0,
        share_by_original_due=None) for n in range(months))
    return AgeingSeries(points)


def _every_chart() -> list[tuple[str, dict[str, Any]]]:
    """Each public chart of ``tracker.charts``, with people's text that needs escaping, a few
    and many points (the sizes where a chart's properties change)."""
    adoption = progress.AdoptionFigure(as_at=DAY, adopted=1, in_scope_open=12, share=None,
                                       by_status={s: 2 for s in progress.ADOPTION_STATUSES})
    by_phase = AdoptionByPhase(
        f"Guide {LINK}", (PhaseRow(f"<b>{LINK}</b>", adoption), PhaseRow("Primary", adoption)),
        adoption, tuple((s, f"{s} {LINK}") for s in progress.ADOPTION_STATUSES))
    sources = tuple((source, f"Review {LINK}") for source in progress.SOURCES[:2])
    statuses = tuple(Status(key, f"{key} {LINK}", "#d4351c") for key in charts.STATUS_STYLE)
    status = StatusBySource(sources, statuses,
                            {(sources[0][0], key): n for n, key in enumerate(charts.STATUS_STYLE)})
    few_status = StatusBySource(sources[:1], statuses[:1], {(sources[0][0], statuses[0].key): 1})
    return [
        ("status_by_source", charts.status_by_source(status)),
        ("status_by_source, few", charts.status_by_source(few_status)),
        ("weekly_shares", charts.weekly_shares(
            [_weekly(f"Guidance {n} {LINK}", 8) for n in range(7)], f"Share {LINK}")),
        ("weekly_shares, one long", charts.weekly_shares([_weekly(LINK, 60)], "Share")),
        ("adoption_by_phase", charts.adoption_by_phase(by_phase)),
        ("overdue_by_owner", charts.overdue_by_owner(
            [OwnerRow(f"{LINK} {n}", 20 - n) for n in range(12)])),
        ("overdue_by_owner, one", charts.overdue_by_owner([OwnerRow(LINK, 1)])),
        ("late_by_days", charts.late_by_days([_late(n) for n in range(1, 31)])),
        ("ageing_by_month", charts.ageing_by_month(_ageing(13))),
        ("ageing_by_month, one", charts.ageing_by_month(_ageing(1))),
        ("implemented_and_impact", charts.implemented_and_impact(
            ImpactFigures(10, 4, 2, 1, 1, 1, 1, 0))),
        ("implemented_and_impact, none", charts.implemented_and_impact(
            ImpactFigures(0, 0, 0, 0, 0, 0, 0, 0))),
    ]


def test_every_public_chart_is_covered():
    public = {name for name, value in vars(charts).items()
              if callable(value) and not name.startswith("_")
              and getattr(value, "__module__", "") == charts.__name__}
    assert public == {name.split(",")[0] for name, _ in _every_chart()}


@pytest.mark.parametrize(("name", "figure"), _every_chart(), ids=lambda v: v
                         if isinstance(v, str) else "")
def test_every_chart_is_valid_by_plotlys_schema_and_as_plotly_would_serialise_it(name, figure):
    plain = json.loads(json.dumps(figure))   # what the page's JSON data block carries
    # Raises on any property Plotly does not know, or a value it would refuse.
    checked = go.Figure(data=figure["data"], layout={"template": {}, **figure["layout"]})
    by_plotly = json.loads(pio.to_json(checked, validate=True))
    by_plotly["layout"].pop("template", None)
    assert plain == by_plotly


def test_an_unknown_property_fails_the_check():
    figure = charts.overdue_by_owner([OwnerRow("Ann", 1)])
    figure["data"][0]["colour"] = "#d4351c"
    with pytest.raises(ValueError, match="colour"):
        go.Figure(data=figure["data"], layout=figure["layout"])
