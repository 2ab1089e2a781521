"""Sign in as each role in a real browser; check the page and run axe (WCAG 2.2 AA)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_axe_violations, sign_in_as

ROLES = [
    ("admin@example.gov.uk", "Administrator home"),
    ("officer@example.gov.uk", "Officer home"),
    ("member@example.gov.uk", "Scrutiny committee member home"),
    ("schoollead@example.gov.uk", "School lead home"),
]


def test_sign_in_page_is_accessible(page, live_server):
    page.goto(f"{live_server}/sign-in")
    assert page.locator("h1").inner_text() == "Sign in"
    assert_no_axe_violations(page)


def test_sign_in_error_is_accessible(page, live_server):
    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Email address").fill("nobody@example.gov.uk")
    page.get_by_label("Password", exact=True).fill("not the password at all")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter a correct email address and password")
    assert_no_axe_violations(page)


@pytest.mark.parametrize("email,heading", ROLES)
def test_each_role_signs_in_to_an_accessible_home_page(page, live_server, email, heading):
    sign_in_as(page, live_server, email)
    assert page.locator("h1").first.inner_text() == heading
    assert "Review of peer on peer abuse cases" in page.content()
    assert_no_axe_violations(page)


@pytest.mark.parametrize("path,heading", [
    ("/accessibility", "Accessibility statement for the Safeguarding Recommendations Tracker"),
    ("/privacy", "Privacy notice"),
    ("/no-such-page", "Page not found"),
])
def test_public_pages_are_accessible(page, live_server, path, heading):
    page.goto(f"{live_server}{path}")
    assert page.locator("h1").inner_text() == heading
    assert_no_axe_violations(page)
