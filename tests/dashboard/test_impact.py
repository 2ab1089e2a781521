"""Implemented and impact evidenced, shown apart on the dashboard, the committee report (page,
CSV, Excel) and the open data, on the demo data (one recommendation signed off in September
2021, its impact review confirmed in April 2022; SC1's timetable "By April 2021" passed)."""
from __future__ import annotations

import io

import openpyxl
import pytest

from tests.conftest import sign_in
from tests.dashboard.pages import charts, csv_sections, tables, traces
from tests.messages.pages import text_by_id
from tracker.demo import DEMO_PASSWORD, load_demo
from tracker.models import Decision, User

CAPTION = "Implemented and impact evidenced, with every other way recommendations closed"
HEADER = ["Recommendations counted", "Implemented (signed off)", "Impact review due",
          "Impact evidenced", "Closed not implemented (risk accepted)", "Superseded",
          "Withdrawn", "Late scrutiny recommendations"]


@pytest.fixture()
def demo(client, db_session):
    load_demo()
    member = db_session.query(User).filter_by(email="member@example.gov.uk").one()
    sign_in(client, member, password=DEMO_PASSWORD)
    return db_session.query(Decision).filter_by(reference="I50035813").one()


def test_the_dashboard_shows_implemented_and_impact_evidenced_apart(client, demo):
    html = client.get(f"/dashboard?decision={demo.id}").get_data(as_text=True)
    assert tables(html)[CAPTION] == [HEADER, ["8", "1", "0", "1", "0", "0", "0", "1"]]
    assert "1 signed off as complete" in html and "1 with a confirmed impact review" in html


@pytest.mark.parametrize(("as_at", "row"), [
    ((30, 9, 2021), ["8", "1", "0", "0", "0", "0", "0", "1"]),   # implemented, review not due
    ((31, 3, 2022), ["8", "1", "1", "0", "0", "0", "0", "1"]),   # review due, not yet done
    ((30, 4, 2022), ["8", "1", "0", "1", "0", "0", "0", "1"]),   # confirmed: impact evidenced
])
def test_the_report_page_csv_and_excel_agree_as_at_each_date(client, demo, as_at, row):
    day, month, year = as_at
    query = f"?decision={demo.id}&as_at={year}-{month:02}-{day:02}"
    html = client.get(f"/reports/committee{query}").get_data(as_text=True)
    assert tables(html)[CAPTION] == [HEADER, row]
    sections = csv_sections(client.get(f"/reports/committee.csv{query}").data)
    assert sections["Implemented and impact evidenced"] == [
        ["Decision reference", *HEADER], ["I50035813", *row]]
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/reports/committee.xlsx{query}").data))
    sheet = [[str(v) for v in r] for r in book["Impact"].iter_rows(values_only=True)]
    assert sheet == [["Decision reference", *HEADER], ["I50035813", *row]]


CHARTED = ["Implemented (signed off)", "Impact review due", "Impact evidenced"]


def _charted_as_in_table(html: str, chart_id: str) -> dict[str, list[int]]:
    """The chart's bars by name, checked against the cells of the table beside it."""
    header, row = tables(html)[CAPTION]
    bars = traces(charts(html)[chart_id])
    assert list(bars) == CHARTED
    assert bars == {name: [int(row[header.index(name)])] for name in CHARTED}
    return bars


def test_the_dashboard_charts_implemented_against_impact_evidenced(client, demo):
    html = client.get(f"/dashboard?decision={demo.id}").get_data(as_text=True)
    assert _charted_as_in_table(html, "dashboard-implemented-and-impact") == {
        "Implemented (signed off)": [1], "Impact review due": [0], "Impact evidenced": [1]}
    assert "<h2 class=\"govuk-heading-m tracker-chart__caption\">Implemented against impact " \
           "evidenced</h2>" in html


@pytest.mark.parametrize(("as_at", "bars"), [
    ("2021-09-30", [1, 0, 0]), ("2022-03-31", [1, 1, 0]), ("2022-04-30", [1, 0, 1])])
def test_the_report_charts_implemented_against_impact_evidenced_as_at_each_date(
        client, demo, as_at, bars):
    html = client.get(f"/reports/committee?decision={demo.id}&as_at={as_at}").get_data(
        as_text=True)
    assert _charted_as_in_table(html, f"decision-{demo.id}-implemented-and-impact") == {
        name: [n] for name, n in zip(CHARTED, bars, strict=True)}


def test_the_recommendation_page_shows_implemented_and_impact_apart(client, demo, db_session):
    from tracker.models import Recommendation

    rec = db_session.query(Recommendation).filter_by(reference="3.1").one()
    html = client.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    assert text_by_id(html, "implemented") == "Yes: signed off 15 September 2021"
    assert text_by_id(html, "impact") == "Impact evidenced"
    assert text_by_id(html, "review-on") == "15 March 2022"
    late = db_session.query(Recommendation).filter_by(reference="SC1").one()
    html = client.get(f"/recommendations/{late.id}").get_data(as_text=True)
    assert text_by_id(html, "timetable") == "30 April 2021 Late"


def test_open_data_gives_implemented_and_impact_evidenced_apart(app, client, demo):
    app.config["OPEN_DATA_ENABLED"] = True
    try:
        body = client.get("/api/decisions").json
    finally:
        app.config["OPEN_DATA_ENABLED"] = False
    found = {d["reference"]: d for d in body["decisions"]}["I50035813"]["recommendations"]
    assert {k: found[k] for k in ("counted", "complete", "implemented", "impact_review_due",
                                  "impact_evidenced", "closed_not_implemented", "superseded",
                                  "withdrawn", "late")} == {
        "counted": 8, "complete": 1, "implemented": 1, "impact_review_due": 0,
        "impact_evidenced": 1, "closed_not_implemented": 0, "superseded": 0, "withdrawn": 0,
        "late": 1}


def test_the_decision_page_shows_each_parts_implemented_and_impact_evidenced(client, demo):
    html = client.get(f"/decisions/{demo.id}").get_data(as_text=True)
    parts = {p.label: p.id for p in demo.parts}
    assert text_by_id(html, f"part-impact-{parts['a']}") == (
        "Implemented (signed off): 1; impact evidenced: 1.")
    assert text_by_id(html, f"part-impact-{parts['b']}") == (
        "Implemented (signed off): 0; impact evidenced: 0; late against the executive's "
        "timetable: 1.")


def test_a_recommendation_closed_another_way_is_on_its_own_line_of_the_status_chart(
        client, demo, db_session):
    from tracker.clock import today
    from tracker.models import Recommendation
    from tracker.recommendations import closing

    admin = db_session.query(User).filter_by(email="admin@example.gov.uk").one()
    rec = db_session.query(Recommendation).filter_by(reference="3.5").one()
    closing.close(admin, rec, "risk_accepted", reason="No budget this year.", meeting=None,
                  minute=None, superseded_by_id=None, risk_accepted_by="Director",
                  today=today())
    html = client.get(f"/dashboard?decision={demo.id}").get_data(as_text=True)
    shown = tables(html)
    status = shown["Recommendations by source and status"]
    column = status[0].index("Closed: not implemented, risk accepted")
    assert [row[column] for row in status[1:]] == ["1", "0", "0"]  # review, scrutiny, referral
    assert shown[CAPTION] == [HEADER, ["7", "1", "0", "1", "1", "0", "0", "1"]]
