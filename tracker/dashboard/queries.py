"""Reads for the dashboard, the committee report and the open data: which decisions a user
may see, their parts, recommendations and guidance, and names, as recorded by a cut-off.

Statuses are never decided here: rows become facts in ``tracker.recommendations.facts`` and
``tracker.schools.facts`` and the rules of ``tracker.progress`` judge them.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from tracker import progress
from tracker.dashboard import history
from tracker.dashboard.history import Plain, ValuesAsAt
from tracker.decisions.queries import get_visible_decision
from tracker.extensions import db
from tracker.models import (
    Action, AuditEvent, Decision, DecisionPart, ExecutiveResponse, Guidance, ImpactReview,
    Recommendation, RecommendationClosure, User, recommendation_themes,
)
from tracker.permissions import ADMIN, open_decision, visible_decisions


def decision_choices(user: User) -> list[Decision]:
    """Decisions the user may see now, newest first: the dashboard's and report's filter."""
    query = visible_decisions(user)
    return list(db.session.scalars(query.order_by(Decision.decided_on.desc(),
                                                  Decision.id.desc())))


def chosen_decision(user: User, decision_id: int) -> Decision:
    """One decision, or 404 (refusals audited) when absent or not for this user."""
    return get_visible_decision(decision_id, user)


def decisions_recorded_by(user: User, cutoff: dt.datetime | None) -> list[Decision]:
    """Every decision the user may see that the tracker had recorded by the cut-off and not
    withdrawn by then, oldest first (the order of a committee paper)."""
    query = sa.select(Decision)
    if user.role != ADMIN or cutoff is None:
        query = query.where(Decision.withdrawn_at.is_(None))
    else:
        query = query.where(sa.or_(Decision.withdrawn_at.is_(None),
                                   Decision.withdrawn_at >= cutoff))
    if cutoff is not None:
        query = query.where(Decision.created_at < cutoff)
    query = visible_decisions(user, query, include_withdrawn=True)  # withdrawn: as above
    return list(db.session.scalars(query.order_by(Decision.decided_on, Decision.id)))


# What a decision's section shows of it (``report.decision_section``), when only that is read
PARTICULARS = (Decision.id, Decision.reference, Decision.title, Decision.decision_maker,
               Decision.decided_on, Decision.exemption, Decision.created_at)


def open_decisions_query(cutoff: dt.datetime | None) -> sa.Select[Any]:
    """Open (not exempt) decisions recorded by the cut-off and not withdrawn: the open data."""
    query = sa.select(Decision).where(open_decision(), Decision.withdrawn_at.is_(None))
    return query if cutoff is None else query.where(Decision.created_at < cutoff)


def open_decisions(cutoff: dt.datetime | None, *, particulars_only: bool = False
                   ) -> list[Any]:
    """The open data's decisions (:func:`open_decisions_query`), oldest first;
    ``particulars_only``: only what their sections show today, as plain rows (no notice
    texts, no ORM objects)."""
    query = open_decisions_query(cutoff).order_by(Decision.decided_on, Decision.id)
    if particulars_only:
        return list(db.session.execute(query.with_only_columns(*PARTICULARS)))
    return list(db.session.scalars(query))


def load_parts(decisions: Sequence[Decision]) -> None:
    """Every part of these decisions, in one query (``decision.parts`` then reads them)."""
    if decisions:
        db.session.scalars(sa.select(Decision).where(Decision.id.in_([d.id for d in decisions]))
                           .options(selectinload(Decision.parts))).all()


def action_ids_of(recommendation_ids: Sequence[int]) -> sa.Select[Any]:
    """The ids of these recommendations' actions, as a subquery."""
    return sa.select(Action.id).where(Action.recommendation_id.in_(recommendation_ids))


def parts_of(decision: Decision, cutoff: dt.datetime | None) -> list[DecisionPart]:
    """The decision's parts as at the cut-off: those recorded with the decision (on the day
    it entered the tracker) or by the cut-off, and not withdrawn by then."""
    entered = progress.end_of_day_utc(progress.london_today(decision.created_at))
    shown = []
    for part in decision.parts:
        recorded = cutoff is None or part.created_at < max(cutoff, entered)
        withdrawn = part.withdrawn_at is not None and progress.recorded_by(part.withdrawn_at,
                                                                           cutoff)
        if recorded and not withdrawn:
            shown.append(part)
    return shown


# What the report reads of each row (``report._Builder``, the rules' facts through
# ``recommendations.facts.fact_with_updates``), as plain rows.
_RECOMMENDATION = (Recommendation.id, Recommendation.part_id, Recommendation.position,
                   Recommendation.source, Recommendation.reference, Recommendation.text,
                   Recommendation.owner_id, Recommendation.lead_service,
                   Recommendation.committee, Recommendation.response_due_on,
                   Recommendation.created_at, Recommendation.withdrawn_at)
_ACTION = (Action.id, Action.recommendation_id, Action.title, Action.owner_id,
           Action.owner_organisation_id, Action.created_at, Action.due_on, Action.withdrawn_at)
# Each relationship of a recommendation the report reads, in its own order
# (``models.Recommendation``), ties by id: (its model, the columns read, the order).
_CHILDREN: dict[str, tuple[Any, Sequence[Any], tuple[Any, ...]]] = {
    "actions": (Action, _ACTION, (Action.id,)),
    "responses": (ExecutiveResponse, tuple(ExecutiveResponse.__table__.c),
                  (ExecutiveResponse.recorded_at, ExecutiveResponse.id)),
    "closures": (RecommendationClosure, tuple(RecommendationClosure.__table__.c),
                 (RecommendationClosure.recorded_at, RecommendationClosure.id)),
    "impact_reviews": (ImpactReview, tuple(ImpactReview.__table__.c),
                       (ImpactReview.recorded_at, ImpactReview.id)),
}


def recommendations_of(parts: Sequence[DecisionPart], values: ValuesAsAt,
                       theme_id: int | None = None) -> dict[int, list[Plain]]:
    """Recommendations under each part as at the cut-off (a scrutiny recommendation taken up
    after the cut-off is not yet under the part), in the paper's order, with what the rules
    of progress need (responses, actions, closures, impact reviews; updates are read
    condensed, see ``tracker.recommendations.condensed``), all as plain rows
    (``history.Plain``, read by ``values`` like the ORM's): five queries. Withdrawn ones
    are kept: the rules leave them out as at a date after their withdrawal and keep them
    before it. ``theme_id``: only those with the theme (as given now:
    docs/search-and-themes.md)."""
    part_ids = [part.id for part in parts]
    if not part_ids:
        return {}
    where = Recommendation.part_id.in_(part_ids)
    moved = values.stood_at(Recommendation, "part_id", part_ids)  # under them then, not now
    if moved is not None:
        where = sa.or_(where, Recommendation.id.in_(moved))
    if theme_id is not None:
        where = sa.and_(where, with_theme(theme_id))
    ids = sa.select(Recommendation.id).where(where)
    children: dict[str, dict[int, list[Any]]] = {}
    for name, (model, columns, order) in _CHILDREN.items():
        found: dict[int, list[Any]] = children.setdefault(name, {})
        query = sa.select(*columns).where(model.recommendation_id.in_(ids)).order_by(*order)
        for row in (Plain.rows(Action, query) if model is Action else
                    history.columns(query)):
            found.setdefault(row.recommendation_id, []).append(row)
    recs = list(Plain.rows(Recommendation, sa.select(*_RECOMMENDATION).where(where)))
    for rec in recs:
        for name, rows in children.items():
            setattr(rec, name, rows.get(rec.id, []))
    values.load(Recommendation, [rec.id for rec in recs])
    by_part: dict[int, list[Plain]] = {pid: [] for pid in part_ids}
    for rec in recs:
        part_id = values.value(rec, "part_id")
        if part_id in by_part:
            by_part[part_id].append(rec)
    for rows in by_part.values():
        rows.sort(key=lambda r: (values.value(r, "position"), r.id))
    return by_part


def with_theme(theme_id: int) -> sa.ColumnElement[bool]:
    """Recommendations with this theme (as given now: docs/search-and-themes.md)."""
    return Recommendation.id.in_(sa.select(recommendation_themes.c.recommendation_id)
                                 .where(recommendation_themes.c.theme_id == theme_id))


def guidance_of(parts: Sequence[DecisionPart] | sa.Select[Any]) -> list[Guidance]:
    """The guidance each part approved, with its versions (``parts``: or a query of their
    ids, for hundreds of parts)."""
    ids = parts if isinstance(parts, sa.Select) else [part.id for part in parts]
    if not isinstance(ids, sa.Select) and not ids:
        return []
    return list(db.session.scalars(
        sa.select(Guidance).where(Guidance.part_id.in_(ids))
        .options(selectinload(Guidance.versions)).order_by(Guidance.id)))


def user_names(ids: Iterable[int | None], values: ValuesAsAt) -> dict[int, str]:
    """People's names as at the cut-off."""
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    users = list(db.session.scalars(sa.select(User).where(User.id.in_(wanted))))
    values.load(User, wanted)
    return {user.id: values.value(user, "name") for user in users}


def agency_names(organisations: Mapping[int, int | None], owners: Mapping[int, int | None],
                 values: ValuesAsAt) -> dict[int, str]:
    """Each action's agency, by action id: the organisation owning it, else the organisation
    its owner works for; names as at the cut-off. Two queries, however many actions."""
    from tracker.models import Organisation, organisation_members

    people = sorted({u for u in owners.values() if u is not None})
    works_for = dict(db.session.execute(
        sa.select(organisation_members.c.user_id, organisation_members.c.organisation_id)
        .where(organisation_members.c.user_id.in_(people))).all()) if people else {}
    chosen = {aid: organisations.get(aid) or works_for.get(owners.get(aid))  # type: ignore[arg-type]
              for aid in set(organisations) | set(owners)}
    wanted = sorted({o for o in chosen.values() if o is not None})
    if not wanted:
        return {}
    found = list(db.session.scalars(sa.select(Organisation).where(Organisation.id.in_(wanted))))
    values.load(Organisation, wanted)
    names = {o.id: values.value(o, "name") for o in found}
    return {aid: names[o] for aid, o in chosen.items() if o in names}


def organisations() -> list[Any]:
    """Every organisation, by name: the dashboard's agency filter."""
    from tracker.models import Organisation

    return list(db.session.scalars(sa.select(Organisation).order_by(
        sa.func.lower(Organisation.name))))


def decisions_of_agency(organisation_id: int) -> set[int]:
    """The decisions an organisation has work under: a live action it owns, or a
    recommendation it owns."""
    recs = sa.select(Recommendation.id).where(sa.or_(
        Recommendation.owner_organisation_id == organisation_id,
        Recommendation.id.in_(sa.select(Action.recommendation_id).where(
            Action.owner_organisation_id == organisation_id, Action.withdrawn_at.is_(None)))))
    return set(db.session.scalars(
        sa.select(DecisionPart.decision_id).join(Recommendation,
                                                 Recommendation.part_id == DecisionPart.id)
        .where(Recommendation.id.in_(recs), Recommendation.withdrawn_at.is_(None))))


def latest_imports(limit: int = 5) -> list[Any]:
    """The most recent imports (decision notices, schools, recommendations), newest first."""
    return list(db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "import")
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc()).limit(limit)))
