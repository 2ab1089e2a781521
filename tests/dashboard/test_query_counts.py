"""Each page asks the database the same number of questions whatever the amount of work
recorded: no query per recommendation, action, update or school (N+1), none per chunk of ids.

The built decision (tests/dashboard/conftest.py) gets more work under it (recommendations
with actions and updates, executive responses, schools with adoption histories); each page is
counted for each role, then ten times as much work is added and the counts must not move.
Not timed: bench/pages.py measures the time.
"""
from __future__ import annotations

import datetime as dt
from itertools import count

import pytest
import sqlalchemy as sa

from tests.conftest import sign_in
from tests.dashboard.conftest import D, adopt, at
from tracker.dashboard import today_actions
from tracker.extensions import db
from tracker.recommendations import queries as rec_queries

STATUSES = ("in_progress", "not_started", "complete", "paused", "in_progress", "cancelled")
_n = count()


def add_work(make, db_session, built, recommendations: int) -> None:
    """``recommendations`` more recommendations (two actions, three updates each; every
    third a scrutiny one with a response), as many schools with adoption histories and as
    many more updates on R1."""
    owners = [built.users["olu"], built.users["priya"]]
    for _ in range(recommendations):
        n = next(_n)
        scrutiny = n % 3 == 0
        rec = make.recommendation(built.parts["b" if scrutiny else "a"],
                                  source="scrutiny" if scrutiny else "review",
                                  reference=f"X{n}", position=10 + n, text=f"Extra {n}.",
                                  owner_id=owners[n % 2].id, created_at=at(D(2021, 1, 6)),
                                  committee="Scrutiny" if scrutiny else None,
                                  response_due_on=D(2021, 3, 1) if scrutiny else None)
        if scrutiny and n % 2:
            make.response(rec, response="accepted", response_text="Agreed.",
                          recorded_at=at(D(2021, 1, 7)))
        for k in range(2):
            action = make.action(rec, title=f"Extra action {n}.{k}", owner_id=owners[k].id,
                                 due_on=D(2021, 2, 1) + dt.timedelta(days=n % 90),
                                 created_at=at(D(2021, 1, 6)))
            for u in range(3):
                status = STATUSES[(n + k + u) % len(STATUSES)]
                make.update(action, status=status, reason="Reason.",
                            rag=None if status in ("complete", "cancelled") else "amber",
                            recorded_at=at(D(2021, 1, 10) + dt.timedelta(days=7 * u + k)))
        # R1's timeline grows too (paged, queries.timeline): an earlier update on A2, so
        # its latest stays what it was.
        make.update(built.actions["A2"], status="in_progress", rag="amber", reason="Reason.",
                    recorded_at=at(D(2021, 1, 11)) - dt.timedelta(minutes=n))
        school = make.school(urn=700000 + n, name=f"Extra school {n}",
                             phase=("Primary", "Secondary", None)[n % 3],
                             created_at=at(D(2021, 1, 5)))
        adopt(db_session, school, built.version,
              [(D(2021, 1, 12), "under_review"), (D(2021, 1, 20 + n % 5), "adopted")])
    db_session.flush()


def pages(built) -> list[tuple[str, tuple[str, ...]]]:
    decision, rec = built.decision.id, built.recs["R1"].id
    past = "as_at=2021-01-31"
    every = ("admin", "officer", "member", "school_lead")
    return [
        ("/", every),
        ("/dashboard", every),
        (f"/reports/committee?decision={decision}&{past}", every),
        (f"/reports/committee.csv?decision={decision}&{past}", ("member",)),
        (f"/reports/committee?decision={decision}", ("member",)),
        ("/decisions", every),
        (f"/decisions/{decision}", every),
        (f"/decisions/{decision}?late_page=2", ("member",)),
        ("/recommendations", every),
        ("/recommendations?overdue=y", ("member",)),
        ("/recommendations?sort=status", ("member",)),
        ("/recommendations?status=red&sort=due", ("admin",)),
        (f"/recommendations/{rec}", every),
        (f"/recommendations/{rec}?updates_page=2", ("member",)),
        (f"/recommendations/{rec}?updates_page=99", ("member",)),   # past the last: the last
        (f"/recommendations/{rec}?history_page=2", ("member",)),
        ("/executive-responses", ("admin", "officer", "member")),
        ("/my-actions", ("officer",)),
        ("/schools", every),
        ("/api/decisions", ("member",)),
    ]


@pytest.fixture()
def counted(app, client, make, db_session):
    statements = [0]

    def _count(*_):
        statements[0] += 1

    sa.event.listen(db.engine, "before_cursor_execute", _count)
    app.config["OPEN_DATA_ENABLED"] = True
    yield statements
    app.config["OPEN_DATA_ENABLED"] = False
    sa.event.remove(db.engine, "before_cursor_execute", _count)


def _counts(client, people, built, statements) -> dict[tuple[str, str], int]:
    found = {}
    for role, user in people.items():
        sign_in(client, user)
        for path, roles in pages(built):
            if role not in roles:
                continue
            client.get(path)  # anything loaded once per session (the menu, the user)
            statements[0] = 0
            answer = client.get(path)
            assert answer.status_code == 200, (role, path, answer.status_code)
            found[(role, path)] = statements[0]
        client.post_form("/sign-out")
    return found


def test_no_page_asks_more_questions_of_ten_times_the_work(client, make, db_session, built,
                                                           counted, monkeypatch):
    monkeypatch.setattr(today_actions, "LATE_PER_PAGE", 2)  # a late list of several pages
    monkeypatch.setattr(rec_queries, "UPDATES_PER_PAGE", 2)  # and a timeline of several
    lead = make.user(role="school_lead", name="Sam Lead")
    lead.schools = [built.schools["S1"], built.schools["S2"]]
    people = {"admin": built.users["admin"], "officer": built.users["olu"],
              "member": built.users["member"], "school_lead": lead}
    add_work(make, db_session, built, 3)
    small = _counts(client, people, built, counted)
    assert min(small.values()) > 0 and len(small) == 46
    add_work(make, db_session, built, 27)
    large = _counts(client, people, built, counted)
    grown = {page: (small[page], large[page]) for page in small if large[page] != small[page]}
    assert grown == {}


def test_kept_weeks_read_or_rebuilt_ask_the_same_questions_of_ten_times_the_work(
        client, make, db_session, built, counted):
    """The charts' weekly figures kept as weeks close (``action_weeks``, ``adoption_weeks``):
    the first request after backdated work (kept weeks refused, judged afresh and kept again)
    and the next (kept weeks read back) each ask the same number of questions at a tenth of
    the work and at the whole."""
    sign_in(client, built.users["member"])
    # The report first: the dashboard's rebuild keeps the report's weeks too
    paths = (f"/reports/committee?decision={built.decision.id}&as_at=2022-01-31",
             "/dashboard")

    def both() -> dict[tuple[str, str], int]:
        found = {}
        for path in paths:
            for attempt in ("rebuilt", "kept"):
                counted[0] = 0
                assert client.get(path).status_code == 200
                found[(path, attempt)] = counted[0]
        return found

    both()  # weeks kept once (the very first request finds none: two questions fewer)
    add_work(make, db_session, built, 3)  # backdated: the kept weeks no longer hold
    small = both()
    add_work(make, db_session, built, 27)
    large = both()
    assert small == large
    assert all(small[(path, "kept")] != small[(path, "rebuilt")] for path in paths)
