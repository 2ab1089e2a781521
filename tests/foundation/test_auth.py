"""Sign-in by email and password, sign-out, own password, one-time links."""
from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa

from tests.conftest import PASSWORD, sign_in
from tracker.models import AuditEvent, UserToken


def _post_sign_in(client, email, password):
    token = client.fetch_csrf("/sign-in")
    return client.post("/sign-in", data={"email": email, "password": password, "csrf_token": token})


def test_pages_need_signing_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def test_sign_in_records_an_event_and_lands_on_home(client, make, db_session):
    user = make.user(role="officer", name="Olu Officer")
    sign_in(client, user)
    page = client.get("/").get_data(as_text=True)
    assert "Signed in as Olu Officer" in page
    assert db_session.scalar(sa.select(AuditEvent.action).where(
        AuditEvent.actor_id == user.id, AuditEvent.action == "sign_in")) == "sign_in"


def test_wrong_password_and_unknown_account_get_the_same_message(client, make, db_session):
    user = make.user()
    wrong = _post_sign_in(client, user.email, "not the right password").get_data(as_text=True)
    unknown = _post_sign_in(client, "nobody@example.gov.uk", "not the right password").get_data(as_text=True)
    message = "Enter a correct email address and password"
    assert message in wrong and message in unknown
    db_session.refresh(user)
    assert user.failed_sign_ins == 1
    assert db_session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(
        AuditEvent.action == "sign_in_failed")) == 2


def test_repeated_failures_keep_a_new_browser_waiting(client, make, db_session):
    user = make.user()
    for _ in range(5):
        _post_sign_in(client, user.email, "wrong password again")
    response = _post_sign_in(client, user.email, PASSWORD)
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.get_data(as_text=True)
    db_session.refresh(user)
    assert user.locked_until is not None


def test_deactivated_user_cannot_sign_in(client, make):
    user = make.user(active=False)
    response = _post_sign_in(client, user.email, PASSWORD)
    assert "Enter a correct email address and password" in response.get_data(as_text=True)


def test_sign_out_ends_every_copy_of_the_session(app, client, make):
    user = make.user()
    sign_in(client, user)
    other = app.test_client()
    other.set_cookie("session", client.get_cookie("session").value)
    assert other.get("/").status_code == 200
    client.post_form("/sign-out")
    assert client.get("/").status_code == 302
    assert other.get("/").status_code == 302


def test_change_password_needs_the_current_one_and_twelve_characters(client, make):
    user = make.user()
    sign_in(client, user)
    short = client.post_form("/account/password", {
        "current_password": PASSWORD, "new_password": "too short", "confirm_password": "too short"})
    assert "Password must be at least 12 characters" in short.get_data(as_text=True)
    wrong = client.post_form("/account/password", {
        "current_password": "not my password", "new_password": "a much longer password",
        "confirm_password": "a much longer password"})
    assert "Your current password is not correct" in wrong.get_data(as_text=True)
    done = client.post_form("/account/password", {
        "current_password": PASSWORD, "new_password": "a much longer password",
        "confirm_password": "a much longer password"})
    assert done.status_code == 302
    client.post_form("/sign-out")
    assert _post_sign_in(client, user.email, "a much longer password").status_code == 302


def _issue_link(client, make, user):
    admin = make.user(role="admin")
    sign_in(client, admin)
    page = client.post_form(f"/admin/users/{user.id}/link").get_data(as_text=True)
    link = re.search(r'id="issued-link">([^<]+)<', page).group(1)
    client.post_form("/sign-out")
    client.csrf = None
    return link.replace("http://localhost", "")


def test_invitation_link_works_once_and_is_stored_hashed(client, make, db_session):
    invited = make.user(role="member", password=None)
    path = _issue_link(client, make, invited)
    raw = path.rsplit("/", 1)[1]
    stored = db_session.scalars(sa.select(UserToken.token_hash).where(UserToken.user_id == invited.id)).all()
    assert raw not in stored and len(stored) == 1
    token = client.fetch_csrf(path)
    response = client.post(path, data={"csrf_token": token, "new_password": "invited person password",
                                       "confirm_password": "invited person password"})
    assert response.status_code == 302
    assert client.get(path).status_code == 404  # single use
    assert _post_sign_in(client, invited.email, "invited person password").status_code == 302


def test_links_expire_after_72_hours(client, make, db_session):
    invited = make.user(role="member", password=None)
    path = _issue_link(client, make, invited)
    token = db_session.scalar(sa.select(UserToken).where(UserToken.user_id == invited.id))
    token.expires_at = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1)
    db_session.flush()
    assert client.get(path).status_code == 404


def test_links_are_valid_for_72_hours(client, make, db_session):
    invited = make.user(role="member", password=None)
    _issue_link(client, make, invited)
    token = db_session.scalar(sa.select(UserToken).where(UserToken.user_id == invited.id))
    assert token.expires_at - token.created_at == dt.timedelta(hours=72)


def test_a_new_link_cancels_the_previous_one(client, make):
    invited = make.user(role="member", password=None)
    first = _issue_link(client, make, invited)
    second = _issue_link(client, make, invited)
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_next_parameter_cannot_send_users_off_site(client, make):
    user = make.user()
    token = client.fetch_csrf("/sign-in")
    response = client.post("/sign-in?next=//evil.example/", data={
        "email": user.email, "password": PASSWORD, "csrf_token": token})
    assert response.headers["Location"] == "/"
