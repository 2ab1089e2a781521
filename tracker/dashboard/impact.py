"""Implemented and impact evidenced, counted apart (docs/rules-of-progress.md, "Closing and
impact"): the figures the dashboard, the committee report (page, CSV, Excel) and the open
data show beside the progress figures. Everything here reads ``Rollup`` and
``RecommendationState`` as tracker.progress computed them; nothing is decided here."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tracker import progress
from tracker.progress import RecommendationState, Rollup

if TYPE_CHECKING:
    from tracker.dashboard.exports import Section
    from tracker.dashboard.report import DecisionSection, Report

CLOSED_WORDS = {
    progress.CLOSE_SIGNED_OFF: "Signed off (implemented)",
    progress.CLOSE_SUPERSEDED: "Superseded",
    progress.CLOSE_RISK_ACCEPTED: "Closed: not implemented, risk accepted",
    progress.CLOSE_WITHDRAWN: "Withdrawn",
}


@dataclass(frozen=True)
class ImpactFigures:
    """One roll-up's closing and impact figures, in the order every table shows them."""
    recommendations: int
    implemented: int
    impact_review_due: int
    impact_evidenced: int
    closed_not_implemented: int
    superseded: int
    withdrawn: int
    late: int

    HEADER = ("Recommendations counted", "Implemented (signed off)", "Impact review due",
              "Impact evidenced", "Closed not implemented (risk accepted)", "Superseded",
              "Withdrawn", "Late scrutiny recommendations")

    def cells(self) -> tuple[int, ...]:
        return (self.recommendations, self.implemented, self.impact_review_due,
                self.impact_evidenced, self.closed_not_implemented, self.superseded,
                self.withdrawn, self.late)

    def as_dict(self) -> dict[str, int]:
        return {"implemented": self.implemented, "impact_review_due": self.impact_review_due,
                "impact_evidenced": self.impact_evidenced,
                "closed_not_implemented": self.closed_not_implemented,
                "superseded": self.superseded, "withdrawn": self.withdrawn, "late": self.late}


def figures_of(total: Rollup) -> ImpactFigures:
    return ImpactFigures(total.recommendations, total.implemented, total.impact_review_due,
                         total.impact_evidenced, total.closed_not_implemented,
                         total.superseded, total.withdrawn, total.late)


def impact_words(state: RecommendationState | None) -> str:
    """"Implemented", "Impact review due", "Impact evidenced" ...; blank when not signed off."""
    return progress.LABELS[state.impact] if state is not None and state.impact else ""


def closed_words(state: RecommendationState | None) -> str:
    if state is None or state.closure is None:
        return ""
    return CLOSED_WORDS[state.closure.kind]


def review_on(state: RecommendationState | None) -> dt.date | None:
    if state is None or state.closure is None or state.label != progress.STATE_COMPLETE:
        return None
    return state.closure.review_on


# --- the report's sections (CSV and Excel) -----------------------------------------------------
def sections(report: Report) -> list[Section]:
    from tracker.dashboard.exports import Section

    decisions = report.decisions
    return [
        Section("Implemented and impact evidenced", "Impact", (
            "Decision reference", *ImpactFigures.HEADER),
            tuple((d.reference, *figures_of(d.total).cells()) for d in decisions)),
        Section("Recommendations: closing and impact", "Impact by recommendation", (
            "Decision reference", "Recommendation", "Status", "Closed", "Impact",
            "Impact review date", "Late"),
            tuple(row for d in decisions for row in _lines(d))),
    ]


def _lines(d: DecisionSection) -> Iterator[tuple[Any, ...]]:
    for part in d.parts:
        for line in part.recommendations:
            s = line.state
            yield (d.reference, line.reference, line.tag[1], closed_words(s),
                   impact_words(s), review_on(s), "Yes" if s.late else "No")
