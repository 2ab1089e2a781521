"""The dashboard and the committee report in a real browser: every chart draws with the
pinned plotly.js (the traces the page's JSON describes), no request leaves 127.0.0.1 (the
``page`` fixture fails the test otherwise), the content security policy reports nothing,
axe finds no WCAG 2.2 AA violation, the tables show with JavaScript off, the print
stylesheet hides navigation, and an exempt decision never reaches a school lead."""
from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_axe_violations, sign_in_as
from tracker.clock import today

pytestmark = pytest.mark.browser

MEMBER = "member@example.gov.uk"
WATCH_CSP = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__csp.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""
EXEMPT_TITLE = "Exempt review of a commercial contract"


@pytest.fixture(scope="module", autouse=True)
def exempt_decision(live_server):
    """An exempt decision with a recommendation, added to the live server's demo data."""
    from tracker.extensions import db
    from tracker.models import Decision, DecisionPart, Recommendation

    with live_server.app.app_context():
        decision = Decision(reference="I59999999", title=EXEMPT_TITLE, decision_maker="Cabinet",
                            decided_on=dt.date(2021, 2, 1), exemption="para_3",
                            subject_to_call_in=False)
        part = DecisionPart(decision=decision, label="a", text="Agree the recommendations.",
                            kind="agree_recommendations")
        db.session.add_all([decision, part, Recommendation(
            part=part, source="review", reference="X1", text="Renegotiate the contract.")])
        db.session.commit()
        db.session.remove()


def watched(page):
    """Record CSP violations and console errors from the next page on."""
    page.add_init_script(WATCH_CSP)
    messages: list[str] = []
    page.on("console", lambda m: messages.append(f"{m.type}: {m.text}")
            if m.type in ("error", "warning") else None)
    return messages


def check_charts(page, messages) -> int:
    """Every chart on the page is drawn with the traces its JSON gives; no CSP report."""
    page.wait_for_selector("body[data-charts-drawn]")
    assert page.evaluate("typeof window.Plotly") == "object"
    assert page.evaluate("window.Plotly.version") == "4.1.1"
    drawn = page.evaluate("""() => Array.from(document.querySelectorAll('[data-chart]')).map(el => ({
        id: el.id,
        expected: JSON.parse(document.getElementById(el.dataset.chart).textContent).data.length,
        traces: el.data ? el.data.length : -1,
        svg: el.querySelectorAll('svg.main-svg').length,
        role: el.getAttribute('role')}))""")
    assert drawn, "no chart on the page"
    for chart in drawn:
        assert chart["traces"] == chart["expected"] > 0, chart
        assert chart["svg"] > 0 and chart["role"] == "img", chart
    assert page.evaluate("window.__csp") == []
    assert not [m for m in messages if "Content Security Policy" in m or "Refused" in m]
    return len(drawn)


def test_the_dashboard_draws_every_chart_with_nothing_from_outside(page, live_server):
    messages = watched(page)
    sign_in_as(page, live_server, MEMBER)
    page.goto(f"{live_server}/dashboard")
    expect(page.locator("h1")).to_have_text("Dashboard")
    assert check_charts(page, messages) == 8   # with late actions, ageing over time, implemented against impact
    status = page.locator("#dashboard-status-by-source")
    assert status.evaluate("el => el.layout.barmode") == "stack"
    assert page.locator("a.modebar-btn").count() == 0          # no Plotly logo or mode bar
    assert_no_axe_violations(page)
    page.goto(f"{live_server}/dashboard")
    page.get_by_label("Decision", exact=True).select_option(label="I50035813: Review of peer on peer abuse cases")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("h2").first).to_have_text("Review of peer on peer abuse cases")
    assert check_charts(page, messages) == 8
    assert page.outside_requests == []


@pytest.mark.parametrize("as_at", [dt.date(2020, 11, 26), dt.date(2021, 3, 31), None])
def test_the_committee_report_draws_its_charts_and_prints_without_navigation(
        page, live_server, as_at):
    messages = watched(page)
    sign_in_as(page, live_server, MEMBER)
    day = as_at or today()
    page.goto(f"{live_server}/reports/committee")
    page.get_by_label("Decision", exact=True).select_option(label="I50035813: Review of peer on peer abuse cases")
    page.get_by_label("Day").fill(str(day.day))
    page.get_by_label("Month").fill(str(day.month))
    page.get_by_label("Year").fill(str(day.year))
    page.get_by_role("button", name="Show the report").click()
    expect(page.locator("h1")).to_contain_text(f"as at {day.day} {day:%B %Y}")
    check_charts(page, messages)
    assert_no_axe_violations(page)
    expect(page.get_by_role("button", name="Print this report")).to_be_visible()
    page.emulate_media(media="print")
    for hidden in (".govuk-service-navigation", ".tracker-header", ".govuk-footer",
                   "form.tracker-filter"):
        expect(page.locator(hidden)).to_be_hidden()
    expect(page.get_by_role("heading", name="Review of peer on peer abuse cases")).to_be_visible()
    page.emulate_media(media="screen")
    expect(page.locator(".govuk-service-navigation")).to_be_visible()


def test_with_javascript_off_the_tables_still_show(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
        "http://127.0.0.1") else route.abort())
    try:
        sign_in_as(page, live_server, MEMBER)
        page.goto(f"{live_server}/dashboard")
        expect(page.get_by_role("table", name="Recommendations by source and status")).to_be_visible()
        expect(page.get_by_role("table", name="Overdue actions by owner, most first")).to_be_visible()
        assert page.locator(".js-plotly-plot").count() == 0  # (axe needs script: run above)
    finally:
        context.close()


def test_an_exempt_decision_never_reaches_a_school_lead(page, live_server):
    sign_in_as(page, live_server, "schoollead@example.gov.uk")
    for path in ("/", "/dashboard", "/reports/committee?decision=all"):
        page.goto(f"{live_server}{path}")
        assert EXEMPT_TITLE not in page.content()
        assert "I59999999" not in page.content()
        assert_no_axe_violations(page)
    options = page.locator("#decision option").all_inner_texts()
    assert options == ["All decisions", "I50035813: Review of peer on peer abuse cases"]


def test_staff_see_the_exempt_decision(page, live_server):
    sign_in_as(page, live_server, MEMBER)
    page.goto(f"{live_server}/dashboard")
    assert EXEMPT_TITLE in page.content()
