"""Each role's everyday journey, walked as a new user would, on a phone (375 px) and at
desktop width: every page passes axe, none scrolls sideways on the phone, the header menu
collapses behind a button on the phone, and a sign-out link is in the header."""
from __future__ import annotations

from typing import Any

import pytest

WIDTHS = {"phone": {"width": 375, "height": 800}, "desktop": {"width": 1280, "height": 900}}


class Journey:
    def __init__(self, page: Any, width: str, check_axe: Any):
        self.page, self.width, self.check_axe = page, width, check_axe
        self.seen: list[str] = []

    def check(self) -> None:
        """What every page of a journey must be: axe clean, no sideways scrolling at 375 px,
        sign-out in the header, and on a phone the menu behind its button."""
        page = self.page
        self.seen.append(page.url)
        self.check_axe(page)
        if self.width == "phone":
            assert page.evaluate("document.documentElement.scrollWidth") <= 375, page.url
            menu = page.locator(".govuk-service-navigation__toggle")
            if menu.count():
                assert menu.is_visible() and not page.locator(
                    ".govuk-service-navigation__list").is_visible(), page.url
        assert page.locator("header").get_by_role("button", name="Sign out").is_visible()

    def follow(self, name: str, **kwargs: Any) -> None:
        with self.page.expect_navigation():
            self.page.get_by_role("link", name=name, **kwargs).first.click()
        self.check()

    def open_first(self, selector: str) -> None:
        with self.page.expect_navigation():
            self.page.locator(selector).first.click()
        self.check()

    def press(self, name: str) -> None:
        with self.page.expect_navigation():
            self.page.get_by_role("button", name=name).click()
        self.check()


@pytest.fixture(params=list(WIDTHS))
def journey(request, browser, live_server, sign_in_as, assert_no_axe_violations):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=WIDTHS[request.param])
    page = context.new_page()
    page.set_default_timeout(15_000)
    walk = Journey(page, request.param, assert_no_axe_violations)
    walk.sign_in = lambda email: (sign_in_as(page, live_server, email), walk.check())  # type: ignore[attr-defined]
    walk.base = str(live_server)  # type: ignore[attr-defined]
    yield walk
    context.close()


def test_officer_records_progress_on_an_action_of_theirs(journey):
    journey.sign_in("officer@example.gov.uk")
    if journey.width == "phone":  # the menu opens from its button
        journey.page.get_by_role("button", name="Menu").click()
        assert journey.page.locator(".govuk-service-navigation__list").is_visible()
    journey.page.goto(journey.base + "/my-actions")
    journey.check()
    assert journey.page.locator("#rag-key-heading").is_visible()   # the colours explained
    journey.follow("latest first")                                   # sorted by due date
    assert "sort=due-latest" in journey.page.url
    journey.follow("earliest first")
    journey.follow("Record an update")
    page = journey.page
    page.get_by_role("group", name="Status after this update").get_by_label("In progress").check()
    page.get_by_role("group", name="RAG rating").get_by_label("Green").check()
    page.get_by_label("What has happened").fill("Met the heads' forum; the draft is agreed.")
    journey.press("Record the update")
    assert "Progress update recorded" in page.content()


def test_member_asks_a_question(journey):
    journey.sign_in("member@example.gov.uk")
    journey.page.goto(journey.base + "/recommendations")
    journey.check()
    journey.page.get_by_label("Words in the recommendation").fill("MASH")
    journey.page.get_by_label("Sort by").select_option(label="Due date (earliest first)")
    journey.press("Filter")
    assert "words=MASH" in journey.page.url and "sort=due" in journey.page.url
    journey.open_first("main table a[href^='/recommendations/']")
    journey.press("Ask a question about this recommendation")  # a link drawn as a button
    journey.page.get_by_label("Your question").fill("When will the training reach academies?")
    journey.press("Ask the question")
    assert "Your question has been recorded" in journey.page.content()


def test_school_lead_records_adoption_for_their_school(journey):
    journey.sign_in("schoollead@example.gov.uk")
    journey.page.goto(journey.base + "/schools")
    journey.check()
    journey.open_first("main table a[href^='/schools/']")
    journey.follow("Record adoption")
    journey.follow("Read version 1", exact=False)                    # the guidance page opens
    assert journey.page.locator("h1").count() == 1
    journey.page.go_back()
    journey.page.wait_for_load_state()
    journey.page.get_by_label("Under review").check()
    journey.press("Save")
    assert "Saved:" in journey.page.content() or "Nothing had changed" in journey.page.content()


def test_trust_lead_checks_each_school_before_saving(journey):
    journey.sign_in("trustlead@example.gov.uk")
    journey.page.goto(journey.base + "/schools")
    journey.check()
    journey.follow("Record adoption once for every school of your trust")
    journey.page.get_by_label("Under review").check()
    journey.press("Continue")
    assert journey.page.get_by_role("heading", name="Check the change for each school").is_visible()
    journey.press("Save for these schools")
    assert "Saved for" in journey.page.content()


def test_administrator_adds_a_user_and_reads_the_report(journey):
    journey.sign_in("admin@example.gov.uk")
    for path in ("/admin/users/new", "/dashboard", "/reports/committee", "/executive-responses",
                 "/decisions/1", "/reports/committee?decision=all&as_at=2021-06-30"):
        journey.page.goto(journey.base + path)
        journey.page.wait_for_load_state()
        journey.check()
    journey.page.goto(journey.base + "/admin/users/new")
    assert journey.page.get_by_label("Role").input_value() == ""
