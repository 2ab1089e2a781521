"""The figures behind each chart, built once from the rules of progress: the chart
(``tracker.charts``), the table beside it, the report and the exports all read these.

Nothing here decides a status or a share: states come from ``tracker.progress`` (through the
recommendations adapter), breakdowns from ``tracker.progress_series`` and weekly series from
``tracker.dashboard.series`` (the same figures, computed only at weeks where something was
recorded); this module only groups them for display and puts names and words on them.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from tracker import progress, progress_series
from tracker.dashboard import series
from tracker.progress import AdoptionFigure, RecommendationState
from tracker.progress_series import SeriesPoint
from tracker.recommendations.facts import rec_tag
from tracker.vocab import ADOPTION_STATUS_LABELS, SOURCE_LABELS

# Recommendation statuses, worst first: (key, colour). Words come from the adapter's tags.
STATUS_ORDER: tuple[tuple[str, str], ...] = (
    (progress.RAG_RED, "red"), (progress.RAG_AMBER, "amber"), (progress.RAG_GREY, "grey"),
    (progress.RAG_GREEN, "green"), (progress.STATE_NO_ACTIONS, "grey"),
    (progress.STATE_AWAITING_SIGN_OFF, "green"), (progress.STATE_COMPLETE, "blue"),
    (progress.STATE_NOT_ACCEPTED, "grey"),
    # closed another way: each on its own line, left out of every total
    (progress.STATE_CLOSED_NOT_IMPLEMENTED, "grey"), (progress.STATE_SUPERSEDED, "grey"),
    (progress.STATE_WITHDRAWN, "grey"),
)
# Adoption statuses in the order a reader wants them: adopted first.
ADOPTION_ORDER = (progress.ADOPTION_EMBEDDED, progress.ADOPTION_ADOPTED,
                  progress.ADOPTION_OWN_POLICY, progress.ADOPTION_UNDER_REVIEW,
                  progress.ADOPTION_NOT_STARTED, progress.ADOPTION_DECLINED)
NO_PHASE = "Phase not recorded"


def status_key(state: RecommendationState) -> str:
    """A recommendation's place in the status breakdown: its RAG while in progress, else
    its label."""
    return (state.rag or progress.RAG_GREY) if state.label == progress.STATE_IN_PROGRESS \
        else state.label


@dataclass(frozen=True)
class Status:
    key: str
    words: str
    colour: str


@dataclass(frozen=True)
class StatusBySource:
    """Recommendations by source and status (every recommendation shown as at the date,
    "not accepted" included in its own column and left out of every total)."""
    sources: tuple[tuple[str, str], ...]        # (source, words), in SOURCES order
    statuses: tuple[Status, ...]                # those with at least one recommendation
    counts: Mapping[tuple[str, str], int]       # (source, status key) -> count

    def count(self, source: str, status: str) -> int:
        return self.counts.get((source, status), 0)

    def in_totals(self, source: str) -> int:
        return sum(self.count(source, s.key) for s in self.statuses
                   if s.key not in (progress.STATE_NOT_ACCEPTED, *progress.CLOSED_OTHER_STATES))

    @property
    def empty(self) -> bool:
        return not self.sources


def status_by_source(states: Iterable[RecommendationState | None]) -> StatusBySource:
    shown = [state for state in states if state is not None]
    counts: dict[tuple[str, str], int] = {}
    words: dict[str, str] = {}
    for state in shown:
        key = status_key(state)
        counts[(state.source, key)] = counts.get((state.source, key), 0) + 1
        words[key] = rec_tag(state)[1]
    sources = tuple((s, SOURCE_LABELS[s]) for s in progress.SOURCES
                    if any(src == s for src, _ in counts))
    statuses = tuple(Status(key, words[key], colour) for key, colour in STATUS_ORDER
                     if key in words)
    return StatusBySource(sources, statuses, counts)


@dataclass(frozen=True)
class WeeklySeries:
    """A share by week: the chart's line and the rows of the table beside it."""
    name: str
    points: tuple[SeriesPoint, ...]

    @property
    def last(self) -> SeriesPoint | None:
        return self.points[-1] if self.points else None

    @property
    def has_figures(self) -> bool:
        """Whether any week had something to count (else there is no line to draw)."""
        return any(point.denominator for point in self.points)


def actions_by_week(facts: Sequence[progress.RecommendationFact], *, start: dt.date,
                    as_at: dt.date, today: dt.date) -> WeeklySeries:
    points = series.actions_complete_by_week(facts, start=start, as_at=as_at, today=today)
    return WeeklySeries("Actions complete", tuple(points))


def adoption_by_week(name: str, schools: Sequence[progress.SchoolFact], *, start: dt.date,
                     as_at: dt.date) -> WeeklySeries:
    points = series.adoption_by_week(schools, start=start, as_at=as_at)
    return WeeklySeries(name, tuple(points))


@dataclass(frozen=True)
class PhaseRow:
    phase: str
    figure: AdoptionFigure

    def count(self, status: str) -> int:
        return self.figure.by_status[status]


@dataclass(frozen=True)
class AdoptionByPhase:
    """One guidance version's adoption as at the date, by phase of education."""
    name: str
    rows: tuple[PhaseRow, ...]
    total: AdoptionFigure
    statuses: tuple[tuple[str, str], ...]       # (status, words) with at least one school


def adoption_by_phase(name: str, schools: Sequence[progress.SchoolFact],
                      as_at: dt.date) -> AdoptionByPhase:
    by_phase = progress_series.adoption_by_phase(schools, as_at)
    rows = tuple(PhaseRow(phase or NO_PHASE, figure) for phase, figure in by_phase.items())
    total = progress.adoption_figure(schools, as_at=as_at)
    statuses = tuple((s, ADOPTION_STATUS_LABELS[s]) for s in ADOPTION_ORDER
                     if total.by_status[s])
    return AdoptionByPhase(name, rows, total, statuses)


def adoption_by_phase_counted(name: str, counts: Mapping[str | None, Mapping[str, int]],
                              as_at: dt.date) -> AdoptionByPhase:
    """= ``adoption_by_phase`` from the counts of ``schools.facts.counts_by_phase``."""
    named = sorted(phase for phase in counts if phase is not None)
    order = [*named, None] if None in counts else named
    figures = {phase: progress.figure_from_counts(dict(counts[phase]), as_at=as_at)
               for phase in order}
    rows = tuple(PhaseRow(phase or NO_PHASE, figure) for phase, figure in figures.items()
                 if figure.in_scope_open)
    every: dict[str, int] = {}
    for by_status in counts.values():
        for status, n in by_status.items():
            every[status] = every.get(status, 0) + n
    total = progress.figure_from_counts(every, as_at=as_at)
    statuses = tuple((s, ADOPTION_STATUS_LABELS[s]) for s in ADOPTION_ORDER
                     if total.by_status[s])
    return AdoptionByPhase(name, rows, total, statuses)


@dataclass(frozen=True)
class OwnerRow:
    name: str
    overdue: int


def overdue_by_owner(states: Iterable[RecommendationState | None], names: Mapping[int, str]
                     ) -> tuple[OwnerRow, ...]:
    """Overdue actions per owner (owners as the facts give them), most first, then by name."""
    return owner_rows(progress_series.overdue_by_owner(states), names)


def owner_rows(counts: Mapping[int | None, int], names: Mapping[int, str]
               ) -> tuple[OwnerRow, ...]:
    """Overdue actions per owner id (None: no owner), named, most first, then by name."""
    rows = [OwnerRow(names.get(owner, "No owner") if owner is not None else "No owner", n)
            for owner, n in counts.items()]
    return tuple(sorted(rows, key=lambda row: (-row.overdue, row.name)))


NO_AGENCY = "No organisation"


@dataclass(frozen=True)
class AgencyRow:
    """One organisation's actions: counted (not cancelled), complete and overdue."""
    name: str
    total: int
    complete: int
    overdue: int

    @property
    def share(self) -> Fraction | None:
        return progress.share_complete(self.complete, self.total)

    @property
    def share_words(self) -> str:
        return progress.format_share(self.share)


def actions_by_agency(states: Iterable[RecommendationState | None],
                      agency_of: Mapping[int, str]) -> tuple[AgencyRow, ...]:
    """Counted actions per agency (the organisation owning the action, or its owner's), by
    name, with actions of no organisation last. Complete and overdue as the rules of progress
    give them for each action."""
    counts: dict[str, list[int]] = {}
    for state in states:
        if state is None:
            continue
        for action in state.action_states:
            if not action.counted:
                continue
            row = counts.setdefault(agency_of.get(action.id, NO_AGENCY), [0, 0, 0])
            row[0] += 1
            row[1] += action.status == progress.STATUS_COMPLETE
            row[2] += action.overdue
    return agency_rows(counts)


def agency_rows(counts: Mapping[str, Sequence[int]]) -> tuple[AgencyRow, ...]:
    """Rows of (counted, complete, overdue) per agency's name, by name, no organisation last."""
    rows = [AgencyRow(name, *row) for name, row in counts.items()]
    return tuple(sorted(rows, key=lambda r: (r.name == NO_AGENCY, r.name.lower())))


def percent(share: Fraction | None) -> int | None:
    """The share as the whole percent the rules give (None for 0/0): what a chart plots."""
    return progress.share_percent(share)


def words(share: Fraction | None) -> str:
    """The share as people read it ("67%", or "–" for 0/0)."""
    return progress.format_share(share)
