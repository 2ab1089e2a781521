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


def test_the_demo_has_two_partner_agencies_each_owning_an_action(app, db_session):
    from tracker.demo import load_demo
    from tracker.models import Action, User

    output = load_demo()
    assert "police.partner@example.org" in output and "health.partner@example.org" in output
    load_demo()  # idempotent: nothing added the second time
    agencies = db_session.scalars(sa.select(Organisation).order_by(Organisation.kind)).all()
    assert [(o.kind, o.lead.email) for o in agencies] == [
        ("health", "health.partner@example.org"), ("police", "police.partner@example.org")]
    for organisation in agencies:
        owned = db_session.scalars(sa.select(Action).where(
            Action.owner_organisation_id == organisation.id)).all()
        assert len(owned) == 1 and owned[0].recommendation.reference == "3.3"
        partner = db_session.scalar(sa.select(User).where(User.id == organisation.lead_id))
        assert partner.role_label == "Partner officer" and partner.organisation is organisation
