"""Reminders to school leads of schools in scope that have not adopted the current version of
each guidance document, at the interval an administrator sets; a trust lead's message covers the trust's
schools (their copy). A school lead is never told about guidance under an exempt decision
(tracker.permissions.can_see_decision)."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterator

import sqlalchemy as sa

from tracker.extensions import db
from tracker.messages import recipients
from tracker.messages.composing import Pending, later, link
from tracker.models import Guidance, ReminderSchedule, School, User, user_schools
from tracker.permissions import SCHOOL_LEAD, can_see_decision
from tracker.schools import queries as school_queries

DEFAULT_INTERVAL_DAYS = 28


def interval_days() -> int:
    schedule = db.session.scalar(sa.select(ReminderSchedule).order_by(ReminderSchedule.id))
    return schedule.school_reminder_days if schedule else DEFAULT_INTERVAL_DAYS


def due(today: dt.date) -> list[Pending]:
    """A reminder to each lead for each guidance document their schools have not adopted
    (a decision may approve several; each is adopted on its own)."""
    current = school_queries.current_guidance()
    leads = _leads()
    messages: list[Pending] = []
    for guidance in school_queries.live_guidance():
        messages += _due_for(guidance, today, leads,
                             chosen=None if current is not None and guidance.id == current.id
                             else guidance.id)
    return messages


def _due_for(guidance: Guidance, today: dt.date, leads: _Leads,
             chosen: int | None) -> list[Pending]:
    version = guidance.current_version
    if version is None or version.approved_on > today:
        return []
    decision = guidance.part.decision if guidance.part is not None else None
    period = (today - version.approved_on).days // interval_days()
    rows = school_queries.chasing_list(version)
    schools: dict[int, list[School]] = defaultdict(list)
    for row in rows:
        found = leads.linked.get(row.school.id, set()) | leads.by_trust.get(
            row.school.trust_code or "", set())
        for lead_id in found:
            schools[lead_id].append(row.school)
    messages = []
    for lead in recipients.reachable(set(schools)):
        if decision is not None and not can_see_decision(lead, decision):
            continue
        mine = schools[lead.id]
        messages.append(later(
            "school_reminder", lead,
            f"{len(mine)} school(s) yet to adopt {guidance.title} version {version.number}",
            page_link=link("main.home"),
            dedupe_key=f"school_reminder:{lead.id}:{version.id}:{period}",
            schools=_Listed([(s.id, s.name, s.urn) for s in mine], chosen),
            guidance=guidance.title, version=version.number, trust=_trust_name(lead, mine)))
    return messages


class _Listed:
    """The schools of a message, their links made only when the message is written (a run
    that finds the message already queued makes none)."""

    def __init__(self, schools: list[tuple[int, str, int]], guidance_id: int | None = None):
        self.schools = schools
        self.guidance_id = guidance_id  # None: the current guidance, the pages' default

    def __len__(self) -> int:
        return len(self.schools)

    def __iter__(self) -> Iterator[dict[str, object]]:
        for school_id, name, urn in self.schools:
            yield {"name": name, "urn": urn,
                   "link": link("schools.show_school", school_id=school_id,
                                **({"guidance": self.guidance_id} if self.guidance_id else {}))}


@dataclass
class _Leads:
    linked: dict[int, set[int]]      # school id -> its linked school leads
    by_trust: dict[str, set[int]]    # trust code -> its trust leads


def _leads() -> _Leads:
    """Every active school lead's schools, in two queries (tracker.permissions.leads_school:
    linked schools, and a trust lead's trust)."""
    linked: dict[int, set[int]] = defaultdict(set)
    for school_id, user_id in db.session.execute(
            sa.select(user_schools.c.school_id, user_schools.c.user_id)
            .join(User, User.id == user_schools.c.user_id)
            .where(User.active.is_(True), User.role == SCHOOL_LEAD)):
        linked[school_id].add(user_id)
    by_trust: dict[str, set[int]] = defaultdict(set)
    for user_id, code in db.session.execute(sa.select(User.id, User.trust_code).where(
            User.active.is_(True), User.role == SCHOOL_LEAD, User.trust_code.is_not(None))):
        by_trust[code].add(user_id)
    return _Leads(linked, by_trust)


def _trust_name(lead: User, schools: list[School]) -> str | None:
    if not lead.trust_code:
        return None
    return next((s.trust_name for s in schools if s.trust_code == lead.trust_code and s.trust_name),
                lead.trust_code)
