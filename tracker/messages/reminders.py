"""What is due now: each kind of reminder worked out from the data, queued once per
(kind, recipient, period). Called by ``flask reminders run``; safe to run often, twice at
once, or late (a missed period is caught up once, by its key, never twice).

| kind | to whom | period (one message each) |
|---|---|---|
| digest | each person with actions due in 14 days, overdue, or questions awaiting their answer | their day (daily) or ISO week (weekly, the default) |
| escalation_action | a recommendation's accountable owner, for its actions overdue by more than ESCALATION_OVERDUE_DAYS | ISO week |
| escalation_response | administrators, for executive responses due within 14 days or late | ISO week |
| school_reminder | school leads (trust leads: their trust's schools) of schools in scope that have not adopted the current version | the administrator's interval, counted from the version's approval |
| round_reminder | owners with actions outstanding in an open round | the round's interval, from its opening |

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
    Action, Challenge, Decision, DecisionPart, ExecutiveResponse, MessageSetting,
    Recommendation, User,
)
from tracker.progress import london_today
from tracker.permissions import ADMIN
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
            ("round_reminder", rounds.reminders_due)):
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
        overdue_clause(today).label("overdue"))
        .join(Recommendation, Recommendation.id == Action.recommendation_id)
        .where(Action.withdrawn_at.is_(None), Action.status.in_(OPEN_STATUSES), *where)
        .order_by(Action.current_due_on, Action.id))
    return [ActionLine(*row[:7], overdue=bool(row[7])) for row in db.session.execute(query)]


# --- digests ---------------------------------------------------------------------------------
def digest_key(user_id: int, frequency: str, today: dt.date) -> str:
    period = today.isoformat() if frequency == "daily" else week_key(today)
    return f"digest:{user_id}:{frequency}:{period}"


def digests(today: dt.date) -> list[Pending]:
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    actions: dict[int, list[ActionLine]] = defaultdict(list)
    for line in open_actions(today, [Action.owner_id.is_not(None), Action.current_due_on <= soon]):
        actions[line.owner_id].append(line)  # type: ignore[index]
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
    accountable owner, once a week (cannot be switched off)."""
    days = current_app.config["ESCALATION_OVERDUE_DAYS"]
    limit = today - dt.timedelta(days=days)
    by_owner: dict[int, list[ActionLine]] = defaultdict(list)
    for line in open_actions(today, [overdue_clause(today), Action.current_due_on < limit,
                                     Recommendation.owner_id.is_not(None)]):
        by_owner[line.accountable_id].append(line)  # type: ignore[index]
    names = dict(db.session.execute(sa.select(User.id, User.name).where(User.id.in_(
        {a.owner_id for lines in by_owner.values() for a in lines if a.owner_id}))).all())
    messages = []
    for user in recipients.reachable(set(by_owner)):
        lines = by_owner[user.id]
        messages.append(later(
            "escalation_action", user,
            f"{len(lines)} action(s) overdue by more than {days} days",
            page_link=link("recommendations.list_recommendations", owner=user.id, overdue="y"),
            dedupe_key=f"escalation_action:{user.id}:{week_key(today)}",
            actions=[(a, names.get(a.owner_id or 0, "No owner"), (today - a.due_on).days)
                     for a in lines], days=days))
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
