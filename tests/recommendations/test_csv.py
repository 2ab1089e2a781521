"""The recommendations CSV: one layout for export and import; checked first and reported by
line and column; applied all or nothing; export then import changes nothing; an edited file
applies exactly its edits; formula-like cells are neutralised and restored."""
from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re

import pytest
import sqlalchemy as sa

from tests.recommendations.conftest import as_user
from tracker.clock import today
from tracker.models import Action, AuditEvent, ExecutiveResponse, Recommendation
from tracker.recommendations import csv_io


@pytest.fixture()
def filled(world, make):
    """The world plus awkward text, a scrutiny recommendation with a response and one
    waiting for the executive."""
    world.rec.text = "=HYPERLINK(\"http://evil\")\r\nsecond line"
    world.action.description = "-5 days slack; @mention; +1"
    part_b = make.part(world.decision, label="b", kind="approve_response")
    sc = make.recommendation(part_b, source="scrutiny", reference="SC2", text="'Quoted' text",
                             owner=world.other, committee="Children's scrutiny",
                             meeting_on=dt.date(2020, 9, 28), minute_reference="SC/20/14",
                             report_published_on=dt.date(2020, 10, 5),
                             response_due_on=dt.date(2020, 12, 5))
    make.response(sc, response="partially_accepted", reason="A sample is enough",
                  cabinet_member="Cabinet member", lead_officer="Director", timetable="Summer")
    make.action(sc, title="Sample audit", owner=world.other, due_on=dt.date(2021, 6, 30))
    make.recommendation(None, source="scrutiny", reference="SC9", text="Waiting",
                        report_published_on=dt.date(2021, 1, 4), response_due_on=dt.date(2021, 3, 4))
    return world


def _export(client) -> str:
    response = client.get("/admin/recommendations/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return response.get_data().decode("utf-8-sig")


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def _write(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=csv_io.COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _upload(client, data: bytes) -> str:
    response = client.post_form("/admin/recommendations/import", {
        "csv_file": (io.BytesIO(data), "recommendations.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _confirm(client, preview: str):
    fields = dict(re.findall(r'name="(csv_text|plan_digest)" type="hidden" value="([^"]*)"',
                             preview))
    return client.post_form("/admin/recommendations/import/confirm",
                            {k: html.unescape(v) for k, v in fields.items()})


def _state(db_session):
    recs = db_session.execute(sa.select(
        Recommendation.id, Recommendation.reference, Recommendation.text,
        Recommendation.owner_id, Recommendation.part_id, Recommendation.version_id)
        .order_by(Recommendation.id)).all()
    actions = db_session.execute(sa.select(
        Action.id, Action.title, Action.description, Action.owner_id, Action.due_on,
        Action.version_id).order_by(Action.id)).all()
    responses = db_session.scalar(sa.select(sa.func.count(ExecutiveResponse.id)))
    return recs, actions, responses


def test_formula_cells_are_neutralised_and_restored():
    for value in ("=1+1", "+44", "-5", "@SUM(A1)", "\tx", "\rx", "'already", "'=both"):
        assert csv_io.neutralise(value).startswith("'")
        assert csv_io.restore(csv_io.neutralise(value)) == value
    for value in ("plain", "3.1", "2021-03-31", "", "it's", "'plain"):
        assert csv_io.restore(csv_io.neutralise(value)) == value
    assert csv_io.neutralise("plain") == "plain"


def test_export_layout_is_one_line_per_action_with_neutralised_cells(client, filled, db_session):
    as_user(client, filled.admin)
    text = _export(client)
    rows = _rows(text)
    assert list(rows[0]) == list(csv_io.COLUMNS)
    by_ref = {}
    for row in rows:
        by_ref.setdefault(row["reference"], []).append(row)
    assert sorted(by_ref) == ["3.1", "SC2", "SC9"]
    assert by_ref["3.1"][0]["text"].startswith("'=HYPERLINK")
    assert by_ref["3.1"][0]["action_description"] == "'-5 days slack; @mention; +1"
    assert by_ref["SC2"][0]["text"] == "''Quoted' text"
    assert by_ref["SC2"][0]["response"] == "partially_accepted"
    assert by_ref["SC9"][0]["action_id"] == "" and by_ref["SC9"][0]["decision_reference"] == ""
    assert by_ref["3.1"][0]["owner_email"] == filled.owner.email
    assert db_session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "export"))


def test_export_then_import_changes_nothing(client, filled, db_session):
    as_user(client, filled.admin)
    data = _export(client).encode("utf-8")
    before = _state(db_session)
    preview = _upload(client, data)
    assert "The file matches the tracker: it would change nothing." in preview
    plan = csv_io.check(csv_io.decode(data), today())
    assert plan.problems == [] and plan.changes == []
    assert _state(db_session) == before


def test_an_edited_file_applies_exactly_its_edits(client, filled, db_session):
    as_user(client, filled.admin)
    rows = _rows(_export(client))
    before = _state(db_session)
    first = next(r for r in rows if r["reference"] == "3.1")
    first_text = "Agree a protocol with schools and the police."
    for row in rows:
        if row["reference"] == "3.1":
            row["text"] = first_text
    sc2 = next(r for r in rows if r["reference"] == "SC2")
    sc2["action_owner_email"] = filled.owner.email
    new_action = dict(first, action_id="", action_title="Train the MASH", action_description="",
                      action_owner_email=filled.other.email, action_due_date="31/12/2099")
    new_rec = {c: "" for c in csv_io.COLUMNS} | {
        "decision_reference": filled.decision.reference, "part": "A", "source": "review",
        "reference": "3.8", "text": "A new one.", "owner_email": filled.owner.email.upper(),
        "action_title": "First step", "action_owner_email": filled.owner.email,
        "action_due_date": "2099-01-31"}
    new_rec_2 = dict(new_rec, action_title="Second step", action_due_date="2099-02-28")
    data = _write(rows + [new_action, new_rec, new_rec_2])
    preview = _upload(client, data)
    changes = re.findall(r'<td class="govuk-table__cell">([^<]+)</td>', preview)
    assert len(changes) == 6, changes
    assert _confirm(client, preview).status_code == 302
    recs, actions, responses = _state(db_session)
    assert responses == before[2]
    rec = db_session.get(Recommendation, filled.rec.id)
    assert rec.text == first_text
    new = db_session.scalar(sa.select(Recommendation).where(Recommendation.reference == "3.8"))
    assert new.part_id == filled.part.id and new.owner_id == filled.owner.id
    assert [a.title for a in new.actions] == ["First step", "Second step"]
    assert db_session.scalar(sa.select(Action).where(Action.title == "Train the MASH")).due_on \
        == dt.date(2099, 12, 31)
    sample = db_session.scalar(sa.select(Action).where(Action.title == "Sample audit"))
    assert sample.owner_id == filled.owner.id
    untouched_before = {r.id: r for r in before[0] if r.reference not in ("3.1",)}
    assert all(untouched_before[r.id] == r for r in recs if r.id in untouched_before)
    assert db_session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "import"))
    # and importing the new export again changes nothing
    again = csv_io.check(_export(client), today())
    assert again.problems == [] and again.changes == []


def test_a_bad_file_is_reported_by_line_and_column_and_nothing_is_applied(client, filled,
                                                                        db_session):
    as_user(client, filled.admin)
    rows = _rows(_export(client))
    before = _state(db_session)
    rows[0]["owner_email"] = "nobody@example.gov.uk"
    rows[0]["text"] = "Changed, but the file is bad"
    bad = {c: "" for c in csv_io.COLUMNS} | {
        "decision_reference": filled.decision.reference, "part": "a", "source": "advice",
        "reference": "3.9", "text": "x", "action_title": "Step",
        "action_owner_email": filled.owner.email, "action_due_date": "31 March 2021"}
    wrong_id = dict(rows[0], action_id="999999")
    preview = _upload(client, _write(rows + [bad, wrong_id]))
    text = html.unescape(re.sub(r"<[^>]+>", " ", preview))
    n = len(rows) + 1
    assert "nothing was changed" in text
    assert "Line 2, column G (owner_email): No active officer or administrator has the email " \
           "address nobody@example.gov.uk" in text
    assert f"Line {n + 1}, column D (source): Must be review, scrutiny or referral" in text
    assert f"Line {n + 1}, column W (action_due_date): “31 March 2021” is not a date" in text
    assert f"Line {n + 2}, column S (action_id): No action 999999" in text
    assert "Apply these changes" not in preview
    assert _state(db_session) == before


def test_missing_columns_and_mismatched_lines_are_reported(client, filled, db_session):
    plan = csv_io.check("recommendation_id,reference\n1,3.1\n", today())
    assert "Line 1: Columns missing from the first line:" in str(plan.problems[0])
    as_user(client, filled.admin)
    rows = _rows(_export(client))
    extra = dict(rows[0], action_id="", action_title="Another", reference="3.1 changed",
                 action_owner_email=filled.owner.email, action_due_date="2099-01-01")
    plan = csv_io.check(_write(rows + [extra]).decode(), today())
    assert any(p.column == "reference" and "Differs from line 2" in p.message
               for p in plan.problems)


def test_the_due_date_of_an_existing_action_cannot_be_changed_by_import(client, filled):
    as_user(client, filled.admin)
    rows = _rows(_export(client))
    rows[0]["action_due_date"] = "2099-12-31"
    plan = csv_io.check(_write(rows).decode(), today())
    assert [p.column for p in plan.problems] == ["action_due_date"]
    assert "record a progress update with a revised due date" in plan.problems[0].message


def test_a_response_change_records_a_new_response_and_cannot_be_removed(client, filled,
                                                                      db_session):
    as_user(client, filled.admin)
    rows = _rows(_export(client))
    sc2 = next(r for r in rows if r["reference"] == "SC2")
    sc2["response"], sc2["response_reason"] = "accepted", ""
    plan = csv_io.check(_write(rows).decode(), today())
    assert [c.kind for c in plan.changes] == ["response"]
    sc2["response"] = ""
    plan = csv_io.check(_write(rows).decode(), today())
    assert any("A response cannot be removed" in p.message for p in plan.problems)


def test_new_actions_under_a_decision_open_to_call_in_are_refused(client, world, make):
    day = today()
    fresh = make.decision(reference="I99", decided_on=day,
                          call_in_expires_on=day + dt.timedelta(days=5))
    make.part(fresh, label="a")
    row = {c: "" for c in csv_io.COLUMNS} | {
        "decision_reference": "I99", "part": "a", "source": "review", "reference": "1",
        "text": "x", "action_title": "Start", "action_owner_email": world.owner.email,
        "action_due_date": "2099-01-01"}
    plan = csv_io.check(_write([row]).decode(), day)
    assert [p.column for p in plan.problems] == ["action_title"]
    assert "open to call-in" in plan.problems[0].message


def test_a_changed_tracker_between_preview_and_confirm_applies_nothing(client, filled,
                                                                     db_session):
    as_user(client, filled.admin)
    rows = _rows(_export(client))
    rows[0]["text"] = "Edited in the file"
    preview = _upload(client, _write(rows))
    filled.rec.text = "Edited on the page meanwhile"
    db_session.commit()
    rows_again = _confirm(client, preview)
    assert rows_again.status_code == 200
    assert "The tracker changed since you checked the file" in rows_again.get_data(as_text=True)
    assert db_session.get(Recommendation, filled.rec.id).text == "Edited on the page meanwhile"


def test_command_line_export_and_import(app, filled, db_session, tmp_path):
    runner = app.test_cli_runner()
    path = tmp_path / "recs.csv"
    result = runner.invoke(args=["recommendations", "export", str(path), "--as",
                                 filled.admin.email])
    assert result.exit_code == 0, result.output
    rows = _rows(path.read_text(encoding="utf-8-sig"))
    rows[0]["text"] = "Edited from the command line"
    path.write_bytes(_write(rows))
    dry = runner.invoke(args=["recommendations", "import", str(path), "--dry-run", "--as",
                              filled.admin.email])
    assert dry.exit_code == 0 and "1 changes would be applied; none were" in dry.output
    assert db_session.get(Recommendation, filled.rec.id).text != "Edited from the command line"
    refused = runner.invoke(args=["recommendations", "import", str(path), "--as",
                                  filled.owner.email])
    assert refused.exit_code != 0 and "Only an administrator" in refused.output
    done = runner.invoke(args=["recommendations", "import", str(path), "--as",
                               filled.admin.email])
    assert done.exit_code == 0, done.output
    db_session.expire_all()
    assert db_session.get(Recommendation, filled.rec.id).text == "Edited from the command line"
