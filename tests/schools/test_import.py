"""Importing GIAS files through the command (and the import pipeline behind the upload page)."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from tests.schools.conftest import (
    BAD_ROWS, HEREFORD_CP1252, HEREFORD_URNS, HEREFORD_UTF8, HEREFORD_UTF8_BOM, LINKS, NOT_GIAS,
    audit_count, edited_gias, schools_by_urn, versions,
)
from tracker.extensions import db
from tracker.models import Adoption, AdoptionEvent, AuditEvent
from tracker.schools.importing import ImportOptions, run_import

HEREFORD = ImportOptions(la=("884",))


def test_command_imports_a_windows_1252_file_in_gias_full_layout(make, run_cli):
    admin = make.user(role="admin")
    result = run_cli("schools", "import", HEREFORD_CP1252, "--la", "884", "--as", admin.email)
    assert result.exit_code == 0, result.output
    assert "13 added, 0 updated, 0 closed, 0 unchanged; 4 skipped (other local authorities)" \
        in result.output
    assert "Checking: 17 rows read" in result.stderr
    schools = schools_by_urn()
    assert sorted(schools) == list(HEREFORD_URNS)
    mary = schools[990002]
    assert mary.name == "St Mary’s RC Primary School"  # curly apostrophe read from cp1252
    assert (mary.type_name, mary.type_group, mary.phase) == (
        "Voluntary aided school", "Local authority maintained schools", "Primary")
    academy = schools[990003]
    assert (academy.trust_code, academy.trust_name) == ("16001", "Wye Valley Learning Trust")
    assert academy.open_date == dt.date(2014, 9, 1)
    import_event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "import"))
    assert import_event.actor_label == f"command line as {admin.email}"
    assert import_event.after["added"] == 13
    creates = db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(
        AuditEvent.action == "create", AuditEvent.object_type == "School"))
    assert creates == 13


def test_the_same_schools_in_utf8_with_or_without_bom_change_nothing(make, run_cli):
    admin = make.user(role="admin")
    run_cli("schools", "import", HEREFORD_CP1252, "--la", "884", "--as", admin.email)
    before, events = versions(), audit_count()
    for path in (HEREFORD_UTF8, HEREFORD_UTF8_BOM, HEREFORD_CP1252):
        result = run_cli("schools", "import", path, "--la", "Herefordshire", "--as", admin.email)
        assert result.exit_code == 0, result.output
        assert "0 added, 0 updated, 0 closed, 13 unchanged" in result.output
        assert "Nothing to change" in result.output
    assert versions() == before  # no version bumps, no touched timestamps
    assert audit_count() == events  # no audit events at all


def test_scope_follows_design_unless_the_administrator_includes_more(make):
    make.user(role="admin")
    run_import(HEREFORD_CP1252, HEREFORD)
    schools = schools_by_urn()
    assert not schools[990009].in_scope  # Other independent school
    assert not schools[990010].in_scope  # Further education
    assert schools[990008].in_scope and schools[990007].in_scope and schools[990011].in_scope
    summary = run_import(HEREFORD_CP1252, ImportOptions(la=("884",), include_independent=True,
                                                        include_fe=True))
    assert (summary.updated, summary.joined_scope) == (2, 2)
    schools = schools_by_urn()
    assert schools[990009].in_scope and schools[990010].in_scope


def test_closed_school_is_recorded_closed_and_proposed_to_close_counts_as_open(make):
    run_import(HEREFORD_CP1252, HEREFORD)
    schools = schools_by_urn()
    assert schools[990004].status == "closed"
    assert schools[990004].closed_recorded_at is not None  # closed when first recorded
    assert schools[990012].status == "open_proposed_to_close"
    assert schools[990012].closed_recorded_at is None and schools[990012].is_open


def test_edited_file_applies_exactly_its_edits(make, tmp_path):
    run_import(HEREFORD_CP1252, HEREFORD)
    before, events = versions(), audit_count()
    edited = edited_gias(HEREFORD_CP1252, tmp_path / "edubasealldata20250101.csv", changes={
        990001: {"EstablishmentName": "Wyebank Primary School"},                  # renamed
        990002: {"EstablishmentStatus (name)": "Closed", "CloseDate": "31-12-2024"},  # closed
        990006: {"Trusts (code)": "16009", "Trusts (name)": "Marches Academy Trust"},  # new trust
    }, add=[{"URN": "990040", "EstablishmentName": "Dinedor New Primary School",
             "OpenDate": "01-09-2024"}])
    summary = run_import(edited, HEREFORD)
    assert (summary.added, summary.updated, summary.closed, summary.unchanged) == (1, 2, 1, 10)
    after = versions()
    changed = {urn for urn in before if after[urn] != before[urn]}
    assert changed == {990001, 990002, 990006}
    assert all(after[urn][0] == before[urn][0] + 1 for urn in changed)
    schools = schools_by_urn()
    assert schools[990001].name == "Wyebank Primary School"
    assert schools[990002].status == "closed" and schools[990002].closed_recorded_at is not None
    assert schools[990006].trust_name == "Marches Academy Trust"
    assert schools[990040].open_date == dt.date(2024, 9, 1)
    # one audit event per school changed or added, and one for the import
    assert audit_count() == events + 5
    rename = db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.object_type == "School", AuditEvent.object_id == schools[990001].id,
        AuditEvent.action == "update"))
    assert rename.before["name"] == "Wyebank Community Primary School"
    assert rename.after["name"] == "Wyebank Primary School"
    # the edited file again: nothing more
    again = run_import(edited, HEREFORD)
    assert (again.added, again.updated, again.closed, again.unchanged) == (0, 0, 0, 14)
    assert audit_count() == events + 5


def test_reimport_never_deletes_a_school_or_an_adoption(make, guidance, tmp_path):
    _, version, _ = guidance
    run_import(HEREFORD_CP1252, HEREFORD)
    school = schools_by_urn()[990001]
    make.adoption(school, version, status="under_review")
    shorter = edited_gias(HEREFORD_CP1252, tmp_path / "short.csv", drop=(990001,))
    summary = run_import(shorter, HEREFORD)
    assert summary.unchanged == 12
    assert 990001 in schools_by_urn()
    assert db.session.scalar(sa.select(sa.func.count(Adoption.id))) == 1


def test_converted_academy_is_linked_to_its_predecessor_and_adoption_carried_over(
        make, guidance, tmp_path, run_cli):
    _, version, _ = guidance
    admin = make.user(role="admin")
    # Before conversion: Lugwardine Primary School open, the academy not yet in GIAS.
    earlier = edited_gias(HEREFORD_CP1252, tmp_path / "2014.csv", drop=(990003,), changes={
        990004: {"EstablishmentStatus (name)": "Open", "CloseDate": ""}})
    run_import(earlier, HEREFORD)
    old = schools_by_urn()[990004]
    make.adoption(old, version, status="adopted", adopted_on=dt.date(2021, 3, 1))
    result = run_cli("schools", "import", HEREFORD_CP1252, "--la", "884", "--links", LINKS,
                     "--as", admin.email)
    assert result.exit_code == 0, result.output
    assert "1 added, 0 updated, 1 closed, 11 unchanged" in result.output
    assert "2 schools linked to their predecessor, 1 adoption carried over, 0 links unchanged" in result.output
    schools = schools_by_urn()
    academy, old = schools[990003], schools[990004]
    assert academy.predecessor_id == old.id
    assert schools[990013].predecessor_id == schools[990012].id  # "Predecessor - merged"
    assert schools[990005].predecessor_id is None  # amalgamation: not in the tracker anyway
    carried = db.session.scalar(sa.select(Adoption).where(Adoption.school_id == academy.id))
    assert (carried.status, carried.adopted_on) == ("adopted", dt.date(2021, 3, 1))
    assert carried.carried_from_id is not None
    assert [e.via for e in carried.events] == ["carried_over"]
    assert (carried.latest_status, carried.latest_event_id) == ("adopted", carried.events[0].id)
    # the links again change nothing
    again = run_cli("schools", "import", HEREFORD_CP1252, "--la", "884", "--links", LINKS,
                    "--as", admin.email)
    assert "0 schools linked to their predecessor, 0 adoptions carried over, 2 links unchanged" \
        in again.output
    assert db.session.scalar(sa.select(sa.func.count(AdoptionEvent.id)).where(
        AdoptionEvent.via == "carried_over")) == 1


def test_a_bad_row_is_reported_by_line_and_column_and_nothing_is_applied(make, run_cli):
    admin = make.user(role="admin")
    events = audit_count()
    result = run_cli("schools", "import", BAD_ROWS, "--as", admin.email)
    assert result.exit_code == 1
    assert 'Establishments file, line 3, URN: URN "12A45" is not a number' in result.stderr
    assert "line 4, EstablishmentName: EstablishmentName is empty" in result.stderr
    assert "line 9: the row has 5 fields but the header has 139" in result.stderr
    assert "nothing was imported" in result.output
    assert schools_by_urn() == {}  # the good rows (lines 2 and 12) were not applied either
    assert audit_count() == events


def test_a_file_that_is_not_gias_is_refused(make):
    summary = run_import(NOT_GIAS, ImportOptions())
    assert not summary.ok
    assert summary.problems[0].line == 1
    assert "does not look like a GIAS establishment file" in summary.problems[0].message
    assert schools_by_urn() == {}


def test_a_local_authority_matching_nothing_is_a_problem(make):
    summary = run_import(HEREFORD_CP1252, ImportOptions(la=("Herefordshre",)))
    assert not summary.ok
    assert 'No establishment in the file is in the local authority "Herefordshre"' \
        in str(summary.problems[0])


def test_dry_run_reports_what_would_change_and_changes_nothing(make, run_cli):
    admin = make.user(role="admin")
    events = audit_count()
    result = run_cli("schools", "import", HEREFORD_UTF8, "--la", "884", "--dry-run",
                     "--as", admin.email)
    assert result.exit_code == 0, result.output
    assert "13 added" in result.output and "Dry run: nothing was changed." in result.output
    assert schools_by_urn() == {}
    assert audit_count() == events


def test_command_needs_an_active_user_to_act_as(run_cli):
    result = run_cli("schools", "import", HEREFORD_UTF8, "--as", "nobody@example.gov.uk")
    assert result.exit_code != 0
    assert "No active user has the email address nobody@example.gov.uk" in result.output
