"""What is due now: each kind of reminder worked out from the data, queued once per
(kind, recipient, period). Called by ``flask reminders run``; safe to run often, twice at
once, or late (a missed period is caught up once, by its key, never twice).

| kind | to whom | period (one message each) |
|---|---|---|
| digest | each person with actions due in 14 days, overdue, or questions awaiting their answer (an organisation's actions: each of its people) | their day (daily) or ISO week (weekly, the default) |
| escalation_action | a recommendation's accountable owner (an organisation: its people, for its own actions), for its actions overdue by more than ESCALATION_OVERDUE_DAYS | ISO week |
| escalation_response | administrators, for executive responses due within 14 days or late | ISO week |
| school_reminder | school leads (trust leads: their trust's schools) of schools in scope that have not adopted the current version | the administrator's interval, counted from the version's approval |
| round_reminder | owners with actions outstanding in an open round (an organisation's: its people) | the round's interval, from its opening |
| impact_review | whoever records a signed-off recommendation's impact review (its owner; owned by an organisation or nobody: administrators) once it is due with no evidence recorded | its review date |
| escalation_impact | administrators, for impact reviews more than ESCALATION_OVERDUE_DAYS late with no evidence recorded | ISO week |

An organisation's people are its active partner officers (``permissions.organisation_people``);
an organisation with none reachable is listed on the messages page, never dropped silently.

Overdue and open are the rules of tracker.progress, in SQL as tracker.recommendations.queries
states them (``overdue_clause``, ``OPEN_STATUSES``); adoption is ``schools.queries``'s chasing
list. Nothing here writes a second copy of a rule.
"""
from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

import sqlalchemy as sa
from flask import current_app

from tracker.extensions import db
from tracker.messages import outbox, recipients
from tracker.messages.composing import Pending, later, link
from tracker.models import (
    Action, Challenge, Decision, DecisionPart, ExecutiveResponse, MessageSetting, Organisation,
    Recommendation, RecommendationClosure, User,
)
from tracker import progress
from tracker.progress import london_today
from tracker.permissions import ADMIN, can_record_impact
from tracker.recommendations.queries import DUE_SOON_DAYS, OPEN_STATUSES, overdue_clause

RESPONSE_WARNING_DAYS = 14


def week_key(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def queue_due(moment: dt.datetime) -> dict[str, int]:
    """Queue every reminder due at ``moment``; returns how many of each kind were added."""
    from tracker.messages import rounds, school_reminders

    today = london_today(moment)
    counts: dict[str, int] = {}
    for kind, producer in (
            ("digest", digests),
            ("escalation_action", overdue_escalations),
            ("escalation_response", response_escalations),
            ("school_reminder", school_reminders.due),
            ("round_reminder", rounds.reminders_due),
            ("impact_review", impact_reviews),
            ("escalation_impact", impact_escalations)):
        pending = producer(today)
        db.session.commit()  # end the reads: writing the messages below needs no lock
        counts[kind] = len(outbox.add_unique(pending))
        db.session.commit()
    return counts


# --- what the rules say about open actions -----------------------------------------------------
@dataclass(frozen=True)
class ActionLine:
    id: int
    title: str
    reference: str
    recommendation_id: int
    owner_id: int | None
    accountable_id: int | None
    due_on: dt.date
    overdue: bool
    owner_organisation_id: int | None = None       # owned by an organisation, not a person
    accountable_organisation_id: int | None = None

    @functools.cached_property
    def link(self) -> str:
        return link("recommendations.show_recommendation",
                    recommendation_id=self.recommendation_id, _anchor=f"action-{self.id}")

    @functools.cached_property
    def update_link(self) -> str:
        return link("recommendations.record_update", action_id=self.id)


def _live(query: sa.Select) -> sa.Select:  # type: ignore[type-arg]
    """Leave out withdrawn recommendations, parts and decisions."""
    return (query.outerjoin(DecisionPart, DecisionPart.id == Recommendation.part_id)
            .outerjoin(Decision, Decision.id == DecisionPart.decision_id)
            .where(Recommendation.withdrawn_at.is_(None),
                   sa.or_(Recommendation.part_id.is_(None),
                          sa.and_(DecisionPart.withdrawn_at.is_(None),
                                  Decision.withdrawn_at.is_(None)))))


def open_actions(today: dt.date, where: Iterable[sa.ColumnElement[bool]] = ()) -> list[ActionLine]:
    query = _live(sa.select(
        Action.id, Action.title, Recommendation.reference, Action.recommendation_id,
        Action.owner_id, Recommendation.owner_id, Action.current_due_on,
        overdue_clause(today).label("overdue"), Action.owner_organisation_id,
        Recommendation.owner_organisation_id)
        .join(Recommendation, Recommendation.id == Action.recommendation_id)
        .where(Action.withdrawn_at.is_(None), Action.status.in_(OPEN_STATUSES), *where)
        .order_by(Action.current_due_on, Action.id))
    return [ActionLine(*row[:7], overdue=bool(row[7]), owner_organisation_id=row[8],
                       accountable_organisation_id=row[9])
            for row in db.session.execute(query)]


def has_owner() -> sa.ColumnElement[bool]:
    """Owned by a person or by an organisation (whose people are told)."""
    return sa.or_(Action.owner_id.is_not(None), Action.owner_organisation_id.is_not(None))


def by_person(lines: Iterable[ActionLine]) -> dict[int, list[ActionLine]]:
    """Whom each action concerns: its owner, or each of its owning organisation's people
    (``recipients.people_of``), each line once per person, in the order given."""
    lines = list(lines)
    people = recipients.people_of(line.owner_organisation_id for line in lines
                                  if line.owner_id is None)
    found: dict[int, list[ActionLine]] = defaultdict(list)
    for line in lines:
        for person in ([line.owner_id] if line.owner_id is not None
                       else people.get(line.owner_organisation_id or 0, [])):
            found[person].append(line)
    return found


# --- digests ---------------------------------------------------------------------------------
def digest_key(user_id: int, frequency: str, today: dt.date) -> str:
    period = today.isoformat() if frequency == "daily" else week_key(today)
    return f"digest:{user_id}:{frequency}:{period}"


def digests(today: dt.date) -> list[Pending]:
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    actions = by_person(open_actions(today, [has_owner(), Action.current_due_on <= soon]))
    questions: dict[int, list[tuple[int, str, dt.datetime]]] = defaultdict(list)
    for owner_id, rec_id, reference, asked_at in db.session.execute(_live(
            sa.select(Recommendation.owner_id, Recommendation.id, Recommendation.reference,
                      Challenge.asked_at)
            .join(Challenge, Challenge.recommendation_id == Recommendation.id)
            .where(Challenge.answered_at.is_(None), Challenge.withdrawn_at.is_(None),
                   Recommendation.owner_id.is_not(None))
            .order_by(Challenge.asked_at))):
        questions[owner_id].append((rec_id, reference, asked_at))
    people = recipients.reachable(set(actions) | set(questions))
    frequency = dict(db.session.execute(sa.select(MessageSetting.user_id,
                                                  MessageSetting.digest_frequency)).all())
    messages = []
    for user in people:
        how = frequency.get(user.id, "weekly")
        mine = actions.get(user.id, [])
        overdue = [a for a in mine if a.overdue]
        due_soon = [a for a in mine if not a.overdue]
        asked = [{"reference": ref, "asked_on": asked_at.date(),
                  "link": link("recommendations.show_recommendation", recommendation_id=rec_id,
                               _anchor="challenges")}
                 for rec_id, ref, asked_at in questions.get(user.id, [])]
        counts = f"{len(overdue)} overdue, {len(due_soon)} due soon, {len(asked)} questions"
        messages.append(later(
            "digest", user, f"Your {how} summary: {counts}",
            page_link=link("recommendations.my_actions"),
            dedupe_key=digest_key(user.id, how, today), overdue=overdue, due_soon=due_soon,
            questions=asked, frequency=how, today=today,
            settings_link=link("messages.my_settings")))
    return messages


# --- escalation --------------------------------------------------------------------------------
def overdue_escalations(today: dt.date) -> list[Pending]:
    """Actions overdue by more than ESCALATION_OVERDUE_DAYS, to the recommendation's
    accountable owner, once a week (cannot be switched off). A recommendation owned by an
    organisation escalates to its people, with the overdue actions they may see (their
    organisation's own: ``tracker.permissions.can_see_action``)."""
    days = current_app.config["ESCALATION_OVERDUE_DAYS"]
    limit = today - dt.timedelta(days=days)
    lines = open_actions(today, [overdue_clause(today), Action.current_due_on < limit, sa.or_(
        Recommendation.owner_id.is_not(None), Recommendation.owner_organisation_id.is_not(None))])
    people = recipients.people_of(line.accountable_organisation_id for line in lines
                                  if line.accountable_id is None)
    by_owner: dict[int, list[ActionLine]] = defaultdict(list)
    agency: dict[int, int] = {}  # a partner officer told: the organisation they hear for
    for line in lines:
        if line.accountable_id is not None:
            by_owner[line.accountable_id].append(line)
        elif line.owner_organisation_id == line.accountable_organisation_id:
            for person in people.get(line.accountable_organisation_id or 0, []):
                by_owner[person].append(line)
                agency[person] = line.accountable_organisation_id or 0
    names = dict(db.session.execute(sa.select(User.id, User.name).where(User.id.in_(
        {a.owner_id for lines in by_owner.values() for a in lines if a.owner_id}))).all())
    agencies = {o.id: o.owner_name for o in db.session.scalars(sa.select(Organisation).where(
        Organisation.id.in_({a.owner_organisation_id for lines in by_owner.values()
                             for a in lines if a.owner_organisation_id})))}
    messages = []
    for user in recipients.reachable(set(by_owner)):
        mine = by_owner[user.id]
        everything = (link("recommendations.list_recommendations", agency=agency[user.id],
                           overdue="y") if user.id in agency else
                      link("recommendations.list_recommendations", owner=user.id, overdue="y"))
        messages.append(later(
            "escalation_action", user,
            f"{len(mine)} action(s) overdue by more than {days} days",
            page_link=everything,
            dedupe_key=f"escalation_action:{user.id}:{week_key(today)}",
            actions=[(a, names.get(a.owner_id or 0) or agencies.get(a.owner_organisation_id or 0)
                      or "No owner", (today - a.due_on).days) for a in mine], days=days))
    return messages


def response_escalations(today: dt.date) -> list[Pending]:
    """Scrutiny recommendations with no executive response, due within 14 days or late, to
    every administrator, once a week (cannot be switched off)."""
    horizon = today + dt.timedelta(days=RESPONSE_WARNING_DAYS)
    answered = sa.select(ExecutiveResponse.id).where(
        ExecutiveResponse.recommendation_id == Recommendation.id).exists()
    rows = db.session.execute(_live(
        sa.select(Recommendation.id, Recommendation.reference, Recommendation.committee,
                  Recommendation.response_due_on)
        .where(Recommendation.source == "scrutiny", Recommendation.response_due_on.is_not(None),
               Recommendation.response_due_on <= horizon, ~answered)
        .order_by(Recommendation.response_due_on, Recommendation.id))).all()
    if not rows:
        return []
    items = [{"reference": ref, "committee": committee or "", "due_on": due,
              "late": due < today,
              "link": link("recommendations.show_recommendation", recommendation_id=rec_id)}
             for rec_id, ref, committee, due in rows]
    late = sum(item["late"] for item in items)
    admins = db.session.scalars(sa.select(User.id).where(User.role == ADMIN,
                                                          User.active.is_(True))).all()
    return [later("escalation_response", user,
                    f"Executive responses: {late} late, {len(items) - late} due within 14 days",
                    page_link=link("recommendations.response_table"),
                    dedupe_key=f"escalation_response:{user.id}:{week_key(today)}",
                    items=items, today=today)
            for user in recipients.reachable(set(admins))]


# --- impact reviews ----------------------------------------------------------------------------
@dataclass(frozen=True)
class ImpactLine:
    recommendation: Recommendation
    review_on: dt.date
    days_past: int       # the day minus the review date

    @functools.cached_property
    def link(self) -> str:
        return link("recommendations.show_recommendation",
                    recommendation_id=self.recommendation.id, _anchor="impact")


def awaiting_impact(today: dt.date) -> list[ImpactLine]:
    """Live recommendations whose impact review is due with no impact evidence recorded
    since the sign-off (``progress.impact_evidence_awaited``), the longest past first."""
    from tracker.recommendations import facts

    signed = _live(sa.select(Recommendation.id).where(Recommendation.id.in_(
        sa.select(RecommendationClosure.recommendation_id).where(
            RecommendationClosure.kind == progress.CLOSE_SIGNED_OFF))))
    found = facts.facts_where(Recommendation.id.in_(signed))
    due: dict[int, dt.date] = {}
    for rid, fact in found.items():
        state = progress.recommendation_state(fact, today=today)
        if progress.impact_evidence_awaited(state, fact.impact_reviews):
            assert state is not None and state.closure is not None  # nosec B101
            due[rid] = state.closure.review_on  # type: ignore[assignment]
    recs = db.session.scalars(sa.select(Recommendation).where(Recommendation.id.in_(list(due))))
    lines = [ImpactLine(rec, due[rec.id], (today - due[rec.id]).days) for rec in recs]
    return sorted(lines, key=lambda line: (line.review_on, line.recommendation.id))


def _administrators() -> list[User]:
    return list(db.session.scalars(sa.select(User).where(
        User.role == ADMIN, User.active.is_(True)).order_by(User.id)))


def impact_reviews(today: dt.date) -> list[Pending]:
    """On its review date (or the first run after it), one message to whoever records the
    recommendation's impact review (``permissions.can_record_impact``): its owner; with no
    person as owner (none, or an organisation), the administrators. Once per recommendation,
    review date and person: a moved review date is reminded of again."""
    lines = awaiting_impact(today)
    admins: list[User] | None = None
    owners = {u.id: u for u in recipients.reachable(
        line.recommendation.owner_id for line in lines)}
    messages = []
    for line in lines:
        rec = line.recommendation
        if rec.owner_id is not None:
            people = [owners[rec.owner_id]] if rec.owner_id in owners else []
        else:
            admins = admins if admins is not None else recipients.reachable(
                u.id for u in _administrators())
            people = admins
        for person in people:
            if not can_record_impact(person, rec):
                continue
            messages.append(later(
                "impact_review", person,
                f"Impact review due for recommendation {rec.reference}",
                page_link=line.link,
                dedupe_key=f"impact_review:{rec.id}:{line.review_on.isoformat()}:{person.id}",
                reference=rec.reference, review_on=line.review_on,
                record_link=link("recommendations.record_impact", recommendation_id=rec.id)))
    return messages


def impact_escalations(today: dt.date) -> list[Pending]:
    """Impact reviews due more than ESCALATION_OVERDUE_DAYS ago with no evidence recorded,
    to every administrator, once a week (cannot be switched off), as overdue actions are
    escalated."""
    days = current_app.config["ESCALATION_OVERDUE_DAYS"]
    lines = [line for line in awaiting_impact(today) if line.days_past > days]
    if not lines:
        return []
    items = [{"reference": line.recommendation.reference, "review_on": line.review_on,
              "days_past": line.days_past, "link": line.link,
              "owner": line.recommendation.owner_name or "No owner"} for line in lines]
    return [later("escalation_impact", user,
                  f"{len(items)} impact review(s) more than {days} days late",
                  page_link=link("recommendations.list_recommendations", status="complete"),
                  dedupe_key=f"escalation_impact:{user.id}:{week_key(today)}",
                  items=items, days=days)
            for user in recipients.reachable(u.id for u in _administrators())]
