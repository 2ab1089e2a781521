"""Tests for tracker.schools.gias, the streaming GIAS CSV reader.

Fixtures live in tests/schools/data/ and are rebuilt by make_fixtures.py
there; every school, trust and URN in them is invented.
"""

from __future__ import annotations

import csv
import io
import tracemalloc
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.schools.gias import (
    EDUBASE_COLUMNS,
    REQUIRED_COLUMNS,
    TYPE_GROUPS,
    LinkRow,
    RowError,
    SchoolRow,
    group_known,
    in_scope_by_default,
    open_gias,
    open_gias_links,
    predecessor_pairs,
    read_gias,
    read_gias_links,
)

DATA = Path(__file__).parent / "data"
CP1252 = DATA / "edubasealldata_hereford_cp1252.csv"
UTF8 = DATA / "edubasealldata_hereford_utf8.csv"
UTF8_BOM = DATA / "edubasealldata_hereford_utf8_bom.csv"
LINKS = DATA / "links_edubasealldata_hereford.csv"
BAD_ROWS = DATA / "edubasealldata_bad_rows.csv"
NOT_GIAS = DATA / "not_gias.csv"

HEREFORDSHIRE_URNS = list(range(990001, 990014))
OTHER_LA_URNS = [990101, 990102, 990103, 990104]


def read_all(path: Path, **kwargs) -> list[SchoolRow | RowError]:
    with path.open("rb") as f:
        return list(read_gias(f, **kwargs))


def by_urn(items) -> dict[int, SchoolRow]:
    return {item.urn: item for item in items if isinstance(item, SchoolRow)}


class OneWayStream(io.RawIOBase):
    """A non-seekable binary stream fed by a generator of byte chunks; counts
    how many bytes have been handed out."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        super().__init__()
        self._chunks = chunks
        self._pending = b""
        self.bytes_given = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._pending:
            self._pending = next(self._chunks, b"")
            if not self._pending:
                return 0
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        self.bytes_given += n
        return n


def gias_bytes(header: list[str], rows: list[list[str]], encoding: str = "utf-8", bom: bool = False) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    data = out.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


# Every column the reader reads by name, in the order of GIAS's full layout.
COLUMNS = (
    "URN", "EstablishmentName", "LA (code)", "LA (name)", "TypeOfEstablishment (name)",
    "EstablishmentTypeGroup (name)", "EstablishmentStatus (name)", "PhaseOfEducation (name)",
    "OpenDate", "CloseDate", "Trusts (code)", "Trusts (name)", "Postcode",
)


def minimal_row(urn: str = "990001", name: str = "Wyebank Primary School", **overrides: str) -> list[str]:
    values = {
        "URN": urn,
        "EstablishmentName": name,
        "LA (code)": "884",
        "LA (name)": "Herefordshire, County of",
        "TypeOfEstablishment (name)": "Community school",
        "EstablishmentTypeGroup (name)": "Local authority maintained schools",
        "EstablishmentStatus (name)": "Open",
        "PhaseOfEducation (name)": "Primary",
        "OpenDate": "",
        "CloseDate": "",
        "Trusts (code)": "",
        "Trusts (name)": "",
        "Postcode": "HR1 9ZZ",
    }
    values.update(overrides)
    return [values[c] for c in COLUMNS]


# ---------------------------------------------------------------------------
# Fixture layout
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", [CP1252, UTF8, UTF8_BOM, BAD_ROWS])
def test_fixtures_carry_gias_full_header(path: Path) -> None:
    with path.open("rb") as f, open_gias(f) as reader:
        assert reader.header == EDUBASE_COLUMNS
    assert len(EDUBASE_COLUMNS) == 139
    assert set(REQUIRED_COLUMNS) <= set(EDUBASE_COLUMNS) and set(COLUMNS) <= set(EDUBASE_COLUMNS)


# ---------------------------------------------------------------------------
# Reading the Herefordshire-like file in each encoding
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "encoding"),
    [(CP1252, "cp1252"), (UTF8, "utf-8"), (UTF8_BOM, "utf-8-sig")],
)
def test_encodings_are_detected_and_read_identically(path: Path, encoding: str) -> None:
    with path.open("rb") as f, open_gias(f) as reader:
        assert reader.encoding == encoding
        items = list(reader)
        assert reader.rows_read == 17
        assert reader.rows_skipped_by_filter == 0
        assert reader.rows_rejected == 0
    assert all(isinstance(item, SchoolRow) for item in items)
    assert [item.urn for item in items] == HEREFORDSHIRE_URNS + OTHER_LA_URNS
    assert items == read_all(UTF8)  # same rows, same line numbers, whatever the encoding


def test_curly_apostrophes_survive_windows_1252() -> None:
    schools = by_urn(read_all(CP1252))
    assert schools[990002].name == "St Mary’s RC Primary School"
    assert schools[990005].name == "Bishop of Hereford’s Bluecoat School"


def test_fields_are_mapped_and_normalised() -> None:
    schools = by_urn(read_all(CP1252))
    assert schools[990001] == SchoolRow(
        line=2,
        urn=990001,
        name="Wyebank Community Primary School",
        la_code="884",
        la_name="Herefordshire, County of",
        type_name="Community school",
        type_group="Local authority maintained schools",
        phase="Primary",
        status="open",
        open_date=None,
        close_date=None,
        trust_code=None,
        trust_name=None,
        postcode="HR2 6ZZ",
        type_code="01",
        type_group_code="4",
    )
    academy = schools[990003]
    assert (academy.type_name, academy.type_group) == ("Academy converter", "Academies")
    assert academy.open_date == date(2014, 9, 1)
    assert (academy.trust_code, academy.trust_name) == ("16001", "Wye Valley Learning Trust")
    predecessor = schools[990004]
    assert predecessor.status == "closed"
    assert predecessor.close_date == date(2014, 8, 31)
    assert schools[990012].status == "open_proposed_to_close"
    assert schools[990012].close_date == date(2026, 8, 31)
    assert schools[990013].status == "proposed_to_open"
    assert {s.phase for s in schools.values()} == {
        "Primary", "Secondary", "All-through", "Not applicable", "16 plus", "Nursery",
    }


def test_record_with_line_break_in_a_quoted_field_keeps_line_numbers_right() -> None:
    schools = by_urn(read_all(UTF8))
    assert schools[990006].line == 7  # its Street field holds a line break
    assert schools[990007].line == 9
    assert schools[990104].line == 19


def test_in_scope_by_default_on_the_fixture() -> None:
    schools = by_urn(read_all(CP1252))
    out_of_scope = {urn for urn, s in schools.items() if not s.in_scope_by_default}
    assert out_of_scope == {990009, 990010}  # independent school, FE college


# ---------------------------------------------------------------------------
# Scope table
# ---------------------------------------------------------------------------

# Every (type, group) pair in GIAS's January 2025 edubasealldata, with the
# default this tracker wants, plus children's centres from older files.
GIAS_TYPES = [
    ("Community school", "Local authority maintained schools", True),
    ("Voluntary aided school", "Local authority maintained schools", True),
    ("Voluntary controlled school", "Local authority maintained schools", True),
    ("Foundation school", "Local authority maintained schools", True),
    ("Pupil referral unit", "Local authority maintained schools", True),
    ("Local authority nursery school", "Local authority maintained schools", True),
    ("Community special school", "Special schools", True),
    ("Foundation special school", "Special schools", True),
    ("Non-maintained special school", "Special schools", True),
    ("Other independent special school", "Special schools", False),
    ("Other independent school", "Independent schools", False),
    ("City technology college", "Independent schools", True),
    ("Academy converter", "Academies", True),
    ("Academy sponsor led", "Academies", True),
    ("Academy special converter", "Academies", True),
    ("Academy special sponsor led", "Academies", True),
    ("Academy alternative provision converter", "Academies", True),
    ("Academy alternative provision sponsor led", "Academies", True),
    ("Academy 16-19 converter", "Academies", True),
    ("Academy 16 to 19 sponsor led", "Academies", True),
    ("Academy secure 16 to 19", "Academies", True),
    ("Free schools", "Free Schools", True),
    ("Free schools special", "Free Schools", True),
    ("Free schools alternative provision", "Free Schools", True),
    ("Free schools 16 to 19", "Free Schools", True),
    ("University technical college", "Free Schools", True),
    ("Studio schools", "Free Schools", True),
    ("Further education", "Colleges", False),
    ("Sixth form centres", "Colleges", False),
    ("Higher education institutions", "Universities", False),
    ("Welsh establishment", "Welsh schools", False),
    ("Online provider", "Online provider", False),
    ("Secure units", "Other types", False),
    ("Offshore schools", "Other types", False),
    ("Service children's education", "Other types", False),
    ("Miscellaneous", "Other types", False),
    ("Special post 16 institution", "Other types", False),
    ("British schools overseas", "Other types", False),
    ("Institution funded by other government department", "Other types", False),
    ("Children's centre", "Children's centres", False),
    ("Children's centre linked site", "Children's centres", False),
]


@pytest.mark.parametrize(("type_name", "type_group", "expected"), GIAS_TYPES)
def test_scope_table(type_name: str, type_group: str, expected: bool) -> None:
    assert in_scope_by_default(type_group, type_name) is expected


def test_scope_ignores_case_and_spaces_and_rejects_unknown_groups() -> None:
    assert in_scope_by_default("  academies ", "ACADEMY CONVERTER") is True
    assert in_scope_by_default("Academies", "Academy of the future") is True  # new type, known group
    assert in_scope_by_default("Hovercraft schools", "Hover school") is False  # unknown group
    assert in_scope_by_default("", "") is False
    assert in_scope_by_default("Other types", "Pupil referral unit") is True  # type wins
    assert all(group_known(group) for _, group, _ in GIAS_TYPES)
    assert len(TYPE_GROUPS) == 10


# ---------------------------------------------------------------------------
# LA filter
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "la",
    [["884"], ["Herefordshire, County of"], ["herefordshire"], ["  HEREFORDSHIRE,   county OF "], "884"],
)
def test_la_filter_by_code_or_name(la) -> None:
    with CP1252.open("rb") as f, open_gias(f, la=la) as reader:
        items = list(reader)
        assert reader.rows_read == 17
        assert reader.rows_skipped_by_filter == 4
        assert reader.la_filters_unmatched == ()
    assert [i.urn for i in items] == HEREFORDSHIRE_URNS


def test_la_filter_several_values_and_city_of_names() -> None:
    with CP1252.open("rb") as f, open_gias(f, la=["893", "bristol", "Bournemouth", "Hereford"]) as reader:
        urns = [i.urn for i in reader]
        assert urns == [990102, 990103]
        assert reader.rows_skipped_by_filter == 15
        # "Bournemouth" is only the start of "Bournemouth, Christchurch and
        # Poole", and "Hereford" is not "Herefordshire": neither matches.
        assert reader.la_filters_unmatched == ("Bournemouth", "Hereford")


def test_rows_outside_the_filter_are_not_checked() -> None:
    header = list(COLUMNS)
    data = gias_bytes(
        header,
        [
            minimal_row("990001"),
            minimal_row("not-a-urn", "", **{"LA (code)": "885", "LA (name)": "Worcestershire"}),
            ["990003", "short row", "x"],  # too short to hold its LA columns
        ],
    )
    items = list(read_gias(io.BytesIO(data), la=["884"]))
    assert [type(i).__name__ for i in items] == ["SchoolRow", "RowError"]
    assert items[1].line == 4 and items[1].column is None  # too short to tell its LA


# ---------------------------------------------------------------------------
# Bad rows and bad files
# ---------------------------------------------------------------------------


def test_bad_rows_report_line_column_and_reason() -> None:
    with BAD_ROWS.open("rb") as f, open_gias(f) as reader:
        items = list(reader)
        assert reader.rows_read == 10
        assert reader.rows_rejected == 8
    rows = [(i.line, i.urn) for i in items if isinstance(i, SchoolRow)]
    assert rows == [(2, 990001), (12, 990009)]
    errors = [(e.line, e.column) for e in items if isinstance(e, RowError)]
    assert errors == [
        (3, "URN"),
        (4, "EstablishmentName"),
        (5, "OpenDate"),
        (6, "CloseDate"),
        (7, "EstablishmentStatus (name)"),
        (9, None),
        (10, "URN"),
        (11, "URN"),
        (11, "EstablishmentName"),
    ]
    messages = {(e.line, e.column): e.message for e in items if isinstance(e, RowError)}
    assert messages[(3, "URN")] == 'URN "12A45" is not a number; expected a positive whole number such as 116425'
    assert messages[(4, "EstablishmentName")] == "EstablishmentName is empty; every establishment needs a name"
    assert messages[(5, "OpenDate")] == (
        'OpenDate "2014-09-01" is not a date in the form DD-MM-YYYY or DD/MM/YYYY (for example 01-09-2021)'
    )
    assert "not a real date" in messages[(6, "CloseDate")]
    assert '"Dormant" is not one of GIAS\'s statuses' in messages[(7, "EstablishmentStatus (name)")]
    assert '"Open, but proposed to close"' in messages[(7, "EstablishmentStatus (name)")]
    assert messages[(9, None)].startswith("the row has 5 fields but the header has 139")
    assert messages[(10, "URN")] == (
        "URN 990001 appears more than once (first on line 2); expected each establishment once"
    )
    assert messages[(11, "URN")].startswith("URN is empty")
    assert str(items[1]) == 'line 3, URN: URN "12A45" is not a number; expected a positive whole number such as 116425'


def test_a_file_not_in_gias_layout_gives_one_error_at_line_1() -> None:
    items = read_all(NOT_GIAS)
    assert len(items) == 1
    error = items[0]
    assert isinstance(error, RowError)
    assert (error.line, error.column) == (1, None)
    assert error.message.startswith('the header is missing the required columns "URN", "EstablishmentName"')
    assert "this does not look like a GIAS establishment file" in error.message


def test_links_file_given_to_read_gias_says_so() -> None:
    (error,) = read_all(LINKS)
    assert isinstance(error, RowError) and error.line == 1
    assert "it looks like a GIAS links file, links_edubasealldata" in error.message


def test_one_missing_column_is_named() -> None:
    header = [c for c in COLUMNS if c != "EstablishmentName"]
    (error,) = read_gias(io.BytesIO(gias_bytes(header, [])))
    assert 'missing the required column "EstablishmentName";' in error.message


def test_empty_file() -> None:
    (error,) = read_gias(io.BytesIO(b""))
    assert error == RowError(1, None, 'the file is empty; expected a GIAS establishment file ("edubasealldata" CSV) with a header row')


def test_columns_may_come_in_any_order_and_extra_columns_are_ignored() -> None:
    header = ["Extra"] + list(reversed(COLUMNS))
    row = ["x"] + list(reversed(minimal_row("990001", OpenDate="01/09/2011", CloseDate="1-9-2021")))
    (school,) = read_gias(io.BytesIO(gias_bytes(header, [row])))
    assert school.urn == 990001
    assert school.open_date == date(2011, 9, 1)  # DD/MM/YYYY, as Excel re-saves, is accepted
    assert school.close_date == date(2021, 9, 1)


def test_blank_lines_are_skipped_and_status_is_case_insensitive() -> None:
    data = gias_bytes(list(COLUMNS), [minimal_row(**{"EstablishmentStatus (name)": " closed "})])
    data += b"\r\n\r\n"
    with open_gias(io.BytesIO(data)) as reader:
        (school,) = reader
        assert school.status == "closed"
        assert reader.rows_read == 1


def test_a_stray_quote_costs_only_its_own_row() -> None:
    header = ",".join(f'"{c}"' for c in COLUMNS).encode()
    good = ",".join(f'"{v}"' for v in minimal_row("990001")).encode()
    broken = good.replace(b'"Wyebank Primary School"', b'"Wyebank Primary School')
    tail = b"\r\n".join(good.replace(b"990001", str(990100 + i).encode()) for i in range(3))
    items = list(read_gias(io.BytesIO(header + b"\r\n" + broken + b"\r\n" + tail + b"\r\n")))
    assert [(type(i).__name__, i.line) for i in items] == [
        ("RowError", 2), ("SchoolRow", 3), ("SchoolRow", 4), ("SchoolRow", 5),
    ]
    assert items[0].message.startswith("the row has 12 fields but the header has 13")


def test_a_quote_never_closed_stops_the_read_with_an_error() -> None:
    header = ",".join(COLUMNS).encode()
    plain = ",".join(minimal_row("990001")).replace("Herefordshire, County of", "Herefordshire").encode()
    opened = plain.replace(b"Wyebank", b'"Wyebank')
    # Short tail: the open field runs to the end of the file.
    tail = b"\r\n".join(plain.replace(b"990001", str(990100 + i).encode()) for i in range(3))
    items = list(read_gias(io.BytesIO(header + b"\r\n" + opened + b"\r\n" + tail + b"\r\n")))
    assert [(type(i).__name__, i.line, i.column) for i in items] == [("RowError", 2, None)]
    # Long tail: the open field outgrows any real field and reading stops.
    tail = b"\r\n".join(plain.replace(b"990001", str(100000 + i).encode()) for i in range(2000))
    items = list(read_gias(io.BytesIO(header + b"\r\n" + plain + b"\r\n" + opened + b"\r\n" + tail)))
    assert [(type(i).__name__, i.line) for i in items] == [("SchoolRow", 2), ("RowError", 3)]
    assert "never closed" in items[1].message


# ---------------------------------------------------------------------------
# Encoding edge cases
# ---------------------------------------------------------------------------


def one_school_file(name: str) -> str:
    return ",".join(COLUMNS) + "\r\n" + ",".join(f'"{v}"' for v in minimal_row(name=name)) + "\r\n"


def test_pure_ascii_counts_as_utf8() -> None:
    with open_gias(io.BytesIO(one_school_file("Plain").encode("ascii"))) as reader:
        assert reader.encoding == "utf-8"
        assert [s.name for s in reader] == ["Plain"]


def test_valid_utf8_early_but_invalid_later_is_windows_1252() -> None:
    # "Ã©" in Windows-1252 is the bytes C3 A9, which happen to be valid UTF-8
    # (é); only the whole file tells the two apart.
    text = one_school_file("CafÃ© School") + ",".join(f'"{v}"' for v in minimal_row("990002", "St Mary’s")) + "\r\n"
    with open_gias(io.BytesIO(text.encode("cp1252"))) as reader:
        assert reader.encoding == "cp1252"
        assert [s.name for s in reader] == ["CafÃ© School", "St Mary’s"]


def test_utf8_multibyte_split_across_read_chunks() -> None:
    filler = "x" * ((1 << 16) - 1)  # puts "é" across the scanner's 64 KiB chunk boundary
    text = ",".join(COLUMNS) + "\r\n"
    text = text + filler[len(text):] + "\r\n" + ",".join(f'"{v}"' for v in minimal_row(name="École")) + "\r\n"
    with open_gias(io.BytesIO(text.encode("utf-8"))) as reader:
        assert reader.encoding == "utf-8"
        items = list(reader)
    assert items[-1].name == "École"


def test_truncated_utf8_at_end_is_windows_1252() -> None:
    data = one_school_file("Plain").encode() + b"\xc3"
    with open_gias(io.BytesIO(data)) as reader:
        assert reader.encoding == "cp1252"


def test_bytes_windows_1252_leaves_undefined_do_not_fail() -> None:
    data = one_school_file("Odd\x81Name").encode("latin-1")
    (school,) = read_gias(io.BytesIO(data))
    assert school.name == "Odd\x81Name"


def test_bom_but_invalid_utf8_is_an_error_on_that_row_not_garbage() -> None:
    rows = [minimal_row(str(990001 + i)) for i in range(4)]
    rows[2][COLUMNS.index("Postcode")] = "HR1 ZZZ"
    data = gias_bytes(list(COLUMNS), rows, bom=True)
    data = data.replace(b"HR1 ZZZ", b"Caf\xe9 School")  # a Windows-1252 byte in a UTF-8 file
    with open_gias(io.BytesIO(data)) as reader:
        assert reader.encoding == "utf-8-sig"
        items = list(reader)
    assert [(type(i).__name__, i.line, getattr(i, "column", None)) for i in items] == [
        ("SchoolRow", 2, None), ("SchoolRow", 3, None), ("RowError", 4, "Postcode"), ("SchoolRow", 5, None),
    ]
    assert "not valid UTF-8" in items[2].message and "byte-order mark" in items[2].message


def test_text_stream_is_refused_with_a_clear_message() -> None:
    with pytest.raises(TypeError, match="binary stream"):
        open_gias(io.StringIO(one_school_file("Plain")))


def test_non_seekable_utf8_stream_is_spooled() -> None:
    data = UTF8.read_bytes()
    stream = OneWayStream(iter([data[i : i + 1000] for i in range(0, len(data), 1000)]))
    with open_gias(stream) as reader:
        assert reader.encoding == "utf-8"
        assert list(reader) == read_all(UTF8)


def test_reader_leaves_the_callers_stream_open_and_reads_from_its_position() -> None:
    data = b"junk before the file\n" + CP1252.read_bytes()
    stream = io.BytesIO(data)
    stream.seek(len(b"junk before the file\n"))
    with open_gias(stream) as reader:
        assert len(list(reader)) == 17
    assert not stream.closed


# ---------------------------------------------------------------------------
# Streaming, counters, progress
# ---------------------------------------------------------------------------


def test_first_row_arrives_before_the_stream_is_read_to_the_end() -> None:
    template = CP1252.read_bytes().split(b"\r\n")
    header, st_marys = template[0], template[2]
    assert b"\x92" in st_marys  # Windows-1252's curly apostrophe

    def chunks() -> Iterator[bytes]:
        yield header + b"\r\n"
        for urn in range(100000, 130000):
            yield st_marys.replace(b"990002", str(urn).encode(), 1) + b"\r\n"

    stream = OneWayStream(chunks())
    reader = open_gias(stream)
    assert reader.encoding == "cp1252"  # decided at the first byte above 0x7F
    rows = iter(reader)
    assert next(rows).urn == 100000
    assert stream.bytes_given < 300_000  # of about 45 MB
    reader.close()


def test_memory_stays_flat_on_a_20000_row_file(tmp_path: Path) -> None:
    lines = UTF8.read_bytes().split(b"\n")
    header, first = lines[0], lines[1]
    path = tmp_path / "edubasealldata_big.csv"
    with path.open("wb") as out:
        out.write(header + b"\n")
        for urn in range(100000, 120000):
            out.write(first.replace(b"990001", str(urn).encode(), 1).replace(b"Wyebank", "Wyébank".encode()) + b"\n")
    assert path.stat().st_size > 20_000_000

    tracemalloc.start()
    try:
        with path.open("rb") as f, open_gias(f) as reader:
            count = sum(1 for item in reader if isinstance(item, SchoolRow))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 20_000
    assert reader.encoding == "utf-8"
    assert peak < 3_000_000, f"peak {peak} bytes"


def test_progress_callback_and_counters() -> None:
    calls: list[int] = []
    with CP1252.open("rb") as f, open_gias(f, la=["884"], progress=calls.append, progress_every=5) as reader:
        items = list(reader)
    assert calls == [5, 10, 15, 17]
    assert (reader.rows_read, reader.rows_skipped_by_filter, len(items)) == (17, 4, 13)


def test_a_reader_is_iterated_once() -> None:
    with CP1252.open("rb") as f, open_gias(f) as reader:
        list(reader)
        with pytest.raises(RuntimeError):
            list(reader)


def test_progress_every_must_be_positive() -> None:
    with pytest.raises(ValueError):
        open_gias(io.BytesIO(b""), progress_every=0)


# ---------------------------------------------------------------------------
# Round trip of awkward names (commas, quotes, line breaks, accents)
# ---------------------------------------------------------------------------

NAME_CHARS = st.sampled_from(list("abc XYZ,\"'’é\n") + ["\r\n"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    names=st.lists(
        st.lists(NAME_CHARS, min_size=1, max_size=12).map("".join).filter(lambda s: s.strip()),
        min_size=1,
        max_size=6,
    ),
    encoding=st.sampled_from(["cp1252", "utf-8", "utf-8-sig"]),
)
def test_names_and_start_lines_round_trip(names: list[str], encoding: str) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    expected_lines = []
    for i, name in enumerate(names):
        expected_lines.append(out.getvalue().count("\n") + 1)
        writer.writerow(minimal_row(str(990001 + i), name))
    items = list(read_gias(io.BytesIO(out.getvalue().encode(encoding))))
    assert all(isinstance(i, SchoolRow) for i in items), items
    assert [i.name for i in items] == [n.strip() for n in names]
    assert [i.line for i in items] == expected_lines


# ---------------------------------------------------------------------------
# Links
# ---------------------------------------------------------------------------


def test_links_file() -> None:
    with LINKS.open("rb") as f, open_gias_links(f) as reader:
        assert reader.encoding == "cp1252"
        links = list(reader)
        assert reader.rows_read == 8
    assert all(isinstance(link, LinkRow) for link in links)
    assert links[0] == LinkRow(
        line=2,
        urn=990003,
        link_urn=990004,
        link_type="Predecessor",
        established_on=date(2014, 9, 1),
        link_name="Lugwardine Primary School",
    )
    assert links[3].link_name == "Bishop of Hereford’s Bluecoat School"
    assert links[4].established_on is None


def test_predecessor_pairs_dedupe_both_directions() -> None:
    with LINKS.open("rb") as f:
        pairs = list(predecessor_pairs(read_gias_links(f)))
    assert pairs == [
        (990004, 990003),  # Lugwardine Primary School -> Lugwardine Primary Academy
        (990020, 990005),
        (990021, 990005),
        (990012, 990013),
    ]


def test_predecessor_pairs_skip_errors_self_links_and_other_types() -> None:
    items = [
        RowError(2, "URN", "bad"),
        LinkRow(3, 1, 1, "Predecessor", None),
        LinkRow(4, 1, 2, "Sixth Form Centre Link", None),
        LinkRow(5, 3, 4, "successor - split school", None),
    ]
    assert list(predecessor_pairs(items)) == [(3, 4)]


def test_bad_links_rows() -> None:
    data = (
        b'"URN","LinkURN","LinkType"\r\n'
        b'990001,x,"Successor"\r\n'
        b'990001,990002,""\r\n'
        b'990001,990002\r\n'
    )
    items = list(read_gias_links(io.BytesIO(data)))
    assert [(e.line, e.column) for e in items] == [(2, "LinkURN"), (3, "LinkType"), (4, None)]


def test_establishment_file_given_to_read_gias_links_says_so() -> None:
    with CP1252.open("rb") as f:
        (error,) = read_gias_links(f)
    assert error.line == 1 and "it looks like a GIAS establishments file, edubasealldata" in error.message
