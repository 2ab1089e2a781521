"""Example partner agencies for the demo: the police and a health body, each with a partner
officer as its named lead and an action it owns under recommendation 3.3 of the seed
decision (MASH recording: a multi-agency matter). Idempotent: found by name and title."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from tracker import audit
from tracker.clock import today as london_today
from tracker.extensions import db
from tracker.models import Action, Decision, DecisionPart, Organisation, Recommendation, User
from tracker.recommendations import services as s

# (organisation, kind, its partner officer's email, the action it owns, due in days)
AGENCIES = (
    ("West Mercia Police (example)", "police", "police.partner@example.org",
     "Police share their MASH referral records for the audit", 45),
    ("Herefordshire health services (example)", "health", "health.partner@example.org",
     "Health visitors' records of child-on-child abuse included in the MASH audit", 20),
)
REFERENCE = "3.3"


def load(decision: Decision, users: dict[str, User]) -> None:
    admin = users["admin@example.gov.uk"]
    rec = db.session.scalar(sa.select(Recommendation).join(DecisionPart).where(
        DecisionPart.decision_id == decision.id, Recommendation.reference == REFERENCE,
        Recommendation.is_example.is_(True)))
    for name, kind, email, title, days in AGENCIES:
        partner = users[email]
        organisation = db.session.scalar(sa.select(Organisation).where(Organisation.name == name))
        if organisation is None:
            organisation = Organisation(name=name, kind=kind, lead_id=partner.id)
            audit.created(organisation, f"Demo: partner agency {name}")
        if partner.organisation is None:
            partner.organisation = organisation
            audit.record("update", partner, summary=f"Demo: {email} works for {name}",
                         before={"organisation": None}, after={"organisation": name})
        db.session.flush()
        if rec is None or db.session.scalar(sa.select(Action.id).where(
                Action.recommendation_id == rec.id, Action.title == title)) is not None:
            continue
        today = london_today()
        s.add_action(admin, rec, s.ActionDetails(
            title=title, owner_id=None, owner_organisation_id=organisation.id,
            due_on=today + dt.timedelta(days=days)), today, is_example=True, commit=False)
        db.session.flush()
