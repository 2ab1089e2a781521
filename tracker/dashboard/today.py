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
from typing import Any, NamedTuple

import sqlalchemy as sa

from tracker import progress
from tracker.dashboard import figures, queries
from tracker.dashboard.adoption import guidance_figures
from tracker.dashboard.history import ValuesAsAt
from tracker.dashboard.report import (
    Charts,
    RecommendationLine,
    Report,
    _without_cycle_collection,
    decision_section,
    part_section,
)
from tracker.extensions import db
from tracker.models import Decision, DecisionPart, Recommendation, RecommendationRollup
from tracker.progress import RecommendationState
from tracker.recommendations import rollups
from tracker.recommendations.facts import rec_tag
from tracker.recommendations.queries import due_dates_clause
from tracker.vocab import SOURCE_LABELS


def summaries(decisions: Sequence[Decision], *, today: dt.date, with_parts: bool = True,
              chosen: sa.Select[Any] | None = None) -> Report:
    """Today's figures of these decisions (already checked for the user); without
    ``with_parts`` each decision's own figures only (its ``parts`` empty). ``chosen``: a
    query of these decisions' ids, to ask the database by (hundreds of decisions) rather
    than by a list of their ids; what it finds beyond ``decisions`` is left out."""
    with _without_cycle_collection():
        values = ValuesAsAt(None)
        chosen_ids = [d.id for d in decisions] if chosen is None else chosen
        parts = _parts(decisions, chosen_ids)
        part_ids = [p.id for shown in parts.values() for p in shown]
        # the same parts as a subquery: no list of every part's id
        shown_parts = sa.select(DecisionPart.id).where(
            DecisionPart.decision_id.in_(chosen_ids), DecisionPart.withdrawn_at.is_(None))
        under = sa.select(Recommendation.id).where(Recommendation.part_id.in_(shown_parts))
        columns = [Recommendation.id, Recommendation.part_id, Recommendation.source]
        due = due_dates_clause()
        query = sa.select(*columns)
        if with_parts:
            query = sa.select(*columns, Recommendation.reference, Recommendation.text,
                              Recommendation.owner_id, due.c.due_on).outerjoin(
                due, due.c.recommendation_id == Recommendation.id)
        query = query.where(Recommendation.part_id.in_(shown_parts)).order_by(
            Recommendation.position, Recommendation.id)
        rows = db.session.connection().execute(query).all() if part_ids else []
        states = rollups.states_now(under, {row[0]: row[2] for row in rows},
                                    today=today) if rows else {}
        by_part: dict[int, list[RecommendationState]] = {pid: [] for pid in part_ids}
        for row in rows:
            state = states.get(row.id)
            if state is not None and row.part_id in by_part:
                by_part[row.part_id].append(state)
        lines = _lines(rows, states, values) if with_parts else {}
        guidance = queries.guidance_of(shown_parts)
        sections = []
        for decision in decisions:
            ids = {p.id for p in parts[decision.id]}
            adoption = guidance_figures([g for g in guidance if g.part_id in ids], decision,
                                        values, as_at=today, with_weeks=False)
            shown = [state for pid in ids for state in by_part[pid]]
            total = progress.rollup(shown)
            sections.append(decision_section(
                values, decision, total,
                tuple(part_section(values, part, lines.get(part.id, []), adoption)
                      for part in parts[decision.id]) if with_parts else (),
                responses=(), charts=Charts(
                    status=figures.status_by_source(shown),
                    progress=figures.WeeklySeries("Actions complete", ()),
                    guidance=adoption, overdue=(), agencies=())))
        return Report(today, tuple(sections), len(decisions) == 1)


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
                .where(DecisionPart.decision_id.in_(chosen),
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
    due = due_dates_clause()
    query = (sa.select(Recommendation.id, Recommendation.part_id, Recommendation.source,
                       Recommendation.reference, Recommendation.text, Recommendation.owner_id,
                       due.c.due_on, Decision.id.label("decision_id"),
                       Decision.reference.label("decision_reference"),
                       Decision.title.label("decision_title"))
             .join(DecisionPart, DecisionPart.id == Recommendation.part_id)
             .join(Decision, Decision.id == DecisionPart.decision_id)
             .outerjoin(due, due.c.recommendation_id == Recommendation.id)
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
