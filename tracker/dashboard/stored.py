"""Committee reports for past dates stored once built (issue 11): the page's report body and
the CSV, zip, Excel and Word downloads.

A report as at D shows what was recorded by the end of D in Europe/London, editable values as
they stood then (``tracker.dashboard.history``), so once D is over it reads the same whenever
it is built again: it is built once and stored under a key made of what it shows
(:func:`key`):

* the decisions shown to this reader (their scope is the reader's: another reader with
  other decisions has another key), the date, the theme filter, one decision or all, the kind
  (page body, csv, zip, xlsx, docx) and a kind's own words (the zip's folder name, the
  Word paper's cover and printed date);
* the layout version: a digest of the code and templates that build and render it and of the
  libraries that write the files, computed when this module is imported (at start-up), so a
  deploy never serves a body built by other code;
* what the report reads as it is now, not as at D: each person's organisation (their agency,
  ``queries.agency_names``) and, with a theme filter, which recommendations have the theme
  (as given now: docs/search-and-themes.md): digests of those rows.

Some records can still reach back into a past day after it is over (``action_weeks`` and
``adoption_weeks`` name them: updates, responses, actions, recommendations, adoption events
and schools recorded backdated, and audited changes of recommendations, parts and schools);
here also parts and guidance versions stamped before the end, closures and impact reviews,
and audited changes of decisions and guidance (read as they are in a few places: a decision's
date starts its charts). So a stored report carries the highest ids of those it saw
(``through``) and is served only while nothing recorded after them reaches back before the
end of D (or of the day a shown decision was entered, whose parts count from that day): one
query. Else it is built afresh and stored again.

A report as at a day not yet over in Europe/London with an hour's grace (so a write made just
before midnight and committed just after is in it), or of a decision entered on a day not yet
over, can still change by anything recorded now: today's report. It is stored too, but only
for the day it was built on (``today`` is in its key: what is overdue, and its words, are
judged on it) and served only while nothing at all has been written since that it reads
(:func:`_live`): the highest ids of every table it reads (:data:`_READ`: new rows) and of the
audit trail's changes (every edit in place of tracked data is audited: a rename, an edit, a
withdrawal, a GIAS import) are the same as when it was built; who works for which
organisation and which recommendations have the theme are digests in the key. One query.
On PostgreSQL a write whose row took its id before another's but commits after it would
not raise the highest id: so a report built while another transaction of this database is
writing is served, not stored (SQLite has one writer at a time). A newer build replaces it
(the same key), and those built on earlier days are deleted when a report is stored.
Today's dashboard is stored the same way, as kind "dashboard" (its figures' body with the
first page of its late list; its filters, as the form read them, in the words of its key:
``views.show_dashboard``); so are the open data's every decision as at today ("open data")
and a decision page's progress, parts and first page of late actions, per role
("decision": ``tracker.decisions.views.show_decision``), and the home page's overview of
every decision a member or an administrator sees, per role and page ("home":
``tracker.homepages.overview_html``), and the recommendations list's filter choices, per
role and a partner officer's organisation ("choices": ``queries.filter_choices``), and a
recommendation page's themes, links and similar recommendations, per role and organisation
("learning": ``tracker.themes.similar.learning``), served while the texts, decisions, links
and themes it reads are unchanged (:class:`Reads`: its statuses are read per request, so
progress rebuilds nothing). A kind
is at most ten letters.
Everything per reader is rendered per request around the stored body: the layout, form,
print header, download links, the decisions entered later, update rounds and the links
between recommendations (:data:`LINKS`, markers in the body).

The Word paper prints the day it is printed on and its cover names the next update round's
meeting as the rounds are now: both (and the chart image settings) are its key's words, read
per request, so a paper is stored per day printed. Its charts are drawn by a browser that may
be missing or fail (the paper then has its tables only): such a paper is served, not stored.

Rows unread for :data:`KEEP_UNREAD` are deleted when a report is stored (one statement);
reading one notes the day it was last read at most once a day, so reads stay reads.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from tracker import clock, progress
from tracker.dashboard import action_weeks, adoption_weeks, keeping
from tracker.dashboard.history import CHANGES
from tracker.extensions import db
from tracker.models import (
    Action, Adoption, AdoptionEvent, AuditEvent, Challenge, Decision, DecisionPart, Document,
    ExecutiveResponse, Guidance, GuidanceVersion, ImpactReview, Organisation, ProgressUpdate,
    Recommendation, RecommendationClosure, School, StoredReport, User, organisation_members,
    recommendation_themes,
)
from tracker.models.audit import NOT_CHANGES
from tracker.planning import written_in

GRACE = dt.timedelta(hours=1)
KEEP_UNREAD = dt.timedelta(days=30)
# Bodies are stored compressed (zlib): a page of 1 MB is some 70 KB, read and written in a
# tenth of the time (PostgreSQL sends bytea as text twice its size). A stored row is only
# ever read by the code that wrote it (the layout version is in its key).
LEVEL = 3
NOTE_READ_EVERY = dt.timedelta(days=1)
LINKS = re.compile(rb"<!--learning-links:(\d+)-->")   # the page body's per-reader parts
LIBRARIES = ("flask", "jinja2", "markupsafe", "govuk-frontend-jinja", "openpyxl", "plotly",
             "sqlalchemy")

# Records stamped with a moment that can be recorded after it (here, besides those of
# ``action_weeks`` and ``adoption_weeks``), and rows whose audited changes reach back
_STAMPED = ((DecisionPart, DecisionPart.created_at),
            (GuidanceVersion, GuidanceVersion.created_at),
            (RecommendationClosure, RecommendationClosure.recorded_at),
            (ImpactReview, ImpactReview.recorded_at))
_CHANGED = (Decision.__name__, Guidance.__name__, GuidanceVersion.__name__)
# Every table today's report reads (tests/dashboard/test_stored_reports.py checks the list
# against the statements a build runs), and the audited actions that change nothing it shows
_READ = (Decision, DecisionPart, Recommendation, Action, ProgressUpdate, ExecutiveResponse,
         RecommendationClosure, ImpactReview, Guidance, GuidanceVersion, Adoption,
         AdoptionEvent, School, User, Organisation, Document, Challenge)


@dataclass(frozen=True)
class Reads:
    """What a body stored for today reads, so what it is served while unchanged: the tables
    whose new rows may change it, and the kinds of record whose audited changes may (None:
    every audited change). Today's report reads everything (:data:`EVERYTHING`); a
    recommendation's learning reads texts and links, not progress
    (``tracker.themes.similar``)."""
    tables: tuple[type[Any], ...]
    audited: tuple[str, ...] | None = None

    @classmethod
    def of(cls, *models: type[Any]) -> Reads:
        """What reads these tables only: their new rows and the audited changes of their
        records."""
        return cls(models, tuple(model.__name__ for model in models))

    @property
    def names(self) -> list[str]:
        return [model.__tablename__ for model in self.tables] + ["audit"]


EVERYTHING = Reads(_READ)


def _layout_version() -> str:
    """A digest of every Python module of the tracker, every template and the versions of
    the libraries that render the report and write its files."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    files = sorted(package.rglob("*.py")) + sorted((package.parent / "templates").rglob("*"))
    for path in files:
        if path.is_file():
            digest.update(str(path.relative_to(package.parent)).encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    for name in LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=\0".encode())
    return digest.hexdigest()


LAYOUT_VERSION = _layout_version()   # at start-up: the code this process runs


@dataclass(frozen=True)
class Shown:
    """What a report shows: these decisions (already chosen for the reader) as at a date."""
    decisions: tuple[Decision, ...]
    as_at: dt.date
    theme_id: int | None
    one_decision: bool

    @property
    def end(self) -> dt.datetime:
        """The end of the report's date, or of the latest day a shown decision was entered
        when later (its parts recorded that day are shown)."""
        cutoff = progress.cutoff_for(self.as_at)
        if cutoff is None:   # only a report as at no date has none; never one shown
            raise ValueError("a stored report is as at a date")
        return max([cutoff, *(progress.end_of_day_utc(progress.london_today(d.created_at))
                              for d in self.decisions)])


def storable(shown: Shown, moment: dt.datetime) -> bool:
    """Whether the report can no longer change by anything recorded at its time: its day
    (and the entry days of its decisions) over in Europe/London, with :data:`GRACE`."""
    return moment >= shown.end + GRACE


def key(shown: Shown, kind: str, words: Sequence[str] = ()) -> str:
    """The stored report's key: what it shows and what it reads as it is now (one query, two
    with a theme, whatever the data)."""
    themed = None
    if shown.theme_id is not None:
        themed = _digest(db.session.execute(
            sa.select(recommendation_themes.c.recommendation_id)
            .where(recommendation_themes.c.theme_id == shown.theme_id)
            .order_by(recommendation_themes.c.recommendation_id)))
    agencies = _digest(db.session.execute(_MEMBERSHIPS))
    return hashlib.sha256(json.dumps({
        "layout": LAYOUT_VERSION, "kind": kind, "words": list(words),
        "decisions": [d.id for d in shown.decisions], "as_at": shown.as_at.isoformat(),
        "theme": shown.theme_id, "one_decision": shown.one_decision,
        "themed": themed, "agencies": agencies,
    }, sort_keys=True).encode()).hexdigest()


# The statements asked on every request served a stored body are built once: building one
# (and its cache key) cost SQLAlchemy ten times the database's time to answer it.
_MEMBERSHIPS = sa.select(organisation_members.c.user_id, organisation_members.c.organisation_id
                         ).order_by(organisation_members.c.user_id,
                                    organisation_members.c.organisation_id)
_ROW = sa.select(StoredReport.body, StoredReport.through, StoredReport.last_read_at
                 ).where(StoredReport.key == sa.bindparam("wanted"))


def _digest(rows: Any) -> str:
    digest = hashlib.sha256()
    for row in rows:
        digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def served(shown: Shown, kind: str, build: Callable[[], bytes | tuple[bytes, bool]],
           words: Sequence[str] = (), reads: Reads = EVERYTHING) -> bytes:
    """The report's bytes: stored when it may be and nothing reaches back into it since,
    else ``build()``, stored for next time (unless ``build`` answers its bytes with False:
    not whole, not to be kept). A report of a day not yet over: :func:`_live`, served while
    nothing it ``reads`` is written."""
    moment = clock.now()
    if not storable(shown, moment):
        return _live(shown, kind, build, words, moment, reads)
    wanted = key(shown, kind, words)
    row = db.session.execute(_ROW, {"wanted": wanted}).one_or_none()
    if row is not None and not _reaches_back(row.through, shown.end):
        if moment - row.last_read_at >= NOTE_READ_EVERY:
            keeping.write_aside(lambda: db.session.execute(
                sa.update(StoredReport).where(StoredReport.key == wanted)
                .values(last_read_at=moment)))
        return _opened(row.body)
    seen = _stamps()
    body, whole = _bytes(build())
    if whole:
        keeping.write_aside(lambda: _keep(wanted, kind, shown.as_at, body, seen, moment))
    return body


def served_first_page(shown: Shown, kind: str, build: Callable[[], bytes], page: int,
                      words: Sequence[str] = ()) -> bytes:
    """:func:`served` for the first page of a list the body shows (what nearly every reader
    opens); a later page is built as asked for, so no address stores another body of the
    same figures."""
    return served(shown, kind, build, words) if page == 1 else build()


def _live(shown: Shown, kind: str, build: Callable[[], bytes | tuple[bytes, bool]],
          words: Sequence[str], moment: dt.datetime, reads: Reads = EVERYTHING) -> bytes:
    """A report that can still change by what is recorded now (today's): stored for the day
    it is built on, served while nothing it ``reads`` has been written since (``served``)."""
    day = progress.london_today(moment)
    wanted = key(shown, kind, (*words, f"built on {day.isoformat()}"))
    # The ids and the stored row in one query: a round trip less on every page served
    found = db.session.execute(_highest_and_row(db.engine.dialect.name, reads),
                               {"wanted": wanted}).one()
    seen, _ = _stamped(found[:-2], reads)
    body, through = found[-2:]
    if body is not None and through == seen:
        return _opened(body)
    # To be built: the ids again, with whether another transaction is writing now (one it
    # has not committed may yet commit ids below them). A body stored is served later while
    # the ids are the same, writers or none: what they have not committed, no build reads.
    seen, writing = _everything(writers=True, reads=reads)
    body, whole = _bytes(build())
    if whole and not writing:
        keeping.write_aside(lambda: _keep(wanted, kind, shown.as_at, body, seen, moment,
                                                 live_on=day))
    return body


def _everything(*, writers: bool, reads: Reads = EVERYTHING) -> tuple[dict[str, int], bool]:
    """The highest ids now of every table today's report reads and of the audit trail's
    changes and, with ``writers``, whether another transaction of this database is writing
    (PostgreSQL: reading the server's activity costs it half a millisecond, so only a build
    asks). One query, its statement built once for each kind of database and question:
    :func:`_highest`."""
    return _stamped(db.session.execute(_highest(db.engine.dialect.name, writers, reads)).one(),
                    reads)


def _stamped(found: Sequence[Any], reads: Reads = EVERYTHING) -> tuple[dict[str, int], bool]:
    """:func:`_highest`'s answer: the ids by table, and whether another transaction writes."""
    names = reads.names
    return dict(zip(names, found)), len(found) > len(names) and bool(found[-1])


@functools.cache
def _highest_and_row(dialect: str, reads: Reads = EVERYTHING) -> sa.Select[Any]:
    """:func:`_highest` (no writers asked) with the body and ids of the row stored under the
    key ``wanted`` (both empty when there is none)."""
    def stored(column: Any) -> Any:
        return sa.select(column).where(StoredReport.key == sa.bindparam("wanted")) \
            .scalar_subquery()

    return _highest(dialect, False, reads).add_columns(stored(StoredReport.body),
                                                       stored(StoredReport.through))


@functools.cache
def _highest(dialect: str, writers: bool, reads: Reads = EVERYTHING) -> sa.Select[Any]:
    """:func:`_everything`'s statement for this kind of database and what is read."""
    highest = [sa.select(sa.func.coalesce(sa.func.max(model.id), 0)).scalar_subquery()
               for model in reads.tables] + [_latest_change(dialect, reads.audited)]
    if writers and dialect == "postgresql":
        highest.append(sa.text(
            "(SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND backend_xid IS NOT NULL AND pid <> pg_backend_pid())"))
    return sa.select(*highest)


def _latest_change(dialect: str, kinds: tuple[str, ...] | None) -> Any:
    """The highest id of the audit trail's changes (every one, or those of these kinds of
    record). Of some kinds: the greatest of each kind's latest, each found at the end of
    ix_audit_events_changes (the kind and the actions written into the statement, so that
    any plan may read that partial index): asked of every kind at once, the trail was read
    back over every progress update and sign-in since the last change of those kinds."""
    changes = AuditEvent.action.not_in([written_in(a, sa.String) for a in NOT_CHANGES])
    if kinds is None:
        return sa.select(sa.func.coalesce(sa.func.max(AuditEvent.id), 0)).where(
            changes).scalar_subquery()
    each = [sa.select(sa.func.coalesce(sa.func.max(AuditEvent.id), 0)).where(
        changes, AuditEvent.object_type == written_in(kind, sa.String)).scalar_subquery()
        for kind in kinds]
    if len(each) == 1:
        return each[0]
    return (sa.func.greatest if dialect == "postgresql" else sa.func.max)(*each)


def _bytes(built: bytes | tuple[bytes, bool]) -> tuple[bytes, bool]:
    return built if isinstance(built, tuple) else (built, True)


def _stamps() -> dict[str, int]:
    """The highest ids now of every record that can reach back into a past day (one query)."""
    highest = action_weeks.highest() + adoption_weeks.highest() + [
        sa.select(sa.func.coalesce(sa.func.max(model.id), 0)).scalar_subquery()
        for model, _ in _STAMPED] + [
        sa.select(sa.func.coalesce(sa.func.max(AuditEvent.id), 0))
        .where(*_changes()).scalar_subquery()]
    return dict(zip(_NAMES, db.session.execute(sa.select(*highest)).one()))


_NAMES = (*(f"action_weeks.{n}" for n in action_weeks.Stamps._fields),
          *(f"adoption_weeks.{n}" for n in adoption_weeks.Stamps._fields),
          *(model.__tablename__ for model, _ in _STAMPED), "audit")


def _changes() -> list[sa.ColumnElement[bool]]:
    return [AuditEvent.object_type.in_(_CHANGED), AuditEvent.action.in_(CHANGES)]


def _reaches_back(through: dict[str, int], end: dt.datetime) -> bool:
    """Whether anything recorded after the ids ``through`` reaches back before ``end``
    (one query). A row stamped by other code (another set of names) never holds."""
    if set(through) != set(_NAMES):
        return True
    first = action_weeks.Stamps(*(through[f"action_weeks.{n}"]
                                  for n in action_weeks.Stamps._fields))
    second = adoption_weeks.Stamps(*(through[f"adoption_weeks.{n}"]
                                     for n in adoption_weeks.Stamps._fields))
    reaching = action_weeks.reaching(first, end) + adoption_weeks.reaching(second, end) + [
        sa.select(model.id).where(keeping.after(model.id, through[model.__tablename__]),
                                  moment < end)
        .exists() for model, moment in _STAMPED] + [
        sa.select(AuditEvent.id).where(keeping.after(AuditEvent.id, through["audit"]),
                                       *_changes()).exists()]
    return bool(db.session.scalar(sa.select(sa.or_(*reaching))))


def _keep(wanted: str, kind: str, as_at: dt.date, body: bytes, seen: dict[str, int],
          moment: dt.datetime, live_on: dt.date | None = None) -> None:
    """Store (or replace) the report, and delete those unread for :data:`KEEP_UNREAD` and
    those of days not over then built on an earlier day than today (one statement)."""
    db.session.execute(sa.delete(StoredReport).where(sa.or_(
        StoredReport.last_read_at < moment - KEEP_UNREAD,
        StoredReport.live_on < progress.london_today(moment))))
    keeping.upsert(StoredReport, ["key"], [{
        "key": wanted, "kind": kind, "as_at": as_at, "body": zlib.compress(body, LEVEL),
        "through": seen,
        "created_at": moment, "last_read_at": moment, "live_on": live_on}])


def _opened(body: bytes) -> bytes:
    """A stored body as it was built (:data:`LEVEL`)."""
    return zlib.decompress(body)
