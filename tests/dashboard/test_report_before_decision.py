"""A report as at a day before its decision was taken says there was nothing yet."""
from __future__ import annotations

import datetime as dt
import re

from tests.conftest import sign_in
from tests.dashboard.test_report import report_url


def test_a_report_as_at_a_day_before_the_decision_says_there_was_nothing_yet(client, built):
    sign_in(client, built.users["member"])
    html = client.get(report_url(built, as_at=dt.date(2021, 1, 3))).get_data(as_text=True)
    found = re.search(r'<h2 class="govuk-heading-m" id="nothing-yet">(.*?)</h2>\s*<p[^>]*>(.*?)</p>',
                      html, re.S)
    assert found and found.group(1) == "Nothing to report as at 3 January 2021"
    assert "was taken on 4 January 2021, after 3 January 2021: there was nothing to report yet" \
        in " ".join(found.group(2).split())
    assert "Parts of the decision" not in html and "Download this report" not in html
    # the day of the decision itself is a full report
    assert "Parts of the decision" in client.get(
        report_url(built, as_at=dt.date(2021, 1, 4))).get_data(as_text=True)
