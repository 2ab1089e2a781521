"""Partner agencies as owners: an action or a recommendation owned by an organisation is shown
as its named lead's; a partner officer sees only the recommendations with actions their
organisation owns and updates only those actions; everything else answers 404 and is
counted in the audit trail (docs/roles-and-permissions.md, "Partner agencies")."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from tests.dashboard.pages import tables
from tests.recommendations.conftest import as_user, date_parts, update_form
from tracker.clock import today
from tracker.models import Action, AuditEvent, ProgressUpdate
from tracker.permissions import PARTNER


def test_work_owned_by_an_organisation_is_shown_as_its_named_lead(client, make, agencies):
    as_user(client, make.user(role="member"))
    page = client.get(f"/recommendations/{agencies['shared'].id}").get_data(as_text=True)
    rows = tables(page)["Actions under recommendation 1"]
    owners = {row[0].split(" Record")[0].strip(): row[1] for row in rows[1:]}
    assert owners == {"Police referral desk": "Pat Inspector (Northshire Police)",
                      "Council referral form": "Olu Owner"}


def test_a_partner_officer_sees_only_their_agencys_recommendations_and_actions(
        client, agencies):
    as_user(client, agencies["partner"])
    listing = client.get("/recommendations").get_data(as_text=True)
    assert "Share referrals within a day." in listing
    assert "Health visitors record it." not in listing
    page = client.get(f"/recommendations/{agencies['shared'].id}").get_data(as_text=True)
    actions = [row[0] for row in tables(page)["Actions under recommendation 1"][1:]]
    assert len(actions) == 1 and actions[0].startswith("Police referral desk")
    assert "Council referral form" not in page
    assert client.get(f"/recommendations/{agencies['health_only'].id}").status_code == 404
    for path in ("/decisions", f"/decisions/{agencies['decision'].id}", "/dashboard",
                 "/schools", "/executive-responses"):
        assert client.get(path).status_code == 404, path
    home = client.get("/").get_data(as_text=True)
    assert "Police referral desk" in home and "Health visitor audit" not in home
    mine = client.get("/my-actions").get_data(as_text=True)
    assert "Police referral desk" in mine and "Council referral form" not in mine


def test_a_partner_officer_updates_their_agencys_action_and_no_other(
        client, db_session, agencies):
    as_user(client, agencies["partner"])
    police_action, health_action = agencies["police_action"], agencies["health_action"]
    response = client.post_form(f"/actions/{police_action.id}/updates/new",
                                update_form(narrative="Referral desk staffed."))
    assert response.status_code == 302
    update = db_session.scalar(sa.select(ProgressUpdate).where(
        ProgressUpdate.action_id == police_action.id))
    assert update.author_id == agencies["partner"].id
    assert db_session.scalar(sa.select(AuditEvent.action).where(
        AuditEvent.object_type == "ProgressUpdate", AuditEvent.object_id == update.id)) == "create"
    for action in (health_action, agencies["council_action"]):
        assert client.get(f"/actions/{action.id}/updates/new").status_code == 404
        assert client.post_form(f"/actions/{action.id}/updates/new",
                                update_form()).status_code == 404
    assert db_session.scalar(sa.select(sa.func.count(ProgressUpdate.id)).where(
        ProgressUpdate.action_id == health_action.id)) == 0
    refused = db_session.scalars(sa.select(AuditEvent.summary).where(
        AuditEvent.action == "access_refused")).all()
    assert refused, "the refusals are in the audit trail"


def test_an_administrator_gives_an_action_to_an_organisation_or_a_person(
        client, db_session, make, agencies):
    as_user(client, make.user(role="admin"))
    police, officer = agencies["police"], agencies["officer"]
    form = {"title": "Joint visit", "description": "",
            "owner_id": f"organisation-{police.id}", "due_on": date_parts(
                today() + dt.timedelta(days=10))}
    page = client.get(f"/recommendations/{agencies['shared'].id}/actions/new").get_data(
        as_text=True)
    form["once"] = page.split('name="once" type="hidden" value="')[1].split('"')[0]
    response = client.post_form(f"/recommendations/{agencies['shared'].id}/actions/new", form)
    assert response.status_code == 302
    added = db_session.scalar(sa.select(Action).where(Action.title == "Joint visit"))
    assert added.owner_organisation_id == police.id and added.owner_id is None
    edit = client.get(f"/actions/{added.id}/edit").get_data(as_text=True)
    assert f'<option selected value="organisation-{police.id}">' in edit or \
        f'value="organisation-{police.id}" selected' in edit
    response = client.post_form(f"/actions/{added.id}/edit", {
        "title": "Joint visit", "description": "", "owner_id": str(officer.id),
        "version_id": str(added.version_id)})
    assert response.status_code == 302
    db_session.refresh(added)
    assert added.owner_id == officer.id and added.owner_organisation_id is None
    from tracker.problems import FieldProblem
    from tracker.recommendations import services
    with pytest.raises(FieldProblem, match="not both"):
        services.organisation_or_problem(police.id, officer.id)


def test_the_users_page_grants_the_partner_role_with_an_organisation(
        client, db_session, make, agencies):
    as_user(client, make.user(role="admin"))
    form = {"name": "New Partner", "email": "new.partner@example.org", "role": PARTNER,
            "job_title": "", "school_urns": "", "trust_code": "", "organisation_id": ""}
    page = client.post_form("/admin/users/new", form).get_data(as_text=True)
    assert "Choose the organisation this partner officer works for" in page
    form["organisation_id"] = str(agencies["health"].id)
    page = client.post_form("/admin/users/new", form).get_data(as_text=True)
    assert "Invitation link for New Partner" in page
    from tracker.models import User
    person = db_session.scalar(sa.select(User).where(User.email == "new.partner@example.org"))
    assert person.role == PARTNER and person.organisation is agencies["health"]
    summaries = db_session.scalars(sa.select(AuditEvent.summary).where(
        AuditEvent.object_type == "User", AuditEvent.object_id == person.id)).all()
    assert "Organisation of new.partner@example.org changed" in summaries
