"""Refused requests: every one is counted per user, but the audit trail gets a row for the
first in ten minutes and for the 10th, 100th, ... after it, never a flood. A record that is
hidden from the user and one that does not exist are refused by the same path: the same
answer, the same work (so the same time), the same count."""
from __future__ import annotations

import re

import sqlalchemy as sa

from tests.conftest import sign_in
from tracker.models import AuditEvent, RefusalTally


def _refusal_rows(db_session, user) -> list[AuditEvent]:  # type: ignore[no-untyped-def]
    return list(db_session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "access_refused", AuditEvent.actor_id == user.id)
        .order_by(AuditEvent.id)))


def _tally(db_session, user) -> int:  # type: ignore[no-untyped-def]
    db_session.expire_all()
    tally = db_session.get(RefusalTally, user.id)
    return tally.refusals if tally else 0


def test_a_flood_of_refusals_is_counted_not_written_row_by_row(client, make, db_session):
    lead = make.user(role="school_lead", schools=[make.school()])
    sign_in(client, lead)
    for _ in range(25):
        assert client.get("/admin/users/").status_code == 404
    rows = _refusal_rows(db_session, lead)
    assert [r.summary for r in rows] == [
        "Refused GET /admin/users/",
        "Refused GET /admin/users/ (10 refusals of this user in ten minutes: "
        "the rest are counted, not written one by one)",
    ]
    assert _tally(db_session, lead) == 25


def test_each_user_is_counted_on_their_own(app, client, make, db_session):
    first = make.user(role="member")
    second = make.user(role="member")
    sign_in(client, first)
    for _ in range(3):
        client.get("/admin/audit")
    other = app.test_client()
    sign_in(other, second)
    other.get("/admin/audit")
    assert len(_refusal_rows(db_session, first)) == 1
    assert len(_refusal_rows(db_session, second)) == 1
    assert (_tally(db_session, first), _tally(db_session, second)) == (3, 1)


def _without_request_id(response) -> str:
    """The page, less the reference quoted to the service desk (each request's own) and the
    sign-out form's CSRF token (signed with the second it was made: two requests either side
    of a second's turn differ there and nowhere else)."""
    assert response.headers.get("X-Request-ID")
    page = response.get_data(as_text=True).replace(response.headers["X-Request-ID"], "")
    return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token" value=""', page)


def test_hidden_and_absent_records_are_refused_by_the_same_path(client, make, db_session):
    lead = make.user(role="school_lead", schools=[make.school()])
    exempt = make.decision(exemption="para_3", title="Exempt matter")
    rec = make.recommendation(make.part(exempt))
    action = make.action(rec)
    hidden_school = make.school(name="Not theirs")
    sign_in(client, lead)
    pairs = [
        (f"/decisions/{exempt.id}", "/decisions/987654"),
        (f"/recommendations/{rec.id}", "/recommendations/987654"),
        (f"/actions/{action.id}/updates/new", "/actions/987654/updates/new"),
        (f"/schools/{hidden_school.id}", "/schools/987654"),
    ]
    for hidden, absent in pairs:
        before = _tally(db_session, lead)
        hidden_answer = client.get(hidden)
        after_hidden = _tally(db_session, lead)
        absent_answer = client.get(absent)
        after_absent = _tally(db_session, lead)
        assert hidden_answer.status_code == absent_answer.status_code == 404, hidden
        assert _without_request_id(hidden_answer) == _without_request_id(absent_answer), hidden
        assert after_hidden - before == after_absent - after_hidden == 1, hidden


def test_hidden_and_absent_records_cost_the_same_number_of_queries(client, make, db_session):
    """Same work, so the same time: counted in SQL statements, which do not vary with load."""
    from sqlalchemy import event

    lead = make.user(role="school_lead", schools=[make.school()])
    exempt = make.decision(exemption="para_3", title="Exempt matter")
    rec = make.recommendation(make.part(exempt))
    action = make.action(rec)
    hidden_school = make.school(name="Not theirs")
    sign_in(client, lead)
    statements: list[str] = []

    def count(*args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        statements.append(args[2])

    engine = db_session.get_bind().engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        unequal = []
        for hidden, absent in [
            (f"/decisions/{exempt.id}", "/decisions/987654"),
            (f"/recommendations/{rec.id}", "/recommendations/987654"),
            (f"/actions/{action.id}/updates/new", "/actions/987654/updates/new"),
            (f"/schools/{hidden_school.id}", "/schools/987654"),
        ]:
            statements.clear()
            client.get(hidden)
            hidden_count = len(statements)
            statements.clear()
            client.get(absent)
            if hidden_count != len(statements):
                unequal.append(f"{hidden}: {hidden_count} statements, absent: {len(statements)}")
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert not unequal, unequal
