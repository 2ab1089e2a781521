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
from typing import Any, NamedTuple

import sqlalchemy as sa

from tracker import clock, progress
from tracker.charts import LATE_BARS
from tracker.dashboard import ageing_points, figures, late, queries, today_actions
from tracker.dashboard.adoption import GuidanceFigures, guidance_figures
from tracker.dashboard.history import ValuesAsAt
from tracker.dashboard.report import (
    Charts,
    DecisionSection,
    RecommendationLine,
    Report,
    _Builder,
    decision_section,
    kept_weekly,
    part_section,
    without_cycle_collection,
)
from tracker.extensions import db
from tracker.id_lists import among, not_among
from tracker.models import Decision, DecisionPart, Recommendation, RecommendationRollup
from tracker.progress import RecommendationState
from tracker.recommendations import rollups
from tracker.recommendations.facts import rec_tag
from tracker.recommendations.queries import due_date_of, due_dates_clause
from tracker.vocab import SOURCE_LABELS


@dataclass
class _Read:
    """Today's recommendations of some decisions, as plain rows judged from kept roll-ups."""
    parts: dict[int, list[sa.Row[Any]]]
    rows: list[sa.Row[Any]]
    states: dict[int, RecommendationState | None]
    by_part: dict[int, list[RecommendationState]]
    under: sa.Select[Any]       # the ids of the recommendations under their parts
    shown_parts: sa.Select[Any]  # the ids of those parts


def _read(decisions: Sequence[Decision], *, today: dt.date, with_parts: bool,
          theme_id: int | None = None, chosen: sa.Select[Any] | None = None,
          with_created: bool = True) -> _Read:
    """Each decision's parts now, the recommendations under them (``theme_id``: only those
    with the theme, ``queries.with_theme``) and their states today (``rollups.states_now``).
    Three queries. ``chosen``: a query of these decisions' ids, to ask the database by
    (hundreds of decisions) rather than by a list of their ids; what it finds beyond
    ``decisions`` is left out. ``with_created``: each row with its ``created_at`` (the
    dashboard's ageing; thousands of timestamps the figures alone never read)."""
    chosen_ids = [d.id for d in decisions] if chosen is None else chosen
    parts = _parts(decisions, chosen_ids)
    part_ids = [p.id for shown in parts.values() for p in shown]
    # the same parts as a subquery: no list of every part's id bound into each statement
    shown_parts = sa.select(DecisionPart.id).where(
        among(DecisionPart.decision_id, chosen_ids), DecisionPart.withdrawn_at.is_(None))
    where = [Recommendation.part_id.in_(shown_parts)]
    if theme_id is not None:
        where.append(queries.with_theme(theme_id))
    under = sa.select(Recommendation.id).where(*where)
    columns = [Recommendation.id, Recommendation.part_id, Recommendation.source]
    if with_created:
        columns.append(Recommendation.created_at)
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
        if state is not None and row.part_id in by_part:
            by_part[row.part_id].append(state)
    return _Read(parts, list(rows), states, by_part, under, shown_parts)


def summaries(decisions: Sequence[Decision], *, today: dt.date, with_parts: bool = True,
              chosen: sa.Select[Any] | None = None) -> Report:
    """Today's figures of these decisions (already checked for the user); without
    ``with_parts`` each decision's own figures only (its ``parts`` empty). ``chosen``: a
    query of their ids (:func:`_read`), for hundreds of decisions."""
    with without_cycle_collection():
        values = ValuesAsAt(None)
        found = _read(decisions, today=today, with_parts=with_parts, chosen=chosen,
                      with_created=False)
        lines = _lines(found.rows, found.states, values) if with_parts else {}
        adoption = _guidance(decisions, found, today=today, with_weeks=False)
        sections = tuple(_section(values, decision, found, adoption[decision.id], tuple(
            part_section(values, part, lines.get(part.id, []), adoption[decision.id])
            for part in found.parts[decision.id]) if with_parts else ())
            for decision in decisions)
        return Report(today, sections, len(decisions) == 1)


def _section(values: ValuesAsAt, decision: Decision, found: _Read,
             adoption: tuple[GuidanceFigures, ...], parts: tuple[Any, ...],
             by_status: bool = True) -> DecisionSection:
    """A decision's section of today's figures: its roll-up over the states ``found`` under
    its parts, recommendations by source and status (unless not ``by_status``: the
    dashboard's decisions table shows none), its guidance; no weekly series, action lines
    nor late list (the overview's and the dashboard's decisions table)."""
    shown = [state for p in found.parts[decision.id] for state in found.by_part[p.id]]
    return decision_section(
        values, decision, progress.rollup(shown), parts, responses=(), charts=Charts(
            status=figures.status_by_source(shown if by_status else ()),
            progress=figures.WeeklySeries("Actions complete", ()),
            guidance=adoption, overdue=(), agencies=()))


def _guidance(decisions: Sequence[Decision], found: _Read, *, today: dt.date,
              with_weeks: bool) -> dict[int, tuple[GuidanceFigures, ...]]:
    """Each decision's guidance adoption today (``adoption.guidance_figures``)."""
    guidance = queries.guidance_of(found.shown_parts)
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
    with without_cycle_collection():
        values = ValuesAsAt(None)
        found = _read(decisions, today=today, with_parts=False, theme_id=theme_id)
        adoption = _guidance(decisions, found, today=today, with_weeks=True)
        sections = tuple(_section(values, decision, found, adoption[decision.id], (),
                                  by_status=False) for decision in decisions)
        states = list(found.states.values())
        total = progress.rollup(states)
        left_out = [rid for rid, s in found.states.items() if s is None]
        shown_ids = found.under.where(not_among(Recommendation.id, left_out))
        in_totals = found.under.where(not_among(
            Recommendation.id,
            [rid for rid, s in found.states.items() if s is None or not s.in_totals]))
        actions = today_actions.actions_today(shown_ids, in_totals, today)
        weekly, ageing = _series(decisions, found, total, today=today, theme_id=theme_id,
                                 actions=actions)
        page = today_actions.late_page(in_totals, today, late_page, LATE_BARS,
                                       total=actions.late)
        charts = Charts(
            status=figures.status_by_source(states), progress=weekly,
            guidance=tuple(g for d in decisions for g in adoption[d.id]),
            overdue=actions.overdue_by_owner(), ageing=ageing, agencies=actions.by_agency())
        return Dashboard(Report(today, sections, len(decisions) == 1, charts=charts,
                                total=total, late=page.lines), page)


def _series(decisions: Sequence[Decision], found: _Read, total: progress.Rollup, *,
            today: dt.date, theme_id: int | None, actions: today_actions.ActionsToday
            ) -> tuple[figures.WeeklySeries, late.AgeingSeries]:
    """The weekly "actions complete" series and the ageing series over these decisions:
    their closed weeks and month ends kept (``action_weeks``, ``ageing_points``), the last
    point today's (the roll-up; ``actions``: ``today_actions.ActionsToday.ageing``), as the
    report's builder reads them; with a theme, or when a kept point is missing or no longer holds, the
    builder's own (it judges them from history and keeps them again)."""
    start = min(min((d.decided_on for d in decisions), default=today), today)
    ids = [d.id for d in decisions]
    weekly: figures.WeeklySeries | None = None
    ageing: late.AgeingSeries | None = None
    if theme_id is None and ids:
        weekly = kept_weekly(ids, start, today, total)
        days = late.ageing_days(start, today)
        ended = ageing_points.closed(days, clock.now())
        points = ageing_points.kept_sums(ids, ended)
        if points is not None:
            if len(ended) < len(days):
                points.append(actions.ageing(
                    [(row.created_at, state) for row in found.rows
                     if (state := found.states.get(row.id)) is not None]))
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


def _parts(decisions: Sequence[Decision], chosen: Sequence[int] | sa.Select[Any]
           ) -> dict[int, list[sa.Row[Any]]]:
    """Each decision's parts now, as plain rows in the paper's order: those not withdrawn
    (``queries.parts_of`` with no cut-off); ``chosen``: the decisions' ids, or a query of
    them."""
    found: dict[int, list[sa.Row[Any]]] = {d.id: [] for d in decisions}
    if decisions:
        for row in db.session.connection().execute(
                sa.select(DecisionPart.id, DecisionPart.decision_id, DecisionPart.label,
                          DecisionPart.kind, DecisionPart.text)
                .where(among(DecisionPart.decision_id, chosen),
                       DecisionPart.withdrawn_at.is_(None))
                .order_by(DecisionPart.decision_id, DecisionPart.position, DecisionPart.id)):
            if row.decision_id in found:     # not one recorded since ``decisions`` were read
                found[row.decision_id].append(row)
    return found


class DecisionName(NamedTuple):
    """What names a decision beside one of its recommendations."""
    id: int
    reference: str | None
    title: str


def awaiting_sign_off(decisions: sa.Select[Any], *, today: dt.date, limit: int | None = None
                      ) -> tuple[list[tuple[DecisionName, RecommendationLine]], int]:
    """The recommendations awaiting sign-off today under ``decisions`` (a query of Decision,
    already limited to what the user may see), newest decision first and in the paper's order
    within it, each with its decision's name: the first ``limit`` (None: all) and how many
    there are. Those whose kept label is "awaiting sign-off" (a label the day never changes:
    ``progress.judged``), read and judged as plain rows."""
    R = RecommendationRollup
    ids = (sa.select(Recommendation.id)
           .join(R, R.recommendation_id == Recommendation.id)
           .join(DecisionPart, DecisionPart.id == Recommendation.part_id)
           .where(DecisionPart.decision_id.in_(
                      decisions.with_only_columns(Decision.id).order_by(None)),
                  DecisionPart.withdrawn_at.is_(None),
                  R.shown.is_(True), R.label == progress.STATE_AWAITING_SIGN_OFF))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(ids.subquery())) or 0
    if not total:
        return [], 0
    # each shown row's due date by the actions' index, not every recommendation's grouped
    query = (sa.select(Recommendation.id, Recommendation.part_id, Recommendation.source,
                       Recommendation.reference, Recommendation.text, Recommendation.owner_id,
                       due_date_of().label("due_on"), Decision.id.label("decision_id"),
                       Decision.reference.label("decision_reference"),
                       Decision.title.label("decision_title"))
             .join(DecisionPart, DecisionPart.id == Recommendation.part_id)
             .join(Decision, Decision.id == DecisionPart.decision_id)
             .where(Recommendation.id.in_(ids))
             .order_by(Decision.decided_on.desc(), Decision.id.desc(), DecisionPart.position,
                       DecisionPart.id, Recommendation.position, Recommendation.id))
    rows = db.session.execute(query if limit is None else query.limit(limit)).all()
    shown = [row.id for row in rows]
    states = rollups.states_now(sa.select(Recommendation.id).where(
        Recommendation.id.in_(shown)), {row.id: row.source for row in rows}, today=today)
    lines = {line.id: line for part_lines in _lines(rows, states, ValuesAsAt(None)).values()
             for line in part_lines}
    return [(DecisionName(row.decision_id, row.decision_reference, row.decision_title),
             lines[row.id]) for row in rows if row.id in lines], total
