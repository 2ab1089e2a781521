"""A committee report printed for a past date reads the same whenever it is printed again,
and whatever the code does to compute it faster: the CSV of the demo data as at two past
dates, byte for byte, as the tracker printed it before the report read condensed histories
(tests/dashboard/expected/, written by the code of commit cdb2cbb; the "Actions by agency"
section, added later, appended at the end)."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import sign_in
from tracker.demo import DEMO_PASSWORD, load_demo
from tracker.models import Decision, User

EXPECTED = Path(__file__).parent / "expected"


@pytest.mark.parametrize("day", ["2021-09-30", "2022-06-30"])
def test_the_demo_report_csv_for_a_past_date_is_byte_for_byte_what_it_was(client, db_session,
                                                                          day):
    load_demo()
    member = db_session.query(User).filter_by(email="member@example.gov.uk").one()
    sign_in(client, member, password=DEMO_PASSWORD)
    seed = db_session.query(Decision).filter_by(reference="I50035813").one()
    year, month, date = (int(n) for n in day.split("-"))
    answer = client.get(f"/reports/committee.csv?decision={seed.id}&as_at={date}"
                        f"&as_at={month}&as_at={year}")
    assert answer.status_code == 200
    assert answer.data == (EXPECTED / f"committee-1-{day}.csv").read_bytes()
