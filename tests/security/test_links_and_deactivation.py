"""One-time links and deactivation: deactivating someone revokes every link they hold, and
setting a password from a link never makes an account active (only an administrator does)."""
from __future__ import annotations

import pytest

from tests.conftest import sign_in
from tracker.auth.services import issue_token

NEW_PASSWORD = "a brand new password"


def _use_link(client, token: str):  # type: ignore[no-untyped-def]
    client.csrf = None
    client.fetch_csrf("/sign-in")
    return client.post_form(f"/set-password/{token}", {
        "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})


@pytest.mark.parametrize("purpose", ["invitation", "password_reset"])
def test_deactivation_revokes_links_issued_before_it(app, client, make, db_session, purpose):
    admin = make.user(role="admin")
    person = make.user(role="officer")
    with app.test_request_context():
        token = issue_token(person, purpose, admin)
    sign_in(client, admin)
    client.post_form(f"/admin/users/{person.id}/deactivate")
    db_session.expire_all()
    assert person.active is False
    client.post_form("/sign-out")

    assert client.get(f"/set-password/{token}").status_code == 404
    assert _use_link(app.test_client(), token).status_code == 404
    db_session.expire_all()
    assert person.active is False
    assert not person.check_password(NEW_PASSWORD)


def test_a_link_used_by_a_deactivated_account_does_not_reactivate_it(app, client, make,
                                                                     db_session):
    """An administrator may send a reset link to someone deactivated (to be reactivated
    later): the password is set, but only the administrator's "reactivate" lets them in."""
    admin = make.user(role="admin")
    person = make.user(role="officer", active=False)
    with app.test_request_context():
        token = issue_token(person, "password_reset", admin)
    response = _use_link(client, token)
    assert response.status_code == 302
    db_session.expire_all()
    assert person.active is False
    assert person.check_password(NEW_PASSWORD)
    client.csrf = None
    refused = client.post_form("/sign-in", {"email": person.email, "password": NEW_PASSWORD})
    assert refused.status_code == 200  # the form again, with the one sign-in message


def test_an_invited_active_user_still_sets_a_password_and_signs_in(app, client, make,
                                                                  db_session):
    admin = make.user(role="admin")
    person = make.user(role="member", password=None)
    with app.test_request_context():
        token = issue_token(person, "invitation", admin)
    assert _use_link(client, token).status_code == 302
    client.csrf = None
    assert client.post_form("/sign-in", {"email": person.email,
                                         "password": NEW_PASSWORD}).status_code == 302
    assert client.get("/").status_code == 200
