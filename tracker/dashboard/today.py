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
from typing import Any

import sqlalchemy as sa

from tracker import progress
from tracker.dashboard import figures, queries
from tracker.dashboard.adoption import guidance_figures
from tracker.dashboard.history import ValuesAsAt
from tracker.dashboard.report import (
    Charts, DecisionSection, PartSection, RecommendationLine, Report, _without_cycle_collection,
)
from tracker.extensions import db
from tracker.models import Decision, DecisionPart, Recommendation
from tracker.recommendations import rollups
from tracker.recommendations.facts import rec_tag, rollup_tag
from tracker.recommendations.queries import due_dates_clause
from tracker.vocab import EXEMPTION_LABELS, PART_KIND_LABELS, SOURCE_LABELS


def summaries(decisions: Sequence[Decision], *, today: dt.date,
              with_parts: bool = True) -> Report:
    """Today's figures of these decisions (already checked for the user); without
    ``with_parts`` each decision's own figures only (its ``parts`` empty)."""
    with _without_cycle_collection():
        values = ValuesAsAt(None)
        parts = _parts(decisions)
        part_ids = [p.id for shown in parts.values() for p in shown]
        under = sa.select(Recommendation.id).where(Recommendation.part_id.in_(part_ids))
        due = due_dates_clause()
        rows = db.session.execute(
            sa.select(Recommendation.id, Recommendation.part_id, Recommendation.reference,
                      Recommendation.source, Recommendation.text, Recommendation.owner_id,
                      due.c.due_on)
            .outerjoin(due, due.c.recommendation_id == Recommendation.id)
            .where(Recommendation.part_id.in_(part_ids))
            .order_by(Recommendation.position, Recommendation.id)).all() if part_ids else []
        states = rollups.states_now(under, {row.id: row.source for row in rows},
                                    today=today) if rows else {}
        names = queries.user_names((row.owner_id for row in rows), values)
        lines: dict[int, list[RecommendationLine]] = {pid: [] for pid in part_ids}
        for row in rows:
            state = states.get(row.id)
            if state is None:
                continue
            lines[row.part_id].append(RecommendationLine(
                id=row.id, reference=row.reference, source_words=SOURCE_LABELS[row.source],
                text=row.text, tag=rec_tag(state), state=state,
                owner=names.get(row.owner_id, "No owner") if row.owner_id else "No owner",
                due_on=row.due_on, latest_update=None, actions=()))
        guidance = queries.guidance_of([p for shown in parts.values() for p in shown])  # type: ignore[misc]
        sections = []
        for decision in decisions:
            ids = {p.id for p in parts[decision.id]}
            adoption = guidance_figures([g for g in guidance if g.part_id in ids], decision,
                                        values, as_at=today, with_weeks=False)
            shown = [line.state for pid in ids for line in lines[pid]]
            total = progress.rollup(shown)
            sections.append(DecisionSection(
                id=decision.id, reference=decision.reference or "", title=decision.title,
                decision_maker=decision.decision_maker, decided_on=decision.decided_on,
                exemption_words=EXEMPTION_LABELS[decision.exemption],
                entered_on=progress.london_today(decision.created_at), total=total,
                tag=rollup_tag(total),
                parts=tuple(_part(part, lines[part.id], adoption) for part in parts[decision.id])
                if with_parts else (),
                responses=(), charts=Charts(
                    status=figures.status_by_source(shown),
                    progress=figures.WeeklySeries("Actions complete", ()),
                    guidance=adoption, overdue=(), agencies=())))
        return Report(today, tuple(sections), len(decisions) == 1)


def _parts(decisions: Sequence[Decision]) -> dict[int, list[sa.Row[Any]]]:
    """Each decision's parts now, as plain rows in the paper's order: those not withdrawn
    (``queries.parts_of`` with no cut-off)."""
    found: dict[int, list[sa.Row[Any]]] = {d.id: [] for d in decisions}
    if decisions:
        for row in db.session.execute(
                sa.select(DecisionPart.id, DecisionPart.decision_id, DecisionPart.label,
                          DecisionPart.kind, DecisionPart.text)
                .where(DecisionPart.decision_id.in_(list(found)),
                       DecisionPart.withdrawn_at.is_(None))
                .order_by(DecisionPart.decision_id, DecisionPart.position, DecisionPart.id)):
            found[row.decision_id].append(row)
    return found


def _part(part, lines, adoption) -> PartSection:  # type: ignore[no-untyped-def]
    """A part's section as the report lays it out (``report._Builder._part``)."""
    total = progress.rollup(line.state for line in lines)
    guidance = tuple(g for g in adoption if g.part_id == part.id)
    return PartSection(
        label=part.label, kind_words=PART_KIND_LABELS[part.kind], text=part.text,
        tag=None if guidance and not lines else rollup_tag(total), total=total,
        recommendations=tuple(lines), guidance=guidance)
