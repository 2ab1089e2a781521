"""Real published PDF decision records (tests/decisions/corpus/pdf/, sources in SOURCES.md).

Kent County Council publishes each executive decision as a "Record of Decision" PDF made
from a Word form: capitalised labels side by side with their values on the line below
("DECISION TO BE TAKEN BY:   DECISION NUMBER:"), "Key decision: YES", a "Subject Matter /
Title of Decision" label alone on its line, the form's key-decision criteria (a) and b),
not the decision's parts), a form reference and page number at the foot of each page, and
the date signed above a dotted "signed   date" row. Each file is read as an officer would
give it (the bytes of the PDF, by file name), and compared field by field with the reading
written by hand from the PDF in ``expected/pdf/``.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.decisions.corpus_score import score_reading
from tracker.decisions.notice import read_notice
from tracker.decisions.notice_files import text_from_file

HERE = Path(__file__).resolve().parent
PDFS = HERE / "corpus" / "pdf"
EXPECTED = HERE / "expected" / "pdf"
NAMES = sorted(path.stem for path in EXPECTED.glob("*.json"))


def _read(name: str):
    decoded = text_from_file((PDFS / f"{name}.pdf").read_bytes(), f"{name}.pdf")
    assert decoded.error is None
    return read_notice(decoded.text)


def test_every_real_pdf_has_its_source_and_an_expected_reading() -> None:
    sources = (HERE / "corpus" / "SOURCES.md").read_text(encoding="utf-8")
    assert {p.stem for p in PDFS.glob("*.pdf")} == set(NAMES) and len(NAMES) == 3
    for name in NAMES:
        assert (PDFS / f"{name}.pdf").read_bytes().startswith(b"%PDF")
        assert f"| pdf/{name}.pdf |" in sources


@pytest.mark.parametrize("name", NAMES)
def test_each_real_pdf_reads_as_written_by_hand(name: str) -> None:
    expected = json.loads((EXPECTED / f"{name}.json").read_text(encoding="utf-8"))
    reading = _read(name)
    score = score_reading(name, expected, reading)
    assert reading.layout == expected["layout"] == "written_record"
    assert score.wrong == [] and score.right == 10 + 3 * len(expected["parts"])


def test_the_signed_record_gives_its_labels_in_columns_and_its_signature_date() -> None:
    reading = _read("kent-record-of-decision-24-00093")
    assert reading.recognised and reading.warnings == []
    assert reading.title == "Commissioned Family Hub Contracts"  # not the page heading
    assert reading.reference == "24/00093"
    assert reading.decision_maker == (
        "Mrs Sue Chandler, Cabinet Member for Integrated Children’s Services")
    assert reading.signed_on.isoformat() == "2025-01-17"
    assert reading.interests_declared == "None."
    assert reading.options_considered.startswith("The six options considered are as follows:")
    assert reading.reasons.startswith("The financial challenges facing all local authorities")
    assert reading.decision_text.endswith(
        "as required to implement this decision.")
    kept = " ".join(str(v) for v in reading.to_json_dict().values()) + " ".join(
        reading.unrecognised)
    assert "glossaries/FormC" not in kept and "RECORD OF DECISION" not in kept
    # the form's key-decision criteria are not the decision; they could not be placed
    assert "Key decision criteria. The decision will:" in reading.unrecognised


def test_the_proposed_records_read_the_parts_not_the_form_criteria() -> None:
    budget = _read("kent-proposed-record-of-decision-24-00108")
    assert [part.label for part in budget.parts] == ["a", "b", "c", "d", "e", "f"]
    assert "result in savings or expenditure" not in budget.decision_text
    assert budget.options_considered == "None"
    assert budget.signed_on is None and budget.decided_on is None  # not yet signed
    care = _read("kent-proposed-record-of-decision-24-00115")
    assert [part.label for part in care.parts] == ["a", "b", "c"]
    assert "For publication: Yes" in care.unrecognised


def test_the_command_reads_the_folder_of_real_pdfs_as_the_reader_does(app, db_session) -> None:
    result = app.test_cli_runner().invoke(args=["decisions", "import", str(PDFS), "--dry-run",
                                                "--json"])
    assert result.exit_code == 0, result.output
    files = json.loads(result.stdout)
    assert [f["file"].rsplit("/", 1)[1] for f in files] == [f"{name}.pdf" for name in NAMES]
    for name, reported in zip(NAMES, files):
        assert reported["reading"] == _read(name).to_json_dict()
    assert "3 of 3 notice file(s) read" in result.stderr
