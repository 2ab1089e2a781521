"""The administrator's audit log: filtered by who, what, which record and when, a page at a
time; only administrators can open it; nothing in it can be changed."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.conftest import sign_in
from tracker.models import AuditEvent



def _at(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.timezone.utc)


def _summaries(html: str) -> list[str]:
    return re.findall(r"probe event [a-z0-9-]+", html)


@pytest.fixture()
def admin_client(client, make):  # type: ignore[no-untyped-def]
    sign_in(client, make.user(role="admin", email="auditor@example.gov.uk"))
    return client


def _events(make):  # type: ignore[no-untyped-def]
    officer = make.user(role="officer", email="olu@example.gov.uk")
    make.audit_event(actor_id=officer.id, actor_label=officer.email, action="update",
                     object_type="Recommendation", object_id=7, summary="probe event rec-7",
                     occurred_at=_at(dt.date(2021, 3, 1)), before={"text": "old"},
                     after={"text": "new"})
    make.audit_event(actor_label="command line as admin@example.gov.uk", action="create",
                     object_type="Decision", object_id=3, summary="probe event decision-3",
                     occurred_at=_at(dt.date(2021, 3, 2)))
    make.audit_event(actor_label="anonymous", action="sign_in_failed",
                     summary="probe event failed", occurred_at=_at(dt.date(2021, 3, 3)))
    # 23:30 UTC on 28 March 2021 is 00:30 on the 29th in London (summer time began that day).
    make.audit_event(actor_id=officer.id, actor_label=officer.email, action="update",
                     object_type="Recommendation", object_id=8, summary="probe event late",
                     occurred_at=dt.datetime(2021, 3, 28, 23, 30, tzinfo=dt.timezone.utc))


def test_only_administrators_can_open_the_audit_log(client, make):
    assert client.get("/admin/audit").status_code == 302
    for role in ("officer", "member", "school_lead"):
        sign_in(client, make.user(role=role))
        assert client.get("/admin/audit").status_code == 404
        client.post_form("/sign-out")


def test_filters_by_user_action_record_and_date(admin_client, make):
    _events(make)
    everything = _summaries(admin_client.get("/admin/audit").get_data(as_text=True))
    assert everything[:4] == ["probe event late", "probe event failed",
                              "probe event decision-3", "probe event rec-7"]  # newest first

    def shown(query: str) -> list[str]:
        return _summaries(admin_client.get("/admin/audit?" + query).get_data(as_text=True))

    assert shown("user=OLU@") == ["probe event late", "probe event rec-7"]
    assert shown("user=command+line") == ["probe event decision-3"]
    assert shown("action=sign_in_failed") == ["probe event failed"]
    assert shown("object_type=Recommendation&object_id=7") == ["probe event rec-7"]
    assert shown("object_type=Decision") == ["probe event decision-3"]
    assert shown("date_from=2&date_from=3&date_from=2021&date_to=3&date_to=3&date_to=2021") == [
        "probe event failed", "probe event decision-3"]
    # London days: an event at 23:30 UTC on 28 March belongs to 29 March.
    assert shown("date_from=29&date_from=3&date_from=2021&date_to=29&date_to=3&date_to=2021") \
        == ["probe event late"]
    assert shown("date_to=28&date_to=3&date_to=2021&user=olu") == ["probe event rec-7"]
    assert shown("user=%25") == [], "% is a character to find, not a wildcard"


def test_bad_filters_are_explained_not_crashed_on(admin_client, make):
    _events(make)
    page = admin_client.get("/admin/audit?object_id=seven&date_from=31&date_from=2&date_from=2021"
                            "&date_to=1&date_to=1&date_to=2020").get_data(as_text=True)
    assert "There is a problem" in page
    assert "Record number must be a whole number, like 12" in page
    assert "From must be a real date" in page


def test_before_and_after_are_shown(admin_client, make):
    _events(make)
    page = admin_client.get("/admin/audit?object_type=Recommendation&object_id=7").get_data(
        as_text=True)
    assert "Before and after" in page and "old → new" in page


def test_pages_of_fifty_with_filters_kept(admin_client, make):
    for n in range(120):
        make.audit_event(actor_label="bulk@example.gov.uk", summary=f"probe event bulk-{n:03d}",
                         occurred_at=_at(dt.date(2021, 1, 1)) + dt.timedelta(minutes=n))
    first = admin_client.get("/admin/audit?user=bulk").get_data(as_text=True)
    assert "Events 1 to 50 of 120" in first
    assert _summaries(first)[0] == "probe event bulk-119"
    assert 'href="/admin/audit?user=bulk&amp;page=2"' in first
    last = admin_client.get("/admin/audit?user=bulk&page=3").get_data(as_text=True)
    assert "Events 101 to 120 of 120" in last
    assert _summaries(last)[-1] == "probe event bulk-000"
    beyond = admin_client.get("/admin/audit?user=bulk&page=99").get_data(as_text=True)
    assert "Events 101 to 120 of 120" in beyond


def test_refused_access_is_recorded_and_shown(client, make, db_session):
    member = make.user(role="member", email="curious@example.gov.uk")
    sign_in(client, member)
    client.get("/admin/users/")
    client.post_form("/sign-out")
    sign_in(client, make.user(role="admin"))
    page = client.get("/admin/audit?action=access_refused").get_data(as_text=True)
    assert "curious@example.gov.uk" in page and "Refused GET /admin/users/" in page


def test_the_audit_log_shows_payloads_as_text(admin_client, make):
    make.audit_event(actor_label="<script>alert(1)</script>", summary='<img src=x onerror="1">')
    page = admin_client.get("/admin/audit").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert '<img src=x onerror="1">' not in page
