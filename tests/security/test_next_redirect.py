"""After signing in, ``next`` sends the user on only to a page of the tracker: whatever the
browser would read as another site (after the same normalisation the response applies:
percent-decoding, control characters dropped, backslashes as slashes) goes home instead.
The password step, the two-factor step and the recovery-code step all keep the rule."""
from __future__ import annotations

import pyotp
import pytest

from tests.conftest import PASSWORD

# As an attacker writes them in a link: the query string, percent-encoded once. (A NUL byte,
# "/%00/evil.example", never reaches sign-in: any query string holding one is refused up front
# with a 400 and a message: tests/security/test_control_characters.py.)
HOSTILE = [
    "/%09/evil.example", "/%0A/evil.example", "/%0D%0A/evil.example", "/%0A/x",
    "//evil.example", "/%5Cevil.example", "/%5C/evil.example", "%5C%5Cevil.example",
    "https://evil.example/", "https:evil.example",
    "%2F%2Fevil.example", "%20//evil.example", "%09//evil.example", "/%7F/evil.example",
    "javascript:alert(1)", "evil.example",
]
LOCAL = {
    "/decisions/": "/decisions/",
    "/recommendations/%3Fsource%3Dreview%26page%3D2": "/recommendations/?source=review&page=2",
    "/account": "/account",
}


def _sign_in(client, user, raw_next):  # type: ignore[no-untyped-def]
    """POST the password step to ``/sign-in?next=<raw_next>``, the query string verbatim."""
    client.csrf = None
    client.fetch_csrf("/sign-in")
    return client.post_form(f"/sign-in?next={raw_next}",
                            {"email": user.email, "password": PASSWORD})


def _lands_at_home(location: str) -> bool:
    return location == "/"


@pytest.mark.parametrize("next_url", HOSTILE)
def test_a_hostile_next_sends_home_after_the_password(client, make, next_url):
    response = _sign_in(client, make.user(), next_url)
    assert response.status_code == 302
    assert _lands_at_home(response.headers["Location"]), response.headers["Location"]


@pytest.mark.parametrize("raw_next", LOCAL)
def test_a_local_next_is_kept(client, make, raw_next):
    response = _sign_in(client, make.user(), raw_next)
    assert response.headers["Location"] == LOCAL[raw_next]


@pytest.fixture()
def two_factor_user(make):  # type: ignore[no-untyped-def]
    secret = pyotp.random_base32()
    return make.user(role="officer", totp_secret=secret, totp_enabled=True), secret


@pytest.mark.parametrize("next_url", ["/%09/evil.example", "/%0A/x", "/%5Cevil.example"])
def test_a_hostile_next_sends_home_after_the_two_factor_code(client, two_factor_user, next_url):
    user, secret = two_factor_user
    assert _sign_in(client, user, next_url).headers["Location"] == "/sign-in/two-factor"
    client.fetch_csrf("/sign-in/two-factor")
    response = client.post_form("/sign-in/two-factor", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    assert _lands_at_home(response.headers["Location"]), response.headers["Location"]


def test_a_hostile_next_sends_home_after_a_recovery_code(client, make, two_factor_user):
    from tracker.auth import two_factor

    user, _ = two_factor_user
    codes = two_factor.new_recovery_codes(user)
    assert _sign_in(client, user, "/%09/evil.example").status_code == 302
    client.fetch_csrf("/sign-in/two-factor")
    response = client.post_form("/sign-in/two-factor", {"code": codes[0]})
    assert _lands_at_home(response.headers["Location"]), response.headers["Location"]


def test_a_forged_pending_next_is_checked_again(client, two_factor_user):
    """The next address waits in the signed session between steps; it is checked again when
    used, so a value put there another way cannot leave the site either."""
    user, secret = two_factor_user
    _sign_in(client, user, "/decisions/")
    with client.session_transaction() as session:
        session["pending_sign_in"]["next"] = "/\t/evil.example"
        session.modified = True
    client.fetch_csrf("/sign-in/two-factor")
    response = client.post_form("/sign-in/two-factor", {"code": pyotp.TOTP(secret).now()})
    assert _lands_at_home(response.headers["Location"]), response.headers["Location"]
