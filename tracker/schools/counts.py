"""Adoption counted by guidance version, phase and status, kept on write, so the adoption
figure as at today reads a handful of rows instead of joining every school to its adoption.

Kept in ``adoption_counts`` (docs/rules-of-progress.md, "Figures kept on write"): for every
guidance version, the schools whose counting no day can change, by phase and by their
adoption's kept status (``adoptions.latest_status``, ``tracker.schools.kept``; "not started"
with no adoption). Those are the schools in scope and never recorded closed: the set
:func:`contribution` counts, the one definition of what is kept. Whether such a school counts
on a day still depends on the day (opened by then, in the tracker by then, nothing recorded
about its adoption after the day's end): ``schools.facts.counts_from_kept`` counts those
few in SQL at read time and corrects the kept counts with them.

Every write that can change a school's part of the counts keeps them in its transaction with
:func:`keeping` (the school's row locked, its part before the write, its part after, the
difference added):

* the writer of adoption events (``kept.record_events``), for the adoptions it changes;
* the GIAS import (``importing._Writer``), for the schools of each batch it adds or changes;
* any flush of the ORM that adds a school or a guidance version, or changes a school's phase,
  scope or recorded closure (the demo data, the guidance services, tests' factories):
  :func:`_before_flush` / :func:`_after_flush`.

Bulk loads around these (the bench's data sets) call :func:`refresh`, as migration
``0020_adoption_counts`` filled the table with the same counts in SQL.
tests/progress/test_kept_adoption_counts.py proves, over generated histories, on SQLite and
PostgreSQL, that the kept counts are :func:`contribution` over every school and that the
figures read from them are ``schools.facts.counts_by_phase``'s, as at any date.
"""
from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, orm
from sqlalchemy.dialects import postgresql, sqlite

from tracker import progress

COUNTS = sa.table(
    "adoption_counts", sa.column("guidance_version_id", sa.Integer),
    sa.column("no_phase", sa.Boolean), sa.column("phase", sa.String),
    sa.column("status", sa.String), sa.column("schools", sa.Integer))
SCHOOLS = sa.table(
    "schools", sa.column("id", sa.Integer), sa.column("urn", sa.Integer),
    sa.column("phase", sa.String), sa.column("in_scope", sa.Boolean),
    sa.column("closed_recorded_at", sa.DateTime))
VERSIONS = sa.table("guidance_versions", sa.column("id", sa.Integer))
ADOPTIONS = sa.table(
    "adoptions", sa.column("school_id", sa.Integer),
    sa.column("guidance_version_id", sa.Integer), sa.column("latest_status", sa.String))
KEY = ("guidance_version_id", "no_phase", "phase", "status")
CHUNK = 500
# (guidance version id, phase, status) -> schools
Counts = Counter[tuple[int, str | None, str]]


def kept_clause(schools: Any = SCHOOLS.c) -> list[sa.ColumnElement[bool]]:
    """The schools kept in the counts: in scope and never recorded closed (on ``schools``:
    the ``School`` model, or the columns of a table of schools)."""
    return [schools.in_scope.is_(True), schools.closed_recorded_at.is_(None)]


def contribution(connection: sa.Connection, key: sa.ColumnElement[Any] | None = None,
                 values: Sequence[Any] = (), version_ids: Sequence[int] | None = None,
                 ) -> Counts:
    """What schools add to the kept counts: for each guidance version (those of
    ``version_ids``, or every one) and each kept school (those whose ``key`` is one of
    ``values``, or every one when ``key`` is None), one for its phase and its adoption's kept
    status. Counted in the database."""
    status = sa.func.coalesce(ADOPTIONS.c.latest_status, progress.ADOPTION_NOT_STARTED)
    query = (sa.select(VERSIONS.c.id, SCHOOLS.c.phase, status, sa.func.count())
             .select_from(SCHOOLS.join(VERSIONS, sa.true()).outerjoin(ADOPTIONS, sa.and_(
                 ADOPTIONS.c.school_id == SCHOOLS.c.id,
                 ADOPTIONS.c.guidance_version_id == VERSIONS.c.id)))
             .where(*kept_clause()).group_by(VERSIONS.c.id, SCHOOLS.c.phase, status))
    if version_ids is not None:
        query = query.where(VERSIONS.c.id.in_(sorted(version_ids)))
    found: Counts = Counter()
    if key is None:
        chunks = [query]
    else:
        ordered = sorted(set(values))
        chunks = [query.where(key.in_(ordered[i:i + CHUNK]))
                  for i in range(0, len(ordered), CHUNK)]
    for chunk in chunks:
        for version_id, phase, adoption_status, count in connection.execute(chunk):
            found[(version_id, phase, adoption_status)] += count
    return found


def add(connection: sa.Connection, change: Counts) -> None:
    """Add ``change`` to the kept counts, in one statement (an upsert; keys in one order, so
    concurrent writers on PostgreSQL lock the rows they share in the same order)."""
    rows = [{"guidance_version_id": v, "no_phase": phase is None, "phase": phase or "",
             "status": status, "schools": n}
            for (v, phase, status), n in sorted(
                change.items(), key=lambda item: (item[0][0], item[0][1] is None,
                                                  item[0][1] or "", item[0][2]))
            if n]
    if not rows:
        return
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    insert = dialect.insert(COUNTS)
    connection.execute(insert.on_conflict_do_update(
        index_elements=list(KEY),
        set_={"schools": COUNTS.c.schools + insert.excluded.schools}), rows)


def lock(connection: sa.Connection, key: sa.ColumnElement[Any], values: Sequence[Any]) -> None:
    """Lock the schools' rows (PostgreSQL; SQLite's writers queue anyway), in id order, so two
    writers keeping the counts of the same school (an import and an adoption, say) take turns
    and the second reads its part before only once the first has committed."""
    ordered = sorted(set(values))
    for i in range(0, len(ordered), CHUNK):
        connection.execute(sa.select(SCHOOLS.c.id).where(key.in_(ordered[i:i + CHUNK]))
                           .order_by(SCHOOLS.c.id).with_for_update())


@contextlib.contextmanager
def keeping(connection: sa.Connection, key: sa.ColumnElement[Any], values: Sequence[Any],
            version_ids: Sequence[int] | None = None) -> Iterator[None]:
    """Keep the counts through a write to the schools whose ``key`` is one of ``values``
    (and to their adoptions of ``version_ids``, or of every version): their part of the
    counts is read before the write and after it, and the difference added."""
    if not values:
        yield
        return
    lock(connection, key, values)
    before = contribution(connection, key, values, version_ids)
    yield
    change = contribution(connection, key, values, version_ids)
    change.subtract(before)
    add(connection, change)


def read(connection: sa.Connection, version_id: int) -> Counts:
    """The kept counts of a guidance version (none left out, zeros dropped)."""
    return Counter({(version_id, None if no_phase else phase, status): n
                    for no_phase, phase, status, n in connection.execute(
                        sa.select(COUNTS.c.no_phase, COUNTS.c.phase, COUNTS.c.status,
                                  COUNTS.c.schools)
                        .where(COUNTS.c.guidance_version_id == version_id,
                               COUNTS.c.schools != 0))})


def refresh(connection: sa.Connection) -> int:
    """Count again from every school and adoption and put right the kept counts that differ
    (a bulk load around the writers); returns how many keys changed."""
    every = contribution(connection)
    kept: Counts = Counter()
    for version_id in connection.scalars(sa.select(COUNTS.c.guidance_version_id).distinct()):
        kept.update(read(connection, version_id))
    change = Counter(every)
    change.subtract(kept)
    add(connection, change)
    return sum(1 for n in change.values() if n)


# --- the ORM's writes ----------------------------------------------------------------------
_MOVES = ("phase", "in_scope", "closed_recorded_at")  # what puts a school elsewhere in the counts
_BEFORE = "adoption_counts_before"


def _moved_schools(session: orm.Session) -> list[int]:
    from tracker.models import School

    return sorted(obj.id for obj in session.dirty if isinstance(obj, School)
                  and obj.id is not None and any(
                      sa.inspect(obj).attrs[name].history.has_changes() for name in _MOVES))


def _before_flush(session: orm.Session, _context: Any, _instances: Any) -> None:
    """The part of the counts of the schools this flush moves, before it."""
    session.info.pop(_BEFORE, None)  # from a flush that failed
    moved = _moved_schools(session)
    if moved:
        connection = session.connection()
        lock(connection, SCHOOLS.c.id, moved)
        session.info[_BEFORE] = (moved, contribution(connection, SCHOOLS.c.id, moved))


def _after_flush(session: orm.Session, _context: Any) -> None:
    """Keep the counts through this flush: the moved and new schools' part now (over the
    versions that were there before it) less their part before, and every school's part in
    the versions it added."""
    from tracker.models import GuidanceVersion, School

    moved, before = session.info.pop(_BEFORE, ((), Counter()))
    new_schools = [obj.id for obj in session.new if isinstance(obj, School)]
    new_versions = [obj.id for obj in session.new if isinstance(obj, GuidanceVersion)]
    if not (moved or new_schools or new_versions):
        return
    connection = session.connection()
    change: Counts = Counter()
    if moved or new_schools:
        change = contribution(connection, SCHOOLS.c.id, [*moved, *new_schools])
        for key in [k for k in change if k[0] in new_versions]:
            del change[key]  # counted below, with every school
        change.subtract(before)
    if new_versions:
        change.update(contribution(connection, version_ids=new_versions))
    add(connection, change)


event.listen(orm.Session, "before_flush", _before_flush)
event.listen(orm.Session, "after_flush", _after_flush)
