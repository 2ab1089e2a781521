"""Two-factor sign-in in browser tests.

The live server runs the testing configuration, where ``REQUIRE_ADMIN_2FA`` is off, so
``sign_in_as`` signs every demo user in with a password alone, administrators included. A
test that needs two-factor sign-in switches it on for itself (``required_two_factor``) and
completes the second step with these helpers:

    with required_two_factor(live_server):
        secret, codes = sign_in_setting_up_two_factor(page, live_server, "admin@example.gov.uk")
        ...
        sign_in_with_two_factor(page2, live_server, "admin@example.gov.uk", secret)

Codes are accepted once each (per 30-second step), so the helpers remember the last step
they used for each secret and use the next one (a step ahead is accepted for clock drift).
"""
from __future__ import annotations

import contextlib
import re
import time
from typing import Any, Iterator

import pyotp

from tracker.demo import DEMO_PASSWORD

_last_step: dict[str, int] = {}


def next_code(secret: str) -> str:
    """A code not used before: this step's, or the next one's if this one is spent."""
    now_step = int(time.time() // 30)
    step = max(now_step, _last_step.get(secret, now_step - 1) + 1)
    if step > now_step + 1:
        time.sleep((step - 1) * 30 - time.time() + 0.5)  # wait for the step to come round
    _last_step[secret] = step
    return pyotp.TOTP(secret).at(step * 30)


@contextlib.contextmanager
def required_two_factor(live_server: Any) -> Iterator[None]:
    """Administrators must use two-factor sign-in while the block runs."""
    config = live_server.app.config
    before = config["REQUIRE_ADMIN_2FA"]
    config["REQUIRE_ADMIN_2FA"] = True
    try:
        yield
    finally:
        config["REQUIRE_ADMIN_2FA"] = before


def _password(page: Any, live_server: Any, email: str, password: str) -> None:
    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def sign_in_setting_up_two_factor(page: Any, live_server: Any, email: str,
                                  password: str = DEMO_PASSWORD) -> tuple[str, list[str]]:
    """Sign in as someone who must set up two-factor sign-in; returns (secret, codes)."""
    _password(page, live_server, email, password)
    assert "/two-factor/set-up" in page.url, page.url
    secret = set_up_two_factor(page)
    codes = recovery_codes(page)
    return secret, codes


def set_up_two_factor(page: Any) -> str:
    """On the set-up page: read the key as a person would type it, enter the app's code."""
    secret = page.locator("#two-factor-key").inner_text().replace(" ", "")
    page.get_by_label("Code from your app").fill(next_code(secret))
    with page.expect_navigation():
        page.get_by_role("button", name="Turn on two-factor sign-in").click()
    return secret


def recovery_codes(page: Any) -> list[str]:
    return re.findall(r"[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}",
                      page.locator("main").inner_text())


def sign_in_with_two_factor(page: Any, live_server: Any, email: str, secret: str,
                            password: str = DEMO_PASSWORD) -> None:
    _password(page, live_server, email, password)
    assert "/sign-in/two-factor" in page.url, page.url
    page.get_by_label("Code").fill(next_code(secret))
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    assert "/sign-in" not in page.url, page.content()[:2000]
