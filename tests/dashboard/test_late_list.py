"""The late list on the committee report (page, CSV, Excel), the dashboard and the decision
page: every late action on its own line with ITS latest update and RAG reason, most days late
first; a late action is never hidden behind a sibling's later update. Literal figures of the
built decision (tests/dashboard/conftest.py) with one slipping action added."""
from __future__ import annotations

import datetime as dt
import io
import re

import pytest

from tests.conftest import sign_in
from tests.dashboard.conftest import D, at, six_late_actions
from tests.dashboard.pages import charts, tables
from tracker.clock import today
from tracker.dashboard import today_actions

PAST = "as_at=2021-03-15"   # 15 March 2021
LATE_CAPTION = "Every late action as at 15 March 2021, most days late first"
HEADER = ["Action", "Owner and service", "Due date", "Days late",
          "Latest update and RAG reason"]


@pytest.fixture()
def slipping(built, make, db_session):
    """A2 ("Write the course", due 25 January) slips to 28 February, red, with a reason;
    its sibling A1 is completed later (10 February), so R1's latest update is A1's."""
    built.recs["R1"].lead_service = "Children's social care"
    make.update(built.actions["A2"], status="in_progress", rag="red",
                reason="The trainer is off sick.", revised_due_on=D(2021, 2, 28),
                revised_due_reason="Trainer off sick.", narrative="Second draft started.",
                recorded_at=at(D(2021, 2, 1)))
    db_session.flush()
    return built


def test_the_report_lists_each_late_action_with_its_own_update(client, slipping):
    sign_in(client, slipping.users["member"])
    html = client.get(f"/reports/committee?decision={slipping.decision.id}&{PAST}"
                      ).get_data(as_text=True)
    shown = tables(html)
    assert shown[LATE_CAPTION] == [HEADER, [
        "R1 Write the course", "Priya Patel Children's social care",
        "Revised: 28 February 2021 Original: 25 January 2021", "15",
        "1 February 2021: Second draft started. RAG reason: The trainer is off sick."]]
    # R1's row: its latest update is the sibling's, and the late action is listed on its own
    part_a = shown["Recommendations under part (a): 2 counted, 67% of their actions complete"]
    assert part_a[1][3] == (
        "10 February 2021, Book the training (complete): Training delivered. "
        "Late: Write the course, due 28 February 2021; its latest update 1 February 2021: "
        "Second draft started.")
    late = charts(html)[f"decision-{slipping.decision.id}-late-by-days"]["data"][0]
    assert (late["y"], late["x"]) == (["1. R1: Write the course"], [15])


def test_the_late_list_is_sorted_by_days_late(client, slipping):
    sign_in(client, slipping.users["member"])
    html = client.get(f"/reports/committee?decision={slipping.decision.id}"
                      "&as_at=2022-01-10").get_data(as_text=True)
    rows = tables(html)["Every late action as at 10 January 2022, most days late first"]
    assert [(row[0], row[3]) for row in rows[1:]] == [
        ("R1 Write the course", "316"), ("S1 Sample school records", "10")]


def test_the_csv_and_excel_have_the_late_list_and_ageing(client, slipping):
    from openpyxl import load_workbook

    sign_in(client, slipping.users["member"])
    query = f"decision={slipping.decision.id}&{PAST}"
    text = client.get(f"/reports/committee.csv?{query}").data.decode("utf-8-sig")
    late = text.split("Late actions\r\n", 1)[1].split("\r\n\r\n", 1)[0].split("\r\n")
    assert late == [
        "Decision reference,Recommendation,Action,Owner,Service,Original due date,"
        "Revised due date,Days late,Latest update on,Latest update,RAG reason",
        "I50000001,R1,Write the course,Priya Patel,Children's social care,2021-01-25,"
        "2021-02-28,15,2021-02-01,Second draft started.,The trainer is off sick."]
    ageing = text.split("Ageing by month\r\n", 1)[1].split("\r\n\r\n", 1)[0].split("\r\n")
    assert ageing[1:] == [
        # A3 complete on 20 January (14 days); A1 on 10 February (35 days); both by their
        # original due dates; R2 awaits sign-off until 1 March; R4 was not accepted
        "I50000001,2021-01-31,3,0,0,0,4,0,0,0,1,14 days,1,100",
        "I50000001,2021-02-28,2,0,0,0,4,0,0,0,2,25 days,2,100",
        "I50000001,2021-03-15,2,0,0,0,3,0,0,0,2,25 days,2,100"]
    book = load_workbook(io.BytesIO(client.get(f"/reports/committee.xlsx?{query}").data))
    sheet = [list(row) for row in book["Late actions"].iter_rows(values_only=True)]
    assert sheet[1][:3] == ["I50000001", "R1", "Write the course"]
    assert sheet[1][7] == 15


def test_the_dashboard_and_the_decision_page_list_todays_late_actions(client, slipping):
    sign_in(client, slipping.users["member"])
    day = today()
    html = client.get("/dashboard").get_data(as_text=True)
    rows = tables(html)[f"Every late action as at {day.day} {day:%B %Y}, most days late first"]
    assert [(row[0], row[3]) for row in rows[1:]] == [
        ("R1 Write the course", str((day - D(2021, 2, 28)).days)),
        ("S1 Sample school records", str((day - D(2021, 12, 31)).days))]
    page = client.get(f"/decisions/{slipping.decision.id}").get_data(as_text=True)
    shown = tables(page)[f"Every late action as at {day.day} {day:%B %Y}, most days late first"]
    assert [row[0] for row in shown[1:]] == ["R1 Write the course", "S1 Sample school records"]


def test_a_late_list_shows_only_decisions_the_user_may_see(client, make, exempt):
    lead = make.user(role="school_lead", name="Sam Lead")
    sign_in(client, lead)
    html = client.get("/dashboard").get_data(as_text=True)
    assert "Write the course" in html            # the open decision's late action
    assert "I50000009" not in html               # the exempt decision's are not shown


def test_the_decision_pages_late_list_is_the_reports_line_for_line(client, slipping, make,
                                                                   db_session):
    """The decision page reads its late list a page at a time from the figures kept on each
    action (dashboard.today_actions.late_page); every column is the committee report's for
    today, an action owned by an organisation and one with no owner included."""
    agency = make.organisation(name="Police")
    slipping.actions["A2"].owner_id = None
    slipping.actions["A2"].owner_organisation_id = agency.id
    db_session.flush()
    sign_in(client, slipping.users["member"])
    day = today()
    caption = f"Every late action as at {day.day} {day:%B %Y}, most days late first"
    page = tables(client.get(f"/decisions/{slipping.decision.id}").get_data(as_text=True))
    report = tables(client.get(f"/reports/committee?decision={slipping.decision.id}")
                    .get_data(as_text=True))
    assert page[caption] == report[caption]
    assert page[caption][1][1].startswith("Police")


def test_the_decision_pages_late_list_is_paged_and_its_pages_are_the_reports_list(
        client, built, make, db_session, monkeypatch):
    """Three lines a page: the count and the lines shown are stated, the pages link to each
    other landing on the list's heading, a page past the last shows the last, and the pages
    one after another are the committee report's late list for today, line for line."""
    monkeypatch.setattr(today_actions, "LATE_PER_PAGE", 3)
    day = today()
    six_late_actions(make, built.recs["R5"], day)   # two each due 30, 20 and 10 days ago
    db_session.flush()
    sign_in(client, built.users["member"])
    when = f"{day.day} {day:%B %Y}"
    path = f"/decisions/{built.decision.id}"
    report = tables(client.get(f"/reports/committee?decision={built.decision.id}")
                    .get_data(as_text=True))[f"Every late action as at {when}, most days late first"]
    assert len(report) == 1 + 8     # A2, A4 and the six above
    shown = [report[0]]
    for page, (first, last) in enumerate(((1, 3), (4, 6), (7, 8)), start=1):
        html = client.get(f"{path}?late_page={page}").get_data(as_text=True)
        assert re.search(rf'data-late-count="8">8 actions late as at {when}, most days late '
                         rf'first, 3 to a page: these are {first} to {last}\.', html)
        rows = tables(html)[f"Late actions {first} to {last} of 8 as at {when}, most days "
                            "late first"]
        assert rows[0] == report[0]
        shown += rows[1:]
        assert '<h2 class="govuk-heading-m" id="late-actions">' in html
        for other in {1, 2, 3} - {page}:
            assert f'href="{path}?late_page={other}#late-actions"' in html
    assert shown == report
    last = client.get(f"{path}?late_page=99").get_data(as_text=True)
    assert tables(last)[f"Late actions 7 to 8 of 8 as at {when}, most days late first"] == \
        [report[0], *report[7:]]
