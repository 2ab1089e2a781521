"""The Word download's glue: the cover's committee and meeting (the soonest update round
meeting on or after the report's date that covers one of its decisions), the council's name,
the charts drawn as images where the server can (``tracker.chart_images``)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from flask import current_app

from tracker import chart_images, charts
from tracker.dashboard import paper
from tracker.dashboard.report import Report
from tracker.extensions import db
from tracker.models import UpdateRound

def cover(decision_ids: Sequence[int], as_at: dt.date, printed_on: dt.date) -> paper.Cover:
    """The cover of the paper for these decisions as at the date: the update rounds as
    they are now (so read before a stored paper is served: it is part of its key)."""
    ids = set(decision_ids)
    rounds = db.session.scalars(
        sa.select(UpdateRound).where(UpdateRound.meeting_on >= as_at)
        .order_by(UpdateRound.meeting_on, UpdateRound.id).limit(20))
    for round_ in rounds:
        if not round_.decisions or ids & {d.id for d in round_.decisions}:
            return paper.Cover(current_app.config["COUNCIL_NAME"], round_.committee,
                               round_.meeting_on, printed_on)
    return paper.Cover(current_app.config["COUNCIL_NAME"], "", None, printed_on)


def images(report: Report) -> list[paper.Image] | None:
    """Each decision's charts as PNG images; none when they are switched off, None when the
    server cannot draw them."""
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
        return None
    return [paper.Image(title, png) for (title, _), png in zip(wanted, drawn)]


def to_word(report: Report, front: paper.Cover) -> tuple[bytes, bool]:
    """The committee paper as a .docx file's bytes, and whether it is whole (False: its
    charts could not be drawn here, so it has its tables only and is not stored)."""
    drawn = images(report)
    return paper.to_word(report, front, drawn or []), drawn is not None


def settings() -> tuple[str, ...]:
    """What, besides the report and its cover, the paper is made with: part of its key."""
    config = current_app.config
    return (str(config.get("CHART_IMAGES", True)), str(config.get("CHART_IMAGES_BROWSER")))
