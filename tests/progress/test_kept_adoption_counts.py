"""The adoption counts kept on write (``tracker.schools.counts``) and the figures read from them
(``schools.facts.counts_from_kept``) equal what ``schools.facts.counts_by_phase`` (the
rule's count in SQL, itself proven against the rules of progress by test_kept_adoption.py)
computes from the rows, over generated histories, on SQLite and on PostgreSQL.

A history is a list of steps, each through the writer the app uses for it:

* a new guidance version (the ORM, as the guidance services add one);
* a new school (the ORM, as the demo data and tests add one), in scope or not, opening
  before or after the days asked about, recorded closed or not, with a phase or none;
* a school moved by the ORM: another phase, scope, opening date or recorded closure;
* an adoption event (``kept.record_event``, or several at once by ``kept.record_events``),
  recorded in any order, so a backdated event lands before others already recorded;
* a GIAS import (``importing.run_import`` of a generated file): new schools, and schools
  already there renamed into another phase, out of scope, closed or reopened.

After every step the kept counts are what :func:`counts.contribution` counts from every
school (``counts.refresh`` finds nothing to put right); at the end, for every version and
as at today, a far day, every day drawn and the days around each event, the counts read from
the kept ones are ``counts_by_phase``'s, and so is ``adoption_counts`` (the pages' choice).
"""
from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from itertools import count
from pathlib import Path

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.progress import histories
from tests.schools.data.make_fixtures import edubase_bytes
from tests.schools.data.make_fixtures import school as gias_school
from tracker import clock, progress
from tracker.models import Adoption, School
from tracker.schools import counts, facts, kept
from tracker.schools.importing import ImportOptions, run_import

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
PHASES = (None, "Primary", "Secondary")
URNS = count(990700)

moments = histories.moments(600)
days = histories.days(640)
school_index = st.integers(0, 7)
version_index = st.integers(0, 3)
steps = st.one_of(
    st.tuples(st.just("version")),
    st.tuples(st.just("school"), st.sampled_from(PHASES), st.booleans(), moments,
              st.none() | days, st.none() | moments),
    st.tuples(st.just("move"), school_index, st.sampled_from(("phase", "in_scope", "open_date",
                                                             "closed_recorded_at")),
              st.sampled_from(PHASES), st.none() | days, st.none() | moments),
    st.tuples(st.just("events"), st.lists(st.tuples(
        school_index, version_index, moments, st.sampled_from(progress.ADOPTION_STATUSES)),
        min_size=1, max_size=4), st.booleans()),
    st.tuples(st.just("import"), st.lists(st.tuples(
        st.none() | school_index, st.booleans(),
        st.sampled_from(("Open", "Closed", "Proposed to open")),
        st.sampled_from(("Primary", "Secondary", "")), st.none() | days), min_size=1,
        max_size=4)),
)


def _kept_as_counted(connection) -> None:
    """The kept counts are every school's part (nothing to put right), zeros aside."""
    every = counts.contribution(connection)
    found = Counter()
    for version_id in {v for v, _, _ in every} | _kept_versions(connection):
        found.update(counts.read(connection, version_id))
    assert +found == +every


def _kept_versions(connection) -> set[int]:
    return set(connection.scalars(sa.select(counts.COUNTS.c.guidance_version_id).distinct()))


def _import(tmp: Path, schools: list[School], rows) -> None:
    lines = []
    for index, in_scope, status, phase, opened in rows:
        urn = schools[index % len(schools)].urn if index is not None and schools else next(URNS)
        values = gias_school(urn, f"School {urn}", "Community school" if in_scope
                             else "Other independent school", status, phase)
        values["OpenDate"] = opened.strftime("%d-%m-%Y") if opened else ""
        lines.append(values)
    # one row per URN, as GIAS gives
    unique = list({values["URN"]: values for values in lines}.values())
    path = tmp / "edubasealldata.csv"
    path.write_bytes(edubase_bytes(unique, "cp1252", "\r\n"))
    summary = run_import(path, ImportOptions(la=("884",)))
    assert summary.ok, summary


@SETTINGS
@given(st.lists(steps, min_size=1, max_size=10), days)
def test_kept_counts_are_the_counts_of_the_rows(db_session, make, tmp_path, drawn, past):
    make.user(role="admin")
    guidance = make.guidance()
    versions = [make.guidance_version(guidance=guidance)]
    schools: list[School] = []
    adoptions: dict[tuple[int, int], Adoption] = {}
    asked = {clock.today(), past, date(2999, 1, 1)}
    for step in drawn:
        kind = step[0]
        if kind == "version":
            versions.append(make.guidance_version(guidance=guidance))
        elif kind == "school":
            _, phase, in_scope, created, opened, closed = step
            schools.append(make.school(phase=phase, in_scope=in_scope, created_at=created,
                                       open_date=opened, closed_recorded_at=closed,
                                       status="closed" if closed else "open"))
            asked |= {created.date(), *([opened] if opened else [])}
        elif kind == "move" and schools:
            _, index, name, phase, opened, closed = step
            school = schools[index % len(schools)]
            value = {"phase": phase, "in_scope": not school.in_scope, "open_date": opened,
                     "closed_recorded_at": closed}[name]
            setattr(school, name, value)
            db_session.flush()
        elif kind == "events" and schools:
            _, events, at_once = step
            rows = []
            for index, v, when, status in events:
                school, version = schools[index % len(schools)], versions[v % len(versions)]
                adoption = adoptions.get((school.id, version.id))
                if adoption is None:  # made lazily, at the first event
                    adoption = adoptions[(school.id, version.id)] = Adoption(
                        school_id=school.id, guidance_version_id=version.id, status=status,
                        reason="Reason.", trained_on=date(2021, 1, 1))
                    db_session.add(adoption)
                    db_session.flush()
                asked |= {progress.london_today(when - timedelta(microseconds=1)),
                          progress.london_today(when)}
                row = {"adoption_id": adoption.id, "status": status, "via": "admin",
                       "recorded_at": when}
                if at_once:
                    rows.append(row)
                else:
                    kept.record_events(db_session, [row])
            kept.record_events(db_session, rows)
        elif kind == "import":
            _import(tmp_path, schools, step[1])
        _kept_as_counted(db_session.connection())
    assert counts.refresh(db_session.connection()) == 0
    for version in versions:
        for as_at in sorted(asked):
            rule = facts.counts_by_phase(version.id, as_at)
            assert facts.counts_from_kept(version.id, as_at) == rule, as_at
            assert facts.adoption_counts(version.id, as_at) == rule, as_at
