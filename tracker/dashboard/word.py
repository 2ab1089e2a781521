"""The Word download's glue: the cover's committee and meeting (the soonest update round
meeting on or after the report's date that covers one of its decisions), the council's name,
the charts drawn as images where the server can (``tracker.chart_images``)."""
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from flask import current_app

from tracker import chart_images, charts
from tracker.dashboard import paper
from tracker.dashboard.report import Report
from tracker.extensions import db
from tracker.models import UpdateRound

def cover(report: Report, printed_on: dt.date) -> paper.Cover:
    ids = {d.id for d in report.decisions}
    rounds = db.session.scalars(
        sa.select(UpdateRound).where(UpdateRound.meeting_on >= report.as_at)
        .order_by(UpdateRound.meeting_on, UpdateRound.id).limit(20))
    for round_ in rounds:
        if not round_.decisions or ids & {d.id for d in round_.decisions}:
            return paper.Cover(current_app.config["COUNCIL_NAME"], round_.committee,
                               round_.meeting_on, printed_on)
    return paper.Cover(current_app.config["COUNCIL_NAME"], "", None, printed_on)


def images(report: Report) -> list[paper.Image]:
    """Each decision's charts as PNG images, or none when the server cannot draw them."""
    if not current_app.config.get("CHART_IMAGES", True):
        return []
    wanted: list[tuple[str, dict[str, Any]]] = []
    for d in report.decisions:
        name = d.reference or d.title
        if d.late:
            wanted.append((f"{name}: late actions by days late", charts.late_by_days(d.late)))
        if not d.charts.status.empty:
            wanted.append((f"{name}: recommendation status by source",
                           charts.status_by_source(d.charts.status)))
        if d.charts.ageing.has_figures:
            wanted.append((f"{name}: open actions by age, at the end of each month",
                           charts.ageing_by_month(d.charts.ageing)))
    drawn = chart_images.pngs([figure for _, figure in wanted])
    if drawn is None:
        return []
    return [paper.Image(title, png) for (title, _), png in zip(wanted, drawn)]


def to_word(report: Report, printed_on: dt.date) -> bytes:
    """The committee paper as a .docx file's bytes."""
    return paper.to_word(report, cover(report, printed_on), images(report))
