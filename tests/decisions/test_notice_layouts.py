"""Layouts and phrasings councils publish, beyond the corpus: each rule the reader keeps.

The texts here are written from the published wording of each form (labels such as
"SUBJECT TITLE:" and "DATE OF DECISION-MAKING:" are printed that way on councils' records of
executive decisions); the decisions in them are invented, short, and say so.
"""
from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.decisions.corpus_score import CORPUS, EXPECTED, names
from tracker.decisions.importing import show
from tracker.decisions.notice import read_notice
from tracker.decisions.notice_blocks import is_decision_start
from tracker.decisions.notice_parts import split_parts

CAPITALISED_RECORD = """RECORD OF EXECUTIVE DECISION

Decision No: ED/2024/017
SUBJECT TITLE: Invented test decision on school guidance
DECISION MAKER: Cabinet Member for Children and Families
DATE OF DECISION-MAKING: 16th September 2013
KEY DECISION: YES
DECISION:
(A) That the invented guidance be approved.
(B) That it be shared with all schools.
REASONS FOR THE DECISION:
1. The guidance is needed.
2. Schools asked for it.
This decision will come into force unless it is called in by 5pm on 23 Sep 13.
"""


def test_a_written_record_with_capitalised_labels() -> None:
    reading = read_notice(CAPITALISED_RECORD)
    assert reading.layout == "written_record"
    assert reading.title == "Invented test decision on school guidance"
    assert reading.reference == "ED/2024/017"
    assert reading.decision_maker == "Cabinet Member for Children and Families"
    assert reading.decided_on == date(2013, 9, 16)
    assert reading.key_decision is True
    assert reading.subject_to_call_in is True
    assert reading.call_in_expires_on == date(2013, 9, 23)
    # the numbered reasons are reasons, not parts of the decision
    assert [(p.label, p.text) for p in reading.parts] == [
        ("a", "That the invented guidance be approved."), ("b", "That it be shared with all schools.")]
    assert reading.reasons.startswith("1. The guidance is needed. 2. Schools asked for it.")


def test_a_written_record_with_colon_dash_labels() -> None:
    text = ("Meeting documents\n\nReference Number :-99\nDate :-16/09/2013\nDecision Maker :-Cabinet\n"
            "Subject to Call-in :-No\nSubject of Decision :-Invented test title\n"
            "Decision :-That the invented report be noted.\n")
    reading = read_notice(text)
    assert (reading.layout, reading.title, reading.reference) == ("written_record", "Invented test title", "99")
    assert (reading.decided_on, reading.subject_to_call_in) == (date(2013, 9, 16), False)
    assert reading.decision_text == "That the invented report be noted."


@pytest.mark.parametrize("line,expected", [
    ("Is Key decision?: Yes", True),
    ("Decision type: Key", True),
    ("Decision type: Non-key", False),
    ("KEY DECISION: YES", True),
    ("Key decision: No", False),
])
def test_key_decision_phrasings(line: str, expected: bool) -> None:
    reading = read_notice(f"Decision details\n\nInvented title\n\nDecision Maker: Cabinet\n\n{line}\n")
    assert reading.key_decision is expected


@pytest.mark.parametrize("sentence,call_in,expires,effective", [
    ("This decision is subject to call-in.", True, None, None),
    ("The decision will take effect unless it is called in by 16th September 2013.",
     True, date(2013, 9, 16), None),
    ("The decision is not subject to call-in.", False, None, None),
    ("[Call-in does not apply].", False, None, None),
    ("The decision is effective from 16/09/2013.", None, None, date(2013, 9, 16)),
    ("It comes into force on 16 Sep 13 unless called in.", True, None, date(2013, 9, 16)),
])
def test_call_in_and_effective_dates_from_sentences(sentence, call_in, expires, effective) -> None:
    text = f"Decision details\n\nInvented title\n\nDecision Maker: Cabinet\n\nDecision:\n\nThat X be noted.\n\n{sentence}\n"
    reading = read_notice(text)
    assert (reading.subject_to_call_in, reading.call_in_expires_on, reading.effective_from) == (
        call_in, expires, effective)


def test_a_label_beats_a_sentence_and_a_label_note_is_not_a_sentence() -> None:
    text = ("Decision details\n\nInvented title\n\nIs subject to call in?: Yes\n\n"
            "Call-in expiry date (decisions are not subject to call-in where special urgency "
            "provisions apply): 4 December 2020\n\nDecision:\n\nThat X. Not subject to call-in.\n")
    reading = read_notice(text)
    assert reading.subject_to_call_in is True and reading.call_in_expires_on == date(2020, 12, 4)


@pytest.mark.parametrize("heading", [
    "Decision details", "Issue - meetings", "Issue details", "Meeting documents", "Record of decision",
])
def test_a_page_heading_is_never_the_title_and_no_title_is_said(heading: str) -> None:
    reading = read_notice(f"{heading}\n\nDecision Maker: Cabinet\n\nDecision:\n\nThat X be noted.\n")
    assert reading.title is None and reading.decision_maker == "Cabinet"
    assert show("title", reading.title).startswith("Not given: the notice has no title line")


def test_an_issue_meetings_page_reads_the_first_meeting_and_keeps_the_rest() -> None:
    text = ("Issue - meetings\n\nInvented item\n\nMeeting: 14/01/2019 - Cabinet (Item 5)\n\n"
            "5 Invented item PDF 20 KB\n\nMinutes:\n\nRESOLVED: That the invented item be approved.\n\n"
            "RESOLVED: That the invented item be approved.\n\n"
            "Meeting: 10/12/2018 - Cabinet (Item 9)\n\nRESOLVED: That it be deferred.\n")
    reading = read_notice(text)
    assert (reading.title, reading.decision_maker, reading.decided_on) == (
        "Invented item", "Cabinet", date(2019, 1, 14))
    assert reading.decision_text.startswith("RESOLVED: That the invented item be approved.")
    assert "Meeting: 10/12/2018 - Cabinet (Item 9)" in reading.unrecognised
    assert "RESOLVED: That it be deferred." in reading.unrecognised
    assert "This page lists more than one meeting; only the first was read" in reading.warnings


def test_a_minutes_extract() -> None:
    text = ("Agenda item\n\nInvented heading\n\nThe Cabinet considered a report.\n\n"
            "RESOLVED: THAT (a) the invented report be noted; and (b) the plan be approved.\n\n"
            "Reason – To keep the plan current.\n")
    reading = read_notice(text)
    assert (reading.layout, reading.title) == ("minutes", "Invented heading")
    assert [p.label for p in reading.parts] == ["a", "b"]
    assert reading.reasons == "To keep the plan current."
    assert reading.unrecognised == ["The Cabinet considered a report."]


def test_decision_details_without_section_labels() -> None:
    text = ("Decision details\n\nInvented title\n\nDecision Maker: Cabinet\n\n"
            "Decision status: Recommendations Approved\n\nIs Key decision?: No\n\n"
            "Is subject to call in?: Yes\n\nTo consider the invented report.\n\n"
            "1) That the report be noted.\n2) That the plan be approved.\n\n"
            "Publication date: 02/08/2012\n\nDate of decision: 31/07/2012\n")
    reading = read_notice(text)
    assert reading.purpose == "To consider the invented report."
    assert [(p.label, p.text) for p in reading.parts] == [
        ("1", "That the report be noted."), ("2", "That the plan be approved.")]
    assert reading.published_on == date(2012, 8, 2) and reading.decided_on == date(2012, 7, 31)


@pytest.mark.parametrize("text,labels", [
    ("(a) one; (b) two.", ["a", "b"]), ("a) one; b) two.", ["a", "b"]),
    ("a. one; b. two.", ["a", "b"]), ("A. one; B. two.", ["a", "b"]),
    ("1. one; 2. two.", ["1", "2"]), ("1) one; 2) two.", ["1", "2"]),
    ("(1) one; (2) two.", ["1", "2"]), ("(i) one; (ii) two.", ["i", "ii"]),
    ("i) one; ii) two.", ["i", "ii"]),
    ("That one be done. That two be done.", ["1", "2"]),
    ("RESOLVED: That one be done; That two be done.", ["1", "2"]),
    ("a) approve the plan;b) note it.", ["a", "b"]),  # the marker runs into the word before
    ("1. That the report be noted.2. That it be shared.", ["1", "2"]),
])
def test_every_numbering_style(text: str, labels: list[str]) -> None:
    assert [label for label, _ in split_parts(text)[1]] == labels


@pytest.mark.parametrize("line,starts", [
    ("RESOLVED: That X", True), ("Resolved –", True), ("That X be noted.", True),
    ("Agreed that X", True), ("(a) To approve", True), ("1. That", True),
    ("- That the advice be accepted (a proposal quoted in minutes)", False),
    ("The Committee received a presentation.", False), ("Agreed by the panel earlier", False),
])
def test_where_an_unlabelled_decision_starts(line: str, starts: bool) -> None:
    assert is_decision_start(line) is starts


# --- Hypothesis: the corpus parts, renumbered in each style, read the same -------------------

STYLES = [(shape, kind) for shape in ("close", "paren", "dot")
          for kind in ("lower", "upper", "lroman", "uroman", "digit")]
ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"]
WITH_PARTS = [name for name in names()
              if len(json.loads((EXPECTED / f"{name}.json").read_text(encoding="utf-8"))["parts"]) >= 2]


def _marker(shape: str, kind: str, number: int) -> str:
    label = {"lower": "abcdefghij"[number - 1], "upper": "ABCDEFGHIJ"[number - 1],
             "lroman": ROMAN[number - 1], "uroman": ROMAN[number - 1].upper(),
             "digit": str(number)}[kind]
    return {"close": f"{label})", "paren": f"({label})", "dot": f"{label}."}[shape]


def _label(kind: str, number: int) -> str:
    return str(number) if kind == "digit" else (
        ROMAN[number - 1] if "roman" in kind else "abcdefghij"[number - 1])


@settings(max_examples=60, deadline=None)
@given(name=st.sampled_from(WITH_PARTS), style=st.sampled_from(STYLES),
       wrapper=st.sampled_from(["details", "unlabelled", "minutes", "meetings"]))
def test_corpus_parts_renumbered_in_each_style_read_the_same(name, style, wrapper) -> None:
    parts = read_notice((CORPUS / f"{name}.txt").read_text(encoding="utf-8")).parts
    body = "\n".join(f"{_marker(*style, n)} {part.text}" for n, part in enumerate(parts, start=1))
    text = {
        "details": f"Decision details\n\nInvented title\n\nDecision Maker: Cabinet\n\nDecision:\n\nRESOLVED: That\n{body}\n",
        "unlabelled": f"Decision details\n\nInvented title\n\nDecision Maker: Cabinet\n\nDecision status: Approved\n\nRESOLVED: That\n{body}\n\nPublication date: 02/08/2012\n",
        "minutes": f"Agenda item\n\nInvented heading\n\nRESOLVED: That\n{body}\n",
        "meetings": f"Issue - meetings\n\nInvented item\n\nMeeting: 14/01/2019 - Cabinet (Item 5)\n\nMinutes:\n\nRESOLVED: That\n{body}\n",
    }[wrapper]
    reading = read_notice(text)
    assert [(p.label, p.text) for p in reading.parts] == [
        (_label(style[1], n), part.text) for n, part in enumerate(parts, start=1)]


def test_a_numbered_resolution_ends_with_its_list_and_the_rest_is_kept() -> None:
    text = ("Decision Maker: Cabinet\nDecision status: Recommendations Approved\n"
            "To consider the invented report.\n1. That the report be noted.\n"
            "2. That the plan be approved;\nTo make sure the plan is current.\n"
            "Do nothing – the plan would lapse.\nPublication date: 07/06/2022\n")
    reading = read_notice(text)
    assert [p.text for p in reading.parts] == ["That the report be noted.", "That the plan be approved;"]
    assert reading.unrecognised == ["To make sure the plan is current.", "Do nothing – the plan would lapse."]


def test_minutes_without_a_resolution_line_take_the_paragraph_that_says_what_was_agreed() -> None:
    text = ("Agenda item\n\nInvented heading\n\nThe Chair summarised the debate.\n\n"
            "Having heard the officers, the Committee AGREED to confirm the decision.\n\n"
            "Members thanked the officers.\n")
    reading = read_notice(text)
    assert reading.decision_text == "Having heard the officers, the Committee AGREED to confirm the decision."
    assert reading.unrecognised == ["The Chair summarised the debate.", "Members thanked the officers."]
