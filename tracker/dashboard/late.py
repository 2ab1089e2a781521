"""What is late, for the dashboard, the decision page and the committee report (page, CSV,
Excel, Word): every late action on a line of its own, with its own latest update and RAG
reason, and the ageing figures over time.

Nothing is judged here: late, days late, the list's order and the age bands are the rules of
``tracker.progress`` (docs/rules-of-progress.md, "What is late"); this module puts names,
services and words on them. A late action is never hidden behind a sibling's update: each
line carries the update of ITS action.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from tracker import progress, progress_series
from tracker.extensions import db
from tracker.models import Action, Decision, DecisionPart, Organisation, Recommendation, User
from tracker.progress import ActionState, Ageing, RecommendationState
from tracker.recommendations import condensed


@dataclass(frozen=True)
class LateLine:
    """One late action as at the report's date."""
    action_id: int
    decision_reference: str
    recommendation_reference: str
    action_title: str
    owner: str
    service: str
    original_due_on: dt.date
    current_due_on: dt.date
    days_late: int
    latest_update_on: dt.date | None
    latest_update: str          # the narrative of the action's own latest update
    rag_reason: str             # the reason given with that update ("" if none)
    state: ActionState

    @property
    def revised(self) -> bool:
        return self.current_due_on != self.original_due_on

    @property
    def label(self) -> str:
        """How a chart names the line (the table carries every column)."""
        return f"{self.recommendation_reference}: {self.action_title}"


def in_order(lines: Iterable[LateLine]) -> tuple[LateLine, ...]:
    """The late list's order (``progress.late_order``) over lines of several decisions."""
    found = list(lines)
    by_id = {line.action_id: line for line in found}
    ordered = progress.late_order((line.state, line.days_late) for line in found)
    return tuple(by_id[state.id] for state, _ in ordered)


@dataclass(frozen=True)
class AgeingSeries:
    """Open recommendations and actions by age band, and how long complete actions took, as
    at the end of each month: the chart's bars and the rows of the table beside it."""
    points: tuple[Ageing, ...]

    @property
    def last(self) -> Ageing | None:
        return self.points[-1] if self.points else None

    @property
    def has_figures(self) -> bool:
        return any(sum(p.actions_by_band.values()) + sum(p.recommendations_by_band.values())
                   + p.complete_actions for p in self.points)

    @property
    def bands(self) -> tuple[tuple[str, str], ...]:
        return tuple((band, progress.AGE_BAND_LABELS[band]) for band in progress.AGE_BANDS)


AGEING_MONTHS = 13  # the latest twelve month ends and the report's date


def ageing_days(start: dt.date, as_at: dt.date) -> list[dt.date]:
    """The days of the ageing series: the latest ``AGEING_MONTHS`` of
    ``progress_series.month_endings``."""
    return progress_series.month_endings(start, as_at)[-AGEING_MONTHS:]


def rows_now(action_ids: Iterable[int]) -> dict[int, sa.Row[Any]]:
    """What a late line names of each of these actions, as recorded now (one query): its
    title, owner (person and organisation), recommendation's reference and service and
    decision's reference, with what judging it needs (owner, recorded, due, withdrawn)."""
    return {row.id: row for row in db.session.execute(
        sa.select(Action.id, Action.owner_id, Action.created_at, Action.due_on,
                  Action.withdrawn_at, Action.title, User.name.label("person"),
                  Organisation.name.label("organisation"),
                  Recommendation.reference, Recommendation.lead_service,
                  Decision.reference.label("decision_reference"))
        .join(Recommendation, Recommendation.id == Action.recommendation_id)
        .join(DecisionPart, DecisionPart.id == Recommendation.part_id)
        .join(Decision, Decision.id == DecisionPart.decision_id)
        .outerjoin(User, User.id == Action.owner_id)
        .outerjoin(Organisation, Organisation.id == Action.owner_organisation_id)
        .where(Action.id.in_(list(action_ids))))}


def line_now(row: sa.Row[Any], s: ActionState, days: int,
             latest: condensed.Latest | None) -> LateLine:
    """A late action's line named as recorded now (``rows_now``): the organisation owning it,
    else the person."""
    return late_line(s, days, latest, decision_reference=row.decision_reference or "",
                     recommendation_reference=row.reference, action_title=row.title,
                     owner=row.organisation or row.person or "No owner",
                     service=row.lead_service or "")


def late_actions(judged: Iterable[tuple[Recommendation, RecommendationState | None]],
                 as_at: dt.date) -> list[tuple[Recommendation, ActionState, int]]:
    """The late list's actions: each late action of the recommendations counted in the
    totals, with its days late as at ``as_at`` (``progress.days_late``), in the order given."""
    return [(rec, s, days) for rec, state in judged
            if state is not None and state.in_totals
            for s in state.action_states if (days := progress.days_late(s, as_at))]


def late_line(s: ActionState, days: int, latest: condensed.Latest | None, *,
              decision_reference: str, recommendation_reference: str, action_title: str,
              owner: str, service: str) -> LateLine:
    """A late action's line: its own latest update and RAG reason, never a sibling's."""
    return LateLine(
        action_id=s.id, decision_reference=decision_reference,
        recommendation_reference=recommendation_reference, action_title=action_title,
        owner=owner, service=service, original_due_on=s.original_due_on,
        current_due_on=s.current_due_on, days_late=days,
        latest_update_on=None if latest is None else progress.london_today(latest.recorded_at),
        latest_update="" if latest is None else latest.narrative,
        rag_reason="" if latest is None else latest.reason, state=s)
