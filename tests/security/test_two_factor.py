"""Two-factor sign-in: required for administrators, TOTP codes accepted once, ten single-use
recovery codes stored hashed, the password step alone signs no one in."""
from __future__ import annotations

import re
import time

import pyotp
import pytest
import sqlalchemy as sa

from tests.conftest import PASSWORD
from tracker.models import AuditEvent, RecoveryCode


@pytest.fixture()
def admin_2fa(app, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setitem(app.config, "REQUIRE_ADMIN_2FA", True)


def _password_step(client, user, password=PASSWORD):  # type: ignore[no-untyped-def]
    client.csrf = None
    return client.post_form("/sign-in", {"email": user.email, "password": password})


def _key_on(page: str) -> str:
    match = re.search(r'id="two-factor-key">([A-Z2-7 ]+)</code>', page)
    assert match, "no key on the set-up page"
    return match.group(1).replace(" ", "")


def _codes_on(page: str) -> list[str]:
    return re.findall(r"<li><code>([a-z0-9-]{19})</code></li>", page)


def _enrol(client, admin):  # type: ignore[no-untyped-def]
    """Password, then set up the app; returns (secret, recovery codes)."""
    response = _password_step(client, admin)
    assert response.headers["Location"] == "/two-factor/set-up"
    page = client.get("/two-factor/set-up").get_data(as_text=True)
    secret = _key_on(page)
    client.csrf = None
    done = client.post_form("/two-factor/set-up", {"code": pyotp.TOTP(secret).now()},
                            headers={}).get_data(as_text=True)
    codes = _codes_on(done)
    client.fetch_csrf("/account")
    return secret, codes


def _sign_out(client) -> None:  # type: ignore[no-untyped-def]
    client.fetch_csrf("/account")
    client.post_form("/sign-out")


def _signed_in(client) -> bool:  # type: ignore[no-untyped-def]
    return client.get("/").status_code == 200


def test_an_administrator_must_set_up_two_factor_before_any_page(client, make, db_session,
                                                                 admin_2fa):
    admin = make.user(role="admin")
    response = _password_step(client, admin)
    assert response.headers["Location"] == "/two-factor/set-up"
    assert not _signed_in(client), "the password alone must not sign an administrator in"
    page = client.get("/two-factor/set-up").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page  # the QR code is drawn here, not by a service
    assert "Get an authenticator app" in page
    secret = _key_on(page)
    client.csrf = None
    wrong = client.post_form("/two-factor/set-up", {"code": "000000"}).get_data(as_text=True)
    assert "The code is not right" in wrong and not _signed_in(client)
    client.csrf = None
    done = client.post_form("/two-factor/set-up", {"code": pyotp.TOTP(secret).now()})
    codes = _codes_on(done.get_data(as_text=True))
    assert len(codes) == 10 and len(set(codes)) == 10
    assert _signed_in(client)
    db_session.refresh(admin)
    assert admin.totp_enabled and admin.totp_secret == secret
    stored = db_session.scalars(sa.select(RecoveryCode.code_hash).where(
        RecoveryCode.user_id == admin.id)).all()
    assert len(stored) == 10 and not set(codes) & set(stored)
    events = db_session.scalars(sa.select(AuditEvent).where(AuditEvent.object_id == admin.id,
                                                            AuditEvent.object_type == "User")).all()
    assert {"Two-factor sign-in turned on", "Signed in, setting up two-factor sign-in"} <= {
        e.summary for e in events}
    assert not any(secret in f"{e.before}{e.after}{e.summary}" for e in events)


def test_other_roles_sign_in_with_a_password_unless_they_choose_two_factor(client, make,
                                                                           admin_2fa):
    officer = make.user(role="officer")
    assert _password_step(client, officer).headers["Location"] == "/"
    assert _signed_in(client)


def test_a_code_signs_in_once_and_never_again(client, make, db_session, admin_2fa):
    admin = make.user(role="admin")
    secret, _ = _enrol(client, admin)
    _sign_out(client)
    totp = pyotp.TOTP(secret)
    code = totp.at(time.time() + 30)  # the next step's code, not yet used at enrolment
    assert _password_step(client, admin).headers["Location"] == "/sign-in/two-factor"
    assert not _signed_in(client)
    client.csrf = None
    wrong = client.post_form("/sign-in/two-factor", {"code": "12345"}).get_data(as_text=True)
    assert "The code is not right" in wrong
    db_session.refresh(admin)
    assert admin.failed_sign_ins == 1, "a wrong code counts as a failed sign-in"
    assert client.post_form("/sign-in/two-factor", {"code": code}).status_code == 302
    assert _signed_in(client)
    _sign_out(client)
    _password_step(client, admin)
    client.csrf = None
    replay = client.post_form("/sign-in/two-factor", {"code": code})
    assert replay.status_code == 200 and "The code is not right" in replay.get_data(as_text=True)
    assert not _signed_in(client)


def test_recovery_codes_work_once_each(client, make, admin_2fa):
    admin = make.user(role="admin")
    _, codes = _enrol(client, admin)
    _sign_out(client)
    _password_step(client, admin)
    client.csrf = None
    used = client.post_form("/sign-in/two-factor", {"code": codes[3].upper()})
    assert used.status_code == 302
    home = client.get("/")
    assert home.status_code == 200 and "You used a recovery code: 9 left" in home.get_data(
        as_text=True)
    _sign_out(client)
    _password_step(client, admin)
    client.csrf = None
    again = client.post_form("/sign-in/two-factor", {"code": codes[3]})
    assert again.status_code == 200 and not _signed_in(client)


def test_new_recovery_codes_replace_the_old_ones(client, make, admin_2fa):
    admin = make.user(role="admin")
    _, old = _enrol(client, admin)
    page = client.post_form("/account/two-factor/recovery-codes").get_data(as_text=True)
    new = _codes_on(page)
    assert len(new) == 10 and not set(new) & set(old)
    _sign_out(client)
    _password_step(client, admin)
    client.csrf = None
    assert client.post_form("/sign-in/two-factor", {"code": old[0]}).status_code == 200
    assert client.post_form("/sign-in/two-factor", {"code": new[0]}).status_code == 302


def test_the_password_step_expires_after_10_minutes(client, make, admin_2fa):
    admin = make.user(role="admin")
    secret, _ = _enrol(client, admin)
    _sign_out(client)
    _password_step(client, admin)
    with client.session_transaction() as session:
        session["pending_sign_in"]["started"] = int(time.time()) - 601
        session.modified = True
    client.csrf = None
    response = client.post_form("/sign-in/two-factor", {"code": pyotp.TOTP(secret).at(
        time.time() + 30)})
    assert response.headers["Location"] == "/sign-in"
    assert not _signed_in(client)


def test_five_wrong_codes_end_the_attempt_and_slow_the_account_down(client, make, db_session, admin_2fa):
    admin = make.user(role="admin")
    _enrol(client, admin)
    _sign_out(client)
    _password_step(client, admin)
    client.csrf = None
    for _ in range(5):
        response = client.post_form("/sign-in/two-factor", {"code": "000000"})
    assert response.headers["Location"] == "/sign-in"
    db_session.refresh(admin)
    assert admin.locked_until is not None


def test_administrators_cannot_turn_it_off_others_can(client, make, db_session, admin_2fa):
    admin = make.user(role="admin")
    secret, _ = _enrol(client, admin)
    client.post_form("/account/two-factor/turn-off", {"code": pyotp.TOTP(secret).now()})
    db_session.refresh(admin)
    assert admin.totp_enabled
    _sign_out(client)

    officer = make.user(role="officer")
    _password_step(client, officer)
    client.fetch_csrf("/account")
    page = client.get("/two-factor/set-up").get_data(as_text=True)
    officer_secret = _key_on(page)
    client.post_form("/two-factor/set-up", {"code": pyotp.TOTP(officer_secret).now()})
    db_session.refresh(officer)
    assert officer.totp_enabled
    wrong = client.post_form("/account/two-factor/turn-off", {"code": "000000"})
    assert "The code is not right" in wrong.get_data(as_text=True)
    client.post_form("/account/two-factor/turn-off", {
        "code": pyotp.TOTP(officer_secret).at(time.time() + 30)})
    db_session.refresh(officer)
    assert not officer.totp_enabled and officer.totp_secret is None


def test_an_administrator_can_reset_a_lost_second_factor_from_the_command_line(
        app, client, make, db_session, admin_2fa):
    admin = make.user(role="admin")
    other_admin = make.user(role="admin")
    _enrol(client, admin)
    result = app.test_cli_runner().invoke(args=[
        "two-factor", "reset", admin.email, "--as", other_admin.email])
    assert result.exit_code == 0, result.output
    db_session.refresh(admin)
    assert not admin.totp_enabled
    assert not _signed_in(client), "the reset ends the user's sessions"
    assert _password_step(client, admin).headers["Location"] == "/two-factor/set-up"
