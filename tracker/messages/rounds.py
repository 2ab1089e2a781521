"""Update rounds: "updates due by D for the meeting on M", over chosen decisions.

Opening a round asks every owner of an open action under those decisions for an update, in
one message per person listing all their actions, each with a link to its update form; the
messages are queued in the transaction that opens the round. An action owned by an
organisation is asked of its people (its active partner officers,
``tracker.permissions.organisation_people``), each in their one message. An action is
*returned* once a progress update is recorded on it after the round opened. Owners with actions outstanding
are reminded every ``reminder_days`` until the meeting.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from tracker import audit
from tracker.clock import now, today as london_today_now
from tracker.extensions import db
from tracker.messages import outbox, recipients
from tracker.messages.composing import Pending, later, link
from tracker.messages.reminders import by_person, has_owner, open_actions
from tracker.models import (
    Action, Decision, DecisionPart, Organisation, ProgressUpdate, RoundItem, UpdateRound, User,
)
from tracker.permissions import is_partner
from tracker.progress import london_today


class RoundProblem(ValueError):
    def __init__(self, field_name: str, message: str):
        self.field = field_name
        super().__init__(message)


@dataclass
class RoundDetails:
    committee: str
    meeting_on: dt.date
    due_on: dt.date
    decision_ids: list[int]
    reminder_days: int = 7


def _check(d: RoundDetails, today: dt.date) -> list[Decision]:
    if d.due_on < today:
        raise RoundProblem("due_on", "The date updates are due must be today or in the future")
    if d.meeting_on < d.due_on:
        raise RoundProblem("meeting_on", "The meeting must be on or after the date updates are due")
    if not 1 <= d.reminder_days <= 90:
        raise RoundProblem("reminder_days", "Remind every 1 to 90 days")
    if not d.decision_ids:
        raise RoundProblem("decision_ids", "Choose at least one decision")
    decisions = list(db.session.scalars(sa.select(Decision).where(
        Decision.id.in_(d.decision_ids), Decision.withdrawn_at.is_(None))))
    if len(decisions) != len(set(d.decision_ids)):
        raise RoundProblem("decision_ids", "Choose decisions from the list")
    return decisions


def open_round(user: User, d: RoundDetails) -> UpdateRound:
    """Open the round, ask each owner once, and queue the messages in the same transaction."""
    today = london_today_now()
    decisions = _check(d, today)
    round_ = UpdateRound(committee=d.committee.strip(), meeting_on=d.meeting_on, due_on=d.due_on,
                         reminder_days=d.reminder_days, opened_at=now(), opened_by_id=user.id)
    round_.decisions = decisions
    audit.created(round_, f"Update round opened for {round_.title}")
    lines = open_actions(today, [DecisionPart.decision_id.in_([x.id for x in decisions]),
                                 has_owner()])
    for line in lines:
        db.session.add(RoundItem(
            round_id=round_.id, action_id=line.id, owner_id=line.owner_id,
            owner_organisation_id=line.owner_organisation_id if line.owner_id is None else None))
    people = by_person(lines)
    for person in recipients.reachable(set(people)):
        outbox.add(_request(round_, person, people[person.id], reminder=False).build())
    db.session.commit()
    return round_


def _request(round_: UpdateRound, owner: User, lines: list, *, reminder: bool,
             period: int = 0) -> Pending:
    kind = "round_reminder" if reminder else "round_request"
    subject = (f"Reminder: {len(lines)} update(s) due by {round_.due_on:%-d %B %Y}" if reminder
               else f"Updates due by {round_.due_on:%-d %B %Y} for {round_.title}")
    key = (f"round_reminder:{round_.id}:{owner.id}:{period}" if reminder
           else f"round_request:{round_.id}:{owner.id}")
    facts = {"committee": round_.committee, "meeting_on": round_.meeting_on,
             "due_on": round_.due_on}
    # A partner officer does not open the round's page (administrators and officers do):
    # their link is to their organisation's actions.
    partner = is_partner(owner)
    page = (link("recommendations.my_actions") if partner
            else link("messages.show_round", round_id=round_.id))
    return later(kind, owner, subject, page_link=page, dedupe_key=key, round=facts, actions=lines,
                 organisation=owner.organisation.name if partner and owner.organisation else None)


# --- where a round stands --------------------------------------------------------------------
@dataclass
class ItemStatus:
    item: RoundItem
    returned_at: dt.datetime | None

    @property
    def returned(self) -> bool:
        return self.returned_at is not None


@dataclass
class OwnerStatus:
    """The items asked of one owner: a person, or an organisation (its people were asked)."""
    owner: User | None
    organisation: Organisation | None = None
    items: list[ItemStatus] = field(default_factory=list)

    @property
    def outstanding(self) -> int:
        return sum(not i.returned for i in self.items)

    @property
    def name(self) -> str:
        if self.owner is not None:
            return self.owner.name
        return self.organisation.owner_name if self.organisation is not None else "No owner"

    @property
    def anchor(self) -> str:
        if self.owner is not None:
            return f"owner-{self.owner.id}"
        return f"organisation-{self.organisation.id if self.organisation else 0}"


def returned_at(round_: UpdateRound) -> dict[int, dt.datetime]:
    """action id -> when its first update after the round opened was recorded."""
    items = sa.select(RoundItem.action_id).where(RoundItem.round_id == round_.id)
    return dict(db.session.execute(
        sa.select(ProgressUpdate.action_id, sa.func.min(ProgressUpdate.recorded_at))
        .where(ProgressUpdate.action_id.in_(items),
               ProgressUpdate.recorded_at >= round_.opened_at)
        .group_by(ProgressUpdate.action_id)).all())


def status(round_: UpdateRound) -> list[OwnerStatus]:
    done = returned_at(round_)
    owners: dict[tuple[int | None, int | None], OwnerStatus] = {}
    for item in db.session.scalars(sa.select(RoundItem).where(RoundItem.round_id == round_.id)
                                   .options(selectinload(RoundItem.owner),
                                            selectinload(RoundItem.owner_organisation)
                                            .selectinload(Organisation.lead),
                                            selectinload(RoundItem.action))
                                   .order_by(RoundItem.id)):
        row = owners.setdefault((item.owner_id, item.owner_organisation_id),
                                OwnerStatus(item.owner, item.owner_organisation))
        when = done.get(item.action_id)
        row.items.append(ItemStatus(item, _aware(when)))
    return sorted(owners.values(), key=lambda o: (o.name, o.anchor))


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is not None and moment.tzinfo is None:  # SQLite's MIN() gives plain text back
        return moment.replace(tzinfo=dt.timezone.utc)
    return moment


def not_returned(round_: UpdateRound) -> list[ItemStatus]:
    return [i for o in status(round_) for i in o.items if not i.returned]


def rounds_for_meeting(meeting_on: dt.date) -> list[UpdateRound]:
    return list(db.session.scalars(sa.select(UpdateRound).where(
        UpdateRound.meeting_on == meeting_on).order_by(UpdateRound.id)))


def list_rounds() -> list[UpdateRound]:
    return list(db.session.scalars(sa.select(UpdateRound).order_by(
        UpdateRound.meeting_on.desc(), UpdateRound.id.desc())))


# --- reminders ---------------------------------------------------------------------------------
def reminders_due(today: dt.date) -> list[Pending]:
    """For each round whose meeting has not passed: every ``reminder_days`` after opening,
    one reminder per owner with actions outstanding (one per owner and interval)."""
    messages = []
    for round_ in db.session.scalars(sa.select(UpdateRound).where(UpdateRound.meeting_on >= today)):
        period = (today - london_today(round_.opened_at)).days // round_.reminder_days
        if period < 1:
            continue
        rows = status(round_)
        people = recipients.people_of(row.organisation.id for row in rows
                                      if row.owner is None and row.organisation is not None)
        waiting: dict[int, list[int]] = defaultdict(list)  # person -> actions outstanding
        for row in rows:
            outstanding = [i.item.action_id for i in row.items
                           if not i.returned and i.item.action.withdrawn_at is None]
            asked = ([row.owner.id] if row.owner is not None
                     else people.get(row.organisation.id if row.organisation else 0, []))
            for person in asked:
                waiting[person].extend(outstanding)
        for person in recipients.reachable(p for p, ids in waiting.items() if ids):
            lines = open_actions(today, [Action.id.in_(waiting[person.id])])
            if lines:
                messages.append(_request(round_, person, lines, reminder=True, period=period))
    return messages
