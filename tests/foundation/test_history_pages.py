"""Every record's history of changes (``audit.history_of``) comes newest first, a page at a
time, saying how many there are: a person's every sign-in is an event about them, a school's
every GIAS import, a decision's every edit, so their pages grew without end."""
from __future__ import annotations

import datetime as dt
import re

import lxml.html
import pytest

from tests.conftest import sign_in
from tracker import audit

PAGES = {   # the record, its page, the heading its history follows
    "user": (lambda make: make.user(role="officer"), "/admin/users/{id}", "History"),
    "decision": (lambda make: make.decision(), "/decisions/{id}", "History"),
    "school": (lambda make: make.school(), "/schools/{id}", "Changes to the school's record"),
    "organisation": (lambda make: make.organisation(), "/admin/organisations/{id}", "History"),
    "theme": (lambda make: make.theme(), "/themes/{id}/edit", "History"),
    "rule": (lambda make: make.terminology_rule(), "/admin/terminology/{id}", "History"),
}


@pytest.mark.parametrize("kind", sorted(PAGES))
def test_a_records_history_comes_newest_first_a_page_at_a_time(
        kind, client, make, db_session, monkeypatch):
    made, address, heading = PAGES[kind]
    thing = made(make)
    admin = make.user(role="admin")
    start = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
    for n in range(5):
        make.audit_event(object_type=type(thing).__name__, object_id=thing.id,
                         summary=f"Change number {n}",
                         occurred_at=start + dt.timedelta(days=n))
    make.audit_event(object_type=type(thing).__name__, object_id=thing.id, action="export",
                     summary="Downloaded", occurred_at=start + dt.timedelta(days=9))
    db_session.commit()
    monkeypatch.setattr(audit, "HISTORY_PER_PAGE", 2)
    sign_in(client, admin)
    url = address.format(id=thing.id)

    def page(number: int) -> tuple[list[str], str]:
        answer = client.get(f"{url}?history_page={number}")
        assert answer.status_code == 200, (url, answer.status_code)
        html = answer.get_data(as_text=True)
        doc = lxml.html.fromstring(html)
        [table] = doc.xpath(f"//h2[.=\"{heading}\"]/following-sibling::table[1]")
        return re.findall(r"Change number (\d)", table.text_content()), html

    first, html = page(1)
    total = int(re.search(r"(\d+) changes, newest first, 2 to a page: these are 1 to 2\.",
                          html).group(1))
    assert total >= 5 and first == ["4", "3"]      # newest first; the download left out
    assert "Downloaded" not in html
    pages = (total + 1) // 2
    seen = [n for number in range(1, pages + 1) for n in page(number)[0]]
    assert seen == ["4", "3", "2", "1", "0"]
    doc = lxml.html.fromstring(html)
    assert doc.xpath("//nav[@aria-label='Pages of changes']//a[contains(@href, "
                     "'history_page=2')]")
    _, last = page(99)        # past the last: the last
    assert f"these are {total - (total - 1) % 2} to {total}." in last
