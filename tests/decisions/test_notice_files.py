"""Notice files as they come: PDF, saved web pages, Word; several at once (command and page)."""
from __future__ import annotations

import html
import io
import json
import os

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage, MultiDict

from tests.decisions.conftest import DETAILS, ISSUE, SEED, WRITTEN, page_text
from tests.decisions.corpus_score import CORPUS, names
from tests.decisions.notice_documents import as_docx, as_html, as_pdf, scanned_pdf
from tracker.decisions.notice import read_notice
from tracker.decisions.notice_files import MAX_FILE_BYTES, NO_TEXT_LAYER, text_from_file
from tracker.models import Decision

TEXTS = {name: (CORPUS / f"{name}.txt").read_text(encoding="utf-8") for name in names()}
TEXTS |= {stem: (SEED / stem).read_text(encoding="utf-8") for stem in (DETAILS, ISSUE, WRITTEN)}
MAKERS = {"pdf": as_pdf, "html": as_html, "docx": as_docx}
# The written statement is a two-column form: as a web page or Word document its rows are
# table rows and read back as "Label<TAB>value". A PDF made here draws lines, not a table, so
# its columns would come back as spaces; the form's PDF text is the seed itself.
VERSIONS = [(name, kind) for name in sorted(TEXTS) for kind in sorted(MAKERS)
            if not (name == WRITTEN and kind == "pdf")]


def reading_of(data: bytes, filename: str) -> dict:
    decoded = text_from_file(data, filename)
    assert decoded.error is None, decoded.error
    return read_notice(decoded.text or "").to_json_dict()


@pytest.mark.parametrize("name,kind", VERSIONS)
def test_pdf_html_and_word_versions_read_the_same_as_the_text(name: str, kind: str) -> None:
    text = TEXTS[name]
    assert reading_of(MAKERS[kind](text), f"notice.{kind}") == read_notice(text).to_json_dict()


def test_a_pdf_without_a_text_layer_is_refused_saying_so() -> None:
    decoded = text_from_file(scanned_pdf(), "scan.pdf")
    assert decoded.text is None and decoded.error == NO_TEXT_LAYER
    assert "no text in it" in NO_TEXT_LAYER and "scanned image" in NO_TEXT_LAYER


def test_a_locked_pdf_and_a_damaged_word_document_are_refused() -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(as_pdf(TEXTS[DETAILS]))).pages:
        writer.add_page(page)
    writer.encrypt("secret")
    locked = io.BytesIO()
    writer.write(locked)
    assert "locked with a password" in text_from_file(locked.getvalue(), "n.pdf").error
    damaged = as_docx(TEXTS[DETAILS])[:400]
    assert text_from_file(damaged, "n.docx").error.startswith("This Word document could not be read")


def test_a_web_page_table_reads_as_label_and_value() -> None:
    page = (b"<html><body><h1>Decision details</h1><table><tr><th>Decision maker</th>"
            b"<td>Cabinet</td></tr><tr><td>Title</td><td>Invented &amp; tested</td></tr></table>"
            b"<p>Decision:</p><p>That the <b>invented</b> report be noted.</p></body></html>")
    decoded = text_from_file(page, "saved.htm")
    reading = read_notice(decoded.text)
    assert (reading.decision_maker, reading.title) == ("Cabinet", "Invented & tested")
    assert reading.decision_text == "That the invented report be noted."


# --- Many at once: the command -------------------------------------------------------------

@pytest.fixture()
def folder(tmp_path):
    (tmp_path / "a-details.pdf").write_bytes(as_pdf(TEXTS[DETAILS]))
    (tmp_path / "b-issue.docx").write_bytes(as_docx(TEXTS[ISSUE]))
    (tmp_path / "c-minutes.html").write_bytes(as_html(TEXTS["darlington-mgAi-11573"]))
    (tmp_path / "d-scan.pdf").write_bytes(scanned_pdf())
    (tmp_path / "notes.odt").write_bytes(b"not a notice file type: skipped by the folder")
    return tmp_path


def test_the_command_reads_a_folder_and_reports_each_file(app, db_session, folder):
    result = app.test_cli_runner().invoke(args=["decisions", "import", str(folder), "--dry-run",
                                                "--json"])
    assert result.exit_code != 0  # the scan could not be read
    files = json.loads(result.stdout)
    assert [f["file"].rsplit("/", 1)[1] for f in files] == [
        "a-details.pdf", "b-issue.docx", "c-minutes.html", "d-scan.pdf"]
    assert files[0]["reading"] == read_notice(TEXTS[DETAILS]).to_json_dict()
    assert files[1]["reading"] == read_notice(TEXTS[ISSUE]).to_json_dict()
    assert files[2]["reading"]["title"] == "Cabinet Urgent Decisions"
    assert files[3] == {"file": str(folder / "d-scan.pdf"),
                        "error": f"{folder / 'd-scan.pdf'}: {NO_TEXT_LAYER}"}
    assert f"Skipped {folder / 'notes.odt'}: not a notice file" in result.stderr
    assert "3 of 4 notice file(s) read" in result.stderr
    assert "1 of 4 notice file(s) could not be read" in result.stderr
    assert db_session.scalars(sa.select(Decision)).all() == []


def test_the_command_takes_several_files_and_saves_each(app, db_session, make, folder):
    user = make.user(role="admin")
    result = app.test_cli_runner().invoke(args=[
        "decisions", "import", str(folder / "a-details.pdf"), str(folder / "c-minutes.html"),
        "--as", user.email, "--decided-on", "2020-11-26", "--exemption", "open",
        "--decision-maker", "Cabinet"])
    assert result.exit_code == 0, result.output
    assert "== " in result.output and "2 of 2 notice file(s) read and saved" in result.output
    titles = sorted(d.title for d in db_session.scalars(sa.select(Decision)))
    assert titles == ["Cabinet Urgent Decisions", "Review of peer on peer abuse cases"]


def test_update_and_new_are_for_one_file_only(app, db_session, folder):
    result = app.test_cli_runner().invoke(args=["decisions", "import", str(folder), "--dry-run",
                                                "--new"])
    assert result.exit_code != 0 and "one notice file at a time" in result.output


# --- Many at once: the upload page ---------------------------------------------------------

def test_the_upload_page_takes_several_files_and_shows_one_preview_each(admin, db_session, folder):
    files = [(io.BytesIO((folder / n).read_bytes()), n)
             for n in ("a-details.pdf", "b-issue.docx", "d-scan.pdf")]
    response = admin.post_form("/decisions/import", {"notice_file": files},
                               content_type="multipart/form-data")
    assert response.status_code == 200
    words = page_text(response)
    assert "Check what was read from 3 notice files" in words
    assert "2 of 3 files were read" in words
    assert "1. a-details.pdf Read as: Committee system “Decision details” page" in words
    assert "2. b-issue.docx Read as: Committee system “Issue - decisions” page" in words
    assert f"3. d-scan.pdf Error: Not read: {NO_TEXT_LAYER}" in words
    body = response.get_data(as_text=True)
    assert body.count('id="check-') == 2  # a "Check and save this notice" button per notice read
    assert db_session.scalars(sa.select(Decision)).all() == []
    # each notice goes on to the full preview, from which it is saved
    start = body.index('name="notice_text" value="') + len('name="notice_text" value="')
    text = html.unescape(body[start: body.index('"', start)])
    shown = admin.post_form("/decisions/import", {"notice_text": text})
    assert "Check what was read from the notice" in page_text(shown)
    assert "Review of peer on peer abuse cases" in page_text(shown)


def _padded_pdf(text: str, size: int) -> bytes:
    """A PDF with a text layer, made ``size`` bytes or more by an attached file, as a scanned
    appendix or embedded images make a council's published PDF."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(as_pdf(text))).pages:
        writer.add_page(page)
    writer.add_attachment("appendix.bin", os.urandom(size))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _post_files(admin, files):  # type: ignore[no-untyped-def]
    """The upload form posted with the body built in memory (werkzeug's test client would
    spool a body this large to a temporary file it never closes)."""
    from werkzeug.test import encode_multipart

    boundary, body = encode_multipart(MultiDict(
        [("csrf_token", admin.csrf or admin.fetch_csrf())]
        + [("notice_file", FileStorage(io.BytesIO(data), filename=name)) for name, data in files]))
    return admin.post("/decisions/import", data=body,
                      content_type=f"multipart/form-data; boundary={boundary}")


def test_a_pdf_of_several_megabytes_is_read_on_the_page_not_refused_as_too_large(admin,
                                                                                   db_session):
    """The reader takes files up to MAX_FILE_BYTES (10 MB), several at once: the page's
    request limit must let them through."""
    big = _padded_pdf(TEXTS[DETAILS], 6 * 1024 * 1024)
    assert 6 * 1024 * 1024 < len(big) < MAX_FILE_BYTES
    one = _post_files(admin, [("big.pdf", big)])
    assert one.status_code == 200
    assert "Check what was read from the notice" in page_text(one)
    assert "Review of peer on peer abuse cases" in page_text(one)
    several = _post_files(admin, [("big.pdf", big), ("again.pdf", big),
                                  ("issue.docx", as_docx(TEXTS[ISSUE]))])
    assert several.status_code == 200
    assert "3 of 3 files were read" in page_text(several)
    assert db_session.scalars(sa.select(Decision)).all() == []
