"""On one built data set (tests/dashboard/conftest.py), each chart's figures, the table beside
it, the report and its CSV and Excel downloads agree, with the figures written as literals."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile

import openpyxl
import sqlalchemy as sa

from tests.conftest import sign_in
from tests.dashboard.conftest import AS_AT
from tests.dashboard.pages import charts, csv_sections, tables, traces
from tracker.models import AuditEvent


def report_url(built, path="/reports/committee", decision=None, as_at=AS_AT):
    decision = built.decision.id if decision is None else decision
    return f"{path}?decision={decision}&as_at={as_at.isoformat()}"


def test_the_report_as_at_a_past_date_shows_the_figures_of_that_day(client, built):
    sign_in(client, built.users["member"])
    page = client.get(report_url(built))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Committee progress report <span class=\"tracker-nowrap\">as at 31 January 2021" in html
    found, shown = charts(html), tables(html)
    prefix = f"decision-{built.decision.id}"

    status = found[f"{prefix}-status-by-source"]
    assert status["layout"]["barmode"] == "stack"
    assert status["data"][0]["x"] == ["Review", "Scrutiny", "Referral"]
    assert traces(status) == {
        "In progress: Red": [1, 0, 0], "In progress: Grey": [0, 1, 0],
        "No actions yet": [0, 0, 1], "Awaiting sign-off": [1, 0, 0], "Not accepted": [0, 1, 0]}
    assert shown["Recommendations by source and status"] == [
        ["Source", "In progress: Red", "In progress: Grey", "No actions yet",
         "Awaiting sign-off", "Not accepted", "Counted in totals"],
        ["Review", "1", "0", "0", "1", "0", "2"],
        ["Scrutiny", "0", "1", "0", "0", "1", "1"],
        ["Referral", "0", "0", "1", "0", "0", "1"]]

    weekly = found[f"{prefix}-progress-by-week"]["data"]
    assert len(weekly) == 1
    assert weekly[0]["x"] == ["2021-01-10", "2021-01-17", "2021-01-24", "2021-01-31"]
    assert weekly[0]["y"] == [0, 0, 25, 25]
    assert weekly[0]["customdata"] == [[0, 4], [0, 4], [1, 4], [1, 4]]
    assert shown["Actions complete as at the end of each week, latest first"] == [
        ["Week ending", "Actions complete", "Actions counted", "Share"],
        ["31 January 2021", "1", "4", "25%"], ["24 January 2021", "1", "4", "25%"],
        ["17 January 2021", "0", "4", "0%"], ["10 January 2021", "0", "4", "0%"]]

    adoption = found[f"{prefix}-adoption-by-week"]["data"]
    assert [trace["name"] for trace in adoption] == ["Model guidance, version 1"]
    assert adoption[0]["y"] == [0, 0, 25, 25]
    assert shown["Model guidance, version 1: schools adopted as at the end of each week, "
                 "latest first"][1:] == [
        ["31 January 2021", "1", "4", "25%"], ["24 January 2021", "1", "4", "25%"],
        ["17 January 2021", "0", "4", "0%"], ["10 January 2021", "0", "4", "0%"]]

    phases = found[f"{prefix}-adoption-by-phase-1"]
    assert phases["data"][0]["y"] == ["Primary", "Secondary"]
    assert traces(phases, "x") == {"Adopted by the governing body or trust": [1, 0],
                                   "Under review": [1, 0], "Not started": [0, 2]}
    assert shown["Schools in scope and open, by phase and adoption status"] == [
        ["Phase", "Adopted by the governing body or trust", "Under review", "Not started",
         "Schools", "Adopted", "Share adopted"],
        ["Primary", "1", "1", "0", "2", "1", "50%"],
        ["Secondary", "0", "0", "2", "2", "0", "0%"],
        ["All phases", "1", "1", "2", "4", "1", "25%"]]

    overdue = found[f"{prefix}-overdue-by-owner"]["data"]
    assert (overdue[0]["y"], overdue[0]["x"]) == (["Priya Patel"], [1])
    assert shown["Overdue actions by owner, most first"] == [
        ["Owner", "Overdue actions"], ["Priya Patel", "1"]]

    part_a = shown["Recommendations under part (a): 2 counted, 33% of their actions complete"]
    assert part_a == [
        ["Recommendation", "Status", "Owner and due date", "Latest update"],
        ["R1 (Review) Train every designated safeguarding lead.",
         "In progress: Red 0 of 2 actions complete (0%); 1 overdue",
         "Olu Officer Due 28 February 2021",
         "12 January 2021, Write the course (in progress): First draft written."],
        ["R2 (Review) Publish the referral pathway.",
         "Awaiting sign-off 1 of 1 actions complete (100%)",
         "Priya Patel Due 30 June 2021",
         "20 January 2021, Publish the pathway (complete): Pathway published on the website."]]
    responses = shown["Each scrutiny recommendation with the executive's response as recorded "
                      "by 31 January 2021"]
    assert [row[1] for row in responses[1:]] == [
        "Accepted Agreed: a review by June.",
        "Not accepted Not this year. Reason: No budget in 2021."]
    assert "25% of schools adopted (1 of 4)" in html
    assert "Training delivered." not in html      # recorded on 10 February: after the date


def test_csv_and_excel_hold_the_figures_of_the_page(client, built):
    sign_in(client, built.users["member"])
    csv_data = client.get(report_url(built, "/reports/committee.csv"))
    assert csv_data.status_code == 200
    assert csv_data.headers["Content-Disposition"] == (
        'attachment; filename="committee-report-i50000001-as-at-2021-01-31.csv"; '
        "filename*=UTF-8''committee-report-i50000001-as-at-2021-01-31.csv")
    sections = csv_sections(csv_data.data)
    assert sections["Decisions"] == [
        ["Decision reference", "Decision", "Decision maker", "Date of decision", "Exemption",
         "Status", "Recommendations counted", "Not accepted", "Actions complete",
         "Actions counted", "Share of actions complete (%)", "Overdue actions"],
        ["I50000001", "Review of cases", "Cabinet", "2021-01-04", "Open", "In progress: Red",
         "4", "1", "1", "4", "25", "1"]]
    assert sections["Recommendation status by source"][1:] == [
        ["I50000001", "Review", "In progress: Red", "1"],
        ["I50000001", "Review", "In progress: Grey", "0"],
        ["I50000001", "Review", "No actions yet", "0"],
        ["I50000001", "Review", "Awaiting sign-off", "1"],
        ["I50000001", "Review", "Not accepted", "0"],
        ["I50000001", "Scrutiny", "In progress: Red", "0"],
        ["I50000001", "Scrutiny", "In progress: Grey", "1"],
        ["I50000001", "Scrutiny", "No actions yet", "0"],
        ["I50000001", "Scrutiny", "Awaiting sign-off", "0"],
        ["I50000001", "Scrutiny", "Not accepted", "1"],
        ["I50000001", "Referral", "In progress: Red", "0"],
        ["I50000001", "Referral", "In progress: Grey", "0"],
        ["I50000001", "Referral", "No actions yet", "1"],
        ["I50000001", "Referral", "Awaiting sign-off", "0"],
        ["I50000001", "Referral", "Not accepted", "0"]]
    assert sections["Share of actions complete by week"][1:] == [
        ["I50000001", "2021-01-10", "0", "4", "0"], ["I50000001", "2021-01-17", "0", "4", "0"],
        ["I50000001", "2021-01-24", "1", "4", "25"], ["I50000001", "2021-01-31", "1", "4", "25"]]
    assert sections["Guidance adoption by week"][-1] == [
        "I50000001", "Model guidance, version 1", "2021-01-31", "1", "4", "25"]
    assert sections["Guidance adoption by phase"][1:] == [
        ["I50000001", "Model guidance, version 1", "Primary", "2", "0", "1", "1", "0", "0", "0",
         "1", "50"],
        ["I50000001", "Model guidance, version 1", "Secondary", "2", "2", "0", "0", "0", "0",
         "0", "0", "0"],
        ["I50000001", "Model guidance, version 1", "All phases", "4", "2", "1", "1", "0", "0",
         "0", "1", "25"]]
    assert sections["Overdue actions by owner"][1:] == [["I50000001", "Priya Patel", "1"]]
    assert sections["Decision parts"][1][4:9] == ["In progress: Red", "2", "1", "3", "33"]
    assert sections["Decision parts"][3][9] == "25% of schools adopted (1 of 4)"
    assert [row[2] for row in sections["Recommendations"][1:]] == ["R1", "R2", "S1", "S2", "F1"]
    assert sections["Recommendations"][1][5:] == [
        "In progress: Red", "0", "2", "0", "1", "Olu Officer", "2021-02-28", "2021-01-12",
        "First draft written."]
    assert sections["Actions"][1:3] == [
        ["I50000001", "R1", "Book the training", "Olu Officer", "2021-02-28", "2021-02-28",
         "In progress", "Green", "No", "2021-01-10"],
        ["I50000001", "R1", "Write the course", "Priya Patel", "2021-01-25", "2021-01-25",
         "In progress", "Overdue", "Yes", "2021-01-12"]]

    excel = client.get(report_url(built, "/reports/committee.xlsx"))
    assert excel.status_code == 200
    assert excel.mimetype == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    book = openpyxl.load_workbook(io.BytesIO(excel.data))
    assert len(book.sheetnames) == len(sections)
    for sheet, (title, rows) in zip(book.worksheets, sections.items()):
        assert [[_text(v) for v in row] for row in sheet.iter_rows(values_only=True)] == rows, title
    assert sections["Share of actions complete by week"][0][-1] == "Share (%)"
    numbers = [cell for cell in sheet_by(book, "Decisions")[1][10:11]]
    assert numbers == [25]          # a number in the workbook, not the text "25%"

    bundle = client.get(report_url(built, "/reports/committee.zip"))
    assert bundle.status_code == 200 and bundle.mimetype == "application/zip"
    assert bundle.headers["Content-Disposition"].startswith(
        'attachment; filename="committee-report-i50000001-as-at-2021-01-31.zip"')
    with zipfile.ZipFile(io.BytesIO(bundle.data)) as archive:
        names = archive.namelist()
        files = {name: archive.read(name) for name in names}
    folder = "committee-report-i50000001-as-at-2021-01-31/"
    assert names[:3] == [f"{folder}01-report.csv", f"{folder}02-decisions.csv",
                         f"{folder}03-parts.csv"]
    assert len(names) == len(sections)
    for name, (title, rows) in zip(names, sections.items()):
        data = files[name]
        assert data.startswith(b"\xef\xbb\xbf"), name
        assert list(csv.reader(io.StringIO(data.decode("utf-8-sig")))) == rows, title
    again = client.get(report_url(built, "/reports/committee.zip"))
    assert again.data == bundle.data    # the same report, the same zip byte for byte

    events = list(_exports())
    assert [e.summary for e in events] == [
        "Committee report for I50000001 as at 2021-01-31 downloaded as CSV",
        "Committee report for I50000001 as at 2021-01-31 downloaded as Excel",
        "Committee report for I50000001 as at 2021-01-31 downloaded as a zip of one CSV per "
        "section",
        "Committee report for I50000001 as at 2021-01-31 downloaded as a zip of one CSV per "
        "section"]
    assert {e.actor_label for e in events} == {built.users["member"].email}


def sheet_by(book, name):
    return [list(row) for row in book[name].iter_rows(values_only=True)]


def _exports():
    from tracker.extensions import db
    return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "export")
                              .order_by(AuditEvent.id))


def _text(value):
    """A workbook cell as the CSV writes it."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value)


def test_the_dashboard_shows_todays_figures_in_charts_and_tables(client, built):
    sign_in(client, built.users["member"])
    html = client.get(f"/dashboard?decision={built.decision.id}").get_data(as_text=True)
    found, shown = charts(html), tables(html)
    status = found["dashboard-status-by-source"]
    assert traces(status) == {"In progress: Red": [1, 1, 0], "No actions yet": [0, 0, 1],
                              "Complete": [1, 0, 0], "Not accepted": [0, 1, 0]}
    assert shown["Recommendations by source and status"][1:] == [
        ["Review", "1", "0", "1", "0", "2"], ["Scrutiny", "1", "0", "0", "1", "1"],
        ["Referral", "0", "1", "0", "0", "1"]]
    weekly = found["dashboard-progress-by-week"]["data"][0]
    assert weekly["x"][:4] == ["2021-01-10", "2021-01-17", "2021-01-24", "2021-01-31"]
    assert weekly["y"][:6] == [0, 0, 25, 25, 25, 50]      # A1 complete on 10 February
    assert weekly["y"][-1] == 50 and weekly["customdata"][-1] == [2, 4]
    rows = shown["Actions complete as at the end of each week, latest first: the latest 13 "
                 "weeks (every week is in the CSV and Excel downloads)"]   # printed: 13 weeks
    assert len(rows) == len(weekly["x"]) + 1 and rows[1][1:] == ["2", "4", "50%"]
    adoption = found["dashboard-adoption-by-week"]["data"][0]
    assert adoption["y"][:6] == [0, 0, 25, 25, 50, 50] and adoption["y"][-1] == 50
    assert shown["Schools in scope and open, by phase and adoption status"][1:] == [
        ["Primary", "1", "0", "1", "0", "2", "1", "50%"],
        ["Secondary", "0", "1", "0", "1", "2", "1", "50%"],
        ["All phases", "1", "1", "1", "1", "4", "2", "50%"]]
    overdue = found["dashboard-overdue-by-owner"]["data"][0]
    assert (overdue["y"], overdue["x"]) == (["Olu Officer", "Priya Patel"], [1, 1])
    assert shown["Overdue actions by owner, most first"][1:] == [
        ["Olu Officer", "1"], ["Priya Patel", "1"]]
    assert "50% (2 of 4)" in html and "50% of schools adopted (2 of 4)" in html


def test_the_figure_json_asks_plotly_for_nothing_from_the_network(client, built):
    sign_in(client, built.users["member"])
    html = client.get("/dashboard").get_data(as_text=True)
    assert "cdn.plot.ly" not in html and "https://" not in html.split("<main", 1)[1]
    # our own copies, under fingerprinted names (tracker.static_files)
    assert re.search(r'<script src="/static/vendor/plotly/plotly-basic-4\.1\.1\.min\.'
                     r'[0-9a-f]{12}\.js"></script>', html)
    assert re.search(r'<script src="/static/js/charts\.[0-9a-f]{12}\.js"></script>', html)
    # the only script blocks in the page body are data blocks (never executed)
    inline = [s for s in html.split("<script")[1:] if not s.lstrip().startswith(("src=", "type"))]
    assert inline == []
    assert all(s.lstrip().startswith('type="application/json"') or "src=" in s.split(">")[0]
               for s in html.split("<script")[1:])
