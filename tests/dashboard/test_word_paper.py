"""The committee paper in Word: opened with python-docx, its tables hold the same figures as
the CSV for the same date; it has a cover, header rows repeated on each page, the council's
name and dates in the page header and footer, page numbers, and charts as images where the
server can draw them."""
from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from tests.conftest import sign_in
from tests.dashboard.conftest import D, at
from tracker.clock import today
from tracker.demo import DEMO_PASSWORD, load_demo
from tracker.models import Decision, User

PAST = "as_at=2021-03-15"


def _csv_sections(data: bytes) -> dict[str, list[list[str]]]:
    sections: dict[str, list[list[str]]] = {}
    for block in data.decode("utf-8-sig").split("\r\n\r\n"):
        rows = list(csv.reader(io.StringIO(block)))
        if rows and rows[0]:
            sections[rows[0][0]] = rows[1:]
    return sections


def _tables(document: Document) -> list[list[list[str]]]:
    return [[[cell.text for cell in row.cells] for row in table.rows]
            for table in document.tables]


@pytest.fixture()
def slipping(built, make, db_session):
    make.update(built.actions["A2"], status="in_progress", rag="red",
                reason="The trainer is off sick.", revised_due_on=D(2021, 2, 28),
                revised_due_reason="Trainer off sick.", narrative="Second draft started.",
                recorded_at=at(D(2021, 2, 1)))
    make.update_round([built.decision], committee="Children's scrutiny committee",
                      meeting_on=D(2021, 3, 22), due_on=D(2021, 3, 8))
    db_session.flush()
    return built


def test_the_word_paper_holds_the_csvs_figures(client, slipping):
    sign_in(client, slipping.users["member"])
    query = f"decision={slipping.decision.id}&{PAST}"
    paper = client.get(f"/reports/committee.docx?{query}")
    assert paper.status_code == 200
    assert paper.mimetype == ("application/vnd.openxmlformats-officedocument."
                              "wordprocessingml.document")
    document = Document(io.BytesIO(paper.data))
    found = _tables(document)
    csv_sections = _csv_sections(client.get(f"/reports/committee.csv?{query}").data)

    decisions = csv_sections["Decisions"]
    assert decisions in found                       # the summary: every column, every row
    closing = csv_sections["Implemented and impact evidenced"]
    assert closing in found                         # implemented and impact evidenced apart
    assert closing[0][2:5] == ["Implemented (signed off)", "Impact review due",
                               "Impact evidenced"]
    late = csv_sections["Late actions"]
    assert late in found
    assert late[1][:8] == ["I50000001", "R1", "Write the course", "Priya Patel", "",
                           "2021-01-25", "2021-02-28", "15"]
    phases = csv_sections["Guidance adoption by phase"]
    assert phases in found
    responses = csv_sections["Executive response to the scrutiny committee's recommendations"]
    keep = [0, 1, 2, 3, 4, 6, 7, 8, 9, 11]          # the paper leaves out two long columns
    assert [[row[i] for i in keep] for row in responses] in found
    recs = csv_sections["Recommendations"]
    part_a = [row[2:] for row in recs[1:] if row[1] == "a"]
    assert [recs[0][2:], *part_a] in found          # each part's table
    assert part_a[0][:4] == ["R1", "Review", "Train every designated safeguarding lead.",
                             "In progress: Red"]

    text = "\n".join(p.text for p in document.paragraphs)
    assert "Committee: Children's scrutiny committee" in text
    assert "Meeting: 22 March 2021" in text
    assert "As at: 15 March 2021" in text
    section = document.sections[0]
    assert section.header.paragraphs[0].text == (
        "Herefordshire Council \u2014 Committee progress report as at 15 March 2021")
    day = today()
    footer = section.footer.paragraphs[0]
    assert footer.text.startswith(f"As at 15 March 2021. Printed {day.day} {day:%B %Y}. Page ")
    assert " PAGE " in [t.text for t in footer._p.iter(qn("w:instrText"))]
    assert round(section.left_margin.cm, 1) == 2.0
    for table in document.tables:
        header = table.rows[0]._tr.trPr
        assert header is not None and header.find(qn("w:tblHeader")) is not None
    assert not document.inline_shapes                # images are off in tests


@pytest.mark.parametrize(("as_at", "row"), [
    ("2021-09-30", ["I50035813", "8", "1", "0", "0", "0", "0", "0", "1"]),  # implemented
    ("2022-03-31", ["I50035813", "8", "1", "1", "0", "0", "0", "0", "1"]),  # review due
    ("2022-04-30", ["I50035813", "8", "1", "0", "1", "0", "0", "0", "1"]),  # impact evidenced
])
def test_the_word_papers_implemented_and_impact_evidenced_are_the_csvs(
        client, db_session, as_at, row):
    """On the demo data (one recommendation signed off in September 2021, its impact review
    confirmed in April 2022), the summary's table is the CSV's section, cell for cell."""
    load_demo()
    sign_in(client, db_session.query(User).filter_by(email="member@example.gov.uk").one(),
            password=DEMO_PASSWORD)
    decision = db_session.query(Decision).filter_by(reference="I50035813").one()
    query = f"decision={decision.id}&as_at={as_at}"
    document = Document(io.BytesIO(client.get(f"/reports/committee.docx?{query}").data))
    closing = _csv_sections(client.get(f"/reports/committee.csv?{query}").data)[
        "Implemented and impact evidenced"]
    assert closing[1] == row
    assert closing in _tables(document)
    summary = [p.text for p in document.paragraphs]
    assert summary.index("Summary") < summary.index(
        "Implemented and impact evidenced, counted apart, with every other way recommendations "
        f"closed, as at {dt.date.fromisoformat(as_at):%-d %B %Y}:") < summary.index(
        "Late actions")


def test_the_word_paper_takes_an_iso_date_and_the_report_links_to_it(client, slipping):
    sign_in(client, slipping.users["member"])
    by_iso = client.get(f"/reports/committee.docx?decision={slipping.decision.id}"
                        "&as_at=2021-03-15")
    assert by_iso.status_code == 200
    assert 'filename="committee-report-i50000001-as-at-2021-03-15.docx"' in \
        by_iso.headers["Content-Disposition"]
    page = client.get(f"/reports/committee?decision={slipping.decision.id}&{PAST}")
    assert (f'href="/reports/committee.docx?decision={slipping.decision.id}'
            '&amp;as_at=2021-03-15"') in page.get_data(as_text=True)


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs Debian's chromium")
def test_the_word_paper_has_the_charts_as_images_where_the_server_can_draw_them(
        app, client, slipping):
    app.config["CHART_IMAGES"] = True
    try:
        sign_in(client, slipping.users["member"])
        paper = client.get(f"/reports/committee.docx?decision={slipping.decision.id}&{PAST}")
    finally:
        app.config["CHART_IMAGES"] = False
    document = Document(io.BytesIO(paper.data))
    assert len(document.inline_shapes) == 3          # late, status by source, ageing
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert "I50000001: late actions by days late" in headings
