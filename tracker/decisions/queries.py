"""Reading decisions: the register (filters, paging), one decision as a user may see it, and
what each lettered part has set in motion so far.

``part_summaries(decision, user)`` is the extension point other features fill: a feature
registers a function with ``register_part_summary(fn)``; ``fn(summaries, user)`` adds what
it knows to each summary's ``extras`` under its own name, reading it for all the parts
together (for example the recommendations feature its
progress roll-up, the schools feature the guidance adoption figure), and
``templates/decisions/_part.html`` is the include that shows a part.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import sqlalchemy as sa

from tracker.decisions.callin import STATES, CallInStatus, call_in_status
from tracker.extensions import db
from tracker.models import (
    Decision, DecisionPart, Document, Guidance, Recommendation, TerminologyRule, User,
)
from tracker.permissions import (
    ADMIN, STAFF, can_see_decision, visible_decisions, visible_or_refused,
)
from tracker.vocab import PART_KIND_LABELS
from tracker.params import PAGE_MAX, parse_int


# --- One decision -----------------------------------------------------------------------

def get_visible_decision(decision_id: int, user: User) -> Decision:
    """The decision, or 404 (audited) when it is absent or this user may not see it."""
    return visible_or_refused(db.session.get(Decision, decision_id),
                              lambda decision: can_see_decision(user, decision))


def get_part(decision: Decision, part_id: int) -> DecisionPart:
    return visible_or_refused(db.session.get(DecisionPart, part_id),
                              lambda part: part.decision_id == decision.id)


def get_document(decision: Decision, document_id: int) -> Document:
    return visible_or_refused(db.session.get(Document, document_id),
                              lambda document: document.decision_id == decision.id)


def rules_set_by(decision: Decision) -> list[TerminologyRule]:
    return list(db.session.scalars(sa.select(TerminologyRule).where(
        TerminologyRule.decision_id == decision.id, TerminologyRule.withdrawn_at.is_(None))
        .order_by(TerminologyRule.term)))


# --- What each part has set in motion ---------------------------------------------------

@dataclass
class PartSummary:
    """A part of a decision with what it has set in motion, for the decision page."""

    part: DecisionPart
    recommendations: list[Recommendation]
    guidance: list[Guidance]
    documents: list[Document]
    link_recommendations: bool
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def kind_label(self) -> str:
        return PART_KIND_LABELS.get(self.part.kind, self.part.kind)


PartSummaryProvider = Callable[[list[PartSummary], User], None]
_PROVIDERS: dict[str, PartSummaryProvider] = {}


def register_part_summary(name: str, provider: PartSummaryProvider) -> None:
    """Let a feature add to every part's summary (``provider(summaries, user)``, all the
    decision's parts shown at once, so it reads them together); idempotent. What it adds
    may differ by the user's role only, never by the person: the decision page stores its
    parts for the day per role (``tracker.decisions.views.show_decision``)."""
    _PROVIDERS[name] = provider


def part_summaries(decision: Decision, user: User, *,
                   include_withdrawn: bool = False) -> list[PartSummary]:
    """Each (live) part of ``decision`` with what it has set in motion, as ``user`` may see it."""
    parts = decision.parts if include_withdrawn else decision.live_parts
    part_ids = [p.id for p in parts]
    guidance_by_part: dict[int, list[Guidance]] = {pid: [] for pid in part_ids}
    if part_ids:
        for item in db.session.scalars(sa.select(Guidance).where(
                Guidance.part_id.in_(part_ids), Guidance.withdrawn_at.is_(None))
                .order_by(Guidance.id)):
            guidance_by_part[item.part_id].append(item)  # type: ignore[index]
    summaries = []
    for part in parts:
        summary = PartSummary(
            part=part,
            recommendations=[r for r in part.recommendations if not r.is_withdrawn],
            guidance=guidance_by_part.get(part.id, []) if part.kind == "approve_guidance" else [],
            documents=[d for d in part.documents if not d.is_withdrawn],
            link_recommendations=user.role in STAFF,
        )
        summaries.append(summary)
    for provider in _PROVIDERS.values():
        provider(summaries, user)
    return summaries


# --- The register -----------------------------------------------------------------------

@dataclass(frozen=True)
class RegisterFilters:
    decision_maker: str | None = None
    year: int | None = None
    call_in: str | None = None
    page: int = 1
    include_withdrawn: bool = False

    def query_args(self, **overrides: Any) -> dict[str, Any]:
        """These filters as URL arguments (for paging links), leaving out empty ones."""
        values = {"decision_maker": self.decision_maker, "year": self.year,
                  "call_in": self.call_in, "withdrawn": "yes" if self.include_withdrawn else None,
                  "page": self.page if self.page > 1 else None} | overrides
        return {k: v for k, v in values.items() if v not in (None, "")}


@dataclass
class RegisterRow:
    decision: Decision
    status: CallInStatus


@dataclass
class RegisterPage:
    rows: list[RegisterRow]
    total: int
    page: int
    pages: int
    makers: list[str]
    years: list[int]


def filters_from_args(args: Mapping[str, str], user: User) -> RegisterFilters:
    """Read filters from the query string; values that do not read are ignored."""
    year_text = (args.get("year") or "").strip()
    page_text = (args.get("page") or "").strip()
    call_in = (args.get("call_in") or "").strip()
    return RegisterFilters(
        decision_maker=(args.get("decision_maker") or "").strip()[:200] or None,
        year=parse_int(year_text, low=1900, high=2999),
        call_in=call_in if call_in in STATES else None,
        page=parse_int(page_text, 1, low=1, high=PAGE_MAX) or 1,
        include_withdrawn=user.role == ADMIN and args.get("withdrawn") == "yes",
    )


def _visible(user: User, include_withdrawn: bool = False) -> sa.Select[Any]:
    return visible_decisions(user, include_withdrawn=include_withdrawn)


def register(user: User, filters: RegisterFilters, today: dt.date,
             page_size: int = 25) -> RegisterPage:
    """Decisions ``user`` may see, newest first, filtered and paged.

    The call-in state is computed (tracker.decisions.callin, the one definition), so when it
    is filtered on, the other filters narrow the rows in SQL and the state in Python.
    """
    base = _visible(user, filters.include_withdrawn)
    subquery = base.subquery()
    makers = list(db.session.scalars(sa.select(subquery.c.decision_maker).distinct()
                                     .order_by(subquery.c.decision_maker)))
    year_expr = sa.extract("year", subquery.c.decided_on)
    years = sorted({int(y) for y in db.session.scalars(sa.select(year_expr).distinct())
                    if y is not None}, reverse=True)
    query = base
    if filters.decision_maker:
        query = query.where(Decision.decision_maker == filters.decision_maker)
    if filters.year:
        query = query.where(Decision.decided_on.between(dt.date(filters.year, 1, 1),
                                                        dt.date(filters.year, 12, 31)))
    query = query.order_by(Decision.decided_on.desc(), Decision.id.desc())
    if filters.call_in:
        rows = [RegisterRow(d, s) for d in db.session.scalars(query)
                if (s := call_in_status(d, today)).state == filters.call_in]
        total = len(rows)
        pages = max(1, math.ceil(total / page_size))
        page = min(filters.page, pages)
        rows = rows[(page - 1) * page_size: page * page_size]
    else:
        total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0
        pages = max(1, math.ceil(total / page_size))
        page = min(filters.page, pages)
        decisions = db.session.scalars(query.limit(page_size).offset((page - 1) * page_size))
        rows = [RegisterRow(d, call_in_status(d, today)) for d in decisions]
    return RegisterPage(rows=rows, total=total, page=page, pages=pages, makers=makers,
                        years=years)


def same_title(title: str, exclude_reference: str | None = None) -> list[Decision]:
    """Live decisions whose title is ``title`` (any case, any spacing), newest first."""
    wanted = " ".join(title.split()).lower()
    query = sa.select(Decision).where(
        sa.func.lower(Decision.title) == wanted, Decision.withdrawn_at.is_(None))
    found = list(db.session.scalars(query.order_by(Decision.decided_on.desc(), Decision.id.desc())))
    return [d for d in found if not (exclude_reference and d.reference
                                     and d.reference != exclude_reference)]


def by_reference(reference: str) -> Decision | None:
    return db.session.scalar(sa.select(Decision).where(Decision.reference == reference))
