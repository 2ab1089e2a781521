"""Wrong passwords slow an account down; they never lock its owner out. Failures are counted
per account; after five in a row, attempts from an unknown browser without a second factor
wait a while (longer each time), and a wrong one is not even checked. But the owner is never
refused: the right password plus the second factor, or the right password from a browser
that has signed in to the account before, signs in at once."""
from __future__ import annotations

import datetime as dt

import pyotp
import pytest

from tests.conftest import PASSWORD, sign_in
from tracker.clock import now

WRONG = "not the password at all"


def _password(client, user, password):  # type: ignore[no-untyped-def]
    client.csrf = None
    client.fetch_csrf("/sign-in")
    return client.post_form("/sign-in", {"email": user.email, "password": password})


def _attack(app, user, times: int = 5) -> None:  # type: ignore[no-untyped-def]
    """Someone else, from their own browser, guesses wrong ``times`` times."""
    attacker = app.test_client()
    for _ in range(times):
        assert _password(attacker, user, WRONG).status_code == 200


def _signed_in(client) -> bool:  # type: ignore[no-untyped-def]
    return client.get("/").status_code == 200


def test_the_owner_with_a_second_factor_signs_in_after_five_wrong_passwords(app, client, make,
                                                                          db_session):
    secret = pyotp.random_base32()
    admin = make.user(role="admin", totp_secret=secret, totp_enabled=True)
    _attack(app, admin)
    db_session.refresh(admin)
    assert admin.failed_sign_ins == 5
    assert _password(client, admin, PASSWORD).headers["Location"] == "/sign-in/two-factor"
    client.fetch_csrf("/sign-in/two-factor")
    done = client.post_form("/sign-in/two-factor", {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 302 and done.headers["Location"] == "/"
    assert _signed_in(client)
    db_session.refresh(admin)
    assert admin.failed_sign_ins == 0 and admin.locked_until is None


def test_the_owner_signs_in_from_a_browser_that_has_signed_in_before(app, client, make,
                                                                   db_session):
    officer = make.user(role="officer")
    sign_in(client, officer)
    client.post_form("/sign-out")
    _attack(app, officer, times=7)
    assert _password(client, officer, PASSWORD).status_code == 302
    assert _signed_in(client)


def test_an_unknown_browser_without_a_second_factor_waits_and_is_not_told_why(app, client, make,
                                                                            db_session):
    officer = make.user(role="officer")
    _attack(app, officer)
    db_session.refresh(officer)
    slowed_until = officer.locked_until
    assert slowed_until is not None
    assert slowed_until - now() <= dt.timedelta(minutes=2), "a short wait, not a 15-minute lock"
    refused = _password(client, officer, PASSWORD)
    assert refused.status_code == 200
    assert "Enter a correct email address and password" in refused.get_data(as_text=True)
    # While slowed, a guess is not checked and not counted again: guessing gains nothing.
    _attack(app, officer, times=3)
    db_session.refresh(officer)
    assert officer.failed_sign_ins == 5
    # When the wait has passed, the right password works and clears the count.
    officer.locked_until = now() - dt.timedelta(seconds=1)
    db_session.flush()
    assert _password(client, officer, PASSWORD).status_code == 302
    db_session.refresh(officer)
    assert officer.failed_sign_ins == 0 and officer.locked_until is None


def test_each_further_failure_makes_the_wait_longer(app, make, db_session):
    officer = make.user(role="officer")
    _attack(app, officer)
    db_session.refresh(officer)
    first = officer.locked_until - now()
    officer.locked_until = now() - dt.timedelta(seconds=1)  # the wait passes
    db_session.flush()
    _attack(app, officer, times=1)
    db_session.refresh(officer)
    assert officer.failed_sign_ins == 6
    assert officer.locked_until - now() > first + dt.timedelta(seconds=30)
    assert officer.locked_until - now() <= dt.timedelta(minutes=app.config["LOCKOUT_MINUTES"])


@pytest.fixture()
def slowed_two_factor_user(app, make, db_session):  # type: ignore[no-untyped-def]
    secret = pyotp.random_base32()
    user = make.user(role="member", totp_secret=secret, totp_enabled=True)
    _attack(app, user)
    return user, secret


def test_while_slowed_a_wrong_password_is_not_revealed_before_the_code(client,
                                                                      slowed_two_factor_user):
    """Otherwise the password step would answer guesses at full speed: while slowed, a
    two-factor account goes on to the code step whatever the password, and only the right
    password with the right code signs in."""
    user, secret = slowed_two_factor_user
    wrong = _password(client, user, "another wrong guess")
    assert wrong.headers["Location"] == "/sign-in/two-factor"
    client.fetch_csrf("/sign-in/two-factor")
    response = client.post_form("/sign-in/two-factor", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 200
    assert "password or the code is not right" in response.get_data(as_text=True)
    assert not _signed_in(client)
