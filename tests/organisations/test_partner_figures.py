"""A partner officer's figures are worked out over what they may see: on a recommendation
shared with the council, the page's counts, RAG, overdue count and due dates, and the list's
row, come from their agency's actions alone (tracker.permissions.action_scope); nothing of
the other agency's work leaks into them. Staff still see the whole recommendation."""
from __future__ import annotations

import datetime as dt
from typing import Any

import lxml.html

from tests.dashboard.pages import tables
from tests.recommendations.conftest import as_user
from tracker.clock import today


def _text(page: str, element_id: str) -> str:
    return " ".join(lxml.html.fromstring(page).get_element_by_id(element_id).text_content().split())


def _council_work(make: Any, agencies: dict[str, Any]) -> dict[str, dt.date]:
    """The council's actions on the shared recommendation: one complete, one long overdue
    and rated red, one due far off: none of it is the police's."""
    shared, officer = agencies["shared"], agencies["officer"]
    make.update(agencies["council_action"], status="complete", rag=None)
    late = today() - dt.timedelta(days=40)
    far = today() + dt.timedelta(days=300)
    overdue = make.action(shared, title="Council audit of referrals", due_on=late,
                          owner_id=officer.id)
    make.update(overdue, status="in_progress", rag="red", reason="Staff shortage.")
    make.action(shared, title="Council training", due_on=far, owner_id=officer.id)
    return {"late": late, "far": far}


def test_a_partners_recommendation_page_counts_only_their_agencys_actions(
        client, make, agencies):
    dates = _council_work(make, agencies)
    shared = agencies["shared"]

    as_user(client, make.user(role="officer"))
    page = client.get(f"/recommendations/{shared.id}").get_data(as_text=True)
    assert _text(page, "share") == "1 of 4 counted actions complete (25%); 1 overdue."
    assert "Red" in _text(page, "status")

    as_user(client, agencies["partner"])
    page = client.get(f"/recommendations/{shared.id}").get_data(as_text=True)
    assert _text(page, "share") == "0 of 1 counted action complete (0%)."
    assert "Red" not in _text(page, "status") and "overdue" not in _text(page, "share")
    rows = tables(page)["Actions under recommendation 1"][1:]
    assert [row[0].split(" Record")[0] for row in rows] == ["Police referral desk"]
    for date in dates.values():
        assert f"{date.day} {date:%B %Y}" not in page
    for title in ("Council audit of referrals", "Council training", "Council referral form"):
        assert title not in page


def test_a_partners_list_row_counts_only_their_agencys_actions(client, make, agencies):
    dates = _council_work(make, agencies)
    police_due = agencies["police_action"].due_on

    as_user(client, agencies["partner"])
    page = client.get("/recommendations").get_data(as_text=True)
    [caption] = [name for name in tables(page) if name.startswith("Recommendations")
                 or "recommendation" in name.lower()][:1]
    [row] = tables(page)[caption][1:]
    assert "0 of 1 (0%)" in row
    assert f"{police_due.day} {police_due:%B %Y}" in row
    assert row[-1] == "0"  # overdue actions: the council's late one is not theirs
    assert f"{dates['far'].day} {dates['far']:%B %Y}" not in page
    # "overdue only" lists nothing: only the council's action is overdue
    page = client.get("/recommendations?overdue=y").get_data(as_text=True)
    assert "Share referrals within a day." not in page


def test_a_partners_search_shows_and_filters_status_over_their_agencys_actions(
        client, make, agencies):
    _council_work(make, agencies)
    shared = agencies["shared"]

    def found(user, query: str) -> dict[str, str]:
        as_user(client, user)
        page = lxml.html.fromstring(client.get(query).get_data(as_text=True))
        return {i.get("data-id"): " ".join(i.text_content().split()) for i in page.xpath(
            "//ol[contains(@class, 'tracker-search-results')]/li[@data-kind='recommendation']")}

    officer = make.user(role="officer")
    assert "Red" in found(officer, "/search?q=referrals")[str(shared.id)]
    assert str(shared.id) in found(officer, "/search?q=referrals&status=red")
    partner = agencies["partner"]
    assert "Red" not in found(partner, "/search?q=referrals")[str(shared.id)]
    assert found(partner, "/search?q=referrals&status=red") == {}
