"""The administrator's users page: add, change role and schools, deactivate."""
from __future__ import annotations

import re

import sqlalchemy as sa

from tests.conftest import sign_in
from tracker.models import AuditEvent, User


def _form(**kw):
    return {"name": "New Person", "email": "new.person@example.gov.uk", "role": "officer",
            "job_title": "", "school_urns": "", "trust_code": ""} | kw


def test_only_administrators_reach_the_users_page(client, make):
    for role in ("officer", "member", "school_lead"):
        user = make.user(role=role, schools=[make.school()] if role == "school_lead" else [])
        sign_in(client, user)
        assert client.get("/admin/users/").status_code == 404
        assert client.post_form("/admin/users/new", _form()).status_code == 404
        client.post_form("/sign-out")


def test_adding_a_user_shows_an_invitation_link_and_is_audited(client, make, db_session):
    sign_in(client, make.user(role="admin"))
    page = client.post_form("/admin/users/new", _form()).get_data(as_text=True)
    assert "Invitation link for New Person" in page
    assert "/set-password/" in page
    user = db_session.scalar(sa.select(User).where(User.email == "new.person@example.gov.uk"))
    assert user.role == "officer" and user.password_hash is None
    actions = db_session.scalars(sa.select(AuditEvent.action).where(
        AuditEvent.object_type == "User", AuditEvent.object_id == user.id)
        .order_by(AuditEvent.id)).all()
    assert actions == ["create", "token_issued"]


def test_school_lead_needs_a_school_or_trust_and_real_urns(client, make):
    sign_in(client, make.user(role="admin"))
    none = client.post_form("/admin/users/new", _form(role="school_lead")).get_data(as_text=True)
    assert "Enter the URN of at least one school, or a trust code" in none
    bad = client.post_form("/admin/users/new", _form(role="school_lead", school_urns="12AB")).get_data(as_text=True)
    assert "&#34;12AB&#34; is not a URN" in bad or '"12AB" is not a URN' in bad
    missing = client.post_form("/admin/users/new", _form(role="school_lead", school_urns="999999")).get_data(as_text=True)
    assert "No school has URN 999999" in missing


def test_duplicate_email_is_refused(client, make):
    existing = make.user()
    sign_in(client, make.user(role="admin"))
    page = client.post_form("/admin/users/new", _form(email=existing.email.upper())).get_data(as_text=True)
    assert "Another user already has this email address" in page


def test_changing_role_and_schools_is_recorded_and_signs_them_out(app, client, make, db_session):
    school = make.school(urn=116833)
    person = make.user(role="officer")
    theirs = app.test_client()
    sign_in(theirs, person)
    assert theirs.get("/").status_code == 200
    sign_in(client, make.user(role="admin"))
    response = client.post_form(f"/admin/users/{person.id}", _form(
        name=person.name, email=person.email, role="school_lead", school_urns="116833",
        version_id=person.version_id))
    assert response.status_code == 302
    db_session.expire_all()
    assert person.role == "school_lead" and [s.urn for s in person.schools] == [116833]
    assert theirs.get("/").status_code == 302  # their old session no longer works
    summaries = db_session.scalars(sa.select(AuditEvent.summary).where(
        AuditEvent.object_type == "User", AuditEvent.object_id == person.id)).all()
    assert f"Schools of {person.email} changed" in summaries


def test_stale_user_edit_is_refused(client, make, db_session):
    person = make.user(role="officer", name="Original Name")
    sign_in(client, make.user(role="admin"))
    stale_version = person.version_id
    client.post_form(f"/admin/users/{person.id}", _form(
        name="First Edit", email=person.email, version_id=stale_version))
    response = client.post_form(f"/admin/users/{person.id}", _form(
        name="Second Edit", email=person.email, version_id=stale_version), follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Someone else saved a change while you were editing (name)" in page
    db_session.expire_all()
    assert person.name == "First Edit"


def test_deactivation_ends_their_sessions(app, client, make, db_session):
    person = make.user(role="member")
    theirs = app.test_client()
    sign_in(theirs, person)
    sign_in(client, make.user(role="admin"))
    client.post_form(f"/admin/users/{person.id}/deactivate")
    db_session.expire_all()
    assert person.active is False
    assert theirs.get("/").status_code == 302


def test_adding_a_user_chooses_no_role_for_the_administrator(client, make, db_session):
    sign_in(client, make.user(role="admin"))
    page = client.get("/admin/users/new").get_data(as_text=True)
    options = re.findall(r"<option[^>]*>[^<]*</option>",
                         page.split('name="role"')[1].split("</select>")[0])
    assert options[0] == '<option value="">Choose a role</option>'
    assert not any("selected" in option for option in options)
    refused = client.post_form("/admin/users/new", _form(role="")).get_data(as_text=True)
    assert "Choose a role" in refused.split("govuk-error-summary__list")[1].split("</ul>")[0]
    assert db_session.scalar(sa.select(User).where(User.email == "new.person@example.gov.uk")) is None


def test_granting_administrator_asks_for_confirmation(client, make, db_session):
    sign_in(client, make.user(role="admin"))
    asked = client.post_form("/admin/users/new", _form(role="admin")).get_data(as_text=True)
    assert "Confirm that this person should be an administrator" in asked
    assert 'name="confirm_admin"' in asked
    assert db_session.scalar(sa.select(User).where(User.email == "new.person@example.gov.uk")) is None
    client.post_form("/admin/users/new", _form(role="admin", confirm_admin="y"))
    added = db_session.scalar(sa.select(User).where(User.email == "new.person@example.gov.uk"))
    assert added.role == "admin"
    officer = make.user(role="officer", email="officer.two@example.gov.uk")
    promote = _form(name=officer.name, email=officer.email, role="admin",
                    version_id=officer.version_id)
    assert "Confirm that this person" in client.post_form(
        f"/admin/users/{officer.id}", promote).get_data(as_text=True)
    db_session.refresh(officer)
    assert officer.role == "officer"


def test_error_messages_name_the_field_without_optional(client, make):
    sign_in(client, make.user(role="admin"))
    page = client.post_form("/admin/users/new", _form(job_title="x" * 201)).get_data(as_text=True)
    summary = page.split("govuk-error-summary__list")[1].split("</ul>")[0]
    assert "Job title must be 200 characters or fewer" in summary
    assert "(optional)" not in summary
