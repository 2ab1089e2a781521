"""A committee report printed for a past date reads the same whenever it is printed again,
and whatever the code does to compute it faster: the CSV of the demo data as at two past
dates, byte for byte, as the tracker printed it before the report read condensed histories
(tests/dashboard/expected/, written by the code of commit cdb2cbb; since issue 15 shares are
numbers, "38" under "Share of actions complete (%)" where it said "38%", and empty where it
said "–": the files were changed by exactly that rewrite and nothing else). Sections added
since (closing and impact, what is late, actions by agency) follow those, so the report as it
was printed is the CSV's exact beginning."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import sign_in
from tracker.clock import travel_to
from tracker.demo import DEMO_PASSWORD, load_demo
from tracker.models import Decision, User

EXPECTED = Path(__file__).parent / "expected"
# The demo's dates run from the day it is loaded (an action due in ten days): the expected
# files were printed with the demo loaded on 6 December 2026, so the test loads it that day.
PRINTED = dt.datetime(2026, 12, 6, 12, 0, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize("day", ["2021-09-30", "2022-06-30"])
def test_the_demo_report_csv_for_a_past_date_is_byte_for_byte_what_it_was(client, db_session,
                                                                          day):
    with travel_to(PRINTED):
        load_demo()
    member = db_session.query(User).filter_by(email="member@example.gov.uk").one()
    sign_in(client, member, password=DEMO_PASSWORD)
    seed = db_session.query(Decision).filter_by(reference="I50035813").one()
    answer = client.get(f"/reports/committee.csv?decision={seed.id}&as_at={day}")
    assert answer.status_code == 200
    # Everything the report printed before is byte for byte what it was; the sections on
    # closing and impact (issue 13) follow it, themselves pinned as they were first printed
    # (written by the code of the branch "impact"), then what is late.
    before = (EXPECTED / f"committee-1-{day}.csv").read_bytes()
    impact = (EXPECTED / f"committee-1-{day}-impact.csv").read_bytes()
    assert answer.data[:len(before)] == before
    assert answer.data[len(before):len(before) + len(impact)] == impact
    rest = answer.data[len(before) + len(impact):].lstrip(b"\r\n")
    assert rest.startswith(b"Late actions\r\n")
    assert b"\r\nActions by agency\r\nDecision reference,Agency,Actions counted,Actions " \
           b"complete,Share of actions complete (%),Overdue actions\r\n" in answer.data
