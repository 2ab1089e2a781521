"""Query results -> Plotly figure JSON, nothing else.

Each function takes the figures the dashboard and report already show in a table
(``tracker.dashboard.figures``, ``tracker.dashboard.late``) and returns the figure as plain
JSON-ready values, ``{"data": [...], "layout": {...}}``, each trace a dict naming its
``type`` (``_trace``), which the page puts in a JSON data block and ``static/js/charts.js``
draws with the pinned plotly.js bundle. A new chart follows the same pattern: traces from
``_trace``, the layout from ``_layout``, every text from people through ``_text`` (or
``_in_template`` inside a hover template), then ``_figure``. No figure is computed here:
shares are plotted as the whole percent the rules of progress give, so a bar or a point reads
exactly as the cell of the table beside it.

Plotly's schema is checked in the tests, not on every request:
``tests/dashboard/test_chart_schema.py`` builds every chart kind here (people's text that
needs escaping included), checks it with ``plotly.graph_objects.Figure`` (which raises on any
property Plotly does not know or a value it would refuse) and that Plotly's own serialisation
of it is exactly what this module returns. The figures' shape depends only on the code, not on
the data, so checking each kind once in CI guards every page, and a page does not pay
Plotly's validation (about 10 ms a figure, eight or more figures a page) at each request.

Colour is never the only signal: every trace is named in the legend and the hover text, the
table carries the words, and bars that share a colour family differ by fill pattern (which
also survives printing in black and white).

Every text that comes from people (names, titles, GIAS phases) is escaped before Plotly sees
it (``_text``): Plotly renders a subset of HTML in labels, including links.
"""
from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from tracker import progress
from tracker.dashboard.figures import (
    AdoptionByPhase, OwnerRow, StatusBySource, WeeklySeries,
)
from tracker.dashboard.impact import ImpactFigures
from tracker.dashboard.late import AgeingSeries, LateLine

Figure = dict[str, Any]

TEXT = "#0b0c0c"
GRID = "#dddddd"
FONT = {"family": "arial, sans-serif", "size": 14, "color": TEXT}
# (colour, fill pattern) per recommendation status key (figures.STATUS_ORDER)
STATUS_STYLE: dict[str, tuple[str, str]] = {
    progress.RAG_RED: ("#d4351c", ""),
    progress.RAG_AMBER: ("#f47738", ""),
    progress.RAG_GREY: ("#b1b4b6", ""),
    progress.RAG_GREEN: ("#00703c", ""),
    progress.STATE_NO_ACTIONS: ("#505a5f", "/"),
    progress.STATE_AWAITING_SIGN_OFF: ("#85994b", "x"),
    progress.STATE_COMPLETE: ("#1d70b8", ""),
    progress.STATE_NOT_ACCEPTED: ("#ffffff", "."),
    progress.STATE_CLOSED_NOT_IMPLEMENTED: ("#6f72af", "-"),
    progress.STATE_SUPERSEDED: ("#912b88", "|"),
    progress.STATE_WITHDRAWN: ("#505a5f", "+"),
}
ADOPTION_STYLE: dict[str, tuple[str, str]] = {
    progress.ADOPTION_EMBEDDED: ("#00703c", ""),
    progress.ADOPTION_ADOPTED: ("#28a197", "/"),
    progress.ADOPTION_OWN_POLICY: ("#85994b", "x"),
    progress.ADOPTION_UNDER_REVIEW: ("#f47738", "."),
    progress.ADOPTION_NOT_STARTED: ("#b1b4b6", ""),
    progress.ADOPTION_DECLINED: ("#d4351c", "-"),
}
LINE_COLOURS = ("#1d70b8", "#00703c", "#4c2c92", "#d4351c", "#f47738")
LINE_DASHES = ("solid", "dash", "dot", "dashdot", "longdash")


def _trace(kind: str, **properties: Any) -> dict[str, Any]:
    """One trace as plotly.js reads it: its ``type`` (``"bar"``, ``"scatter"``) and its
    properties, named as ``plotly.graph_objects`` names them."""
    return {"type": kind, **properties}


def _figure(traces: Sequence[dict[str, Any]], layout: dict[str, Any]) -> Figure:
    """The figure as plain values. No template: plotly.js's own defaults and the layout here
    style it. Checked against Plotly's schema in the tests (see the module's docstring)."""
    return {"data": list(traces), "layout": layout}


def _layout(height: int, **extra: Any) -> dict[str, Any]:
    layout: dict[str, Any] = {
        "height": height, "font": FONT, "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff",
        "margin": {"l": 70, "r": 20, "t": 20, "b": 60}, "hovermode": "closest",
        # The legend below the plot: beside it, it squeezes the plot to nothing on a phone.
        "legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": -0.2, "yanchor": "top",
                   "traceorder": "normal"},
    }
    layout.update(extra)
    return layout


DARK = ("#505a5f", "#00703c", "#1d70b8", "#d4351c")


def _bar_marker(colour: str, pattern: str) -> dict[str, Any]:
    marker: dict[str, Any] = {"color": colour, "line": {"color": TEXT, "width": 1}}
    if pattern:
        marker["pattern"] = {"shape": pattern, "fillmode": "overlay", "size": 8,
                             "solidity": 0.3,
                             "fgcolor": "#ffffff" if colour in DARK else TEXT}
    return marker


def _count_axis(title: str, most: int) -> dict[str, Any]:
    """Whole numbers only: a tick for every one while they are few."""
    axis: dict[str, Any] = {"title": {"text": title}, "rangemode": "tozero", "tickformat": "d",
                            "gridcolor": GRID, "zeroline": True, "zerolinecolor": TEXT}
    if most <= 10:
        axis["dtick"] = 1
    return axis


def _percent_axis(title: str) -> dict[str, Any]:
    return {"title": {"text": title}, "range": [0, 100], "ticksuffix": "%",
            "gridcolor": GRID, "zeroline": True, "zerolinecolor": TEXT}


def status_by_source(table: StatusBySource) -> Figure:
    """Stacked bars: one bar per source, one trace (a stack layer) per status present."""
    x = [_text(words) for _, words in table.sources]
    data = []
    for status in table.statuses:
        colour, pattern = STATUS_STYLE[status.key]
        data.append(_trace("bar",
            name=_text(status.words), x=x,
            y=[table.count(source, status.key) for source, _ in table.sources],
            marker=_bar_marker(colour, pattern),
            hovertemplate=f"%{{x}}: %{{y}} {_in_template(status.words)}<extra></extra>",
        ))
    return _figure(data, _layout(
        380, barmode="stack", bargap=0.4,
        xaxis={"title": {"text": "Source of the recommendation"}, "type": "category"},
        yaxis=_count_axis("Recommendations", max(
            (sum(table.count(src, s.key) for s in table.statuses) for src, _ in table.sources),
            default=0))))


def weekly_shares(series: Sequence[WeeklySeries], axis_title: str) -> Figure:
    """One line per series: the share as at the end of each week, in whole percent (a gap
    where there was nothing to count, shown "–" in the table)."""
    data = []
    for n, line in enumerate(series):
        shown = sum(point.share is not None for point in line.points)
        data.append(_trace("scatter",
            mode="lines+markers" if len(line.points) <= 30 or shown <= 2 else "lines",
            name=_text(line.name),
            x=[point.week_ending.isoformat() for point in line.points],
            y=[progress.share_percent(point.share) for point in line.points],
            customdata=[[point.numerator, point.denominator] for point in line.points],
            line={"color": LINE_COLOURS[n % len(LINE_COLOURS)],
                  "dash": LINE_DASHES[n % len(LINE_DASHES)], "width": 3},
            connectgaps=False,
            hovertemplate=(f"{_in_template(line.name)}, week ending %{{x|%-d %b %Y}}: %{{y}}% "
                           "(%{customdata[0]} of %{customdata[1]})<extra></extra>"),
        ))
    return _figure(data, _layout(
        380, showlegend=len(series) > 1,
        xaxis={"title": {"text": "Week ending"}, "type": "date", "tickformat": "%-d %b %Y",
               "gridcolor": GRID},
        yaxis=_percent_axis(axis_title)))


def adoption_by_phase(table: AdoptionByPhase) -> Figure:
    """Horizontal stacked bars: one bar per phase, one trace per adoption status present."""
    y = [_text(row.phase) for row in table.rows]
    data = []
    for status, words in table.statuses:
        colour, pattern = ADOPTION_STYLE[status]
        data.append(_trace("bar",
            orientation="h", name=_text(words), y=y,
            x=[row.count(status) for row in table.rows],
            marker=_bar_marker(colour, pattern),
            hovertemplate=f"%{{y}}: %{{x}} schools {_in_template(words.lower())}<extra></extra>",
        ))
    return _figure(data, _layout(
        160 + 40 * len(table.rows), barmode="stack", bargap=0.3,
        margin={"l": 130, "r": 20, "t": 20, "b": 60},
        yaxis={"type": "category", "autorange": "reversed", "title": {"text": ""}},
        xaxis=_count_axis("Schools in scope and open",
                          max((row.figure.in_scope_open for row in table.rows), default=0))))


def overdue_by_owner(rows: Sequence[OwnerRow]) -> Figure:
    """Horizontal bars, most overdue at the top, each labelled with its count."""
    return _figure([_trace("bar",
        orientation="h", name="Overdue actions",
        y=[_text(row.name) for row in rows], x=[row.overdue for row in rows],
        text=[str(row.overdue) for row in rows], textposition="outside",
        cliponaxis=False,
        marker=_bar_marker(STATUS_STYLE[progress.RAG_RED][0], ""),
        hovertemplate="%{y}: %{x} overdue<extra></extra>",
    )], _layout(
        120 + 40 * len(rows), showlegend=False, bargap=0.3,
        margin={"l": 200, "r": 40, "t": 20, "b": 60},
        yaxis={"type": "category", "autorange": "reversed", "title": {"text": ""}},
        xaxis=_count_axis("Overdue actions", max((row.overdue for row in rows), default=0))))


LATE_BARS = 25  # the chart's bars; the table beside it lists every late action


def late_by_days(lines: Sequence[LateLine]) -> Figure:
    """Horizontal bars, one per late action (the most days late, at most ``LATE_BARS``), the
    most late at the top, each labelled with its days late. The late list beside it is the
    whole list."""
    shown = list(lines)[:LATE_BARS]
    # The same words can name two actions: each bar's category is made unique by its place.
    labels = [f"{n}. {_text(line.label)}" for n, line in enumerate(shown, 1)]
    return _figure([_trace("bar",
        orientation="h", name="Days late", y=labels, x=[line.days_late for line in shown],
        text=[str(line.days_late) for line in shown], textposition="outside",
        cliponaxis=False, customdata=[[_text(line.owner)] for line in shown],
        marker=_bar_marker(STATUS_STYLE[progress.RAG_RED][0], ""),
        hovertemplate="%{y}: %{x} days late (owner %{customdata[0]})<extra></extra>",
    )], _layout(
        120 + 40 * len(shown), showlegend=False, bargap=0.3,
        margin={"l": 260, "r": 40, "t": 20, "b": 60},
        yaxis={"type": "category", "autorange": "reversed", "title": {"text": ""},
               "automargin": True},
        xaxis=_count_axis("Days late", max((line.days_late for line in shown), default=0))))


AGE_STYLE: dict[str, tuple[str, str]] = {
    progress.AGE_UNDER_3: ("#00703c", ""),
    progress.AGE_3_TO_6: ("#85994b", "/"),
    progress.AGE_6_TO_12: ("#f47738", "x"),
    progress.AGE_OVER_12: ("#d4351c", "."),
}


def ageing_by_month(series: AgeingSeries) -> Figure:
    """Stacked bars, one per month end (and the report's date): open actions by age band,
    youngest at the bottom; each band its colour and fill pattern, named in the legend."""
    x = [point.as_at.isoformat() for point in series.points]
    data = []
    for band, words in series.bands:
        colour, pattern = AGE_STYLE[band]
        data.append(_trace("bar",
            name=_text(words), x=x, y=[point.actions_by_band[band] for point in series.points],
            marker=_bar_marker(colour, pattern),
            hovertemplate=(f"%{{x|%-d %b %Y}}: %{{y}} open actions "
                           f"{_in_template(words.lower())} old<extra></extra>")))
    most = max((sum(p.actions_by_band.values()) for p in series.points), default=0)
    return _figure(data, _layout(
        380, barmode="stack", bargap=0.3,
        xaxis={"title": {"text": "As at the end of the month"}, "type": "date",
               "tickformat": "%b %Y", "gridcolor": GRID},
        yaxis=_count_axis("Open actions", most)))


# (words as in ImpactFigures.HEADER, colour, fill pattern): one bar each.
IMPACT_BARS: tuple[tuple[str, str, str], ...] = (
    ("Implemented (signed off)", "#1d70b8", ""),
    ("Impact review due", "#f47738", "/"),
    ("Impact evidenced", "#00703c", "x"),
)


def implemented_and_impact(found: ImpactFigures) -> Figure:
    """Bars side by side: recommendations implemented (signed off), those whose impact review
    is due, and those whose impact is evidenced, each labelled with its count, its own colour
    and fill pattern, and named on the axis; the table beside it gives every closing figure."""
    values = (found.implemented, found.impact_review_due, found.impact_evidenced)
    data = [_trace("bar",
        name=_text(words), x=[_text(words)], y=[value], text=[str(value)],
        textposition="outside", cliponaxis=False, marker=_bar_marker(colour, pattern),
        hovertemplate=f"{_in_template(words)}: %{{y}} recommendations<extra></extra>",
    ) for (words, colour, pattern), value in zip(IMPACT_BARS, values, strict=True)]
    return _figure(data, _layout(
        340, showlegend=False, bargap=0.3,
        xaxis={"title": {"text": ""}, "type": "category"},
        yaxis=_count_axis("Recommendations", max(values))))


def _text(text: str) -> str:
    """Plotly reads a subset of HTML in every label (``<a href>``, ``<b>``, ``<br>``) and
    shows entities as characters: escaped, a name is shown exactly as written."""
    return html.escape(text, quote=False)


def _in_template(text: str) -> str:
    """Text inside a hover template, where ``%{`` would also be read as a placeholder."""
    return _text(text).replace("%{", "% {")
