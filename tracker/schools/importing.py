"""Importing GIAS establishment files (and links files) into the tracker's schools.

Two passes over the file, each streaming it with bounded memory:

1. **check**: every record is read and every bad one reported by line and column (the
   reader's checks plus the lengths the database holds). No database work at all.
2. **apply**: only when every record is good. Records go to the database in batches of
   ``BATCH``: one query finds the batch's existing schools by URN, new schools are inserted
   in bulk, changed ones updated in bulk, and their audit events inserted in bulk. Everything
   happens in one transaction, committed at the end (all or nothing). A dry run is the same
   pass rolled back at the end, so its summary is exactly what the import would do.

Re-importing updates names, types, trusts, status and scope and adds new schools; it never
deletes a school or an adoption. A school first recorded closed gets ``closed_recorded_at``
(the "as at" figures use it). The same file again changes nothing: no writes, no audit
events, no version bumps. Scope comes from the type and type-group codes (or names) through
``SchoolRow.placement``, widened by the options to include independent schools or further
education. A chosen-fields extract lacking optional columns leaves those fields of every
school as they are (the summary says which); with neither type nor type group, scope is left
as it is and new schools are added out of scope.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import sqlalchemy as sa

from tracker import audit, clock
from tracker.extensions import db
from tracker.models import AuditEvent, School
from tracker.schools import counts, linking
from tracker.schools.gias import RowError, SchoolRow, open_gias
from tracker.schools.import_summary import (
    COMMAND_HINTS,
    UPLOAD_HINTS,
    Hints,
    ImportOptions,
    ImportSummary,
    Problem,
)
from tracker.schools.linking import jsonable

__all__ = ["COMMAND_HINTS", "UPLOAD_HINTS", "Hints", "ImportAborted", "ImportOptions",
           "ImportSummary", "Problem", "in_scope", "run_import"]

BATCH = 1000
# Columns an import sets; a school is "changed" when any differs from the file.
TRACKED = ("name", "la_code", "la_name", "type_name", "type_group", "phase", "status",
           "open_date", "close_date", "trust_code", "trust_name", "postcode", "in_scope")
# The reader's optional fields (columns a file may lack) -> the school columns they set.
FIELD_COLUMNS = {"la_name": ("la_name",), "type": ("type_name",), "type_group": ("type_group",),
                 "phase": ("phase",), "open_date": ("open_date",), "close_date": ("close_date",),
                 "trust": ("trust_code", "trust_name"), "postcode": ("postcode",)}
# The database's limits, checked before anything is written (GIAS column -> (field, limit)).
LIMITS = {"EstablishmentName": ("name", 300), "LA (code)": ("la_code", 10),
          "LA (name)": ("la_name", 200), "TypeOfEstablishment (name)": ("type_name", 200),
          "EstablishmentTypeGroup (name)": ("type_group", 200),
          "PhaseOfEducation (name)": ("phase", 100), "Trusts (code)": ("trust_code", 20),
          "Trusts (name)": ("trust_name", 300), "Postcode": ("postcode", 10)}
GROUP_LINKS_NAME = "alllinksdata"

Progress = Callable[[str, int], None]


class ImportAborted(Exception):
    """The file changed between the check and the apply pass: nothing was applied."""


# --- reading -------------------------------------------------------------------------------

def in_scope(row: SchoolRow, options: ImportOptions) -> bool:
    """The default scope (docs/rules-of-progress.md, "Schools in scope"): the reader's default, widened by the administrator's choices."""
    return row.placement.in_scope(include_independent=options.include_independent,
                                  include_fe=options.include_fe)


def _values(row: SchoolRow, options: ImportOptions, absent: tuple[str, ...]) -> dict[str, Any]:
    """The school's columns the file sets: a field the file has no column for is left out
    (left as it is), and so is scope when the file has neither type nor type group."""
    values = {"name": row.name, "la_code": row.la_code or None, "la_name": row.la_name,
              "type_name": row.type_name, "type_group": row.type_group, "phase": row.phase,
              "status": row.status, "open_date": row.open_date, "close_date": row.close_date,
              "trust_code": row.trust_code, "trust_name": row.trust_name,
              "postcode": row.postcode, "in_scope": in_scope(row, options)}
    for name in absent:
        for column in FIELD_COLUMNS[name]:
            del values[column]
    if "type" in absent and "type_group" in absent:
        del values["in_scope"]
    return values


def _too_long(row: SchoolRow) -> list[Problem]:
    found = []
    for column, (name, limit) in LIMITS.items():
        value = getattr(row, name)
        if value and len(value) > limit:
            found.append(Problem("Establishments file", row.line, column,
                                 f"{column} is {len(value)} characters long; the tracker holds "
                                 f"at most {limit}"))
    return found


def _hint(looks_like: str | None, hints: Hints) -> str:
    return f": {hints.links_as_establishments}" if looks_like == "links" else ""


def _rows(path: Path, options: ImportOptions, summary: ImportSummary, phase: str,
          progress: Progress | None, hints: Hints = COMMAND_HINTS) -> Iterator[SchoolRow]:
    """Good rows of the file; problems go to ``summary``. Counters are set at the end."""
    tick = (lambda n: progress(phase, n)) if progress else None
    with path.open("rb") as stream, open_gias(stream, la=options.la, progress=tick,
                                              progress_every=5000) as reader:
        summary.encoding = reader.encoding
        summary.absent = reader.absent
        for item in reader:
            if isinstance(item, RowError):
                summary.problem(Problem("Establishments file", item.line, item.column,
                                        item.message + _hint(reader.looks_like, hints)))
                continue
            long_fields = _too_long(item)
            for problem in long_fields:
                summary.problem(problem)
            if not long_fields:
                yield item
        summary.rows_read = reader.rows_read
        summary.skipped_by_filter = reader.rows_skipped_by_filter
        for value in reader.la_filters_unmatched if reader.header_error is None else ():
            summary.problem(Problem("Establishments file", None, "LA (code)",
                                    f'No establishment in the file is in the local authority '
                                    f'"{value}": check the code or name'))


def _batches(rows: Iterator[SchoolRow]) -> Iterator[list[SchoolRow]]:
    batch: list[SchoolRow] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


# --- the two passes -------------------------------------------------------------------------

def _named_group_links(name: str | None, what: str) -> Problem | None:
    if name and GROUP_LINKS_NAME in name.casefold():
        return Problem(what, None, None, f"{name} is a GIAS group links file (alllinksdata: the "
                       "schools in each trust or federation), not an establishments or links "
                       'file; the tracker reads trusts from the establishments file\'s '
                       '"Trusts (code)" and "Trusts (name)" columns')
    return None


def run_import(path: Path, options: ImportOptions, *, links_path: Path | None = None,
               dry_run: bool = False, progress: Progress | None = None,
               file_name: str | None = None, links_file_name: str | None = None,
               hints: Hints = COMMAND_HINTS) -> ImportSummary:
    """Check the file(s); if every record is good, apply them in one transaction (rolled
    back for a dry run) and return what was (or would be) done. Commits when applied.
    ``hints`` says, in the words of the page or command used, where a file given in the
    wrong place should go."""
    summary = ImportSummary(file_name=file_name or path.name, options=options,
                            links_file_name=links_file_name or (links_path.name if links_path else None),
                            dry_run=dry_run)
    named = [p for p in (_named_group_links(summary.file_name, "Establishments file"),
                         _named_group_links(summary.links_file_name, "Links file")) if p]
    for problem in named:
        summary.problem(problem)
    if named:
        return summary
    for row in _rows(path, options, summary, "Checking", progress, hints):
        summary.count_scope(row, in_scope(row, options))
    if links_path is not None:
        for problem in linking.check_links_file(links_path, hints.establishments_as_links):
            summary.problem(problem)
    if not summary.ok:
        return summary

    # A savepoint, so a dry run (or a failure) undoes exactly the import's own writes.
    savepoint = db.session.begin_nested()
    try:
        _apply(path, options, summary, links_path, progress)
    except BaseException:
        savepoint.rollback()
        db.session.expire_all()
        raise
    if dry_run or not summary.changed:
        savepoint.rollback()
    else:
        savepoint.commit()
        audit.record("import", summary=f"GIAS import of {summary.file_name}: "
                     f"{summary.headline()}", object_type="School", after=summary.as_dict())
        db.session.commit()
        summary.applied = True
    db.session.expire_all()  # bulk statements bypass the identity map
    return summary


def _apply(path: Path, options: ImportOptions, summary: ImportSummary,
           links_path: Path | None, progress: Progress | None) -> None:
    actor, label = audit.current_actor()
    writer = _Writer(clock.now(), actor.id if actor else None, label)
    check = ImportSummary(file_name=summary.file_name, options=options)
    for batch in _batches(_rows(path, options, check, "Importing", progress)):
        writer.write(batch, options, summary, check.absent)
    if not check.ok:
        raise ImportAborted("The file changed while it was being imported: nothing was applied. "
                            "Upload it again.")
    if links_path is not None:
        summary.links = linking.apply_links_file(links_path, writer.now, writer.actor_id,
                                                 writer.actor_label)


@dataclass
class _Writer:
    now: dt.datetime
    actor_id: int | None
    actor_label: str
    table: sa.Table = field(default_factory=lambda: School.__table__)  # type: ignore[arg-type]

    def write(self, batch: list[SchoolRow], options: ImportOptions, summary: ImportSummary,
              absent: tuple[str, ...] = ()) -> None:
        t = self.table
        columns = [t.c.id, t.c.urn, t.c.version_id, t.c.closed_recorded_at] + [t.c[k] for k in TRACKED]
        existing = {r.urn: r._asdict() for r in db.session.execute(
            sa.select(*columns).where(t.c.urn.in_([row.urn for row in batch])))}
        new_rows, updates, events = [], [], []
        for row in batch:
            given = _values(row, options, absent)
            old = existing.get(row.urn)
            if old is None:
                values = {k: None for k in TRACKED} | {"in_scope": False} | given
                new_rows.append(self._new(row.urn, values))
                summary.added += 1
                summary.added_closed += values["status"] == "closed"
                continue
            values = {k: old[k] for k in TRACKED} | given  # what the file lacks stays
            changes = {k: v for k, v in given.items() if old[k] != v}
            if not changes:
                summary.unchanged += 1
                continue
            update, event = self._update(old, values, changes)
            updates.append(update)
            events.append(event)
            if "status" in changes and values["status"] == "closed":
                summary.closed += 1
            else:
                summary.updated += 1
            if "in_scope" in changes:
                summary.left_scope += not values["in_scope"]
                summary.joined_scope += values["in_scope"]
        # The adoption counts kept through the batch's writes (tracker.schools.counts).
        written = [r["urn"] for r in new_rows] + [u["p_urn"] for u in updates]
        with counts.keeping(db.session.connection(), counts.SCHOOLS.c.urn, written):
            if new_rows:
                # A plain executemany, then one query for the ids: far quicker on PostgreSQL
                # than INSERT .. RETURNING, whose long multi-row statement the driver re-parses.
                db.session.connection().execute(sa.insert(t), new_rows)
                ids = {urn: id_ for id_, urn in db.session.execute(
                    sa.select(t.c.id, t.c.urn).where(t.c.urn.in_([r["urn"] for r in new_rows])))}
                events += [self._event("create", ids[r["urn"]], f"Added from GIAS: {r['name']} "
                                       f"(URN {r['urn']})", None, jsonable(r)) for r in new_rows]
            if updates:
                self._execute_updates(updates)
        if events:
            db.session.execute(sa.insert(AuditEvent.__table__), events)

    def _new(self, urn: int, values: dict[str, Any]) -> dict[str, Any]:
        closed_at = self.now if values["status"] == "closed" else None
        return {"urn": urn, **values, "closed_recorded_at": closed_at, "predecessor_id": None,
                "version_id": 1, "is_example": False, "created_at": self.now,
                "updated_at": self.now}

    def _update(self, old: dict[str, Any], values: dict[str, Any],
                changes: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        closed_at = old["closed_recorded_at"]
        if values["status"] == "closed" and (old["status"] != "closed" or closed_at is None):
            closed_at = self.now
        elif values["status"] != "closed":
            closed_at = None  # reopened (GIAS rarely does this): back in the figures
        if closed_at != old["closed_recorded_at"]:
            changes = changes | {"closed_recorded_at": closed_at}
        before = {k: old[k] for k in changes} | {"version_id": old["version_id"]}
        after = dict(changes) | {"version_id": old["version_id"] + 1}
        update = {f"p_{k}": v for k, v in values.items()} | {
            "p_id": old["id"], "p_urn": old["urn"], "p_old_version": old["version_id"],
            "p_version_id": old["version_id"] + 1, "p_closed_recorded_at": closed_at,
            "p_updated_at": self.now}
        verb = "Recorded closed by GIAS" if "closed_recorded_at" in changes and closed_at else \
            "Updated from GIAS"
        fields = ", ".join(k.replace("_", " ") for k in changes if k != "closed_recorded_at")
        event = self._event("update", old["id"], f"{verb}: {values['name']} (URN {old['urn']}): "
                            f"{fields}", jsonable(before), jsonable(after))
        return update, event

    def _execute_updates(self, updates: list[dict[str, Any]]) -> None:
        t = self.table
        statement = sa.update(t).where(
            t.c.id == sa.bindparam("p_id"), t.c.version_id == sa.bindparam("p_old_version"),
        ).values({t.c[k]: sa.bindparam(f"p_{k}") for k in
                  (*TRACKED, "version_id", "closed_recorded_at", "updated_at")})
        result = db.session.connection().execute(statement, updates)
        if result.supports_sane_multi_rowcount() and result.rowcount != len(updates):
            raise ImportAborted("Someone changed a school while the import ran: nothing was "
                                "applied. Run the import again.")

    def _event(self, action: str, object_id: int, summary: str, before: dict[str, Any] | None,
               after: dict[str, Any] | None) -> dict[str, Any]:
        return linking.audit_row(self.now, self.actor_id, self.actor_label, action, "School",
                                 object_id, summary, before, after)

