"""Control characters and NUL bytes: refused where they come in, with a message that says
what to do, the same on SQLite and PostgreSQL; stripped where text goes out as XML (the Excel
report), so one stray character typed or imported long ago cannot break a download."""
from __future__ import annotations

import io
import warnings

import openpyxl
import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from tests.conftest import sign_in
from tests.recommendations.conftest import as_user, update_form, world  # noqa: F401
from tests.security import world as world_module
from tests.security.test_form_limits import FORMS, hidden, text_fields
from tracker.clock import today
from tracker.models import ProgressUpdate, User
from wtforms import TextAreaField

MULTI_LINE_MESSAGE = "contains a character that cannot be stored"
ONE_LINE_MESSAGE = "must be on one line"


def _form(app, form_class, data):  # type: ignore[no-untyped-def]
    with app.test_request_context(method="POST", data=MultiDict(data)), \
            warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        form = form_class(meta={"csrf": False})
        for field in form:
            if getattr(field, "choices", ()) is None:
                field.choices = []  # choices a view fills in; irrelevant here
        form.validate()
        return {field.name: [str(e) for e in field.errors] for field in form}


def _typed_fields(form_class):  # type: ignore[no-untyped-def]
    return {name: field for name, field in text_fields(form_class).items() if not hidden(field)}


@pytest.mark.parametrize("form_class", FORMS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("bad", ["a\x00b", "bell\x07", "esc\x1b[31m", "vt\x0b", "\ufffe"])
def test_every_text_field_refuses_control_characters_with_a_message(app, form_class, bad):
    fields = _typed_fields(form_class)
    if not fields:
        pytest.skip(f"{form_class.__name__} has no text fields")
    errors = _form(app, form_class, {name: bad for name in fields})
    for name in fields:
        assert any(MULTI_LINE_MESSAGE in e or ONE_LINE_MESSAGE in e for e in errors[name]), \
            (name, errors[name])


@pytest.mark.parametrize("form_class", FORMS, ids=lambda c: c.__name__)
def test_one_line_fields_refuse_line_breaks_and_multi_line_fields_keep_them(app, form_class):
    fields = _typed_fields(form_class)
    if not fields:
        pytest.skip(f"{form_class.__name__} has no text fields")
    errors = _form(app, form_class, {name: "first line\r\nsecond\tline" for name in fields})
    for name, field in fields.items():
        if issubclass(field.field_class, TextAreaField):
            assert not any(MULTI_LINE_MESSAGE in e or ONE_LINE_MESSAGE in e
                           for e in errors[name]), (name, errors[name])
        else:
            assert any(ONE_LINE_MESSAGE in e for e in errors[name]), (name, errors[name])


def test_a_narrative_with_a_bell_is_refused_on_the_page_and_nothing_is_saved(client, world,
                                                                           db_session):
    as_user(client, world.owner)
    page = client.post_form(f"/actions/{world.action.id}/updates/new",
                            update_form(narrative="Drafted\x07 with the police"))
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "govuk-error-summary" in text and MULTI_LINE_MESSAGE in text
    assert db_session.scalar(sa.select(sa.func.count(ProgressUpdate.id)).where(
        ProgressUpdate.action_id == world.action.id)) == 0


def test_a_nul_byte_at_sign_in_is_a_form_error_on_both_databases(client, make):
    user = make.user(role="officer")
    client.fetch_csrf("/sign-in")
    for data in ({"email": user.email + "\x00", "password": "x"},
                 {"email": user.email, "password": "pass\x00word"}):
        response = client.post_form("/sign-in", data)
        assert response.status_code == 200, data
        assert "cannot be stored" in response.get_data(as_text=True)


def test_a_nul_byte_in_a_query_parameter_is_refused_on_every_page(app, client, make):
    world = world_module.build(make)
    sign_in(client, world.users["admin"])
    problems = []
    for rule in world_module.routes(app, "GET"):
        if rule.endpoint in ("auth.sign_out", "static"):
            continue
        path = world_module.url(app, rule, world)
        joiner = "&" if "?" in path else "?"
        for query in ("q=a%00b", "page=%00", "as_at=1%00", "a%00=1"):
            response = client.get(f"{path}{joiner}{query}")
            if response.status_code != 400:
                problems.append(f"{path}{joiner}{query}: {response.status_code}")
            elif "cannot be read" not in response.get_data(as_text=True):
                problems.append(f"{path}{joiner}{query}: 400 without a message")
            response.close()
    assert not problems, "\n".join(problems)


def test_a_nul_byte_in_a_posted_filter_or_hidden_field_is_refused(client, make, db_session):
    admin = make.user(role="admin")
    sign_in(client, admin)
    before = db_session.scalar(sa.select(sa.func.count(User.id)))
    response = client.post_form("/admin/users/new", {
        "name": "New\x00 person", "email": "new@example.gov.uk", "role": "officer"})
    assert response.status_code == 200
    assert "cannot be stored" in response.get_data(as_text=True)
    assert db_session.scalar(sa.select(sa.func.count(User.id))) == before


def test_the_excel_report_strips_characters_xml_forbids(client, make):
    officer = make.user(role="officer", name="Officer\x1b[31m Red")
    decision = make.decision(title="Decision\x07 with a bell", exemption="open")
    part = make.part(decision, kind="agree_recommendations", owner_id=officer.id)
    recommendation = make.recommendation(part, owner_id=officer.id, text="Keep\x0c records")
    action = make.action(recommendation, owner_id=officer.id, title="Act\x01ion")
    make.update(action, author_id=officer.id, narrative="Escape \x1b[2J and bell \x07 done")
    sign_in(client, make.user(role="member"))
    day = today()
    response = client.get(f"/reports/committee.xlsx?decision={decision.id}"
                          f"&as_at={day.day}&as_at={day.month}&as_at={day.year}")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    cells = [str(v) for sheet in book.worksheets
             for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    assert "Decision with a bell" in cells
    assert not [c for c in cells if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in c)]
    csv = client.get(f"/reports/committee.csv?decision={decision.id}"
                     f"&as_at={day.day}&as_at={day.month}&as_at={day.year}")
    assert csv.status_code == 200


# --- imports: the same rule, row by row ---------------------------------------------------
def test_the_recommendations_csv_refuses_control_characters_row_by_row():
    from tracker.recommendations import csv_io

    header = ",".join(csv_io.COLUMNS)
    row = {c: "" for c in csv_io.COLUMNS} | {
        "decision_reference": "I1", "part": "a", "source": "review", "reference": "1",
        "text": "Line one\r\nline two\tand a tab", "lead_service": "Children\x07s services",
        "action_title": "Two\nlines"}
    text = header + "\r\n" + ",".join(f'"{row[c]}"' for c in csv_io.COLUMNS) + "\r\n"
    _, _, problems = csv_io.read(text)
    assert [str(p) for p in problems] == [
        f"Line 2, column H (lead_service): The cell {MULTI_LINE_MESSAGE} (a control "
        "character, such as a NUL byte or an escape code, often pasted from another "
        "program): delete it and try again",
        f"Line 2, column T (action_title): The cell {ONE_LINE_MESSAGE}: remove the line breaks"]


def test_the_gias_file_refuses_control_characters_row_by_row():
    from tests.schools.test_gias_reader import COLUMNS, minimal_row
    from tracker.schools.gias import RowError, SchoolRow, open_gias

    lines = [",".join(COLUMNS),
             ",".join(f'"{v}"' for v in minimal_row("990001", "Bell\x07 School")),
             ",".join(f'"{v}"' for v in minimal_row("990002", "Plain School"))]
    with open_gias(io.BytesIO(("\r\n".join(lines) + "\r\n").encode("utf-8"))) as reader:
        items = list(reader)
    names = [i.name for i in items if isinstance(i, SchoolRow)]
    errors = [str(e) for e in items if isinstance(e, RowError)]
    assert names == ["Plain School"]
    assert errors == [f"line 2, EstablishmentName: EstablishmentName {MULTI_LINE_MESSAGE} "
                      "(a control character, such as a NUL byte or an escape code, often "
                      "pasted from another program): delete it and try again"]


def test_a_notice_keeps_no_control_character_and_says_so():
    from tracker.decisions.notice import decode_notice

    text = ("Decision title\x07 here\n" + "Some words of the notice. " * 20
            + "\x0cpage two\x1b\n")
    decoded = decode_notice(text.encode("utf-8"))
    assert decoded.error is None
    assert decoded.text == ("Decision title here\n" + "Some words of the notice. " * 20
                            + "\npage two\n")
    assert decoded.warnings == ["2 control characters (such as an escape code, often left by "
                                "copying out of a PDF) were left out of the text"]
