"""A small world for the recommendation tests: one Open decision (implementable), its part
(a) with a recommendation owned by an officer, and one action of it."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from tracker.clock import today as london_today

from tests.conftest import sign_in


@dataclass
class World:
    admin: Any
    owner: Any          # officer owning the recommendation and its action
    other: Any          # another officer
    member: Any
    lead: Any           # school lead
    decision: Any
    part: Any
    rec: Any
    action: Any


@pytest.fixture()
def world(make: Any) -> World:
    admin = make.user(role="admin")
    owner = make.user(role="officer", name="Olu Owner")
    other = make.user(role="officer", name="Otto Other")
    member = make.user(role="member", name="Councillor Mo")
    lead = make.user(role="school_lead")
    decision = make.decision(title="Review of child-on-child abuse cases")
    part = make.part(decision, label="a")
    rec = make.recommendation(part, reference="3.1", text="Agree a protocol.", owner=owner)
    action = make.action(rec, title="Draft the protocol", owner=owner,
                         due_on=london_today() + dt.timedelta(days=60))
    return World(admin, owner, other, member, lead, decision, part, rec, action)


def as_user(client: Any, user: Any) -> Any:
    """Sign ``client`` in as ``user``, after signing out whoever was signed in (the test's
    app context outlives requests, so Flask-Login's cached user goes too)."""
    from flask import g

    client.delete_cookie("session")
    g.pop("_login_user", None)
    sign_in(client, user)
    return client


def date_parts(day: dt.date | None) -> list[str]:
    return ["", "", ""] if day is None else [str(day.day), str(day.month), str(day.year)]


def update_form(**kw: Any) -> dict[str, Any]:
    data = {"status": "in_progress", "rag": "green", "narrative": "Drafting group met.",
            "reason": "", "revised_due_on": date_parts(None), "revised_due_reason": ""}
    for n in (1, 2, 3):
        data[f"evidence_url_{n}"] = ""
        data[f"evidence_description_{n}"] = ""
    data.update(kw)
    return data


def rec_form(**kw: Any) -> dict[str, Any]:
    data = {"source": "review", "part_id": "", "reference": "3.9", "text": "Do the thing.",
            "owner_id": "", "lead_service": "", "committee": "",
            "meeting_on": date_parts(None), "minute_reference": "",
            "report_published_on": date_parts(None)}
    data.update(kw)
    return data
