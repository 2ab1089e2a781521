"""The decision notice reader (tracker.decisions.notice): seeds, layouts, round trips, fuzzing.

The seed files are Herefordshire Council public records (issue I50035813); the copies in
``tracker/demo/seed/`` (with SOURCES.md) are the ones used, so the tests run on a clean clone. The expected readings in
``expected/`` were written by hand against the seed text, field by field.
"""

from __future__ import annotations

import json
import string
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.decisions.notice import (
    MAX_NOTICE_BYTES,
    NoticeReading,
    decode_notice,
    detect_layout,
    read_notice,
)
from tracker.decisions.notice_dates import parse_date
from tracker.decisions.notice_parts import split_parts

HERE = Path(__file__).resolve().parent
SEED = HERE.parents[1] / "tracker" / "demo" / "seed"  # the one copy in the repository
EXPECTED = HERE / "expected"
SHARED_SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seed"
SEED_LAYOUTS = {
    "decision-I50035813": "written_statement",
    "moderngov-decision-details-7356": "decision_details",
    "moderngov-issue-decisions-50035813": "issue_decisions",
}
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def seed_text(stem: str) -> str:
    return (SEED / f"{stem}.txt").read_text(encoding="utf-8")


# --- the three seed files, pinned in full ------------------------------------------------


@pytest.mark.parametrize("stem", sorted(SEED_LAYOUTS))
def test_seed_reads_as_pinned(stem: str) -> None:
    expected = json.loads((EXPECTED / f"{stem}.json").read_text(encoding="utf-8"))
    reading = read_notice(seed_text(stem))
    assert reading.to_json_dict() == expected
    assert reading.layout == SEED_LAYOUTS[stem] == detect_layout(seed_text(stem))
    assert reading.recognised


@pytest.mark.parametrize("stem", sorted(SEED_LAYOUTS))
def test_seed_copies_match_the_shared_originals(stem: str) -> None:
    original = SHARED_SEED / f"{stem}.txt"
    if not original.exists():
        pytest.skip("no ../shared/seed next to this clone")
    assert (SEED / f"{stem}.txt").read_bytes() == original.read_bytes()


def test_seed_json_is_json_serialisable_and_keeps_dates_as_dates() -> None:
    reading = read_notice(seed_text("decision-I50035813"))
    assert reading.decided_on == date(2020, 11, 26)
    assert reading.signed_on == date(2020, 11, 26)
    assert json.loads(json.dumps(reading.to_json_dict())) == reading.to_json_dict()
    assert "layout" not in reading.to_json_dict()
    assert "decision_status" not in reading.to_json_dict()


def test_decision_status_is_kept_off_the_json() -> None:
    reading = read_notice(seed_text("moderngov-decision-details-7356"))
    assert reading.decision_status == "Recommendations Approved"
    assert not any("status" in entry.lower() for entry in reading.unrecognised)


def test_statutory_footnote_is_not_an_interest_and_the_garble_is_not_a_signature() -> None:
    reading = read_notice(seed_text("decision-I50035813"))
    assert reading.interests_declared is None
    assert reading.signed_by == "Leader of the Council (Councillor David Hitchiner)"
    assert not any("conflict of interest" in entry for entry in reading.unrecognised)


# --- labels, furniture and what is left over ----------------------------------------------

MODERNGOV_EXTRAS = """Decision details

Budget monitoring

Decision Maker: Cabinet

Wards affected: Belmont; Tupsley

Lead petitioner: Jo Bloggs

Decision:

a) Note the report.
Note: this line is still part a;

b) Approve the plan.

Publication date: 30/11/2020

Date of decision: Thursday, 26th November 2020

Effective from: 08/12/2020

Call-in deadline: 7 Dec 2020

Accompanying Documents:

• Budget monitoring report PDF 215 KB
• Appendix 1 (123KB)
PDF 99 KB
"""


def test_unknown_and_unused_labels_go_to_unrecognised_and_furniture_is_dropped() -> None:
    reading = read_notice(MODERNGOV_EXTRAS)
    assert reading.layout == "decision_details"
    assert reading.title == "Budget monitoring"
    assert [(part.label, part.text) for part in reading.parts] == [
        ("a", "Note the report. Note: this line is still part a;"),
        ("b", "Approve the plan."),
    ]
    assert (reading.published_on, reading.decided_on) == (date(2020, 11, 30), date(2020, 11, 26))
    assert (reading.effective_from, reading.call_in_expires_on) == (date(2020, 12, 8), date(2020, 12, 7))
    assert reading.unrecognised == [
        "Wards affected: Belmont; Tupsley",
        "Lead petitioner: Jo Bloggs",
        "Accompanying document: Budget monitoring report",
        "Accompanying document: Appendix 1",
    ]
    assert reading.warnings == []


def test_a_copied_table_with_tabs_after_the_colons_is_still_a_moderngov_page() -> None:
    reading = read_notice("Budget\n\nDecision Maker:\tCabinet\n\nIs Key decision?:\tYes\n\nDecision:\ta) Go.\n")
    assert reading.layout == "decision_details"
    assert (reading.title, reading.decision_maker, reading.key_decision) == ("Budget", "Cabinet", True)


def test_reference_comes_only_from_an_explicit_label() -> None:
    text = "Decision details\n\nT\n\nDecision: a) See mgIssueHistoryHome.aspx?IId=50035813.\n"
    assert read_notice(text).reference is None
    assert read_notice("Reference: I123\n" + text).reference == "I123"


def test_values_that_do_not_read_are_kept_with_a_warning() -> None:
    reading = read_notice("Decision Maker: Cabinet\nIs Key decision?: Perhaps\nDate of decision: soon\n")
    assert reading.key_decision is None and reading.decided_on is None
    assert reading.unrecognised == ["Is Key decision?: Perhaps", "Date of decision: soon"]
    assert len(reading.warnings) == 2


def test_a_repeated_field_keeps_the_first_value() -> None:
    reading = read_notice("Decision Maker: Cabinet\nDecision Maker: Council\nDecision Maker: Cabinet\n")
    assert reading.decision_maker == "Cabinet"
    assert reading.unrecognised == ["Decision Maker: Council"]
    assert reading.warnings == ["Decision maker is given more than once; the first value was kept"]


def test_heading_and_label_disagreeing_on_key_decision_warns_and_label_wins() -> None:
    text = "Written statement of a non-key decision\nKey decision\tYes\nDecision\ta) Go.\n"
    reading = read_notice(text)
    assert reading.key_decision is True
    assert any("disagree" in warning for warning in reading.warnings)


def test_issue_page_with_two_decisions_reads_the_first_and_keeps_the_rest() -> None:
    text = "Issue - decisions\n\nT\n\n30/11/2020 - T\n\na) One.\n\n01/12/2020 - T\n\na) Two.\n"
    reading = read_notice(text)
    assert reading.published_on == date(2020, 11, 30)
    assert reading.decided_on is None
    assert [part.text for part in reading.parts] == ["One."]
    assert reading.unrecognised == ["01/12/2020 - T", "a) Two."]
    assert reading.warnings == ["This page lists more than one decision; only the first was read"]


def test_signature_with_the_date_on_its_own_line() -> None:
    reading = read_notice("Decision\ta) Go.\nSigned\tJo Bloggs, Cabinet member\nDate\t26/11/2020\n")
    assert (reading.signed_by, reading.signed_on) == ("Jo Bloggs, Cabinet member", date(2020, 11, 26))
    assert reading.unrecognised == []


def test_a_signed_statement_with_its_reference_and_signature_colons_is_a_written_statement() -> None:
    """The form prints "Issue reference: ..." and "Councillor:<TAB>..." with colons (see the
    seed); with only the Decision in ``Label<TAB>value`` form, the signature still says
    which layout this is: ModernGov pages are not signed."""
    text = "Issue reference: I1\nDecision\ta) AA.\n\nCouncillor:\tAA\tDate\t26/11/2020"
    reading = read_notice(text)
    assert reading.layout == detect_layout(text) == "written_statement"
    assert (reading.reference, reading.signed_by, reading.signed_on) == ("I1", "AA", date(2020, 11, 26))
    assert [(part.label, part.text) for part in reading.parts] == [("a", "AA.")]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("26 November 2020", date(2020, 11, 26)),
        ("26th November 2020", date(2020, 11, 26)),
        ("26 Nov 2020", date(2020, 11, 26)),
        ("26/11/2020", date(2020, 11, 26)),
        ("Thursday, 26 November 2020", date(2020, 11, 26)),
        ("2 Sept 2021", date(2021, 9, 2)),
        ("04/12/2020 5:00 pm", date(2020, 12, 4)),
        ("1/2/2021", date(2021, 2, 1)),
        ("31/02/2020", None),
        ("26/11/20201", None),
        ("next week", None),
        ("", None),
    ],
)
def test_dates(value: str, expected: date | None) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("text", "preamble", "parts"),
    [
        # other styles stay inside the part; "section1.3" is not a marker
        (
            "THAT a) x (1) in section1.3 y; (2) z; b) w.",
            "THAT",
            [("a", "x (1) in section1.3 y; (2) z;"), ("b", "w.")],
        ),
        # "paragraph 3." refers to something: text, even though 3 is the next number
        (
            "1. Approve paragraph 3. now; 2. Note it; 3. Done.",
            "",
            [("1", "Approve paragraph 3. now;"), ("2", "Note it;"), ("3", "Done.")],
        ),
        ("(appendix 1) and (appendix 2)", "(appendix 1) and (appendix 2)", []),
        # punctuation after a reference word ends the reference: "option;" does not refer to b)
        ("a) Approve the option; b) Note it.", "", [("a", "Approve the option;"), ("b", "Note it.")]),
        ("(a) Say NO; and (b) PHASE; (c) Go.", "", [("a", "Say NO; and"), ("b", "PHASE;"), ("c", "Go.")]),
        ("We agree the items: (1) one; (2) two.", "We agree the items:", [("1", "one;"), ("2", "two.")]),
        # ... but an abbreviation's dot does not: "para. 2." and "No. 2." still refer
        ("1. See para. 2. now; 2. Done.", "", [("1", "See para. 2. now;"), ("2", "Done.")]),
        ("1. As No. 2. says; 2. Done.", "", [("1", "As No. 2. says;"), ("2", "Done.")]),
        # a marker out of sequence is text
        ("a) x c) y b) z", "", [("a", "x c) y"), ("b", "z")]),
        ("h) x i) y", "h) x i) y", []),
        # "i" after "h" is a letter; a list that starts at "i." is roman
        ("a) a b) b c) c d) d e) e f) f g) g h) h i) i j) j", "", [(c, c) for c in "abcdefghij"]),
        (
            "i. one ii. two iii. three iv. four v. five",
            "",
            [("i", "one"), ("ii", "two"), ("iii", "three"), ("iv", "four"), ("v", "five")],
        ),
        ("(I) One (II) Two", "", [("i", "One"), ("ii", "Two")]),
        ("A. One B. Two", "", [("a", "One"), ("b", "Two")]),
        ("1) One 2) Two", "", [("1", "One"), ("2", "Two")]),
        # preambles, glued or not
        ("That:(a) one (b) two", "That:", [("a", "one"), ("b", "two")]),
        ("RESOLVED: 1. only", "RESOLVED:", [("1", "only")]),
        # a lone marker inside prose is not a list
        ("we note a) in passing", "we note a) in passing", []),
        # the joining "; and" stays with the part, as published
        ("a) one; and b) two", "", [("a", "one; and"), ("b", "two")]),
        ("", "", []),
    ],
)
def test_part_rules(text: str, preamble: str, parts: list[tuple[str, str]]) -> None:
    assert split_parts(text) == (preamble, parts)


# --- round trip: every supported layout --------------------------------------------------

ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]
ROMAN_WORDS = {tens + ones for tens in ("", "x", "xx", "xxx") for ones in ["", *ROMAN[:9]]}
# Words of two letters or more that are not roman numerals can never be read as part markers.
WORD = st.text(alphabet=string.ascii_letters, min_size=2, max_size=9).filter(
    lambda word: word.lower() not in ROMAN_WORDS
)
PHRASE = st.lists(WORD, min_size=1, max_size=8).map(" ".join).filter(
    lambda phrase: phrase.lower() not in {"decision details", "issue decisions", "issue details"}
)
SHAPES = ("close", "paren", "dot")
KINDS = ("lower", "upper", "lroman", "uroman", "digit")
PREAMBLES = ("", "THAT", "That:", "RESOLVED:", "RESOLVED that", "It was resolved that")
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
SYNONYMS = {
    "reference": ["Issue reference", "Reference"],
    "title": ["Title"],
    "decision_maker": ["Decision maker", "Decision Maker"],
    "key_decision": ["Is Key decision?", "Key decision"],
    "decided_on": ["Date of decision", "Decision date", "Date of Decision"],
    "published_on": ["Publication date", "Date published"],
    "effective_from": ["Effective from", "Date comes into force if not called in"],
    "subject_to_call_in": ["Is subject to call in?", "Subject to call-in"],
    "call_in_expires_on": [
        "Call-in expiry date (decisions are not subject to call-in where special urgency provisions apply)",
        "Call-in deadline",
    ],
    "exemption": ["Report exemption class", "Exemption"],
    "purpose": ["Purpose"],
    "decision": ["Decision"],
    "reasons": ["Reason for the decision", "Reasons for the decision", "Reasons"],
    "options_considered": ["Options considered", "Alternative options considered"],
    "interests_declared": ["Declarations of interest (see • below)", "Interests declared"],
}
TEXT_FIELDS = ("title", "purpose", "reasons", "options_considered", "interests_declared")


def marker(shape: str, kind: str, number: int) -> str:
    label = {
        "lower": string.ascii_lowercase[number - 1],
        "upper": string.ascii_uppercase[number - 1],
        "lroman": ROMAN[number - 1],
        "uroman": ROMAN[number - 1].upper(),
        "digit": str(number),
    }[kind]
    return {"close": f"{label})", "paren": f"({label})", "dot": f"{label}."}[shape]


def expected_label(kind: str, number: int) -> str:
    if kind == "digit":
        return str(number)
    return ROMAN[number - 1] if "roman" in kind else string.ascii_lowercase[number - 1]


@st.composite
def written_date(draw: st.DrawFn) -> tuple[date, str]:
    day = draw(st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31)))
    suffix = "th" if 11 <= day.day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day.day % 10, "th")
    forms = [
        f"{day.day} {MONTHS[day.month - 1]} {day.year}",
        f"{day.day}{suffix} {MONTHS[day.month - 1]} {day.year}",
        f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}",
        f"{day.day:02d}/{day.month:02d}/{day.year}",
        f"{day.strftime('%A')}, {day.day} {MONTHS[day.month - 1]} {day.year}",
    ]
    return day, draw(st.sampled_from(forms))


@dataclass
class Notice:
    """Generated field values and how to write them."""

    values: dict[str, object]
    dates: dict[str, str]
    parts: list[str]
    shape: str
    kind: str
    preamble: str


@st.composite
def notices(draw: st.DrawFn) -> Notice:
    values: dict[str, object] = {}
    dates: dict[str, str] = {}
    maybe = st.booleans()
    if draw(maybe):
        values["reference"] = f"I{draw(st.integers(1, 99_999_999))}"
    for name in (*TEXT_FIELDS, "decision_maker", "exemption", "signed_by"):
        if draw(maybe):
            values[name] = draw(PHRASE)
    for name in ("key_decision", "subject_to_call_in"):
        if draw(maybe):
            values[name] = draw(st.booleans())
    for name in ("decided_on", "published_on", "effective_from", "call_in_expires_on", "signed_on"):
        if draw(maybe):
            values[name], dates[name] = draw(written_date())
    count = draw(st.integers(1, 12))
    joins = st.sampled_from([";", "; and"])
    parts = [draw(PHRASE) + ("." if n == count else draw(joins)) for n in range(1, count + 1)]
    shape, kind = draw(st.sampled_from(SHAPES)), draw(st.sampled_from(KINDS))
    return Notice(values, dates, parts, shape, kind, draw(st.sampled_from(PREAMBLES)))


def shown(notice: Notice, name: str) -> str:
    """A field value as a notice would print it."""
    if name in notice.dates:
        return notice.dates[name]
    value = notice.values[name]
    return ("Yes" if value else "No") if isinstance(value, bool) else str(value)


def split_words(draw: st.DrawFn, text: str, joiner: str) -> str:
    """Break ``text`` over lines at random word boundaries with ``joiner``."""
    words = text.split(" ")
    gaps = [joiner if draw(st.booleans()) else " " for _ in words[1:]]
    return words[0] + "".join(gap + word for gap, word in zip(gaps, words[1:]))


def markers(notice: Notice) -> list[str]:
    """Each part with its marker in the notice's style: "(b) text;"."""
    return [f"{marker(notice.shape, notice.kind, n)} {text}" for n, text in enumerate(notice.parts, start=1)]


FOOTNOTE = [
    "",
    " a record of any conflict of interest declared by any executive member;",
    "",
    "and",
    "",
    "• in respect of any declared conflict of interest, a note of dispensation granted.",
]


def render_written_statement(draw: st.DrawFn, notice: Notice) -> str:
    """The PDF text layout: label TAB value, continued lines, heading, signature, footnote."""
    lines: list[str] = []
    if "reference" in notice.values:
        lines.append(f"Issue reference{draw(st.sampled_from([': ', chr(9)]))}{notice.values['reference']}")
    if "key_decision" in notice.values:
        kind = "key" if notice.values["key_decision"] else "non-key"
        maker = notice.values.get("decision_maker", "")
        lines += ["", f"Written statement of a {kind} decision {maker}".rstrip(), ""]
    fields: list[tuple[str, str]] = []
    for name in SYNONYMS:
        if name == "decision":
            body = " ".join(filter(None, [notice.preamble, *markers(notice)]))
            fields.append((name, split_words(draw, body, draw(st.sampled_from(["\n\t", "\t\t\t\n\n\t "])))))
        elif name in notice.values and name not in ("key_decision", "reference"):
            value = shown(notice, name)
            fields.append((name, split_words(draw, value, "\n\t") if name in TEXT_FIELDS else value))
    for name, value in draw(st.permutations(fields)):
        lines.append(f"{draw(st.sampled_from(SYNONYMS[name]))}\t{value}" + "\t" * draw(st.integers(0, 3)))
    who = notice.values.get("signed_by", "")
    if who or "signed_on" in notice.values:
        when = f"\tDate\t{notice.dates['signed_on']}" if "signed_on" in notice.dates else ""
        lines += ["", f"Councillor:\t{who}{when}"]
    if draw(st.booleans()):
        lines += FOOTNOTE
    return "\n".join(lines)


def render_moderngov(draw: st.DrawFn, notice: Notice, issue_page: bool) -> str:
    """A copied ModernGov page: "Label: value" or "Label:" with the value below, blank lines."""
    title = notice.values.get("title")
    lines: list[str] = []
    if issue_page:
        lines += ["Issue - decisions", "", str(title), "", f"{notice.values['published_on']:%d/%m/%Y} - {title}", ""]
        lines += [notice.preamble, "", *markers(notice)] if notice.preamble else markers(notice)
    else:
        if draw(st.booleans()):
            lines += ["Decision details", ""]
        if title is not None:
            lines += [str(title), ""]
    skip = {"title", "published_on"} if issue_page else {"title"}
    names = [name for name in SYNONYMS if name in notice.values and name not in skip]
    if not issue_page:
        names.append("decision")
    for name in draw(st.permutations(names)):
        label = draw(st.sampled_from(SYNONYMS[name]))
        if name == "decision":
            body = [notice.preamble, *markers(notice)] if notice.preamble else markers(notice)
            value_lines = body if draw(st.booleans()) else [" ".join(body)]
        else:
            value_lines = [shown(notice, name)]
        if draw(st.booleans()):  # "Label:" with the value below
            value_lines = ["", *value_lines]
        lines.append(f"{label}: {value_lines[0]}".rstrip())
        for value in value_lines[1:]:
            lines += ["", value]
        lines.append("")
    return "\n".join(lines)


def expected_json(notice: Notice, layout: str) -> dict[str, object]:
    """The JSON a notice rendered in ``layout`` must read back as."""
    values = dict(notice.values)
    if layout != "written_statement":  # ModernGov pages carry no signature
        values.pop("signed_by", None)
        values.pop("signed_on", None)
    body = " ".join(filter(None, [notice.preamble, *markers(notice)]))
    out: dict[str, object] = {name: None for name in NoticeReading().to_json_dict()}
    out.update({name: value.isoformat() if isinstance(value, date) else value for name, value in values.items()})
    out["decision_text"] = body
    out["parts"] = [{"label": expected_label(notice.kind, n), "text": text} for n, text in enumerate(notice.parts, start=1)]
    out["unrecognised"], out["warnings"] = [], []
    return out


@FUZZ
@given(
    notice=notices(),
    layout=st.sampled_from(["written_statement", "decision_details", "issue_decisions"]),
    data=st.data(),
)
def test_round_trip_in_every_layout(notice: Notice, layout: str, data: st.DataObject) -> None:
    if layout == "written_statement":
        text = render_written_statement(data.draw, notice)
    else:
        if layout == "issue_decisions":  # the page always has a title and a "dd/mm/yyyy - title" line
            notice.values.setdefault("title", "Review of things")
            notice.values.setdefault("published_on", date(2020, 11, 30))
        text = render_moderngov(data.draw, notice, issue_page=layout == "issue_decisions")
    reading = read_notice(text)
    assert reading.to_json_dict() == expected_json(notice, layout), text
    assert reading.layout == layout
    assert reading.recognised


# --- fuzzing: nothing raises --------------------------------------------------------------


@FUZZ
@given(text=st.text())
def test_any_text_reads_without_raising(text: str) -> None:
    reading = read_notice(text)
    assert isinstance(reading, NoticeReading)
    json.dumps(reading.to_json_dict())
    assert reading.recognised or reading.warnings


@st.composite
def mutated_seeds(draw: st.DrawFn) -> str:
    text = seed_text(draw(st.sampled_from(sorted(SEED_LAYOUTS))))
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["delete", "insert", "duplicate", "markers"]))
        if action == "delete":
            text = text[:at] + text[at + draw(st.integers(0, 400)):]
        elif action == "insert":
            text = text[:at] + draw(st.text(max_size=40)) + text[at:]
        elif action == "duplicate":
            text = text[:at] + text[at: at + 300] * draw(st.integers(1, 5)) + text[at:]
        else:
            text = text[:at] + draw(st.sampled_from(["a) ", "(1) ", "i. ", "\t", ":", "\n\n", "Decision:\n", "30/11/2020 - "])) + text[at:]
    return text


@FUZZ
@given(text=mutated_seeds())
def test_mutated_seeds_read_without_raising(text: str) -> None:
    reading = read_notice(text)
    assert isinstance(reading, NoticeReading)
    json.dumps(reading.to_json_dict())


NOISE_TOKENS = [
    "Decision:", "Decision\t", "Title\t", "Councillor:\t", "Date", "\t", "\n", "\n\n", " ", ":",
    "a)", "(b)", "i.", "II.", "3.", "(", ")", "THAT", "Issue - decisions", "Decision details",
    "30/11/2020 - ", "26 November 2020", "Yes", "No", "•", "PDF 12 KB", "Accompanying Documents:",
    "Written statement of a key decision", "a record of any conflict of interest", "and",
    "Information about x can be found here:", "http://x", "Wards affected:", "\ufeff", "\r",
]


@FUZZ
@given(pieces=st.lists(st.sampled_from(NOISE_TOKENS) | st.text(max_size=4), max_size=60))
def test_structured_noise_reads_without_raising(pieces: list[str]) -> None:
    reading = read_notice("".join(pieces))
    assert isinstance(reading, NoticeReading)
    json.dumps(reading.to_json_dict())
    assert reading.layout in ("written_statement", "decision_details", "issue_decisions", "unknown")


@FUZZ
@given(data=st.binary(max_size=2000))
def test_decode_never_raises(data: bytes) -> None:
    decoded = decode_notice(data)
    assert (decoded.text is None) != (decoded.error is None)
    if decoded.text is not None:
        assert "\r" not in decoded.text
        read_notice(decoded.text, warnings=decoded.warnings)


# --- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "error_part"),
    [
        (b"", "empty"),
        (b" \n\t\r\n", "empty"),
        (b"\xef\xbb\xbf", "empty"),
        (b"abc\x00def", "not text"),
        (bytes(range(1, 9)) * 20 + b"some text", "not text"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "PDF"),
        ("Decision: a) Go.".encode("utf-16"), "UTF-16"),
        (b"a" * (MAX_NOTICE_BYTES + 1), "larger than 1 MB"),
    ],
)
def test_decode_refuses_bad_files(data: bytes, error_part: str) -> None:
    decoded = decode_notice(data)
    assert decoded.text is None
    assert decoded.error is not None and error_part in decoded.error and "\n" not in decoded.error


def test_decode_accepts_exactly_one_megabyte() -> None:
    assert decode_notice(b"a" * MAX_NOTICE_BYTES).error is None


def test_decode_utf8_with_bom_and_crlf() -> None:
    decoded = decode_notice("\ufeffDecision Maker: Cabinet\r\nDecision: a) ‘Go’.\rEnd".encode())
    assert decoded.text == "Decision Maker: Cabinet\nDecision: a) ‘Go’.\nEnd"
    assert decoded.warnings == []


def test_decode_falls_back_to_windows_1252_and_says_so() -> None:
    decoded = decode_notice(b"Decision:\r\na) all references to \x93alleged victim\x94 should be victim.")
    assert decoded.text == "Decision:\na) all references to “alleged victim” should be victim."
    assert decoded.warnings == ["Decoded as Windows-1252 because the file is not valid UTF-8"]
    reading = read_notice(decoded.text, warnings=decoded.warnings)
    assert reading.parts[0].text == "all references to “alleged victim” should be victim."
    assert reading.warnings == decoded.warnings


@pytest.mark.parametrize("bullet", ["•", "?", "\uf0b7"])
def test_written_statement_saved_as_windows_1252_with_crlf_reads_the_same(bullet: str) -> None:
    text = seed_text("decision-I50035813").replace("•", bullet).replace("\n", "\r\n")
    decoded = decode_notice(text.encode("cp1252", errors="replace") if bullet != "\uf0b7" else text.encode())
    expected = json.loads((EXPECTED / "decision-I50035813.json").read_text(encoding="utf-8"))
    expected["warnings"] = decoded.warnings
    assert read_notice(decoded.text or "", warnings=decoded.warnings).to_json_dict() == expected
    assert decoded.warnings == (["Decoded as Windows-1252 because the file is not valid UTF-8"] if bullet == "•" else [])


@pytest.mark.parametrize("text", ["", "   \n\n", "Hello there.\nNothing to see here.", "Foo: bar", "(((((", "a) b) c)"])
def test_nothing_recognisable(text: str) -> None:
    reading = read_notice(text)
    assert not reading.recognised and reading.is_empty()
    assert reading.layout == "unknown"
    assert reading.warnings == ["Nothing in this text was recognised as a council decision notice"]
    assert " ".join(reading.unrecognised) == " ".join(text.split())


# --- speed: a megabyte of hostile text ----------------------------------------------------

HOSTILE = {
    "a) repeated": "Decision:\n" + "a) " * 333_000,
    "open brackets": "(" * 1_000_000,
    "one long line": "word " * 200_000,
    "short lines": "a\n" * 500_000,
    "repeated labels": "Decision maker: Cabinet\nTitle: x\n" * 30_000,
    "unknown labels": "Foo: x\n" * 140_000,
    "tabs": "Decision\t" + "\t" * 1_000_000,
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_megabyte_of_hostile_text_reads_quickly(name: str) -> None:
    started = time.process_time()
    read_notice(HOSTILE[name])
    # A guard against super-linear blow-up (quadratic work on a megabyte takes minutes), not a
    # speed figure: those are in bench/. CPU time, so a busy machine does not fail it; the
    # margin covers slower CI machines (the slowest case takes about 1.7 s here).
    assert time.process_time() - started < 6.0
