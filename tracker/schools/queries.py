"""Reads for schools and adoption: lists, a school's history, the chasing list, a school
lead's own schools. Figures (shares of schools adopted) come from facts.py + progress.py."""
from __future__ import annotations

import dataclasses
import math
from collections import defaultdict
from dataclasses import dataclass, field
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from tracker import clock
from tracker.extensions import db
from tracker.models import (
    Adoption, AdoptionEvent, Decision, DecisionPart, Guidance, GuidanceVersion, School, User,
    user_schools,
)
from tracker.permissions import (
    is_school_lead, led_schools, school_leads, sees_every_school, visible_schools,
)
from tracker.progress import counts_as_adopted
from tracker.schools import facts as school_facts
from tracker.vocab import ADOPTED_STATUSES, ADOPTION_STATUS_LABELS
from tracker.params import parse_int


def current_guidance() -> Guidance | None:
    """The model guidance the tracker follows (the first live one: the seed has one)."""
    return db.session.scalar(sa.select(Guidance).where(Guidance.withdrawn_at.is_(None))
                             .order_by(Guidance.id).limit(1))


def current_version() -> GuidanceVersion | None:
    guidance = current_guidance()
    return guidance.current_version if guidance else None


def guidance_for(user: User, guidance_id: int | None = None,
                 live: Sequence[Guidance] | None = None) -> Guidance | None:
    """The guidance ``guidance_id`` (by default the current one: the first live) if it is
    live and the user may see the decision that approved it (a school lead sees Open
    decisions only: guidance under an exempt decision is not shown to them); None
    otherwise. ``live``: :func:`live_guidance` already read for the request."""
    live = live_guidance() if live is None else live
    guidance = (live[0] if live else None) if guidance_id is None else next(
        (g for g in live if g.id == guidance_id), None)
    return guidance if guidance is not None and _may_see(user, guidance) else None


def every_guidance_for(user: User, live: Sequence[Guidance] | None = None) -> list[Guidance]:
    """Every live guidance document the user may see, oldest first (a decision may approve
    several, and each is adopted on its own). ``live``: as for :func:`guidance_for`."""
    return [g for g in (live_guidance() if live is None else live) if _may_see(user, g)]


def _may_see(user: User, guidance: Guidance) -> bool:
    from tracker.permissions import can_see_decision

    return guidance.part is None or can_see_decision(user, guidance.part.decision)


def live_guidance() -> list[Guidance]:
    """Every guidance document not withdrawn, oldest first, with its versions and the
    decision part (and decision) that approved it: two queries."""
    return list(db.session.scalars(
        sa.select(Guidance).where(Guidance.withdrawn_at.is_(None))
        .options(sa.orm.joinedload(Guidance.part).joinedload(DecisionPart.decision),
                 sa.orm.selectinload(Guidance.versions))
        .order_by(Guidance.id)))


def parts_awaiting_guidance() -> list[DecisionPart]:
    """Live "approve guidance" parts of live decisions with no guidance linked yet: where an
    administrator adds it."""
    linked = sa.select(Guidance.id).where(Guidance.part_id == DecisionPart.id,
                                          Guidance.withdrawn_at.is_(None)).exists()
    return list(db.session.scalars(
        sa.select(DecisionPart).join(Decision, Decision.id == DecisionPart.decision_id).where(
            DecisionPart.kind == "approve_guidance", DecisionPart.withdrawn_at.is_(None),
            Decision.withdrawn_at.is_(None), ~linked)
        .order_by(Decision.decided_on.desc(), DecisionPart.id)))


def statuses_of(school: School, versions: list[GuidanceVersion]) -> dict[int, str]:
    """The school's adoption status for each version, by version id (one query)."""
    ids = [v.id for v in versions]
    found = {a.guidance_version_id: a.status for a in db.session.scalars(sa.select(Adoption).where(
        Adoption.school_id == school.id, Adoption.guidance_version_id.in_(ids)))} if ids else {}
    return {i: found.get(i, "not_started") for i in ids}


def lead_condition(user: User) -> sa.ColumnElement[bool]:
    """The schools a school lead answers for (tracker.permissions.led_schools)."""
    return led_schools(user)


def _status_column() -> Any:
    """A school's adoption status now: its adoption's status kept on write (the status of its
    latest event, ``tracker.schools.kept``), the one today's adoption figure counts; not
    started with no adoption."""
    return sa.func.coalesce(Adoption.latest_status, "not_started")


def _with_adoption(query: sa.Select[Any], version: GuidanceVersion | None) -> sa.Select[Any]:
    version_id = version.id if version else -1
    return query.outerjoin(Adoption, sa.and_(Adoption.school_id == School.id,
                                             Adoption.guidance_version_id == version_id))


@dataclass
class SchoolStatus:
    school: School
    adoption: Adoption | None
    status: str
    leads: list[User] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return ADOPTION_STATUS_LABELS[self.status]

    @property
    def adopted(self) -> bool:
        return counts_as_adopted(self.status)


@dataclass
class Page:
    items: list[SchoolStatus]
    total: int
    page: int
    size: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    @property
    def first(self) -> int:
        return (self.page - 1) * self.size + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.total, self.page * self.size)


@dataclass
class SchoolFilters:
    q: str | None = None
    phase: str | None = None
    type_name: str | None = None
    trust: str | None = None
    status: str | None = None
    show: str = "counted"      # counted: in scope and open; all: every school
    page: int = 1


def _filtered(user: User, version: GuidanceVersion | None, f: SchoolFilters, *,
              counting: bool = False) -> sa.Select[Any]:
    """The schools of the list (each with its adoption of ``version`` and its status);
    ``counting``: their ids only, for the count, without the adoption unless a status is
    asked for (a school has at most one adoption of a version, so the outer join adds no
    row)."""
    if counting and not f.status:
        query = sa.select(School.id)
    else:
        query = _with_adoption(sa.select(School.id) if counting else sa.select(
            School, Adoption, _status_column().label("adoption_status")), version)
    query = visible_schools(query, user)
    if f.show != "all":
        query = query.where(*_counted_today())
    if f.q:
        term = f.q.strip()
        query = query.where(School.urn == parse_int(term) if parse_int(term) is not None
                            else School.name.ilike(f"%{_like(term)}%", escape="\\"))
    if f.phase:
        query = query.where(School.phase == f.phase)
    if f.type_name:
        query = query.where(School.type_name == f.type_name)
    if f.trust:
        term = f.trust.strip()
        query = query.where(sa.or_(School.trust_code == term,
                                   School.trust_name.ilike(f"%{_like(term)}%", escape="\\")))
    if f.status:
        query = query.where(_status_column() == f.status)
    return query


def _like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _counted_today() -> list[sa.ColumnElement[bool]]:
    """The schools counted in today's adoption figure (progress.school_counts, in SQL)."""
    return school_facts.counted_clause(clock.today())


def list_schools(user: User, version: GuidanceVersion | None, filters: SchoolFilters,
                 size: int = 25) -> Page:
    query = _filtered(user, version, filters)
    total = _total(user, version, filters)
    page = min(max(1, filters.page), max(1, math.ceil(total / size)))
    rows = db.session.execute(query.order_by(School.name, School.urn)
                              .limit(size).offset((page - 1) * size)).all()
    return Page([SchoolStatus(r[0], r[1], r[2]) for r in rows], total, page, size)


def _total(user: User, version: GuidanceVersion | None, filters: SchoolFilters) -> int:
    """How many schools the list has. Unfiltered for a reader of every school, the schools
    counted today: the sum of today's adoption figure of the version, read from the counts
    kept on write (``school_facts.counts_from_kept``, proved equal to the rule), not
    counted school by school (25,000 schools: milliseconds)."""
    if version is not None and sees_every_school(user) and \
            dataclasses.replace(filters, page=1) == SchoolFilters():
        return sum(n for by_status in school_facts.counts_from_kept(
            version.id, clock.today()).values() for n in by_status.values())
    return db.session.scalar(sa.select(sa.func.count()).select_from(
        _filtered(user, version, filters, counting=True).subquery())) or 0


def filter_choices(user: User) -> dict[str, list[str]]:
    """Phases and types present among the schools the user can list, in order."""
    return {"phases": _values(School.phase, user), "types": _values(School.type_name, user)}


def _values(column: Any, user: User) -> list[str]:
    """The distinct values of ``column`` (indexed) among the schools the user can list, in
    order: each the least after the one before, read from the index (a handful of steps for
    a handful of values), not every school's value sorted (25,000 schools: milliseconds)."""
    first = visible_schools(sa.select(sa.func.min(column).label("value"))
                            .where(column.is_not(None)), user).cte("choice_values", recursive=True)
    following = visible_schools(sa.select(sa.func.min(column)).where(column > first.c.value),
                                user).scalar_subquery()
    found = first.union_all(sa.select(following).where(first.c.value.is_not(None)))
    return list(db.session.scalars(sa.select(found.c.value).where(found.c.value.is_not(None))
                                   .order_by(found.c.value)))


@dataclass
class VersionHistory:
    version: GuidanceVersion
    adoption: Adoption | None
    events: list[AdoptionEvent]

    @property
    def status(self) -> str:
        return self.adoption.status if self.adoption else "not_started"


def adoption_history(school: School, guidance: Guidance | None) -> list[VersionHistory]:
    """Every version of the guidance, newest first, with the school's adoption and its dated
    events (one query for the adoptions, one for the events)."""
    if guidance is None:
        return []
    versions = [v for v in guidance.versions if not v.is_withdrawn]
    adoptions = {a.guidance_version_id: a for a in db.session.scalars(
        sa.select(Adoption).where(Adoption.school_id == school.id))}
    events: dict[int, list[AdoptionEvent]] = defaultdict(list)
    if adoptions:
        for event in db.session.scalars(
                sa.select(AdoptionEvent).where(AdoptionEvent.adoption_id.in_(
                    [a.id for a in adoptions.values()]))
                .order_by(AdoptionEvent.recorded_at.desc(), AdoptionEvent.id.desc())):
            events[event.adoption_id].append(event)
    return [VersionHistory(v, adoptions.get(v.id),
                           events.get(adoptions[v.id].id, []) if v.id in adoptions else [])
            for v in reversed(versions)]


def successors_of(school: School) -> list[School]:
    return list(db.session.scalars(sa.select(School).where(School.predecessor_id == school.id)))


# --- chasing ---------------------------------------------------------------------------------

def add_leads(rows: list[SchoolStatus]) -> None:
    """Fill each row's leads: linked school leads, and trust leads of its trust (2 queries
    per thousand rows)."""
    for start in range(0, len(rows), 1000):
        _add_leads(rows[start:start + 1000])


def _add_leads(rows: list[SchoolStatus]) -> None:
    ids = [r.school.id for r in rows]
    codes = {r.school.trust_code for r in rows if r.school.trust_code}
    linked: dict[int, list[User]] = defaultdict(list)
    for school_id, user in db.session.execute(
            sa.select(user_schools.c.school_id, User)
            .join(User, User.id == user_schools.c.user_id)
            .where(user_schools.c.school_id.in_(ids), User.active.is_(True),
                   school_leads()).order_by(User.name)):
        linked[school_id].append(user)
    by_trust: dict[str, list[User]] = defaultdict(list)
    if codes:
        for user in db.session.scalars(sa.select(User).where(
                User.trust_code.in_(codes), User.active.is_(True),
                school_leads()).order_by(User.name)):
            by_trust[user.trust_code or ""].append(user)
    for row in rows:
        found = linked.get(row.school.id, []) + by_trust.get(row.school.trust_code or "", [])
        row.leads = list({u.id: u for u in found}.values())


def _chasing(version: GuidanceVersion) -> sa.Select[Any]:
    return (_with_adoption(sa.select(School, Adoption, _status_column()), version)
            .where(*_counted_today(), _status_column().not_in(ADOPTED_STATUSES)))


def chasing_list(version: GuidanceVersion) -> list[SchoolStatus]:
    """Schools in scope and open today that have not adopted ``version`` (counted in the
    figure's denominator but not its numerator), by name. ``add_leads`` adds contacts."""
    query = _chasing(version).order_by(School.name, School.urn)
    return [SchoolStatus(r[0], r[1], r[2]) for r in db.session.execute(query)]


def chasing_page(version: GuidanceVersion, page: int, size: int = 25) -> Page:
    """One page of the chasing list, with the leads' contacts."""
    query = _chasing(version)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0
    page = min(max(1, page), max(1, math.ceil(total / size)))
    rows = [SchoolStatus(r[0], r[1], r[2]) for r in db.session.execute(
        query.order_by(School.name, School.urn).limit(size).offset((page - 1) * size))]
    add_leads(rows)
    return Page(rows, total, page, size)


# --- a school lead's home page ----------------------------------------------------------------

def schools_for_lead(user: User) -> list[SchoolStatus]:
    """Every school the lead answers for (their own, and their trust's), with its status for
    the current version, open schools first, by name."""
    if not is_school_lead(user):
        return []
    query = _with_adoption(sa.select(School, Adoption, _status_column()), current_version())
    rows = db.session.execute(query.where(lead_condition(user)).order_by(
        (School.status == "closed"), School.name)).all()
    return [SchoolStatus(r[0], r[1], r[2]) for r in rows]


def outstanding_for_lead(user: User, version: GuidanceVersion | None = None) -> list[SchoolStatus]:
    """The lead's schools counted in today's adoption figure that have not adopted
    ``version`` (by default the current guidance's current version), by name."""
    if not is_school_lead(user):
        return []
    query = _with_adoption(sa.select(School, Adoption, _status_column()),
                           version or current_version())
    rows = db.session.execute(query.where(
        lead_condition(user), *_counted_today(), _status_column().not_in(ADOPTED_STATUSES))
        .order_by(School.name)).all()
    return [SchoolStatus(r[0], r[1], r[2]) for r in rows]

