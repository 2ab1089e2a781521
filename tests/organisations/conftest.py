"""Two agencies and the council at work under one decision: the police own an action under
the officer's recommendation 1 (beside the council's own action), the health body owns the
only action of recommendation 2."""
from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tracker.clock import today
from tracker.permissions import PARTNER


@pytest.fixture()
def agencies(make: Any) -> dict[str, Any]:
    officer = make.user(role="officer", name="Olu Owner")
    inspector = make.user(role="officer", name="Pat Inspector")
    police = make.organisation(name="Northshire Police", kind="police", lead_id=inspector.id)
    health = make.organisation(name="Northshire Health", kind="health")
    partner = make.user(role=PARTNER, name="Dee Constable")
    partner.organisation = police
    decision = make.decision(title="Review of information sharing")
    part = make.part(decision, label="a")
    shared = make.recommendation(part, reference="1", text="Share referrals within a day.",
                                 owner_id=officer.id)
    due = today() + dt.timedelta(days=30)
    police_action = make.action(shared, title="Police referral desk", due_on=due,
                                owner_organisation_id=police.id)
    council_action = make.action(shared, title="Council referral form", due_on=due,
                                 owner_id=officer.id)
    health_only = make.recommendation(part, reference="2", text="Health visitors record it.")
    health_action = make.action(health_only, title="Health visitor audit", due_on=due,
                                owner_organisation_id=health.id)
    return locals()


