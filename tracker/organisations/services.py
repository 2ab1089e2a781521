"""Writing organisations. Every change audited in the same transaction."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from tracker import audit
from tracker.extensions import db
from tracker.models import Organisation, User
from tracker.problems import FieldProblem
from tracker.vocab import ORGANISATION_KINDS


@dataclass
class OrganisationDetails:
    name: str
    kind: str
    lead_id: int | None = None


def _check(details: OrganisationDetails, existing: Organisation | None = None) -> User | None:
    name = " ".join(details.name.split())
    clash = db.session.scalar(sa.select(Organisation).where(
        sa.func.lower(Organisation.name) == name.lower()))
    if clash is not None and clash is not existing:
        raise FieldProblem("name", f"There is already an organisation called “{clash.name}”")
    if details.kind not in ORGANISATION_KINDS:
        raise FieldProblem("kind", "Choose a kind")
    if details.lead_id is None:
        return None
    lead = db.session.get(User, details.lead_id)
    if lead is None or not lead.active:
        raise FieldProblem("lead_id", "Choose the named lead from the list")
    if lead.organisation is not None and lead.organisation is not existing:
        raise FieldProblem("lead_id", f"{lead.name} works for {lead.organisation.name}: "
                                      "choose someone of this organisation")
    return lead


def _join(organisation: Organisation, lead: User | None) -> None:
    """The named lead works for the organisation they lead."""
    if lead is not None and lead.organisation is None:
        lead.organisation = organisation
        audit.record("update", lead, summary=f"{lead.email} works for {organisation.name}",
                     before={"organisation": None}, after={"organisation": organisation.name})


def add_organisation(details: OrganisationDetails) -> Organisation:
    lead = _check(details)
    organisation = Organisation(name=" ".join(details.name.split()), kind=details.kind,
                                lead_id=lead.id if lead else None)
    audit.created(organisation, f"Added organisation {organisation.name}")
    _join(organisation, lead)
    db.session.commit()
    return organisation


def edit_organisation(organisation: Organisation, details: OrganisationDetails,
                      expected_version: int | None) -> None:
    audit.check_version(organisation, expected_version)
    lead = _check(details, organisation)
    audit.updated(organisation, {"name": " ".join(details.name.split()), "kind": details.kind,
                                 "lead_id": lead.id if lead else None},
                  f"Edited organisation {details.name}", expected_version)
    _join(organisation, lead)
    db.session.commit()
