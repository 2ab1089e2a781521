"""The register of decisions: newest first, filters, paging, who sees what."""
from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from tests.conftest import sign_in
from tests.decisions.conftest import page_text
from tracker.models import AuditEvent

D = dt.date
FAR_FUTURE = D(2999, 1, 1)


def titles(response) -> list[str]:
    """Decision titles in the register's table, in the order shown."""
    body = response.get_data(as_text=True)
    return re.findall(r'href="/decisions/\d+">([^<]+)</a>', body)


def test_newest_first(signed_in, make):
    client, _ = signed_in("officer")
    make.decision(title="Oldest", decided_on=D(2019, 3, 1))
    make.decision(title="Newest", decided_on=D(2021, 7, 1))
    make.decision(title="Middle", decided_on=D(2020, 11, 26))
    make.decision(title="Middle, recorded later", decided_on=D(2020, 11, 26))
    response = client.get("/decisions")
    assert response.status_code == 200
    assert titles(response) == ["Newest", "Middle, recorded later", "Middle", "Oldest"]


def test_filter_by_decision_maker_and_year(signed_in, make):
    client, _ = signed_in("member")
    make.decision(title="Cabinet 2020", decision_maker="Cabinet", decided_on=D(2020, 11, 26))
    make.decision(title="Cabinet 2021", decision_maker="Cabinet", decided_on=D(2021, 1, 5))
    make.decision(title="Member 2020", decision_maker="Cabinet member children and families",
                  decided_on=D(2020, 2, 1))
    assert titles(client.get("/decisions?decision_maker=Cabinet")) == ["Cabinet 2021",
                                                                       "Cabinet 2020"]
    assert titles(client.get("/decisions?year=2020")) == ["Cabinet 2020", "Member 2020"]
    assert titles(client.get("/decisions?decision_maker=Cabinet&year=2020")) == ["Cabinet 2020"]
    page = client.get("/decisions").get_data(as_text=True)
    # The filter choices come from the decisions there are.
    assert '<option value="Cabinet member children and families"' in page
    assert '<option value="2021"' in page and '<option value="2019"' not in page


def test_nonsense_filters_are_ignored(signed_in, make):
    client, _ = signed_in("officer")
    make.decision(title="Only one")
    response = client.get("/decisions?year=abc&call_in=nonsense&page=-3")
    assert response.status_code == 200
    assert titles(response) == ["Only one"]


def test_filter_by_call_in_state(signed_in, make):
    client, _ = signed_in("officer")
    make.decision(title="Open", decided_on=D(2020, 1, 1), call_in_expires_on=FAR_FUTURE)
    make.decision(title="Implementable", decided_on=D(2020, 1, 2),
                  call_in_expires_on=D(2020, 1, 9))
    make.decision(title="Called in", decided_on=D(2020, 1, 3), call_in_record="called_in",
                  called_in_on=D(2020, 1, 5))
    make.decision(title="Urgent", decided_on=D(2020, 1, 4), call_in_record="urgent")
    for state, expected in [("open_to_call_in", ["Open"]),
                            ("implementable", ["Implementable"]),
                            ("called_in", ["Called in"]),
                            ("not_subject_to_call_in", ["Urgent"])]:
        assert titles(client.get(f"/decisions?call_in={state}")) == expected, state


def test_register_shows_each_call_in_state_with_its_reason(signed_in, make):
    client, _ = signed_in("officer")
    make.decision(title="Open", decided_on=D(2020, 1, 1), call_in_expires_on=FAR_FUTURE)
    make.decision(title="Called in", decided_on=D(2020, 1, 3), call_in_record="called_in",
                  called_in_on=D(2020, 1, 5), call_in_expires_on=D(2020, 1, 10))
    text = page_text(client.get("/decisions"))
    assert "Open to call-in This decision is open to call-in until 1 January 2999" in text
    assert "Called in This decision was called in on 5 January 2020" in text


def test_paging(signed_in, make, app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    client, _ = signed_in("officer")
    for day in range(1, 6):
        make.decision(title=f"Decision {day}", decided_on=D(2020, 1, day))
    first = client.get("/decisions")
    assert titles(first) == ["Decision 5", "Decision 4"]
    assert "5 decisions, newest first (page 1 of 3)" in page_text(first)
    assert titles(client.get("/decisions?page=2")) == ["Decision 3", "Decision 2"]
    assert titles(client.get("/decisions?page=3")) == ["Decision 1"]
    assert titles(client.get("/decisions?page=99")) == ["Decision 1"]  # past the end: the last
    # Paging keeps the filters.
    make.decision(title="Other maker", decision_maker="Council", decided_on=D(2020, 1, 9))
    body = client.get("/decisions?decision_maker=Cabinet").get_data(as_text=True)
    assert "/decisions?decision_maker=Cabinet&amp;page=2" in body


def test_paging_with_the_call_in_filter(signed_in, make, app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    client, _ = signed_in("officer")
    for day in range(1, 4):
        make.decision(title=f"Open {day}", decided_on=D(2020, 1, day),
                      call_in_expires_on=FAR_FUTURE)
    make.decision(title="Implementable", decided_on=D(2020, 1, 9), call_in_expires_on=D(2020, 1, 20))
    assert titles(client.get("/decisions?call_in=open_to_call_in")) == ["Open 3", "Open 2"]
    assert titles(client.get("/decisions?call_in=open_to_call_in&page=2")) == ["Open 1"]


def test_school_lead_sees_open_decisions_only(client, make, db_session):
    make.decision(title="Open decision", exemption="open")
    exempt = make.decision(title="Exempt decision", exemption="para_3")
    lead = make.user(role="school_lead")
    sign_in(client, lead)
    register = client.get("/decisions")
    assert titles(register) == ["Open decision"]
    assert "Exempt decision" not in register.get_data(as_text=True)
    page = client.get(f"/decisions/{exempt.id}")
    assert page.status_code == 404
    assert "Exempt decision" not in page.get_data(as_text=True)
    refused = db_session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "access_refused", AuditEvent.actor_id == lead.id)).all()
    assert [e.summary for e in refused] == [f"Refused GET /decisions/{exempt.id}"]


@pytest.mark.parametrize("role", ["admin", "officer", "member"])
def test_staff_see_exempt_decisions(signed_in, make, role):
    client, _ = signed_in(role)
    exempt = make.decision(title="Exempt decision", exemption="para_3")
    assert titles(client.get("/decisions")) == ["Exempt decision"]
    page = client.get(f"/decisions/{exempt.id}")
    assert page.status_code == 200
    assert ("Exempt: paragraph 3 of Schedule 12A to the Local Government Act 1972"
            in page_text(page))


def _withdrawn(make):
    make.decision(title="Live")
    return make.decision(title="Gone", withdrawn_reason="Entered twice",
                         withdrawn_at=dt.datetime(2021, 1, 1, 12, tzinfo=dt.timezone.utc))


def test_withdrawn_decisions_leave_the_register(signed_in, make):
    client, _ = signed_in("officer")
    gone = _withdrawn(make)
    assert titles(client.get("/decisions")) == ["Live"]
    assert client.get(f"/decisions/{gone.id}").status_code == 404


def test_administrators_can_still_find_withdrawn_decisions(signed_in, make):
    client, _ = signed_in("admin")
    gone = _withdrawn(make)
    assert titles(client.get("/decisions")) == ["Live"]
    assert titles(client.get("/decisions?withdrawn=yes")) == ["Gone", "Live"]  # same date: newest row first
    page = client.get(f"/decisions/{gone.id}")
    assert "This decision was withdrawn on 1 January 2021: Entered twice" in page_text(page)


def test_signed_out_visitors_are_sent_to_sign_in(client, make):
    decision = make.decision()
    for path in ("/decisions", f"/decisions/{decision.id}"):
        response = client.get(path)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("role", ["officer", "member", "school_lead"])
def test_only_administrators_reach_the_forms(signed_in, make, role):
    client, _ = signed_in(role)
    decision = make.decision()
    part = make.part(decision)
    document = make.document(decision)
    for path in ("/decisions/new", f"/decisions/{decision.id}/edit",
                 f"/decisions/{decision.id}/withdraw", f"/decisions/{decision.id}/call-in",
                 f"/decisions/{decision.id}/parts/new",
                 f"/decisions/{decision.id}/parts/{part.id}/edit",
                 f"/decisions/{decision.id}/parts/{part.id}/withdraw",
                 f"/decisions/{decision.id}/documents/new",
                 f"/decisions/{decision.id}/documents/{document.id}/edit",
                 f"/decisions/{decision.id}/documents/{document.id}/withdraw",
                 "/decisions/import", "/admin/terminology/"):
        assert client.get(path).status_code == 404, path
    assert client.post_form("/decisions/import/confirm", {"notice_text": "x"}).status_code == 404
