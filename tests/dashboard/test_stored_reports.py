"""A committee report for a past date is built once and stored (tracker/dashboard/stored.py):
what is served from the store is byte for byte what a fresh build gives, for every reader
shown the same decisions; what the report reads as it is now (agencies, themes) and anything
recorded later that reaches back into its date build it afresh; a write recorded after the
date changes nothing; one reader's scope never serves another's. Today's report is stored
for the day it is built on and served only while nothing at all it reads has been written
since: every kind of write builds it afresh, equal to a fresh build."""
from __future__ import annotations

import datetime as dt
import io
import re
import time

import openpyxl
import pytest
import sqlalchemy as sa

from tests.conftest import sign_in
from tests.dashboard.conftest import AS_AT, D, at, six_late_actions
from tests.dashboard.test_query_counts import add_work
from tracker import audit
from tracker.clock import now, today, travel_to
from tracker.dashboard import stored
from tracker.extensions import db
from tracker.models import AuditEvent, StoredReport, recommendation_themes

PATHS = {"page": "/reports/committee", "csv": "/reports/committee.csv",
         "xlsx": "/reports/committee.xlsx", "zip": "/reports/committee.zip",
         "docx": "/reports/committee.docx"}


def url(kind, decision, as_at=AS_AT, **more):
    args = "".join(f"&{k}={v}" for k, v in more.items())
    return f"{PATHS[kind]}?decision={decision}&as_at={as_at.isoformat()}{args}"


def same_bytes(answer) -> bytes:
    """The response without what differs per request by design: the page's printed time,
    its CSRF tokens and script nonces (the layout's)."""
    body = answer.data
    if not answer.mimetype.startswith("text/html"):
        return body
    body = re.sub(rb"Printed on [^<]*", b"", body)
    body = re.sub(rb'nonce="[^"]*"', b"", body)
    return re.sub(rb'(name="csrf_token"[^>]*value=)"[^"]*"', rb"\1", body)


def rows(kind=None) -> list[StoredReport]:
    query = sa.select(StoredReport)
    if kind is not None:
        query = query.where(StoredReport.kind == kind)
    return list(db.session.scalars(query))


def fresh(client, path):
    """The report built afresh: nothing stored."""
    db.session.execute(sa.delete(StoredReport))
    answer = client.get(path)
    assert answer.status_code == 200
    return answer


@pytest.fixture()
def statements(app):
    counted = [0]

    def _count(*_):
        counted[0] += 1

    sa.event.listen(db.engine, "before_cursor_execute", _count)
    yield counted
    sa.event.remove(db.engine, "before_cursor_execute", _count)


@pytest.mark.parametrize("kind", ["page", "csv", "xlsx", "zip", "docx"])
def test_a_past_report_is_stored_once_built_and_served_as_a_fresh_build_reads(
        client, built, kind, statements):
    sign_in(client, built.users["member"])
    path = url(kind, built.decision.id)
    first = client.get(path)
    assert first.status_code == 200
    [row] = rows(kind)
    assert row.as_at == AS_AT
    if kind != "docx":
        assert row.key == stored.key(
            stored.Shown((built.decision,), AS_AT, None, True), kind,
            ("committee-report-i50000001-as-at-2021-01-31",) if kind == "zip" else ())
    statements[0] = 0
    second = client.get(path)
    from_store = statements[0]
    assert same_bytes(second) == same_bytes(first)
    assert len(rows(kind)) == 1
    if kind in ("xlsx", "docx"):   # what the writers date as they save: the report's day
        time.sleep(2.1)     # (a zip entry's time has a 2-second step)
    statements[0] = 0
    again = fresh(client, path)
    built_afresh = statements[0]
    assert same_bytes(again) == same_bytes(second)
    assert from_store < built_afresh - 5
    if kind == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(again.data))
        assert book.properties.modified == dt.datetime(2021, 1, 31)
    if kind == "page":   # the body is the report, not a shell
        assert b"Train every designated safeguarding lead." in second.data
        assert b"learning-links" not in second.data


def test_the_stored_report_asks_the_same_questions_of_ten_times_the_work(
        client, make, db_session, built, statements):
    sign_in(client, built.users["member"])
    paths = [url("page", built.decision.id), url("csv", built.decision.id)]

    def counts() -> list[int]:
        found = []
        for path in paths:
            client.get(path)   # built (and stored) when nothing is stored or it reaches back
            statements[0] = 0
            assert client.get(path).status_code == 200
            found.append(statements[0])
        return found

    small = counts()
    add_work(make, db_session, built, 30)   # backdated work: reaches back, built afresh
    assert counts() == small


def test_a_write_recorded_after_the_date_leaves_the_stored_report_as_a_fresh_build_reads(
        client, make, built):
    sign_in(client, built.users["member"])
    path = url("csv", built.decision.id)
    before = client.get(path).data
    created = rows("csv")[0].created_at
    make.update(built.actions["A4"], status="complete", rag=None, recorded_at=now(),
                narrative="Records sampled today.")
    audit.updated(built.actions["A2"], {"title": "Write the course again"},
                  "Action edited: Write the course again")   # as the service edits it
    served = client.get(path).data
    assert served == before
    db.session.expire_all()
    assert rows("csv")[0].created_at == created   # not built again
    assert fresh(client, path).data == served
    assert b"Records sampled today." not in served and b"Write the course again" not in served


def test_anything_recorded_later_that_reaches_back_into_the_date_builds_it_afresh(
        client, make, built):
    sign_in(client, built.users["member"])
    path = url("csv", built.decision.id)
    before = client.get(path).data
    make.update(built.actions["A4"], status="in_progress", rag="green",
                recorded_at=at(D(2021, 1, 20)), narrative="Backdated: sampling started.")
    after = client.get(path).data
    assert after != before and b"Backdated: sampling started." in after
    assert fresh(client, path).data == after


def test_what_the_report_reads_as_it_is_now_gives_another_key_and_a_fresh_report(
        client, make, db_session, built):
    sign_in(client, built.users["member"])
    # Each person's agency: the organisation they work for now
    path = url("csv", built.decision.id)
    before = client.get(path).data
    assert b"Northshire Police" not in before
    make.organisation(name="Northshire Police", members=[built.users["olu"]])
    after = client.get(path).data
    assert b"Northshire Police" in after
    assert fresh(client, path).data == after
    assert len(rows("csv")) == 1

    # Which recommendations have the theme (as given now), written without the services
    theme = make.theme([built.recs["R1"]], name="Training")
    themed = url("csv", built.decision.id, theme=theme.id)
    before = client.get(themed).data
    assert b"Train every designated" in before and b"Publish the referral pathway" not in before
    db_session.execute(sa.insert(recommendation_themes),
                       [{"recommendation_id": built.recs["R2"].id, "theme_id": theme.id}])
    after = client.get(themed).data
    assert b"Publish the referral pathway" in after
    assert fresh(client, themed).data == after

    # The theme's name: the page's words and the zip's folder, never stored in the body
    page = url("page", built.decision.id, theme=theme.id)
    zipped = url("zip", built.decision.id, theme=theme.id)
    assert "“Training”" in client.get(page).get_data(as_text=True)
    assert b"theme-training" in client.get(zipped).data
    theme.name = "Training and supervision"
    db_session.flush()
    assert "“Training and supervision”" in client.get(page).get_data(as_text=True)
    assert b"theme-training-and-supervision" in client.get(zipped).data


def test_a_report_of_a_day_not_yet_over_is_stored_only_for_the_day_it_was_built_on(
        client, built):
    sign_in(client, built.users["member"])
    assert client.get(url("csv", built.decision.id, as_at=today())).status_code == 200
    assert client.get(url("page", built.decision.id, as_at=today())).status_code == 200
    assert {(row.kind, row.live_on) for row in rows()} == {("csv", today()), ("page", today())}
    # Half an hour into 1 February in London: 31 January is over, but within the grace
    with travel_to(dt.datetime(2021, 2, 1, 0, 30, tzinfo=dt.timezone.utc)):
        assert client.get(url("csv", built.decision.id)).status_code == 200
    # Stored for 1 February only, beside those of today (built on a later day: kept)
    assert sorted(str(row.live_on) for row in rows()) == sorted(["2021-02-01", str(today()),
                                                                 str(today())])
    with travel_to(dt.datetime(2021, 2, 1, 1, 30, tzinfo=dt.timezone.utc)):
        assert client.get(url("csv", built.decision.id)).status_code == 200
    # 31 January over with its grace: stored for good (no day), once
    assert sorted(str(row.live_on) for row in rows("csv")) == sorted(["2021-02-01", "None",
                                                                      str(today())])
    # Tomorrow, storing deletes every report built on an earlier day for a day not yet over
    # (and the one of 31 January, unread since 2021)
    with travel_to(now() + dt.timedelta(days=1)):
        assert client.get(url("csv", built.decision.id, as_at=today())).status_code == 200
        tomorrow = today()
    assert [row.live_on for row in rows()] == [tomorrow]


def switch(client, user):
    client.post_form("/sign-out")
    sign_in(client, user)


def test_one_readers_scope_never_serves_another(client, make, built, exempt):
    lead = make.user(role="school_lead", name="Sam Lead")
    every = f"/reports/committee.csv?decision=all&as_at={AS_AT.isoformat()}"
    sign_in(client, built.users["admin"])
    admins = client.get(every).data
    assert b"Exempt commercial review" in admins
    switch(client, lead)
    leads = client.get(every).data
    assert b"Exempt commercial review" not in leads and b"I50000001" in leads
    assert len(rows("csv")) == 2
    assert client.get(url("csv", exempt.decision.id)).status_code == 404

    # Links between recommendations are the reader's: the same stored body, filled per reader
    make.recommendation_link(built.recs["R1"], exempt.recs["R1"], created_at=at(D(2021, 1, 7)))
    page = url("page", built.decision.id)
    switch(client, built.users["admin"])
    shown = client.get(page).get_data(as_text=True)
    assert "tracker-report-link" in shown and "I50000009" in shown
    switch(client, lead)
    hidden = client.get(page).get_data(as_text=True)
    assert "tracker-report-link" not in hidden
    assert len(rows("page")) == 1


def test_a_new_layout_version_builds_the_report_afresh(client, built, monkeypatch):
    sign_in(client, built.users["member"])
    path = url("csv", built.decision.id)
    before = client.get(path).data
    monkeypatch.setattr(stored, "LAYOUT_VERSION", "another deploy")
    after = client.get(path).data
    assert len(rows("csv")) == 2 and after == before


def test_downloads_served_from_the_store_still_record_their_export(client, built):
    sign_in(client, built.users["member"])
    path = url("csv", built.decision.id)
    for _ in range(2):
        assert client.get(path).status_code == 200
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "export")) == 2


def test_an_audited_change_read_as_it_is_now_builds_the_report_afresh(client, built):
    """The decision's date starts its weekly charts as it is now: its audited change reaches
    back, and the report served is again what a fresh build gives."""
    sign_in(client, built.users["member"])
    path = url("csv", built.decision.id)
    client.get(path)
    seen = dict(rows("csv")[0].through)
    audit.updated(built.decision, {"decided_on": D(2020, 12, 1)}, "Decision edited")
    after = client.get(path).data
    db.session.expire_all()
    assert rows("csv")[0].through["audit"] > seen["audit"]   # built again, and stored
    assert fresh(client, path).data == after


def test_the_word_paper_is_stored_per_day_printed_and_per_cover(client, make, built):
    sign_in(client, built.users["member"])
    path = url("docx", built.decision.id)
    first = client.get(path).data
    assert len(rows("docx")) == 1 and client.get(path).data == first
    # The next meeting, as the update rounds are now, is on its cover
    make.update_round([built.decision], committee="Scrutiny board", meeting_on=D(2021, 3, 1),
                      due_on=D(2021, 2, 15))
    named = client.get(path).data
    assert len(rows("docx")) == 2 and b"Scrutiny board" in zip_text(named)
    # Printed another day: another footer
    with travel_to(now() + dt.timedelta(days=1)):
        later = client.get(path).data
    assert len(rows("docx")) == 3 and later != named


def test_a_word_paper_whose_charts_could_not_be_drawn_is_not_stored(app, client, built,
                                                                    monkeypatch):
    monkeypatch.setitem(app.config, "CHART_IMAGES", True)
    monkeypatch.setitem(app.config, "CHART_IMAGES_BROWSER", "/nowhere/chromium")
    sign_in(client, built.users["member"])
    assert client.get(url("docx", built.decision.id)).status_code == 200
    assert rows("docx") == []


def zip_text(data: bytes) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return b"".join(archive.read(name) for name in archive.namelist())


def test_a_read_is_noted_once_a_day_and_reports_unread_for_thirty_days_are_deleted(
        client, built):
    sign_in(client, built.users["member"])
    path = url("csv", built.decision.id)
    client.get(path)
    stored_at = rows("csv")[0].last_read_at
    with travel_to(now() + dt.timedelta(days=2)):
        client.get(path)
    db.session.expire_all()
    read_at = rows("csv")[0].last_read_at
    assert read_at >= stored_at + dt.timedelta(days=2)
    with travel_to(now() + dt.timedelta(days=2, hours=1)):
        client.get(path)   # read again within the day: nothing written
    db.session.expire_all()
    assert rows("csv")[0].last_read_at == read_at
    with travel_to(now() + dt.timedelta(days=33)):
        client.get(url("xlsx", built.decision.id))   # another report stored
    db.session.expire_all()
    assert [row.kind for row in rows()] == ["xlsx"]


# --- today's report: served while nothing at all has been written since -------------------
def _prepare_sign_off(built, make, db_session):
    """R1 awaiting sign-off: its last action complete, its outcome stated."""
    make.update(built.actions["A2"], status="complete", rag=None,
                recorded_at=now() - dt.timedelta(hours=1), narrative="Course written.")
    built.recs["R1"].intended_outcome = "Every lead trained."
    built.recs["R1"].how_measured = "The training register."
    db_session.flush()


def _prepare_theme(built, make, db_session):
    return make.theme([built.recs["R1"]], name="Training")


def _prepare_organisation(built, make, db_session):
    return make.organisation(name="Northshire Police")


def _sign_off(built, make, db_session, _):
    from tracker.recommendations import services

    services.sign_off(built.users["admin"], built.recs["R1"], "Scrutiny today", "M1", today(),
                      None)


def _write(name):
    """Each kind of write, made as the tracker's services make it."""
    from tests.schools.test_import import HEREFORD, HEREFORD_CP1252
    from tracker.decisions import services as decisions
    from tracker.recommendations import closing, services
    from tracker.schools import importing, services as schools
    from tracker.themes import services as themes

    def update(b, make, db_session, _):
        services.record_update(b.users["olu"], b.actions["A4"], services.UpdateDetails(
            status="in_progress", rag="green", narrative="Sampling started today."), today())

    def action_edit(b, make, db_session, _):
        services.edit_action(b.users["admin"], b.actions["A2"], services.ActionDetails(
            title="Write the course again", owner_id=b.users["priya"].id,
            due_on=D(2021, 1, 25)), None)

    def recommendation_edit(b, make, db_session, _):
        rec = b.recs["R1"]
        services.edit_recommendation(b.users["admin"], rec, services.RecommendationDetails(
            source=rec.source, reference=rec.reference, part_id=rec.part_id,
            text="Train every designated lead each year.", owner_id=rec.owner_id), None)

    def response(b, make, db_session, _):
        rec = db_session.get(type(b.recs["R4"]), b.recs["R4"].id)
        services.record_response(b.users["admin"], rec, services.ResponseDetails(
            response="accepted", response_text="The budget was found."))

    def adoption(b, make, db_session, _):
        schools.record_adoption(b.schools["S4"], b.version, schools.AdoptionDetails(
            status="adopted", adopted_on=today()), b.users["admin"], 0)

    def school_import(b, make, db_session, _):
        importing.run_import(HEREFORD_CP1252, HEREFORD)

    def membership(b, make, db_session, organisation):
        b.users["olu"].organisation = organisation   # as the users' service sets it
        db_session.flush()

    def theme_assignment(b, make, db_session, theme):
        themes.set_themes(b.recs["R2"], [theme.id])

    def closure(b, make, db_session, _):
        closing.close(b.users["admin"], b.recs["R5"], "withdrawn", reason="No longer needed.",
                      meeting=None, minute=None, superseded_by_id=None, risk_accepted_by=None,
                      today=today())

    def impact_review(b, make, db_session, _):
        closing.record_impact(b.users["admin"], b.recs["R2"], "Referrals doubled.",
                              "evidenced", [], today())

    def decision_edit(b, make, db_session, _):
        decisions.edit_decision(b.decision, {"title": "Review of cases, revised"}, None)

    def part_edit(b, make, db_session, _):
        part = b.parts["a"]
        decisions.edit_part(part, {"label": part.label, "kind": part.kind,
                                   "text": "Part a, as amended."}, None)

    def document(b, make, db_session, _):
        decisions.add_document(b.decision, {"kind": "appendix", "title": "Appendix B",
                                            "url": None, "label": "B",
                                            "part_id": b.parts["a"].id})

    def user_rename(b, make, db_session, _):
        audit.updated(b.users["olu"], {"name": "Olu Okafor"},   # as the users' service does
                      "Edited user olu")
        db_session.commit()

    return {"an update": update, "an action edit": action_edit,
            "a recommendation edit": recommendation_edit, "a response": response,
            "an adoption": adoption, "a school import": school_import,
            "a membership change": membership, "a theme assignment": theme_assignment,
            "a sign-off": _sign_off, "a closure": closure, "an impact review": impact_review,
            "a decision edit": decision_edit, "a part edit": part_edit,
            "a part's document": document, "a user rename": user_rename}[name]


WRITES = {"an update": None, "an action edit": None, "a recommendation edit": None,
          "a response": None, "an adoption": None, "a school import": None,
          "a membership change": _prepare_organisation,
          "a theme assignment": _prepare_theme, "a sign-off": _prepare_sign_off,
          "a closure": None, "an impact review": None, "a decision edit": None,
          "a part edit": None, "a part's document": None, "a user rename": None}


# Today's figures stored for the day, each under its kind: the committee report's page as at
# today, the dashboard's (its first page of late actions), the open data's every decision, a
# decision page's progress, a member's home page overview and the recommendations list's
# filter choices
TODAY = {"page": "/reports/committee?decision={id}", "dashboard": "/dashboard?decision={id}",
         "open data": "/api/decisions", "decision": "/decisions/{id}", "home": "/",
         "choices": "/recommendations"}


@pytest.mark.parametrize("kind", list(TODAY))
@pytest.mark.parametrize("write", list(WRITES))
def test_todays_report_is_served_until_any_write_then_built_afresh(
        app, client, make, db_session, built, statements, write, kind, monkeypatch):
    monkeypatch.setitem(app.config, "OPEN_DATA_ENABLED", True)
    made = WRITES[write](built, make, db_session) if WRITES[write] else None
    sign_in(client, built.users["member"])
    path = TODAY[kind].format(id=built.decision.id)
    if write == "a theme assignment" and "?" in path:
        path += f"&theme={made.id}"
    before = client.get(path)
    assert before.status_code == 200
    [row] = rows(kind)
    assert row.live_on == today()
    statements[0] = 0
    again = client.get(path)
    served = statements[0]
    assert same_bytes(again) == same_bytes(before)

    _write(write)(built, make, db_session, made)
    db.session.expire_all()
    statements[0] = 0
    after = client.get(path)
    rebuilt = statements[0]
    assert after.status_code == 200
    assert rebuilt > served + 5    # built afresh, not served
    assert len(rows(kind)) <= 2   # the same key replaced (a new key: memberships, themes)
    assert same_bytes(fresh(client, path)) == same_bytes(after)
    # the reader, the form (decisions, themes, agencies), the key, the stamp with the row
    # (one query: stored._highest_and_row), links
    assert served <= 7, served


@pytest.mark.parametrize("kind", list(TODAY))
def test_todays_report_served_asks_a_few_questions_however_much_work(
        app, client, make, db_session, built, statements, kind, monkeypatch):
    monkeypatch.setitem(app.config, "OPEN_DATA_ENABLED", True)
    sign_in(client, built.users["member"])
    path = TODAY[kind].format(id=built.decision.id)

    def served() -> int:
        client.get(path)
        statements[0] = 0
        assert client.get(path).status_code == 200
        return statements[0]

    small = served()
    add_work(make, db_session, built, 30)
    assert served() == small


def test_todays_report_watches_every_table_its_build_reads(app, client, built, monkeypatch):
    """The stamp of today's report (stored._READ, the audit trail) covers every table a build
    reads; those read as they are now are in its key, kept figures are the rules' own."""
    monkeypatch.setitem(app.config, "OPEN_DATA_ENABLED", True)
    sign_in(client, built.users["member"])
    read: list[str] = []

    def note(_conn, _cursor, statement, *_):
        read.extend(re.findall(r"(?:FROM|JOIN)\s+\"?(\w+)", statement))

    sa.event.listen(db.engine, "before_cursor_execute", note)
    try:
        for kind in PATHS:
            fresh(client, url(kind, built.decision.id, as_at=today()))
        for path in TODAY.values():
            fresh(client, path.format(id=built.decision.id))
        fresh(client, "/dashboard")
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", note)
    watched = {model.__tablename__ for model in stored._READ}
    in_key = {"organisation_members", "recommendation_themes"}
    kept = {"action_weeks", "action_week_sums", "adoption_counts", "adoption_weeks",
            "ageing_points", "recommendation_rollups", "stored_reports"}
    # read for each request around the stored body (the decision page's terminology list)
    per_request = {"pg_stat_activity", "themes", "recommendation_links", "update_rounds",
                   "user_schools", "audit_events", "refusal_tallies", "form_tokens",
                   "user_tokens", "terminology_rules"}
    assert set(read) - watched - in_key - kept - per_request == set()


def test_todays_report_built_while_another_transaction_writes_is_not_stored(
        client, built, database_url, statements):
    """A row that took its id before another's but commits after it would not raise the
    highest id: a report built meanwhile is served, not stored (PostgreSQL; SQLite has one
    writer at a time). One stored before is still served meanwhile: what the other has not
    committed, no build would read."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite writes one transaction at a time")
    db_url = database_url
    sign_in(client, built.users["member"])
    path = f"/reports/committee?decision={built.decision.id}"
    other = sa.create_engine(db_url)
    with other.connect() as connection:
        transaction = connection.begin()
        connection.execute(sa.text("SELECT pg_current_xact_id()"))   # writing
        assert client.get(path).status_code == 200
        assert rows("page") == []
        transaction.rollback()
    other.dispose()
    # A request is a transaction of its own, whose first look at the other transactions is
    # its own; this test's requests share one: forget the look the first one took
    db.session.execute(sa.text("SELECT pg_stat_clear_snapshot()"))
    statements[0] = 0
    built_page = client.get(path)
    built_asked = statements[0]
    assert len(rows("page")) == 1
    other = sa.create_engine(db_url)
    with other.connect() as connection:
        transaction = connection.begin()
        connection.execute(sa.text("SELECT pg_current_xact_id()"))   # writing
        statements[0] = 0
        served = client.get(path)
        assert statements[0] < built_asked - 5      # served, not built
        assert same_bytes(served) == same_bytes(built_page)
        transaction.rollback()
    other.dispose()


@pytest.mark.parametrize("kind", ["page", "csv", "xlsx", "zip", "docx"])
def test_todays_report_and_downloads_are_stored_and_served_as_a_fresh_build_reads(
        client, make, built, kind, statements):
    sign_in(client, built.users["member"])
    path = url(kind, built.decision.id, as_at=today())
    first = client.get(path)
    assert first.status_code == 200
    [row] = rows(kind)
    assert row.as_at == today() and row.live_on == today()
    statements[0] = 0
    second = client.get(path)
    from_store = statements[0]
    assert same_bytes(second) == same_bytes(first)
    if kind in ("xlsx", "docx"):   # what the writers date as they save: the report's day
        time.sleep(2.1)     # (a zip entry's time has a 2-second step)
    statements[0] = 0
    again = fresh(client, path)
    assert same_bytes(again) == same_bytes(second)
    assert from_store < statements[0] - 5
    # A write the report shows: built afresh, the same key replaced
    make.update(built.actions["A4"], status="in_progress", rag="green", recorded_at=now(),
                narrative="Sampling started today.")
    after = client.get(path)
    assert same_bytes(after) != same_bytes(again)
    assert len(rows(kind)) == 1
    assert same_bytes(fresh(client, path)) == same_bytes(after)


def test_a_decision_entered_today_is_in_todays_report_of_every_decision(
        client, make, built, statements):
    sign_in(client, built.users["member"])
    path = "/reports/committee?decision=all"
    before = client.get(path)
    assert len(rows("page")) == 1
    decision = make.decision(title="Decided and entered today", decided_on=today(),
                             created_at=now())
    make.part(decision, label="a", kind="agree_recommendations", created_at=now())
    statements[0] = 0
    after = client.get(path)
    assert statements[0] > 15   # built afresh
    assert b"Decided and entered today" in after.data
    assert b"Decided and entered today" not in before.data
    assert same_bytes(fresh(client, path)) == same_bytes(after)


# --- today's dashboard: its first page of late actions stored for the day ------------------
def test_the_dashboard_stores_its_first_late_page_only_and_one_body_per_filter(
        client, make, db_session, built, monkeypatch):
    """Later pages of the late list are built as asked for; filters the form cannot read
    are no filter (one stored body, its links as the form understood them), so no address
    stores another body of the same figures."""
    from tracker.dashboard import today_actions

    monkeypatch.setattr(today_actions, "LATE_PER_PAGE", 3)
    six_late_actions(make, built.recs["R5"], today())
    db_session.flush()
    sign_in(client, built.users["member"])
    first = client.get("/dashboard")
    assert len(rows("dashboard")) == 1
    second = client.get("/dashboard?late_page=2")
    assert b"Late actions 4 to 6 of 8" in second.data
    assert len(rows("dashboard")) == 1
    for odd in ("/dashboard?late_page=1", "/dashboard?agency=nonsense",
                "/dashboard?theme=99999&late_page=0", "/dashboard?decision=",
                "/dashboard?late_page=abc"):
        assert same_bytes(client.get(odd)) == same_bytes(first), odd
    assert len(rows("dashboard")) == 1
    # the decision chosen as a number written otherwise: its own filter, read as the form does
    chosen = client.get(f"/dashboard?decision=0{built.decision.id}").get_data(as_text=True)
    assert f'<option value="{built.decision.id}" selected>' in chosen
    assert f"late_page=2&amp;decision={built.decision.id}#" in chosen \
        or f"decision={built.decision.id}&amp;late_page=2#" in chosen
    assert len(rows("dashboard")) == 2


def test_one_readers_dashboard_never_serves_another(client, make, built, exempt):
    lead = make.user(role="school_lead", name="Sam Lead")
    sign_in(client, built.users["admin"])
    assert "Exempt commercial review" in client.get("/dashboard").get_data(as_text=True)
    switch(client, lead)
    assert "Exempt commercial review" not in client.get("/dashboard").get_data(as_text=True)
    assert len(rows("dashboard")) == 2


def test_the_home_overview_is_stored_per_role_and_the_administrators_has_sign_offs(
        client, make, db_session, built):
    """A member's and an administrator's overview are two bodies (the administrator's with
    the recommendations awaiting sign-off); each reader of the role is served the same."""
    _prepare_sign_off(built, make, db_session)
    sign_in(client, built.users["member"])
    member = client.get("/").get_data(as_text=True)
    switch(client, built.users["admin"])
    admin = client.get("/").get_data(as_text=True)
    assert len(rows("home")) == 2
    assert "Awaiting sign-off" in admin and "Sign off" in admin
    assert "Awaiting sign-off" not in member and "Progress of every decision" in member
    switch(client, make.user(role="member", name="Another Member"))
    another = client.get("/")
    assert len(rows("home")) == 2 and "Another Member" in another.get_data(as_text=True)
    assert same_bytes(fresh(client, "/")) == same_bytes(another)


def test_the_lists_choices_are_stored_per_role_and_a_partners_per_organisation(
        client, make, db_session, built):
    """The recommendations list's filter choices (queries.filter_choices): one body for
    each role, and for partner officers one for each organisation; each partner reads their
    own agency only, as the list built afresh gives it."""
    from tracker.permissions import PARTNER

    one = make.user(role=PARTNER, name="Pat Partner")
    two = make.user(role=PARTNER, name="Pol Partner")
    make.organisation(name="Wye Valley NHS Trust", members=[one])
    make.organisation(name="West Mercia Police", members=[two])

    def agencies(page: str) -> list[str]:
        select = page.split('name="agency"', 1)[1].split("</select>", 1)[0]
        return re.findall(r">([^<]+)</option>", select)

    sign_in(client, built.users["member"])
    member = client.get("/recommendations").get_data(as_text=True)
    switch(client, one)
    mine = client.get("/recommendations").get_data(as_text=True)
    switch(client, two)
    theirs = client.get("/recommendations")
    assert len(rows("choices")) == 3
    assert {"Wye Valley NHS Trust", "West Mercia Police"} <= set(agencies(member))
    assert agencies(mine) == ["Any agency", "Wye Valley NHS Trust"]
    assert agencies(theirs.get_data(as_text=True)) == ["Any agency", "West Mercia Police"]
    assert same_bytes(fresh(client, "/recommendations")) == same_bytes(theirs)


def test_whether_anything_reaches_back_is_asked_with_the_stamps_written_in(app, client, built):
    """A stored report is served while nothing recorded after the ids it saw reaches back
    into its date (``stored._reaches_back``). Those ids are written into the statement
    (``keeping.after``), not sent as parameters: PostgreSQL plans a statement asked often
    once for any value of its parameters and, guessing that ``id > $1`` is a third of the
    table, read every update (1,000,000 at national scale, 67 ms) where the ids written in
    let it walk the primary key from them."""
    sign_in(client, built.users["member"])
    path = url("csv", built.decision.id)
    client.get(path)   # built and stored
    sent: list[str] = []

    def _keep(_conn, _cursor, statement, *_):
        sent.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", _keep)
    try:
        assert client.get(path).status_code == 200   # served: the stamps checked
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", _keep)
    [check] = [s for s in sent if "EXISTS" in s and "progress_updates.id >" in s]
    compared = re.findall(r"\b(\w+)\.id > (\S+)", check)
    tables = {table for table, _ in compared}
    assert {"progress_updates", "actions", "recommendations", "adoption_events", "schools",
            "audit_events"} <= tables
    assert all(stamp.isdigit() for _, stamp in compared), compared
