"""Guidance adoption in a real browser, with axe (WCAG 2.2 AA) on every page: a school lead
marks a school's adoption (after a mistake the form catches), a trust lead sees the trust
form, and staff see the guidance figures, the chasing list and the GIAS import page."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_axe_violations, sign_in_as

pytestmark = pytest.mark.browser


def fill_date(page, legend: str, day: str, month: str, year: str) -> None:  # type: ignore[no-untyped-def]
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(day)
    group.get_by_label("Month").fill(month)
    group.get_by_label("Year").fill(year)


def test_school_lead_marks_adoption(page, live_server):  # type: ignore[no-untyped-def]
    sign_in_as(page, live_server, "schoollead@example.gov.uk")
    page.get_by_role("link", name="Schools").click()
    expect(page.locator("h1")).to_have_text("Your schools")
    expect(page.locator("main")).to_contain_text("Schools 1 to 2 of 2")
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Bredwardine Church of England Primary School").click()
    expect(page.locator("h1")).to_contain_text("Bredwardine Church of England Primary School")
    expect(page.locator("main")).to_contain_text("Nothing recorded: not started.")
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Record adoption").click()
    expect(page.locator("h1")).to_have_text("Record adoption of version 1")
    assert_no_axe_violations(page)

    # Embedded without a training date: the form says what to do.
    page.get_by_role("radio", name="Embedded (staff trained)").check()
    fill_date(page, "Date adopted by the governing body or trust (if adopted)", "14", "3", "2022")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the date staff were trained: embedded needs it")
    assert_no_axe_violations(page)

    page.get_by_role("radio", name="Adopted by the governing body or trust").check()
    page.get_by_label("Link to the published policy").fill(
        "https://www.example.org/bredwardine/safeguarding-policy")
    page.get_by_label("Note (optional)").fill("Adopted at the spring governors' meeting.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "is “Adopted by the governing body or trust” for version 1")
    history = page.locator("table", has_text="Version 1:")
    expect(history).to_contain_text("Sam School-Lead")
    expect(history).to_contain_text("Adopted 14 March 2022.")
    assert_no_axe_violations(page)

    page.goto(f"{live_server}/schools")
    expect(page.locator("tr", has_text="Bredwardine")).to_contain_text(
        "Adopted by the governing body or trust")


def test_trust_lead_sees_the_whole_trust_form(page, live_server):  # type: ignore[no-untyped-def]
    sign_in_as(page, live_server, "trustlead@example.gov.uk")
    page.goto(f"{live_server}/schools")
    page.get_by_role("link", name="Record adoption once for every school of your trust").click()
    expect(page.locator("main")).to_contain_text("each of the trust's 3 open schools")
    assert_no_axe_violations(page)


@pytest.mark.parametrize(("email", "path"), [
    ("member@example.gov.uk", "/schools/guidance"),
    ("officer2@example.gov.uk", "/schools/chasing"),
    ("admin@example.gov.uk", "/schools/import"),
    ("admin@example.gov.uk", "/schools?show=all"),
])
def test_staff_pages_have_no_axe_violations(page, live_server, email, path):  # type: ignore[no-untyped-def]
    sign_in_as(page, live_server, email)
    page.goto(f"{live_server}{path}")
    expect(page.locator("h1")).to_be_visible()
    assert_no_axe_violations(page)


def test_import_preview_shows_scope_by_type_accessibly(page, live_server):  # type: ignore[no-untyped-def]
    from tests.schools.conftest import DATA

    sign_in_as(page, live_server, "admin@example.gov.uk")
    page.goto(f"{live_server}/schools/import")
    page.get_by_label("GIAS establishments file").set_input_files(
        str(DATA / "edubasealldata_2025_layout.csv"))
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("h1")).to_have_text("Check what the import will change")
    table = page.get_by_role("table", name="Schools in this file by type, in and out of scope")
    expect(table.get_by_role("row")).to_have_count(4)
    expect(page.locator(".govuk-warning-text")).to_contain_text(
        "1 type of establishment never seen before: Academy of the future.")
    assert_no_axe_violations(page)


def test_a_large_file_is_checked_in_the_background_and_its_page_refreshes(page, live_server):  # type: ignore[no-untyped-def]
    """The progress page keeps itself up to date (a static script; no timed refresh of the
    whole page) until the jobs worker has checked the file, then shows the preview; both
    pages pass axe."""
    from tests.schools.conftest import DATA
    app = live_server.app
    saved = app.config["GIAS_PREVIEW_INLINE_BYTES"]
    app.config["GIAS_PREVIEW_INLINE_BYTES"] = 1000  # this small file counts as large
    try:
        sign_in_as(page, live_server, "admin@example.gov.uk")
        page.goto(f"{live_server}/schools/import")
        page.get_by_label("GIAS establishments file").set_input_files(
            str(DATA / "edubasealldata_2025_layout.csv"))
        page.get_by_role("button", name="Check the file").click()
        expect(page.locator("h1")).to_have_text("Checking the file")
        expect(page.locator("#job-status")).to_have_text("Waiting for the jobs worker to start")
        assert_no_axe_violations(page)
        result = app.test_cli_runner().invoke(
            args=["jobs", "run", "--once", "--as", "admin@example.gov.uk"])
        assert result.exit_code == 0, result.output
        # No click: the page notices the job is done within a few seconds.
        expect(page.locator("h1")).to_have_text("Check what the import will change",
                                                timeout=10_000)
        assert_no_axe_violations(page)
    finally:
        app.config["GIAS_PREVIEW_INLINE_BYTES"] = saved
