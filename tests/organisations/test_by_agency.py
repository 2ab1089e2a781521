"""The dashboard, the committee report (page, CSV, Excel) and the late list broken down by
agency: actions counted, complete and overdue for each organisation (the one owning the
action, or its owner's), and an agency filter on the dashboard and the recommendations list."""
from __future__ import annotations

import datetime as dt
import io

import openpyxl

from tests.dashboard.pages import csv_sections, tables
from tests.recommendations.conftest import as_user
from tracker.clock import today


def _late_and_done(make, agencies):  # type: ignore[no-untyped-def]
    """The police's action is overdue; the council officer (of Children's Social Care) has
    finished theirs; the health body's action is on time."""
    police_action = agencies["police_action"]
    police_action.due_on = police_action.current_due_on = today() - dt.timedelta(days=3)
    make.update(agencies["council_action"], status="complete", rag=None)
    agencies["council_action"].status = "complete"
    social_care = make.organisation(name="Children's Social Care", kind="council_service")
    agencies["officer"].organisation = social_care


AGENCY_ROWS = [
    ["Agency", "Actions counted", "Complete", "Share complete", "Overdue"],
    ["Children's Social Care", "1", "1", "100%", "0"],
    ["Northshire Health", "1", "0", "0%", "0"],
    ["Northshire Police", "1", "0", "0%", "1"],
]
CAPTION = "Actions by agency: the organisation owning each action, or its owner's"


def test_the_dashboard_breaks_actions_down_by_agency(client, make, agencies):
    _late_and_done(make, agencies)
    as_user(client, make.user(role="member"))
    page = client.get("/dashboard").get_data(as_text=True)
    assert tables(page)[CAPTION] == AGENCY_ROWS


def test_the_dashboard_filters_by_agency(client, make, agencies):
    elsewhere = make.decision(title="Review of school exclusions")
    make.action(make.recommendation(make.part(elsewhere)), owner_id=agencies["officer"].id)
    as_user(client, make.user(role="member"))
    everything = client.get("/dashboard").get_data(as_text=True)
    assert '<h2 class="govuk-heading-m">All decisions</h2>' in everything
    police = client.get(f"/dashboard?decision=all&agency={agencies['police'].id}").get_data(
        as_text=True)
    assert '<h2 class="govuk-heading-m">Review of information sharing</h2>' in police
    assert tables(police)[CAPTION][1:] == [["Northshire Health", "1", "0", "0%", "0"],
                                           ["Northshire Police", "1", "0", "0%", "0"],
                                           ["No organisation", "1", "0", "0%", "0"]]


def test_the_committee_report_and_its_downloads_have_the_agency_table(client, make, agencies):
    _late_and_done(make, agencies)
    as_user(client, make.user(role="member"))
    decision = agencies["decision"]
    day = today()
    query = f"decision={decision.id}&as_at={day.isoformat()}"
    page = client.get(f"/reports/committee?{query}").get_data(as_text=True)
    assert tables(page)[CAPTION] == AGENCY_ROWS
    sections = csv_sections(client.get(f"/reports/committee.csv?{query}").data)
    ref = decision.reference
    assert sections["Actions by agency"] == [
        ["Decision reference", "Agency", "Actions counted", "Actions complete",
         "Share of actions complete (%)", "Overdue actions"],
        [ref, "Children's Social Care", "1", "1", "100", "0"],
        [ref, "Northshire Health", "1", "0", "0", "0"],
        [ref, "Northshire Police", "1", "0", "0", "1"]]
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/reports/committee.xlsx?{query}").data))
    rows = [list(r) for r in book["By agency"].iter_rows(values_only=True)]
    assert rows[3] == [ref, "Northshire Police", 1, 0, 0, 1]


def test_the_late_list_for_one_agency(client, make, agencies):
    _late_and_done(make, agencies)
    as_user(client, make.user(role="member"))
    police, health = agencies["police"].id, agencies["health"].id
    late = client.get(f"/recommendations?agency={police}&overdue=y").get_data(as_text=True)
    assert "Share referrals within a day." in late and "Health visitors record it." not in late
    none_late = client.get(f"/recommendations?agency={health}&overdue=y").get_data(as_text=True)
    assert "Health visitors record it." not in none_late
    theirs = client.get(f"/recommendations?agency={health}").get_data(as_text=True)
    assert "Health visitors record it." in theirs and "Share referrals" not in theirs


def test_the_report_names_the_organisation_owning_an_action(client, make, agencies):
    as_user(client, make.user(role="member"))
    decision, day = agencies["decision"], today()
    query = f"decision={decision.id}&as_at={day.isoformat()}"
    sections = csv_sections(client.get(f"/reports/committee.csv?{query}").data)
    owners = {row[2]: row[3] for row in sections["Actions"][1:]}
    assert owners == {"Police referral desk": "Northshire Police",
                      "Council referral form": "Olu Owner",
                      "Health visitor audit": "Northshire Health"}
