"""Reading a notice through the page: preview, confirm, the three seed layouts, bad input."""
from __future__ import annotations

import datetime as dt
import io
import json

import pytest
import sqlalchemy as sa

from tests.decisions.conftest import (
    DETAILS, EXPECTED, ISSUE, WRITTEN, confirm, form_fields, page_text, preview, seed_text,
)
from tracker.models import AuditEvent, Decision, DecisionPart, Document

D = dt.date


def decisions(db_session) -> list[Decision]:
    return list(db_session.scalars(sa.select(Decision).order_by(Decision.id)))


def expected(name: str) -> dict:
    return json.loads((EXPECTED / name.replace(".txt", ".json")).read_text(encoding="utf-8"))


def stored_as_json(decision: Decision) -> dict:
    """The decision's fields in the shape of the reader's JSON, to compare field by field."""
    out = {}
    for name in ("reference", "title", "decision_maker", "key_decision", "decided_on",
                 "published_on", "effective_from", "subject_to_call_in", "call_in_expires_on",
                 "purpose", "decision_text", "reasons", "options_considered",
                 "interests_declared", "signed_by", "signed_on"):
        value = getattr(decision, name)
        out[name] = value.isoformat() if isinstance(value, dt.date) else value
    out["parts"] = [{"label": p.label, "text": p.text} for p in decision.live_parts]
    return out


def assert_every_labelled_field(decision: Decision, name: str, supplied: dict) -> None:
    want = expected(name)
    got = stored_as_json(decision)
    for field, value in got.items():
        if field in supplied:
            assert value == supplied[field], field
        else:
            assert value == want[field], field


def test_written_statement_previews_then_saves_only_when_confirmed(admin, db_session):
    text = seed_text(WRITTEN)
    shown = preview(admin, text)
    assert shown.status_code == 200
    words = page_text(shown)
    for value in ("I50035813", "Review of peer on peer abuse cases", "Cabinet", "26 November 2020",
                  "4 December 2020", "Leader of the Council (Councillor David Hitchiner)",
                  "As set out in the report.", "There no alternative options",
                  "Written statement of a decision (text taken from its PDF)",
                  "Esquer et alle esquiei (esquieillei Bavia i illeriniei)"):
        assert value in words, value
    assert "Declarations of interest Not in this notice" in words
    assert decisions(db_session) == []  # nothing saved by the preview

    done = confirm(admin, shown.get_data(as_text=True))
    assert done.status_code == 302
    [decision] = decisions(db_session)
    assert done.headers["Location"].endswith(f"/decisions/{decision.id}")
    assert_every_labelled_field(decision, WRITTEN, {})
    assert (decision.reference, decision.decided_on, decision.call_in_expires_on) == (
        "I50035813", D(2020, 11, 26), D(2020, 12, 4))
    assert decision.exemption == "open" and decision.key_decision is False
    assert decision.notice_text == text and decision.notice_layout == "written_statement"
    assert [(p.label, p.kind) for p in decision.parts] == [
        ("a", "agree_recommendations"), ("b", "approve_response"), ("c", "approve_guidance"),
        ("d", "referral")]
    events = db_session.scalars(sa.select(AuditEvent).where(
        AuditEvent.actor_id == admin.user.id, AuditEvent.action != "sign_in")
        .order_by(AuditEvent.id)).all()
    assert [(e.action, e.object_type) for e in events] == [
        ("create", "Decision")] + [("create", "DecisionPart")] * 4 + [("import", "Decision")]


def test_decision_details_page_asks_for_what_it_lacks(admin, db_session):
    shown = preview(admin, seed_text(DETAILS))
    words = page_text(shown)
    assert "Committee system “Decision details” page" in words
    assert "Part d appears to be cut off mid-sentence" in words
    refused = confirm(admin, shown.get_data(as_text=True))
    assert refused.status_code == 200
    words = page_text(refused)
    assert "There is a problem" in words
    assert "Enter the date of decision: the notice does not give it" in words
    assert "Choose the report exemption class" in words
    assert decisions(db_session) == []

    done = confirm(admin, refused.get_data(as_text=True), {
        "extra_decided_on-day": "26", "extra_decided_on-month": "11",
        "extra_decided_on-year": "2020", "extra_exemption": "open"})
    assert done.status_code == 302
    [decision] = decisions(db_session)
    assert_every_labelled_field(decision, DETAILS, {"decided_on": "2020-11-26"})
    assert decision.subject_to_call_in is True and decision.key_decision is False
    assert decision.parts[-1].text == "The"  # kept, and flagged on the preview
    assert decision.notice_layout == "decision_details"


def test_issue_decisions_page_date_is_the_date_published(admin, db_session):
    shown = preview(admin, seed_text(ISSUE))
    words = page_text(shown)
    assert "Date published 30 November 2020" in words
    assert "Date of decision Not in this notice" in words
    done = confirm(admin, shown.get_data(as_text=True), {
        "extra_decision_maker": "Cabinet", "extra_decided_on-day": "26",
        "extra_decided_on-month": "11", "extra_decided_on-year": "2020",
        "extra_exemption": "open"})
    assert done.status_code == 302
    [decision] = decisions(db_session)
    assert_every_labelled_field(decision, ISSUE, {"decided_on": "2020-11-26",
                                                  "decision_maker": "Cabinet"})
    assert decision.published_on == D(2020, 11, 30)
    assert [p.label for p in decision.parts] == ["a", "b", "c", "d"]


def test_a_bad_date_for_what_the_notice_lacks_is_explained(admin, db_session):
    shown = preview(admin, seed_text(ISSUE))
    refused = confirm(admin, shown.get_data(as_text=True), {
        "extra_decision_maker": "Cabinet", "extra_decided_on-day": "31",
        "extra_decided_on-month": "2", "extra_decided_on-year": "2020",
        "extra_exemption": "open"})
    assert "The date of decision must be a real date" in page_text(refused)
    assert decisions(db_session) == []


def test_unplaced_text_can_be_assigned_to_a_field(admin, db_session):
    shown = preview(admin, seed_text(WRITTEN))
    body = shown.get_data(as_text=True)
    assert 'name="assign-0"' in body
    assert form_fields(body, "/decisions/import/confirm")["assign-0"] == "ignore"
    confirm(admin, body, {"assign-0": "reasons", "kind-d": "note"})
    [decision] = decisions(db_session)
    assert decision.reasons.endswith(
        "mglssueHistoryHome.aspx?IId=50035813\n\nEsquer et alle esquiei (esquieillei Bavia i "
        "illeriniei)")
    assert decision.parts[3].kind == "note"


def test_accompanying_documents_become_documents(admin, db_session):
    text = ("Decision details\n\nA test of documents\n\nDecision maker: Cabinet\n\n"
            "Date of decision: 3 March 2021\n\nReport exemption class: Open\n\nDecision:\n\n"
            "THAT a) the thing be done.\n\nAccompanying Documents:\n\n"
            "Appendix 1 - Review report PDF 512 KB\n")
    shown = preview(admin, text)
    assert "Accompanying document: Appendix 1 - Review report" in page_text(shown)
    confirm(admin, shown.get_data(as_text=True))
    [decision] = decisions(db_session)
    assert [(d.title, d.url) for d in decision.documents] == [("Appendix 1 - Review report", None)]


def test_a_posted_parse_is_never_trusted(admin, db_session):
    shown = preview(admin, seed_text(WRITTEN))
    confirm(admin, shown.get_data(as_text=True), {"title": "Hacked", "reference": "X1",
                                                  "extra_title": "Hacked too"})
    [decision] = decisions(db_session)
    assert (decision.title, decision.reference) == ("Review of peer on peer abuse cases",
                                                    "I50035813")


def test_the_confirmation_reads_the_text_again(admin, db_session):
    shown = preview(admin, seed_text(WRITTEN))
    refused = confirm(admin, shown.get_data(as_text=True), {"notice_text": "hello there"})
    assert refused.status_code == 200
    assert "Nothing in this text was recognised as a council decision notice" in page_text(refused)
    assert decisions(db_session) == []


# --- Bad input ------------------------------------------------------------------------------

def upload(client, data: bytes, filename: str = "notice.txt"):
    response = client.post_form("/decisions/import",
                                {"notice_file": (io.BytesIO(data), filename)},
                                content_type="multipart/form-data")
    # Werkzeug's test client spools a large body to a temporary file it does not close.
    response.request.environ["wsgi.input"].close()
    return response


@pytest.mark.parametrize("data,filename,message", [
    (b"", "notice.txt", "The file is empty"),
    (b"   \n\t\n", "notice.txt", "The file is empty"),
    (b"PK\x03\x04\x00\x00binary\x00stuff" * 20, "notice.txt", "This file is a zip archive"),
    (b"\x00\x01binary\x00stuff" * 20, "notice.txt", "The file is not text"),
    (b"%PDF-1.7\n...", "notice.txt", "This PDF could not be read: it may be damaged"),
    (b"Decision maker: Cabinet\n" + b"x" * 1_000_001, "notice.txt", "larger than 1 MB"),
    (b"Decision maker: Cabinet\n", "notice.docx", "This file is not really a DOCX file"),
    (b"Decision maker: Cabinet\n", "notice", "The selected file must be a .txt, .html, .htm, "
                                             ".pdf or .docx file"),
    (b"\xd0\xcf\x11\xe0old word", "notice.doc", "This is an old Word .doc file"),
    (b"Just a shopping list.\nEggs, milk.\n", "notice.txt",
     "Nothing in this text was recognised as a council decision notice"),
], ids=["empty", "blank", "zip", "binary", "pdf", "over-1MB", "docx-name", "no-extension",
        "old-word", "not-a-notice"])
def test_bad_files_are_explained_and_nothing_is_saved(admin, db_session, data, filename, message):
    response = upload(admin, data, filename)
    assert response.status_code == 200
    words = page_text(response)
    assert "There is a problem" in words and message in words
    assert "Check what was read" not in words
    assert decisions(db_session) == []


@pytest.mark.parametrize("text,message", [
    ("", "Paste the text of the notice, or choose a notice file"),
    ("   \n  ", "Paste the text of the notice, or choose a notice file"),
    ("Nothing to see here.", "Nothing in this text was recognised"),
    ("Decision maker: Cabinet\n" + "y" * 1_000_001, "larger than 1 MB"),
], ids=["empty", "blank", "not-a-notice", "over-1MB"])
def test_bad_pasted_text_is_explained(admin, db_session, text, message):
    response = preview(admin, text)
    assert message in page_text(response)
    assert decisions(db_session) == []


def test_pasted_text_is_not_sent_as_multipart(admin, db_session):
    """Werkzeug limits a multipart text part to 500 KB; a notice may be up to 1 MB."""
    page = admin.get("/decisions/import").get_data(as_text=True)
    page = page[page.index("<main"):]  # the header's sign-out form aside
    paste_form = page[page.index("<form"):page.index("</form>")]
    assert 'name="notice_text"' in paste_form and "multipart" not in paste_form
    upload_form = page[page.index("</form>"):]
    assert 'name="notice_file"' in upload_form and 'enctype="multipart/form-data"' in upload_form
    big = seed_text(WRITTEN).replace("Options considered\t", "Options considered\t" + "More. " * 150_000)
    assert 800_000 < len(big.encode()) < 1_000_000
    assert "Check what was read from the notice" in page_text(preview(admin, big))


def test_pasting_and_uploading_at_once_is_refused(admin):
    response = admin.post_form("/decisions/import", {
        "notice_text": seed_text(WRITTEN),
        "notice_file": (io.BytesIO(seed_text(WRITTEN).encode()), "notice.txt")},
        content_type="multipart/form-data")
    assert "Paste the notice or choose files, not both" in page_text(response)


def test_windows_1252_file_is_read_with_a_warning(admin, db_session):
    data = seed_text(DETAILS).encode("cp1252")
    shown = upload(admin, data)
    words = page_text(shown)
    assert "Decoded as Windows-1252 because the file is not valid UTF-8" in words
    done = confirm(admin, shown.get_data(as_text=True), {
        "extra_decided_on-day": "26", "extra_decided_on-month": "11",
        "extra_decided_on-year": "2020", "extra_exemption": "open"})
    assert done.status_code == 302
    [decision] = decisions(db_session)
    assert "‘alleged victim’" in decision.parts[0].text  # curly quotes survive
    assert decision.notice_text == seed_text(DETAILS)


def test_a_utf8_upload_is_the_same_as_pasting(admin, db_session):
    shown = upload(admin, seed_text(WRITTEN).encode("utf-8"))
    confirm(admin, shown.get_data(as_text=True))
    [decision] = decisions(db_session)
    assert_every_labelled_field(decision, WRITTEN, {})


def test_nothing_is_saved_without_the_csrf_token(admin, db_session):
    shown = preview(admin, seed_text(WRITTEN))
    response = confirm(admin, shown.get_data(as_text=True), {"csrf_token": None})
    assert response.status_code == 400
    assert decisions(db_session) == []
    assert db_session.scalar(sa.select(sa.func.count(DecisionPart.id))) == 0
    assert db_session.scalar(sa.select(sa.func.count(Document.id))) == 0
