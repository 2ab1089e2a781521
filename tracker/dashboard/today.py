"""Today's figures of many decisions from the kept roll-ups: the home pages' overview and the
open data (``tracker.recommendations.rollups``).

The same ``Report`` as ``report.summaries(decisions, as_at=today, today=today)`` gives, in its
figures (each decision's and part's roll-up and tag, recommendations by source and status,
guidance adoption, each recommendation's line with its state), but read as plain rows: each
recommendation's roll-up kept on write and judged on the day by the rules
(``rollups.states_now``), never its actions and updates as objects; the same few queries for
one decision or two hundred. Figures only: no action lines, latest updates, response lines,
late list, nor overdue actions by owner or agency (their charts are empty), as the home pages
and the open data show none. A past date keeps the report's own path (``report.summaries``).
tests/dashboard/test_today.py proves the figures equal the report's.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from tracker import clock, progress
from tracker.charts import LATE_BARS
from tracker.dashboard import (
    action_weeks, adoption_weeks, ageing_points, figures, late, queries, today_actions,
)
from tracker.dashboard.adoption import GuidanceFigures, guidance_figures
from tracker.dashboard.history import ValuesAsAt
from tracker.dashboard.report import (
    Charts,
    DecisionSection,
    RecommendationLine,
    Report,
    _Builder,
    _without_cycle_collection,
    decision_section,
    part_section,
)
from tracker.extensions import db
from tracker.models import Decision, DecisionPart, Recommendation, RecommendationRollup
from tracker.progress import RecommendationState
from tracker.progress_series import SeriesPoint, week_endings
from tracker.recommendations import rollups
from tracker.recommendations.facts import rec_tag
from tracker.recommendations.queries import due_dates_clause
from tracker.vocab import SOURCE_LABELS


@dataclass
class _Read:
    """Today's recommendations of some decisions, as plain rows judged from kept roll-ups."""
    parts: dict[int, list[sa.Row[Any]]]
    rows: list[sa.Row[Any]]
    states: dict[int, RecommendationState | None]
    by_part: dict[int, list[RecommendationState]]
    under: sa.Select[Any]       # the ids of the recommendations under their parts


def _read(decisions: Sequence[Decision], *, today: dt.date, with_parts: bool,
          theme_id: int | None = None) -> _Read:
    """Each decision's parts now, the recommendations under them (``theme_id``: only those
    with the theme, ``queries.with_theme``) and their states today (``rollups.states_now``).
    Four queries."""
    parts = _parts(decisions)
    part_ids = [p.id for shown in parts.values() for p in shown]
    where = [Recommendation.part_id.in_(part_ids)]
    if theme_id is not None:
        where.append(queries.with_theme(theme_id))
    under = sa.select(Recommendation.id).where(*where)
    columns = [Recommendation.id, Recommendation.part_id, Recommendation.source,
               Recommendation.created_at]
    due = due_dates_clause()
    query = sa.select(*columns)
    if with_parts:
        query = sa.select(*columns, Recommendation.reference, Recommendation.text,
                          Recommendation.owner_id, due.c.due_on).outerjoin(
            due, due.c.recommendation_id == Recommendation.id)
    query = query.where(*where).order_by(Recommendation.position, Recommendation.id)
    rows = db.session.connection().execute(query).all() if part_ids else []
    states = rollups.states_now(under, {row[0]: row[2] for row in rows},
                                today=today) if rows else {}
    by_part: dict[int, list[RecommendationState]] = {pid: [] for pid in part_ids}
    for row in rows:
        state = states.get(row.id)
        if state is not None:
            by_part[row.part_id].append(state)
    return _Read(parts, list(rows), states, by_part, under)


def summaries(decisions: Sequence[Decision], *, today: dt.date,
              with_parts: bool = True) -> Report:
    """Today's figures of these decisions (already checked for the user); without
    ``with_parts`` each decision's own figures only (its ``parts`` empty)."""
    with _without_cycle_collection():
        values = ValuesAsAt(None)
        found = _read(decisions, today=today, with_parts=with_parts)
        lines = _lines(found.rows, found.states, values) if with_parts else {}
        adoption = _guidance(decisions, found, today=today, with_weeks=False)
        sections = []
        for decision in decisions:
            shown = [state for p in found.parts[decision.id] for state in found.by_part[p.id]]
            total = progress.rollup(shown)
            sections.append(decision_section(
                values, decision, total,
                tuple(part_section(values, part, lines.get(part.id, []), adoption[decision.id])
                      for part in found.parts[decision.id]) if with_parts else (),
                responses=(), charts=Charts(
                    status=figures.status_by_source(shown),
                    progress=figures.WeeklySeries("Actions complete", ()),
                    guidance=adoption[decision.id], overdue=(), agencies=())))
        return Report(today, tuple(sections), len(decisions) == 1)


def _guidance(decisions: Sequence[Decision], found: _Read, *, today: dt.date,
              with_weeks: bool) -> dict[int, tuple[GuidanceFigures, ...]]:
    """Each decision's guidance adoption today (``adoption.guidance_figures``)."""
    every_part: list[Any] = [p for shown in found.parts.values() for p in shown]
    guidance = queries.guidance_of(every_part)
    values = ValuesAsAt(None)
    adoption = {}
    for decision in decisions:
        ids = {p.id for p in found.parts[decision.id]}
        adoption[decision.id] = guidance_figures(
            [g for g in guidance if g.part_id in ids], decision, values, as_at=today,
            with_weeks=with_weeks)
    return adoption


@dataclass(frozen=True)
class Dashboard:
    """The dashboard's figures today: the report's shape (each decision's section with its
    roll-up, the charts over all of them, their roll-up; ``late`` the late page's lines) and
    the page of the late list shown."""
    report: Report
    late: today_actions.LatePage


def dashboard(decisions: Sequence[Decision], *, today: dt.date, theme_id: int | None = None,
              late_page: int = 1) -> Dashboard:
    """Today's dashboard of these decisions (already checked for the user): the figures
    ``report.dashboard`` built from every decision's whole history, read from what is kept
    on write (roll-ups, action figures, weekly and monthly points: see the module docstring
    and ``today_actions``), the late list a page at a time (``late_page``). ``theme_id``:
    only the recommendations with that theme (the weekly and ageing series are then
    judged afresh by the report's builder, as they are when a kept point no longer holds)."""
    with _without_cycle_collection():
        values = ValuesAsAt(None)
        found = _read(decisions, today=today, with_parts=False, theme_id=theme_id)
        adoption = _guidance(decisions, found, today=today, with_weeks=True)
        sections = []
        for decision in decisions:
            shown = [state for p in found.parts[decision.id] for state in found.by_part[p.id]]
            sections.append(decision_section(
                values, decision, progress.rollup(shown), (), responses=(),
                charts=Charts(status=figures.status_by_source(shown),
                              progress=figures.WeeklySeries("Actions complete", ()),
                              guidance=adoption[decision.id], overdue=())))
        states = [s for s in found.states.values()]
        total = progress.rollup(states)
        left_out = [rid for rid, s in found.states.items() if s is None]
        shown_ids = found.under.where(Recommendation.id.not_in(left_out))
        in_totals = found.under.where(Recommendation.id.not_in(
            [rid for rid, s in found.states.items() if s is None or not s.in_totals]))
        weekly, ageing = _series(decisions, found, total, today=today, theme_id=theme_id,
                                 in_totals=in_totals)
        page = today_actions.late_page(in_totals, today, late_page, LATE_BARS)
        charts = Charts(
            status=figures.status_by_source(states), progress=weekly,
            guidance=tuple(g for d in decisions for g in adoption[d.id]),
            overdue=today_actions.overdue_by_owner(in_totals, today), ageing=ageing,
            agencies=today_actions.by_agency(shown_ids, today))
        return Dashboard(Report(today, tuple(sections), len(decisions) == 1, charts=charts,
                                total=total, late=page.lines), page)


def _series(decisions: Sequence[Decision], found: _Read, total: progress.Rollup, *,
            today: dt.date, theme_id: int | None, in_totals: sa.Select[Any]
            ) -> tuple[figures.WeeklySeries, late.AgeingSeries]:
    """The weekly "actions complete" series and the ageing series over these decisions:
    their closed weeks and month ends kept (``action_weeks``, ``ageing_points``), the last
    point today's (the roll-up; ``today_actions.ageing_today``), as the report's builder
    reads them; with a theme, or when a kept point is missing or no longer holds, the
    builder's own (it judges them from history and keeps them again)."""
    start = min(min((d.decided_on for d in decisions), default=today), today)
    ids = [d.id for d in decisions]
    weekly: figures.WeeklySeries | None = None
    ageing: late.AgeingSeries | None = None
    if theme_id is None and ids:
        weeks = week_endings(start, today)
        shut = adoption_weeks.closed(weeks, clock.now())
        kept = action_weeks.kept_sums(ids, shut) if len(shut) == len(weeks) - 1 else None
        if kept is not None:
            weekly = figures.WeeklySeries("Actions complete", (*kept, SeriesPoint(
                weeks[-1], total.complete_actions, total.counted_actions, total.share)))
        days = late.ageing_days(start, today)
        ended = ageing_points.closed(days, clock.now())
        points = ageing_points.kept_sums(ids, ended)
        if points is not None:
            if len(ended) < len(days):
                points.append(today_actions.ageing_today(
                    [(row.created_at, state) for row in found.rows
                     if (state := found.states.get(row.id)) is not None],
                    in_totals, today))
            ageing = late.AgeingSeries(tuple(points))
    if weekly is None or ageing is None:
        builder = _Builder(today, today, detail=False, theme_id=theme_id)
        data = builder.gather(decisions, with_weeks=False)
        if weekly is None:
            weekly = builder.weekly(data, start)
        if ageing is None:
            ageing = builder.ageing(data, start)
    return weekly, ageing


def _lines(rows: Sequence[sa.Row[Any]], states: dict[int, RecommendationState | None],
           values: ValuesAsAt) -> dict[int, list[RecommendationLine]]:
    """Each part's recommendation lines (those shown today), in the paper's order."""
    names = queries.user_names((row.owner_id for row in rows), values)
    lines: dict[int, list[RecommendationLine]] = {}
    for row in rows:
        state = states.get(row.id)
        if state is None:
            continue
        lines.setdefault(row.part_id, []).append(RecommendationLine(
            id=row.id, reference=row.reference, source_words=SOURCE_LABELS[row.source],
            text=row.text, tag=rec_tag(state), state=state,
            owner=names.get(row.owner_id, "No owner") if row.owner_id else "No owner",
            due_on=row.due_on, latest_update=None, actions=()))
    return lines


def _parts(decisions: Sequence[Decision]) -> dict[int, list[sa.Row[Any]]]:
    """Each decision's parts now, as plain rows in the paper's order: those not withdrawn
    (``queries.parts_of`` with no cut-off)."""
    found: dict[int, list[sa.Row[Any]]] = {d.id: [] for d in decisions}
    if decisions:
        for row in db.session.connection().execute(
                sa.select(DecisionPart.id, DecisionPart.decision_id, DecisionPart.label,
                          DecisionPart.kind, DecisionPart.text)
                .where(DecisionPart.decision_id.in_(list(found)),
                       DecisionPart.withdrawn_at.is_(None))
                .order_by(DecisionPart.decision_id, DecisionPart.position, DecisionPart.id)):
            found[row.decision_id].append(row)
    return found


def awaiting_sign_off(sections: Sequence[DecisionSection], *, today: dt.date
                      ) -> list[tuple[DecisionSection, RecommendationLine]]:
    """The recommendations of these decisions awaiting sign-off today, each with its
    decision's section, in the paper's order: those whose kept label is "awaiting sign-off"
    (a label the day never changes: ``progress.judged``), read and judged as plain rows."""
    if not sections:
        return []
    order = {section.id: n for n, section in enumerate(sections)}
    R = RecommendationRollup
    ids = (sa.select(Recommendation.id)
           .join(R, R.recommendation_id == Recommendation.id)
           .join(DecisionPart, DecisionPart.id == Recommendation.part_id)
           .where(DecisionPart.decision_id.in_(list(order)), DecisionPart.withdrawn_at.is_(None),
                  R.shown.is_(True), R.label == progress.STATE_AWAITING_SIGN_OFF))
    due = due_dates_clause()
    rows = db.session.execute(
        sa.select(Recommendation.id, Recommendation.part_id, Recommendation.source,
                  Recommendation.reference, Recommendation.text, Recommendation.owner_id,
                  due.c.due_on, DecisionPart.decision_id)
        .join(DecisionPart, DecisionPart.id == Recommendation.part_id)
        .outerjoin(due, due.c.recommendation_id == Recommendation.id)
        .where(Recommendation.id.in_(ids))
        .order_by(DecisionPart.position, DecisionPart.id, Recommendation.position,
                  Recommendation.id)).all()
    if not rows:
        return []
    states = rollups.states_now(ids, {row.id: row.source for row in rows}, today=today)
    lines = _lines(rows, states, ValuesAsAt(None))
    decision_of = {row.part_id: row.decision_id for row in rows}
    found = [(sections[order[decision_of[pid]]], line)
             for pid, part_lines in lines.items() for line in part_lines]
    return sorted(found, key=lambda pair: order[pair[0].id])  # stable: the paper's order within
