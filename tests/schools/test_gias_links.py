"""GIAS's links file as published in 2025 (every link type, Welsh URNs, quoted commas,
CRLF), counted only for schools the tracker holds; and files given in the wrong place,
refused with a message that says where they go."""
from __future__ import annotations

import pytest

from tests.schools.conftest import DATA, HEREFORD_CP1252, LINKS, schools_by_urn
from tracker.schools.gias import (
    LINK_TYPES, LinkRow, LinkTally, predecessor_pairs, read_gias_links,
)
from tracker.schools.importing import ImportOptions, run_import

LINKS_2025 = DATA / "links_edubasealldata20250422_extract.csv"
HEREFORD = ImportOptions(la=("884",))
# URN -> name of the schools the tracker holds in the links test (names as GIAS has them).
TRACKED = {100023: "Torriano Primary School", 100024: "Torriano Infant School",
           100068: "North Bridge Nursery School", 100071: "North Bridge House Nursery",
           100103: "Newhaven Pupil Referral Unit", 100104: "Briset Centre",
           100105: "Foxhill Centre", 101276: "Edgware Junior School",
           101277: "Edgware Primary School", 143659: "City of London Academy, Highgate Hill",
           110775: "Kings Hedges Primary School", 136931: "King's Hedges Nursery School",
           402307: "Cwmbach Community Primary"}


def test_every_link_type_of_the_2025_file_is_used_or_skipped_with_its_count():
    tally = LinkTally()
    with LINKS_2025.open("rb") as f:
        rows = list(read_gias_links(f))
    pairs = list(predecessor_pairs(rows, tally))
    assert len(rows) == 41 and all(isinstance(row, LinkRow) for row in rows)  # CRLF, no errors
    becket = next(row for row in rows if row.urn == 108299)
    assert becket.link_name == "St Thomas à Becket Catholic Secondary School, A Voluntary Academy"
    assert next(row for row in rows if row.urn == 100050).established_on is None  # empty date
    assert dict(tally.used) == {
        "Predecessor": 8, "Successor": 8, "Predecessor - amalgamated": 3,
        "Successor - amalgamated": 3, "Predecessor - merged": 1, "Successor - merged": 1,
        "Predecessor - Split School": 1, "Successor - Split School": 1}
    assert dict(tally.skipped) == {
        "Result of Amalgamation": 2, "Merged - change in age range": 2,
        "Merged - expansion of school capacity": 2,
        "Merged - expansion in school capacity and changer in age range": 2,
        "Closure": 1, "Expansion": 2, "Other": 2, "Sixth Form Centre Link": 1,
        "Sixth Form Centre School": 1}
    assert dict(tally.unknown) == {}
    assert set(tally.used) | set(tally.skipped) == set(LINK_TYPES) and len(LINK_TYPES) == 17
    assert len(pairs) == 13
    assert (100024, 100023) in pairs  # infant school -> primary school
    assert (400018, 402307) in pairs  # Welsh URNs read like any other


def test_links_file_counts_only_tracked_schools(make, run_cli):
    admin = make.user(role="admin")
    for urn, name in TRACKED.items():
        make.school(urn=urn, name=name)
    result = run_cli("schools", "import", HEREFORD_CP1252, "--la", "884", "--links", LINKS_2025,
                     "--as", admin.email)
    assert result.exit_code == 0, result.output
    out = result.output.splitlines()
    assert "Links file: 3 schools linked to their predecessor, 0 adoptions carried over, " \
           "0 links unchanged" in out
    assert "8 links skipped: they name a school the tracker does not hold" in out
    assert "1 tracked school with more than one predecessor: link them by hand from the " \
           "school's page: Newhaven Pupil Referral Unit (URN 100103)" in out
    assert "Link type skipped: Result of Amalgamation (2 links): does not say which school " \
           "came first: link such schools by hand" in out
    assert "Link type skipped: Sixth Form Centre School (1 link): not a succession (a sixth " \
           "form shared by schools)" in out
    assert "Link types used for predecessor links: Predecessor (8), Predecessor - Split School " \
           "(1), Predecessor - amalgamated (3), Predecessor - merged (1), Successor (8), " \
           "Successor - Split School (1), Successor - amalgamated (3), Successor - merged (1)" \
           in out
    schools = schools_by_urn()
    assert schools[100023].predecessor_id == schools[100024].id
    assert schools[100071].predecessor_id == schools[100068].id
    assert schools[136931].predecessor_id == schools[110775].id  # split school
    assert schools[100103].predecessor_id is None  # several predecessors: by hand
    assert schools[101276].predecessor_id is None and schools[101277].predecessor_id is None
    assert schools[143659].predecessor_id is None  # its predecessor is not tracked


def test_a_link_type_never_seen_is_skipped_and_listed(make, tmp_path):
    make.user(role="admin")
    links = tmp_path / "links.csv"
    links.write_bytes(b'"URN","LinkURN","LinkName","LinkType","LinkEstablishedDate"\r\n'
                      b'990003,990004,"Lugwardine Primary School","Predecessor - federated",""\r\n')
    summary = run_import(HEREFORD_CP1252, HEREFORD, links_path=links)
    assert summary.links.types_unknown == {"Predecessor - federated": 1}
    assert "Link types never seen before, skipped: Predecessor - federated (1)" in summary.lines()
    assert summary.links.linked == 0


# --- files in the wrong place --------------------------------------------------------------

def test_links_file_as_the_establishments_file_says_give_it_with_links(make, run_cli):
    admin = make.user(role="admin")
    result = run_cli("schools", "import", LINKS, "--as", admin.email)
    assert result.exit_code != 0
    assert "(it looks like a GIAS links file, links_edubasealldata): give it with --links" \
        in result.stderr
    assert "read_gias" not in result.output + result.stderr


def test_establishments_file_given_with_links_says_so(make, run_cli):
    admin = make.user(role="admin")
    result = run_cli("schools", "import", HEREFORD_CP1252, "--links", HEREFORD_CP1252,
                     "--as", admin.email)
    assert result.exit_code != 0
    assert "(it looks like a GIAS establishments file, edubasealldata): give it as the " \
           "establishments file (PATH), not with --links" in result.stderr


def test_upload_page_names_the_field_the_links_file_goes_in(signed_in):
    client, _ = signed_in("admin")
    page = client.post_form("/schools/import", {"establishments": (LINKS.open("rb"), LINKS.name),
                                                "la": ""},
                            content_type="multipart/form-data").get_data(as_text=True)
    assert "links_edubasealldata): upload it in the &#34;GIAS links file (optional)&#34; field" \
        in page
    assert schools_by_urn() == {}


GROUP_LINKS = (b'"Group UID","Group ID","Group Name","Group Type","URN","EstablishmentName",'
               b'"LA (code)","EstablishmentStatus (name)"\r\n'
               b'"16001","TR00001","Wye Valley Learning Trust","Multi-academy trust","990003",'
               b'"Lugwardine Primary Academy","884","Open"\r\n')


def test_group_links_file_is_recognised_by_its_columns(make, tmp_path):
    make.user(role="admin")
    path = tmp_path / "groups.csv"
    path.write_bytes(GROUP_LINKS)
    summary = run_import(path, ImportOptions())
    assert [str(p) for p in summary.problems] == [
        "Establishments file, line 1: this is a GIAS group links file (alllinksdata: the "
        "schools in each trust or federation), not a GIAS establishment file (\"edubasealldata\" "
        "CSV); the tracker reads trusts from the establishments file's \"Trusts (code)\" and "
        "\"Trusts (name)\" columns"]
    assert schools_by_urn() == {}


def test_group_links_file_is_recognised_by_its_name(make, tmp_path):
    make.user(role="admin")
    path = tmp_path / "alllinksdata20250422.csv"
    path.write_bytes(GROUP_LINKS)
    summary = run_import(HEREFORD_CP1252, HEREFORD, links_path=path)
    assert [str(p) for p in summary.problems] == [
        "Links file: alllinksdata20250422.csv is a GIAS group links file (alllinksdata: the "
        "schools in each trust or federation), not an establishments or links file; the "
        "tracker reads trusts from the establishments file's \"Trusts (code)\" and "
        "\"Trusts (name)\" columns"]
    assert schools_by_urn() == {}
