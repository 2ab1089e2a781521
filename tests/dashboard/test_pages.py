"""Home pages by role, and exempt decisions absent from every output for school leads (home,
dashboard, report, CSV, Excel), present for staff."""
from __future__ import annotations

import datetime as dt
import io

import lxml.html
import openpyxl
import pytest

from tests.conftest import sign_in
from tests.dashboard.pages import tables
from tracker import homepages
from tracker.clock import today


def test_an_officer_sees_actions_overdue_and_due_soon_and_challenges_to_answer(client, make,
                                                                                built):
    olu = built.users["olu"]
    make.action(built.recs["R3"], title="Visit three schools", owner_id=olu.id,
                due_on=today() + dt.timedelta(days=5))
    make.action(built.recs["R3"], title="Write the annual summary", owner_id=olu.id,
                due_on=today() + dt.timedelta(days=40))
    make.challenge(built.recs["R1"], question="Who is trained so far?",
                   asked_by=built.users["member"])
    sign_in(client, olu)
    html = client.get("/").get_data(as_text=True)
    assert "<h1 class=\"govuk-heading-l\">Officer home</h1>" in html
    shown = tables(html)
    assert [row[0] for row in shown["Overdue: 1 action"][1:]] == [
        "Sample school records Record an update on Sample school records"]
    assert [row[0] for row in shown["Due in the next 14 days: 1 action"][1:]] == [
        "Visit three schools Record an update on Visit three schools"]
    assert "Write the annual summary" not in html       # due later than 14 days
    assert "Who is trained so far?" in html and "Answer<span" in html
    assert "Review of cases" in html


def test_an_officers_home_shows_the_first_ten_overdue_and_says_how_many_there_are(
        client, make, built, monkeypatch):
    """An officer owning many overdue actions sees the ten due longest ago, told how many
    there are in all; "My actions" lists every one."""

    olu = built.users["olu"]
    for n in range(12):
        make.action(built.recs["R3"], title=f"Late task {n:02d}", owner_id=olu.id,
                    due_on=today() - dt.timedelta(days=100 - n))
    sign_in(client, olu)
    shown = tables(client.get("/").get_data(as_text=True))
    [caption] = [c for c in shown if c.startswith("Overdue")]
    assert caption == "Overdue: 13 actions, the 10 due longest ago shown"
    assert [row[0].split(" Record")[0] for row in shown[caption][1:]] == [
        "Sample school records"] + [f"Late task {n:02d}" for n in range(9)]
    every = client.get("/my-actions").get_data(as_text=True)
    assert all(f"Late task {n:02d}" in every for n in range(12))
    monkeypatch.setattr(homepages, "HOME_ACTIONS_SHOWN", 20)
    shown = tables(client.get("/").get_data(as_text=True))
    assert len(shown["Overdue: 13 actions"]) == 14   # the header and every one


def test_an_officers_and_a_school_leads_home_list_the_decisions_they_may_see(
        client, make, built, exempt):
    """The plain list of decisions (no overview for these roles): newest first, each with
    its maker, date and reference and the Example tag; a school lead's Open ones only."""
    example = make.decision(title="A worked example", decided_on=dt.date(2019, 1, 2),
                            reference=None, is_example=True)
    make.decision(title="A withdrawn decision", withdrawn_at=dt.datetime(
        2021, 1, 1, tzinfo=dt.timezone.utc))

    def listed(user):
        sign_in(client, user)
        page = lxml.html.fromstring(client.get("/").data)
        client.post_form("/sign-out")
        return [" ".join(li.text_content().split()) for li in page.xpath(
            "//h2[.='Decisions being tracked']/following-sibling::ul[1]/li")]

    officer = listed(built.users["olu"])
    decided = built.decision.decided_on
    assert [line.split(" – ")[0] for line in officer] == [
        "Exempt commercial review", "Review of cases", "A worked example"]
    assert officer[1] == (f"Review of cases – {built.decision.decision_maker}, "
                          f"{decided.day} {decided:%B %Y} (I50000001)")
    assert officer[-1].endswith("2 January 2019 Example")
    lead = listed(make.user(role="school_lead", schools=[built.schools["S1"]]))
    assert [line.split(" – ")[0] for line in lead] == ["Review of cases", "A worked example"]


def test_the_plain_list_of_decisions_shows_the_newest_with_how_many_and_a_link_to_all(
        client, make, built, exempt, monkeypatch):
    """A council with hundreds of decisions: an officer's home lists the newest
    (``HOME_DECISIONS_SHOWN``), says how many there are and links to every one."""
    make.decision(title="A worked example", decided_on=dt.date(2019, 1, 2), reference=None)
    monkeypatch.setattr(homepages, "HOME_DECISIONS_SHOWN", 2)
    sign_in(client, built.users["olu"])
    page = lxml.html.fromstring(client.get("/").data)
    heading = "//h2[.='Decisions being tracked']"
    assert [" ".join(li.text_content().split()).split(" – ")[0] for li in page.xpath(
        heading + "/following-sibling::ul[1]/li")] == ["Exempt commercial review",
                                                       "Review of cases"]
    assert page.xpath(heading + "/following-sibling::p[1]")[0].text_content() == (
        "3 decisions; the 2 newest:")
    [every] = page.xpath(heading + "/following-sibling::p/a[.='All 3 decisions']")
    assert every.get("href") == "/decisions"
    monkeypatch.setattr(homepages, "HOME_DECISIONS_SHOWN", 3)
    page = lxml.html.fromstring(client.get("/").data)
    assert len(page.xpath(heading + "/following-sibling::ul[1]/li")) == 3
    assert not page.xpath("//a[starts-with(., 'All 3 decisions')]")
    assert "newest:" not in page.text_content()


def test_a_member_sees_every_decision_with_progress_challenges_and_responses_due(
        client, make, built, exempt):
    member = built.users["member"]
    make.challenge(built.recs["R1"], question="Who is trained so far?", asked_by=member)
    make.recommendation(source="scrutiny", reference="S7", text="Audit the records.",
                        committee="Children and young people's scrutiny committee",
                        response_due_on=dt.date(2021, 3, 1))
    sign_in(client, member)
    html = client.get("/").get_data(as_text=True)
    assert "Scrutiny committee member home</h1>" in html
    overview = tables(html)["Progress of every decision"]
    assert [row[1:] for row in overview[1:]] == [           # newest first
        ["In progress: Red", "50% 2 of 4", "2", "0"],
        ["In progress: Red", "50% 2 of 4", "2", "1"]]
    assert overview[1][0].startswith("Exempt commercial review (I50000009)")
    assert overview[2][0].startswith("Review of cases (I50000001)")
    # every school in scope counts, those added with the other decision too
    assert "Model guidance, version 1: 25% of schools adopted (2 of 8)" in overview[2][0]
    assert "Who is trained so far?" in html
    due = tables(html)["Scrutiny recommendations awaiting the executive's response, two months "
                       "after the committee's report"]
    assert due[1] == ["Recommendation S7", "Children and young people's scrutiny committee",
                      "1 March 2021 Late"]


def test_an_administrator_sees_sign_offs_due_challenges_responses_and_imports(client, make,
                                                                             built):
    rec = make.recommendation(built.parts["a"], reference="R8", text="Done already.")
    action = make.action(rec, title="Done", due_on=dt.date(2021, 3, 1))
    make.update(action, status="complete", rag=None)
    make.audit_event(action="import", summary="GIAS import of edubasealldata.csv: 3 added",
                     actor_label="admin@example.gov.uk")
    sign_in(client, built.users["admin"])
    html = client.get("/").get_data(as_text=True)
    assert "Administrator home</h1>" in html
    assert "R8</a> (I50000001): every counted action is complete." in html
    assert "Sign off<span class=\"govuk-visually-hidden\"> R8</span>" in html
    assert "GIAS import of edubasealldata.csv: 3 added" in html


def test_the_overview_of_every_decision_comes_a_page_at_a_time_newest_first(
        client, make, built, exempt, monkeypatch):
    """A member's and an administrator's overview: ``OVERVIEW_PER_PAGE`` decisions a page,
    newest first, with GOV.UK pagination; each row the figures the whole overview shows."""
    from tracker import homepages

    for role in ("member", "admin"):
        sign_in(client, built.users[role])
        whole = tables(client.get("/").get_data(as_text=True))["Progress of every decision"]
        monkeypatch.setattr(homepages, "OVERVIEW_PER_PAGE", 1)
        first = client.get("/").get_data(as_text=True)
        second = client.get("/?page=2").get_data(as_text=True)
        beyond = client.get("/?page=7").get_data(as_text=True)
        monkeypatch.undo()
        assert len(whole) == 3                       # the header and two decisions
        assert tables(first)["Progress of every decision"] == whole[:2]
        assert tables(second)["Progress of every decision"] == [whole[0], whole[2]]
        assert tables(beyond)["Progress of every decision"] == [whole[0], whole[2]]
        assert "Decisions 1 to 1 of 2, newest first." in " ".join(first.split())
        assert "govuk-pagination" in first and 'href="/?page=2"' in first
        assert 'rel="next"' not in second and 'href="/?page=1"' in second
        client.post_form("/sign-out")


def test_the_administrator_sees_the_first_sign_offs_and_how_many_with_a_link_to_all(
        client, make, built, exempt, monkeypatch):
    from tracker import homepages

    monkeypatch.setattr(homepages, "SIGN_OFFS_SHOWN", 2)
    for part, reference in ((built.parts["a"], "R8"), (built.parts["a"], "R9"),
                            (exempt.parts["a"], "E9")):
        rec = make.recommendation(part, reference=reference, text="Done already.",
                                  position=9)
        action = make.action(rec, title="Done", due_on=dt.date(2021, 3, 1))
        make.update(action, status="complete", rag=None)
    sign_in(client, built.users["admin"])
    html = " ".join(client.get("/").get_data(as_text=True).split())
    assert "3 recommendations are awaiting sign-off; the first 2, newest decision first" in html
    assert 'href="/recommendations?status=awaiting_sign_off"' in html
    assert "E9</a> (I50000009): every counted action is complete." in html   # the newest
    assert "R8</a> (I50000001)" in html and "R9</a>" not in html


def test_a_school_lead_sees_their_schools_and_what_is_outstanding(client, make, built, exempt):
    lead = make.user(role="school_lead", schools=[built.schools["S1"], built.schools["S2"]])
    sign_in(client, lead)
    html = client.get("/").get_data(as_text=True)
    assert "School lead home</h1>" in html
    rows = tables(html)["Schools you answer for, with their adoption of version 1"]
    assert [row[:2] for row in rows[1:]] == [
        [f"Ash Primary (URN {built.schools['S1'].urn})", "Adopted by the governing body or trust"],
        [f"Beech Primary (URN {built.schools['S2'].urn})", "Under review"]]
    assert rows[1][2] == "Nothing outstanding"
    assert rows[2][2] == "Record adoption for Beech Primary"
    assert "1 of your schools still needs to adopt it." in html
    assert "Review of cases" in html
    assert "Exempt commercial review" not in html and "I50000009" not in html


def _report(client, decision="all", path="/reports/committee", day=None):
    day = day or today()
    return client.get(f"{path}?decision={decision}&as_at={day.isoformat()}")


def test_exempt_decisions_are_absent_from_every_output_for_a_school_lead(
        client, make, built, exempt):
    lead = make.user(role="school_lead", schools=[built.schools["S1"]])
    sign_in(client, lead)
    secret = ("Exempt commercial review", "I50000009")
    outputs = {
        "home": client.get("/").get_data(as_text=True),
        "dashboard": client.get("/dashboard").get_data(as_text=True),
        "report": _report(client).get_data(as_text=True),
        "default report": client.get("/reports/committee").get_data(as_text=True),
        "past report": _report(client, day=dt.date(2021, 1, 31)).get_data(as_text=True),
        "csv": _report(client, path="/reports/committee.csv").data.decode("utf-8-sig"),
        "excel": _workbook_text(_report(client, path="/reports/committee.xlsx").data),
    }
    for name, text in outputs.items():
        assert "Review of cases" in text, name
        for word in secret:
            assert word not in text, f"{word} shown to a school lead in the {name}"
    for path in (f"/dashboard?decision={exempt.decision.id}",
                 f"/reports/committee?decision={exempt.decision.id}"):
        assert client.get(path).status_code == 404
    assert _report(client, exempt.decision.id, "/reports/committee.csv").status_code == 404


@pytest.mark.parametrize("role", ["member", "officer", "admin"])
def test_staff_see_exempt_decisions_on_the_dashboard_and_in_the_report(client, make, built,
                                                                       exempt, role):
    sign_in(client, make.user(role=role))
    assert "Exempt commercial review" in client.get("/dashboard").get_data(as_text=True)
    assert b"I50000009" in _report(client, path="/reports/committee.csv").data


def _workbook_text(data: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return "\n".join(str(cell) for sheet in book.worksheets
                     for row in sheet.iter_rows(values_only=True) for cell in row)


def test_the_report_refuses_a_date_in_the_future_or_not_a_date(client, built):
    sign_in(client, built.users["member"])
    later = today() + dt.timedelta(days=1)
    page = _report(client, built.decision.id, day=later).get_data(as_text=True)
    assert "There is a problem" in page
    assert "The date the report is as at must be today or in the past" in page
    page = client.get(f"/reports/committee?decision={built.decision.id}&as_at=31&as_at=2"
                      "&as_at=2021").get_data(as_text=True)
    assert "Report as at must be a real date, for example 27 3 2021" in page
    download = client.get(f"/reports/committee.csv?decision={built.decision.id}&as_at=31"
                          "&as_at=2&as_at=2021")
    assert download.status_code == 302 and "/reports/committee?" in download.headers["Location"]


def test_a_report_of_all_decisions_names_those_entered_after_its_date(client, make, built):
    make.decision(title="Entered late", reference="I50000003", decided_on=dt.date(2021, 1, 4))
    sign_in(client, built.users["member"])
    html = _report(client, day=dt.date(2021, 1, 31)).get_data(as_text=True)
    assert "Taken by 31 January 2021 but entered in the tracker later" in html
    assert "Entered late (I50000003)" in html
    assert html.count('class="tracker-report-decision') == 1


def test_formula_like_text_is_neutralised_in_both_downloads(client, built, db_session):
    built.recs["R1"].text = "=HYPERLINK(\"http://example.com\")"
    built.recs["R2"].text = "@SUM(A1)"
    db_session.flush()
    sign_in(client, built.users["member"])
    day = dt.date(2021, 1, 31)
    text = _report(client, built.decision.id, "/reports/committee.csv", day).data.decode()
    assert ",\"'=HYPERLINK(\"\"http://example.com\"\")\"," in text
    assert ",'@SUM(A1)," in text
    book = openpyxl.load_workbook(io.BytesIO(
        _report(client, built.decision.id, "/reports/committee.xlsx", day).data))
    cells = [c for row in book["Recommendations"].iter_rows() for c in row]
    texts = {c.value for c in cells}
    assert "'=HYPERLINK(\"http://example.com\")" in texts and "'@SUM(A1)" in texts
    assert not any(c.data_type == "f" for c in cells)


def test_guidance_approved_under_an_exempt_decision_is_not_shown_to_a_school_lead(
        client, make, db_session):
    from tests.dashboard.conftest import build

    secret = build(make, db_session, exemption="para_3", title="Exempt commercial review")
    lead = make.user(role="school_lead", schools=[secret.schools["S2"]])
    sign_in(client, lead)
    html = client.get("/").get_data(as_text=True)
    rows = tables(html)["Schools you answer for"]
    assert rows[1] == [f"Beech Primary (URN {secret.schools['S2'].urn})", "No guidance to adopt"]
    assert "Model guidance" not in html and "Under review" not in html
    assert "Exempt commercial review" not in html
