"""Administrators keep the organisations: the council's services and partner agencies, each
with a kind, a name and a named lead; every change in the audit trail."""
from __future__ import annotations

import sqlalchemy as sa
from tests.conftest import sign_in
from tests.dashboard.pages import tables
from tracker.models import AuditEvent, Organisation


def _form(**kw):  # type: ignore[no-untyped-def]
    return {"name": "Northshire Police", "kind": "police", "lead_id": ""} | kw


def test_an_administrator_adds_an_organisation_with_a_lead_who_joins_it(client, make, db_session):
    lead = make.user(role="officer", name="Pat Inspector")
    sign_in(client, make.user(role="admin"))
    response = client.post_form("/admin/organisations/new", _form(lead_id=str(lead.id)))
    assert response.status_code == 302
    police = db_session.scalar(sa.select(Organisation).where(Organisation.name == "Northshire Police"))
    assert police.kind == "police" and police.lead_id == lead.id
    db_session.refresh(lead)
    assert lead.organisation is police
    assert db_session.scalars(sa.select(AuditEvent.action).where(
        AuditEvent.object_type == "Organisation", AuditEvent.object_id == police.id)).all() == ["create"]
    rows = tables(client.get("/admin/organisations/").get_data(as_text=True))[
        "Every organisation, by kind"]
    assert rows == [["Name", "Kind", "Named lead", "People"],
                    ["Northshire Police", "Police", "Pat Inspector", "Pat Inspector"]]


def test_names_are_unique_and_a_lead_of_another_organisation_is_refused(client, make):
    health = make.organisation(name="Northshire Health", kind="health")
    nurse = make.user(role="officer", name="Sam Nurse")
    nurse.organisation = health
    sign_in(client, make.user(role="admin"))
    page = client.post_form("/admin/organisations/new", _form(name="northshire health"))
    assert "There is already an organisation called “Northshire Health”" in page.get_data(as_text=True)
    page = client.post_form("/admin/organisations/new", _form(lead_id=str(nurse.id)))
    assert "Sam Nurse works for Northshire Health" in page.get_data(as_text=True)


def test_editing_is_audited_with_before_and_after(client, make, db_session):
    police = make.organisation(name="Old Police Name", kind="police")
    sign_in(client, make.user(role="admin"))
    page = client.get(f"/admin/organisations/{police.id}").get_data(as_text=True)
    assert 'value="Old Police Name"' in page
    response = client.post_form(f"/admin/organisations/{police.id}",
                                _form(name="New Police Name", version_id=str(police.version_id)))
    assert response.status_code == 302
    event = db_session.scalar(sa.select(AuditEvent).where(
        AuditEvent.object_type == "Organisation", AuditEvent.action == "update"))
    assert event.before["name"] == "Old Police Name" and event.after["name"] == "New Police Name"


def test_only_administrators_reach_the_organisations_pages(client, make):
    police = make.organisation()
    for role in ("officer", "member"):
        sign_in(client, make.user(role=role))
        assert client.get("/admin/organisations/").status_code == 404
        assert client.post_form(f"/admin/organisations/{police.id}", _form()).status_code == 404
        client.post_form("/sign-out")
