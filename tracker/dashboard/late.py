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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tracker import progress, progress_series
from tracker.progress import ActionState, Ageing, RecommendationFact


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


def ageing_series(facts: Sequence[RecommendationFact], *, start: dt.date, as_at: dt.date,
                  today: dt.date) -> AgeingSeries:
    """Built from facts whose updates keep every change of complete or counted (the weekly
    series' facts): what ``progress.ageing`` reads of an action's history. The latest
    ``AGEING_MONTHS`` points: each point judges every recommendation again, so a series
    over years would cost a page seconds."""
    return AgeingSeries(tuple(progress_series.ageing_by_month(
        facts, start=start, as_at=as_at, today=today, latest=AGEING_MONTHS)))
