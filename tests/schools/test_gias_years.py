"""GIAS files of every year read right: real rows of autumn 2017, the layouts of 2018, 2019,
January 2024 and April 2025, a chosen-fields extract, and the scope rule over every type and
group those years used. Fixtures and their sources: tests/schools/data/SOURCES.md."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest

from tests.schools.conftest import DATA, HEREFORD_CP1252, schools_by_urn
from tracker.schools.gias import TYPE_GROUPS, TYPES, group_known, place, read_gias
from tracker.schools.importing import ImportOptions, run_import

YEAR_FILES = {
    2017: DATA / "edubasealldata_2017_extract.csv",  # real rows of a 2017 download
    **{year: DATA / f"edubasealldata_{year}_layout.csv" for year in (2018, 2019, 2024, 2025)},
}
CHOSEN = DATA / "chosen_fields_extract.csv"
TYPES_2025 = DATA / "gias_establishment_types_20250422.csv"
# The one type in the fixtures invented on purpose, to stand for a type GIAS adds later.
INVENTED_TYPE = "Academy of the future"


def _scope(summary) -> dict[tuple[str, str], tuple[int, int]]:  # type: ignore[no-untyped-def]
    return {(r.group_label, r.type_label): (r.in_scope, r.out_of_scope)
            for r in summary.scope_rows()}


def _rows(path):  # type: ignore[no-untyped-def]
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig") if raw.startswith(b"\xef\xbb\xbf") else raw.decode("cp1252")
    return list(csv.DictReader(io.StringIO(text, newline="")))


# --- the scope rule knows every type and group of every year -------------------------------

def _types_seen() -> list[tuple[str, str, str, str, str]]:
    """(source, type code, type name, group code, group name) for every establishment type
    of GIAS's April 2025 list and of every year's fixture."""
    seen = [("2025 type list", r["type-of-establishment-code"], r["type-of-establishment-name"],
             r["establishment-type-group-code"], r["establishment-type-group-name"])
            for r in _rows(TYPES_2025)]
    for year, path in YEAR_FILES.items():
        seen += [(str(year), r["TypeOfEstablishment (code)"], r["TypeOfEstablishment (name)"],
                  r["EstablishmentTypeGroup (code)"], r["EstablishmentTypeGroup (name)"])
                 for r in _rows(path) if r["TypeOfEstablishment (name)"] != INVENTED_TYPE]
    return seen


@pytest.mark.parametrize(("source", "type_code", "type_name", "group_code", "group_name"),
                         _types_seen())
def test_every_type_and_group_gias_used_is_placed_deliberately(source, type_code, type_name,
                                                               group_code, group_name):
    """Fails when a year's type or group is missing from the tables, or its code and name
    would place it differently (a name-only extract must land where the code does)."""
    assert int(type_code) in TYPES, f"{source}: type {type_code} {type_name} not placed"
    names, group, rule = TYPES[int(type_code)]
    assert type_name.casefold() in {n.casefold() for n in names}
    assert group == int(group_code)
    assert int(group_code) in TYPE_GROUPS, f"{source}: group {group_code} {group_name} not placed"
    assert group_name.casefold() in {n.casefold() for n in TYPE_GROUPS[int(group_code)][0]}
    by_code = place(type_code=type_code, group_code=group_code)
    by_name = place(type_name, group_name)
    assert by_code == by_name and by_code.type_known and by_code.rule == rule
    assert group_known(group_name) and group_known(group_code=group_code)


def test_the_2025_list_has_every_type_the_rule_places_by_code():
    assert {int(r["type-of-establishment-code"]) for r in _rows(TYPES_2025)} == set(TYPES)


def test_groups_by_code_and_every_name_gias_has_used():
    assert {code: (names, rule) for code, (names, rule) in TYPE_GROUPS.items()} == {
        1: (("Colleges",), "fe"),
        2: (("Universities",), "out"),
        3: (("Independent schools",), "independent"),
        4: (("Local authority maintained schools", "LA maintained schools"), "in"),
        5: (("Special schools",), "in"),
        6: (("Welsh schools",), "out"),
        9: (("Other types",), "out"),
        10: (("Academies",), "in"),
        11: (("Free Schools",), "in"),
        13: (("Online provider",), "out"),
    }
    # The names of late 2018 and early 2019 place schools in scope, with or without codes.
    assert place("Community school", "LA maintained schools").rule == "in"
    assert place(None, "LA maintained schools").rule == "in"
    assert place(type_code="01").rule == "in"
    assert place(None, None, group_code="4").rule == "in"
    assert place("Brand new type", "LA maintained schools") == place(
        "Brand new type", "Local authority maintained schools")


# --- all-fields files of each year ---------------------------------------------------------

def test_2017_file_of_120_columns_reads_its_real_schools_in_and_out_of_scope(make):
    path = YEAR_FILES[2017]
    header = _rows(path)[0].keys()
    assert len(header) == 120 and "RSCRegion (name)" in header and "QABName (name)" not in header
    make.user(role="admin")
    summary = run_import(path, ImportOptions())
    assert summary.ok and summary.applied
    assert (summary.added, summary.added_closed, summary.rows_read) == (9, 1, 9)
    assert _scope(summary) == {
        ("Independent schools", "Other independent school"): (0, 3),
        ("LA maintained schools", "Community school"): (1, 0),
        ("LA maintained schools", "Local authority nursery school"): (2, 0),
        ("LA maintained schools", "Pupil referral unit"): (2, 0),
        ("LA maintained schools", "Voluntary aided school"): (1, 0),
    }
    assert summary.unknown_types() == [] and summary.unknown_groups == {}
    schools = schools_by_urn()
    assert {u for u, s in schools.items() if s.in_scope} == {100000, 100004, 100005, 100006,
                                                           100007, 100008}
    assert schools[100000].name == "Sir John Cass's Foundation Primary School"
    assert schools[100000].type_group == "LA maintained schools"
    assert schools[100001].open_date == dt.date(1920, 1, 1) and not schools[100001].in_scope
    assert schools[100004].status == "closed" and schools[100004].close_date == dt.date(1992, 8, 31)
    assert schools[100006].open_date == dt.date(1999, 9, 1)


def test_2018_file_keeps_la_maintained_schools_in_scope(make):
    make.user(role="admin")
    summary = run_import(YEAR_FILES[2018], ImportOptions())
    assert summary.ok and summary.applied
    assert (summary.added, summary.added_closed, summary.rows_read) == (7, 1, 7)
    assert _scope(summary) == {
        ("Academies", "Academy converter"): (1, 0),
        ("Independent schools", "Other independent school"): (0, 1),
        ("LA maintained schools", "Community school"): (1, 0),
        ("LA maintained schools", "Local authority nursery school"): (1, 0),
        ("LA maintained schools", "Pupil referral unit"): (1, 0),
        ("LA maintained schools", "Voluntary aided school"): (1, 0),
        ("Welsh schools", "Welsh establishment"): (0, 1),
    }
    assert summary.unknown_types() == [] and summary.unknown_groups == {}
    schools = schools_by_urn()
    assert {u for u, s in schools.items() if s.in_scope} == {990201, 990202, 990203, 990204,
                                                           990205}
    assert schools[990201].type_group == "LA maintained schools"
    assert schools[990202].name == "St Anne’s Catholic Primary School"  # Windows-1252
    assert schools[990206].open_date == dt.date(1920, 1, 1)


def test_2019_file_updates_the_2018_schools_and_adds_its_own(make):
    make.user(role="admin")
    run_import(YEAR_FILES[2018], ImportOptions())
    summary = run_import(YEAR_FILES[2019], ImportOptions())
    assert (summary.added, summary.updated, summary.unchanged) == (4, 1, 1)
    assert _scope(summary) == {
        ("Colleges", "Further education"): (0, 1),
        ("Free Schools", "Free schools"): (1, 0),
        ("Free Schools", "University technical college"): (1, 0),
        ("Independent schools", "City technology college"): (1, 0),
        ("LA maintained schools", "Community school"): (1, 0),
        ("LA maintained schools", "Voluntary aided school"): (1, 0),
    }
    schools = schools_by_urn()
    assert schools[990202].status == "open_proposed_to_close"
    assert schools[990202].close_date == dt.date(2019, 8, 31)
    assert schools[990209].trust_name == "Marches UTC Trust"
    assert not schools[990210].in_scope and schools[990211].in_scope


def test_2024_file_of_140_columns_with_a_placeholder_date(make):
    make.user(role="admin")
    summary = run_import(YEAR_FILES[2024], ImportOptions(include_independent=True))
    assert summary.added == 7
    assert _scope(summary) == {
        ("Academies", "Academy secure 16 to 19"): (1, 0),
        ("Academies", "Academy sponsor led"): (1, 0),
        ("Local authority maintained schools", "Community school"): (1, 0),
        ("Online provider", "Online provider"): (0, 1),
        ("Other types", "Secure units"): (0, 1),
        ("Special schools", "Foundation special school"): (1, 0),
        ("Special schools", "Other independent special school"): (1, 0),  # included on request
    }
    schools = schools_by_urn()
    assert schools[990301].open_date is None  # GIAS's 01-01-1900: no date
    assert schools[990304].open_date == dt.date(2024, 4, 1)


def test_2025_file_lists_a_type_never_seen_and_places_it_by_its_group(make, run_cli):
    admin = make.user(role="admin")
    result = run_cli("schools", "import", YEAR_FILES[2025], "--dry-run", "--as", admin.email)
    assert result.exit_code == 0, result.output
    assert "  Academy of the future (Academies): 1 in scope, 0 out of scope -- type never seen " \
           "before" in result.output
    assert "1 type never seen before (placed by their type group, or out of scope if that is " \
           "unknown too): Academy of the future. Check them before importing." in result.output
    assert "  Community school (Local authority maintained schools): 1 in scope, 0 out of " \
           "scope" in result.output


def test_preview_page_shows_scope_by_type_and_the_type_never_seen(signed_in):
    client, _ = signed_in("admin")
    path = YEAR_FILES[2025]
    page = client.post_form("/schools/import", {"establishments": (path.open("rb"), path.name),
                                                "la": ""},
                            content_type="multipart/form-data").get_data(as_text=True)
    table = page.split('id="scope-by-type"')[1].split("</table>")[0]
    rows = [[" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in
             re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)[1:]]
    assert rows == [
        ["Academies", "Academy converter", "1", "0"],
        ["Academies", "Academy of the future Never seen before", "1", "0"],
        ["Local authority maintained schools", "Community school", "1", "0"],
    ]
    warning = page.split('class="govuk-warning-text__text"')[1].split("</strong>")[0]
    assert "1 type of establishment never seen before: Academy of the future." in warning
    assert schools_by_urn() == {}


# --- chosen-fields extracts ----------------------------------------------------------------

def test_chosen_fields_extract_leaves_what_it_lacks_as_it_is(make):
    make.user(role="admin")
    run_import(HEREFORD_CP1252, ImportOptions(la=("884",)))
    summary = run_import(CHOSEN, ImportOptions())
    assert summary.ok, summary.problems
    assert summary.absent == ("type_group", "trust", "postcode")
    assert (summary.added, summary.updated, summary.unchanged) == (2, 0, 2)
    assert summary.lines()[1:] == [
        "no EstablishmentTypeGroup columns: type groups unchanged, scope decided from the type",
        "no trust columns: trust links unchanged",
        "no Postcode column: postcodes unchanged",
    ]
    assert _scope(summary) == {
        ("no type group given", "Academy converter"): (1, 0),
        ("no type group given", "Community school"): (2, 0),
        ("no type group given", "Other independent school"): (0, 1),
    }
    schools = schools_by_urn()
    academy = schools[990003]
    assert (academy.trust_code, academy.type_group) == ("16001", "Academies")  # unchanged
    new = schools[990501]
    assert (new.in_scope, new.open_date, new.type_group, new.trust_code) == (True, None, None, None)
    assert not schools[990502].in_scope
    assert schools[990502].open_date == dt.date(1998, 1, 15)  # DD/MM/YYYY


def _extract(header, *rows):  # type: ignore[no-untyped-def]
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([header, *rows])
    return out.getvalue().encode("utf-8")


def test_extract_without_type_or_group_leaves_scope_and_adds_new_schools_out(make, tmp_path):
    make.user(role="admin")
    run_import(HEREFORD_CP1252, ImportOptions(la=("884",)))
    path = tmp_path / "extract.csv"
    path.write_bytes(_extract(("URN", "EstablishmentName", "LA (code)", "EstablishmentStatus (code)"),
                              ("990009", "Wormside House School", "884", "1"),
                              ("990601", "New Road Primary School", "884", "4")))
    summary = run_import(path, ImportOptions(include_independent=True))
    assert summary.ok, summary.problems
    assert "no TypeOfEstablishment or EstablishmentTypeGroup columns: types, type groups and " \
           "scope unchanged; new schools are added out of scope" in summary.lines()
    assert summary.scope_lines() == []
    schools = schools_by_urn()
    assert not schools[990009].in_scope  # not widened: the file cannot say what it is
    assert schools[990009].la_name == "Herefordshire, County of"  # no LA (name): unchanged
    assert (schools[990601].in_scope, schools[990601].status) == (False, "proposed_to_open")


def test_extract_missing_a_required_column_is_refused_naming_it(make, tmp_path):
    make.user(role="admin")
    path = tmp_path / "extract.csv"
    path.write_bytes(_extract(("URN", "LA (code)", "EstablishmentStatus (name)"),
                              ("990601", "884", "Open")))
    summary = run_import(path, ImportOptions())
    assert [p.message for p in summary.problems] == [
        'the header is missing the required column "EstablishmentName"; this does not look '
        'like a GIAS establishment file ("edubasealldata" CSV)']
    assert schools_by_urn() == {}


def test_extract_without_any_status_column_is_refused_naming_it():
    (error,) = read_gias(io.BytesIO(_extract(("URN", "EstablishmentName", "LA (code)"),
                                             ("990601", "New Road Primary School", "884"))))
    assert 'missing the required column "EstablishmentStatus (name)"' in error.message


def test_dates_read_in_both_forms_and_1900_is_no_date():
    header = ("URN", "EstablishmentName", "LA (code)", "EstablishmentStatus (name)", "OpenDate",
              "CloseDate")
    rows = list(read_gias(io.BytesIO(_extract(
        header, ("990601", "A", "884", "Open", "01/09/2011", "01-01-1900"),
        ("990602", "B", "884", "Closed", "01-01-1900", "31/08/2020")))))
    assert [(r.open_date, r.close_date) for r in rows] == [
        (dt.date(2011, 9, 1), None), (None, dt.date(2020, 8, 31))]


def test_extract_without_la_name_is_filtered_by_la_code(make, tmp_path):
    make.user(role="admin")
    path = tmp_path / "extract.csv"
    path.write_bytes(_extract(("URN", "EstablishmentName", "LA (code)", "EstablishmentStatus (name)"),
                              ("990601", "New Road Primary School", "884", "Open"),
                              ("990602", "Severnside Primary School", "885", "Open")))
    summary = run_import(path, ImportOptions(la=("884",)))
    assert (summary.added, summary.skipped_by_filter) == (1, 1)
    assert list(schools_by_urn()) == [990601]
