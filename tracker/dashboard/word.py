"""The Word download's glue: the cover's committee and meeting (the soonest update round
meeting on or after the report's date that covers one of its decisions), the council's name,
the charts drawn as images where the server can (``tracker.chart_images``), and a
YYYY-MM-DD ``as_at`` read as the report form's three date fields."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

import sqlalchemy as sa
from flask import current_app
from werkzeug.datastructures import MultiDict

from tracker import chart_images, charts
from tracker.dashboard import paper
from tracker.dashboard.report import Report
from tracker.extensions import db
from tracker.models import UpdateRound

ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def iso_date_args(args: MultiDict[str, str]) -> MultiDict[str, str]:
    """``as_at=2021-03-15`` as ``as_at=15&as_at=3&as_at=2021`` (other queries unchanged);
    anything else is left for the report form to check."""
    given = args.getlist("as_at")
    found = ISO_DATE.match(given[0]) if len(given) == 1 else None
    if found is None:
        return args
    year, month, day = found.groups()
    out = MultiDict(args)
    out.setlist("as_at", [str(int(day)), str(int(month)), year])
    return out


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
