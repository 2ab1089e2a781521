"""Histories condensed in the database, so a page reads a few rows per action, not every
update ever recorded.

The rules of :mod:`tracker.progress` read an action's history only through three things as at
a cut-off: its latest update's status, the last RAG entered and the last revised due date
(``progress._action_state``). So the history of updates recorded by a cut-off, condensed to
ONE update carrying those three, gives the rules the same action state; correlated subqueries
pick them out in SQL, each an index walk (the latest update per action as at the cut-off,
ordered by ``recorded_at`` then ``id``: "ties as given", given in the order recorded).

A weekly series counts only whether each action is complete and whether it is counted
(``progress.ActionState.status`` / ``counted``); an update that leaves both as they were
changes no point of it, so :func:`count_changes` keeps only the updates that may change them.
Which statuses are complete or counted is asked of the rules themselves (``_COUNT_CLASS``).

Neither decides a status: the facts built here go to ``tracker.progress`` like any other.
tests/progress/test_condensed.py proves, over generated histories on SQLite and PostgreSQL,
that states and series from condensed facts equal those from the whole history.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

import sqlalchemy as sa
import sqlalchemy.orm

from tracker import progress
from tracker.extensions import db
from tracker.models import Action, ProgressUpdate
from tracker.progress import ActionFact, UpdateFact


def _count_class(status: str) -> tuple[bool, bool]:
    """(complete, counted) of an action whose latest update has ``status``, by the rules."""
    fact = ActionFact(id=0, owner_id=None, created_at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC),
                      due_on=dt.date.max, updates=(UpdateFact(
                          recorded_at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC), status=status,
                          rag=None),))
    state = progress.action_state(fact, today=dt.date(2000, 1, 1))
    assert state is not None  # nosec B101  # created and never withdrawn
    return state.status == progress.STATUS_COMPLETE, state.counted


_COUNT_CLASS: Mapping[str, tuple[bool, bool]] = {
    status: _count_class(status) for status in progress.ACTION_STATUSES}


class Latest(NamedTuple):
    """An action's history as at a cut-off, condensed: its latest update (for the report's
    "latest update" line), the last RAG entered and the last revised due date. A named
    tuple: a page makes one per action (thousands), read-only like a frozen dataclass."""
    update_id: int
    recorded_at: dt.datetime
    status: str
    narrative: str
    rag: str | None
    revised_due_on: dt.date | None
    reason: str = ""        # the reason given with the latest update (its RAG reason)

    def fact(self) -> UpdateFact:
        """One update standing for the whole history (see the module docstring)."""
        return UpdateFact(recorded_at=self.recorded_at, status=self.status, rag=self.rag,
                          revised_due_on=self.revised_due_on)


def latest_updates(action_ids: sa.Select[tuple[int]] | list[int],
                   cutoff: dt.datetime | None) -> dict[int, Latest]:
    """Per action (of ``action_ids``, a subquery or ids) with an update recorded by
    ``cutoff`` (None: ever), its history condensed: one row per action. An action whose
    latest update was recorded before the cut-off is read from its figures kept on write
    (``tracker.recommendations.kept``: nothing recorded since, so they stand for its history
    by the cut-off); the others, updated since, are condensed here by correlated subqueries.
    One query as at now, two as at a cut-off."""
    u = ProgressUpdate
    kept = (sa.select(Action.id.label("action_id"), u.id, u.recorded_at, Action.status,
                      u.narrative, u.reason, Action.rag,
                      Action.current_due_on.label("revised_due_on"))
            .join(u, u.id == Action.latest_update_id).where(Action.id.in_(action_ids)))
    if cutoff is not None:
        kept = kept.where(Action.latest_update_at < cutoff)
    found = {aid: Latest(uid, at, status, narrative or "", rag, due, reason or "")
             for aid, uid, at, status, narrative, reason, rag, due in db.session.execute(kept)}
    if cutoff is None:
        return found

    def newest(column: str, *where: Any) -> sa.ScalarSelect[Any]:
        inner = sa.orm.aliased(ProgressUpdate)
        query = sa.select(getattr(inner, column)).where(
            inner.action_id == Action.id, inner.recorded_at < cutoff,
            *(w(inner) for w in where))
        return (query.order_by(inner.recorded_at.desc(), inner.id.desc()).limit(1)
                .correlate(Action).scalar_subquery())

    rows = db.session.execute(
        sa.select(Action.id.label("action_id"), u.id, u.recorded_at, u.status, u.narrative,
                  u.reason,
                  newest("rag", lambda x: x.rag.is_not(None)).label("rag"),
                  newest("revised_due_on", lambda x: x.revised_due_on.is_not(None))
                  .label("revised_due_on"))
        .join(u, u.id == newest("id"))
        .where(Action.id.in_(action_ids), Action.latest_update_at >= cutoff))
    found.update({aid: Latest(uid, at, status, narrative or "", rag, due, reason or "")
                  for aid, uid, at, status, narrative, reason, rag, due in rows})
    return found


# The kept columns :func:`kept_now` reads, for a query of rows rather than ORM actions
KEPT_COLUMNS = (Action.status, Action.rag, Action.current_due_on, Action.latest_update_id,
                Action.latest_update_at)


def kept_now(actions: Iterable[Any]) -> dict[int, UpdateFact]:
    """What :func:`latest_updates` gives as at now (``cutoff`` None), as facts, read from
    actions already loaded (ORM actions or rows with the kept columns) with no query: the
    very kept figures it reads (status, RAG, current due date, and the latest update's time
    kept beside its id). tests/progress/test_condensed.py proves the two equal."""
    return {a.id: UpdateFact(recorded_at=a.latest_update_at, status=a.status, rag=a.rag,
                             revised_due_on=a.current_due_on)
            for a in actions if a.latest_update_id is not None}


def count_changes(action_ids: sa.Select[tuple[int]] | list[int],
                  cutoff: dt.datetime | None) -> dict[int, tuple[UpdateFact, ...]]:
    """Per action, the updates recorded by ``cutoff`` that can change whether it is complete
    or counted, oldest first: every update leaving it in another class than "not started"
    (complete, cancelled) and the update after each of those. Between two of them every
    update leaves the action in the class of "not started", as before the first."""
    u = ProgressUpdate
    other = [s for s, klass in _COUNT_CLASS.items()
             if klass != _COUNT_CLASS[progress.STATUS_NOT_STARTED]]
    where = [u.action_id.in_(action_ids)]
    if cutoff is not None:
        where.append(u.recorded_at < cutoff)
    closing = sa.select(u.id, u.action_id, u.recorded_at).where(*where, u.status.in_(other))
    after = sa.orm.aliased(ProgressUpdate)
    closed = closing.subquery()
    following = (sa.select(after.id).where(
        after.action_id == closed.c.action_id,
        sa.or_(after.recorded_at > closed.c.recorded_at,
               sa.and_(after.recorded_at == closed.c.recorded_at, after.id > closed.c.id)),
        *([after.recorded_at < cutoff] if cutoff is not None else []))
        .order_by(after.recorded_at, after.id).limit(1).correlate(closed).scalar_subquery())
    kept = sa.union(sa.select(closed.c.id), sa.select(following).select_from(closed))
    found: dict[int, list[UpdateFact]] = {}
    for row in db.session.execute(
            sa.select(u.action_id, u.recorded_at, u.status).where(u.id.in_(kept))
            .order_by(u.action_id, u.recorded_at, u.id)):
        found.setdefault(row.action_id, []).append(
            UpdateFact(recorded_at=row.recorded_at, status=row.status, rag=None))
    return {aid: tuple(updates) for aid, updates in found.items()}


def completed_days(action_ids: sa.Select[tuple[int]] | list[int],
                   cutoff: dt.datetime | None) -> dict[int, dt.date]:
    """Per action (of ``action_ids``) complete as recorded by ``cutoff`` (None: ever), the
    London day it was completed (``progress.completed_on``): its first "complete" update not
    followed by an update of another status, by the cut-off. An action whose latest update
    was recorded before the cut-off is read from its kept completion moment
    (``tracker.recommendations.kept``: nothing recorded since, so it stands for its history
    by the cut-off); the others, updated since, by :func:`completed_moments`. One query as at
    now, two as at a cut-off."""
    kept = sa.select(Action.id, Action.completed_at).where(
        Action.id.in_(action_ids), Action.completed_at.is_not(None))
    if cutoff is not None:
        kept = kept.where(Action.latest_update_at < cutoff)
    found = {aid: progress.london_today(first) for aid, first in db.session.execute(kept)}
    if cutoff is not None:
        since = sa.select(Action.id).where(Action.id.in_(action_ids),
                                           Action.latest_update_at >= cutoff)
        found.update({aid: progress.london_today(first) for aid, first in
                      db.session.execute(completed_moments(since, cutoff))})
    return found


def completed_moments(action_ids: sa.Select[tuple[int]] | list[int],
                      cutoff: dt.datetime | None) -> sa.Select[tuple[int, dt.datetime]]:
    """(action id, when it was completed) of :func:`completed_days`, as a query."""
    u, after = ProgressUpdate, sa.orm.aliased(ProgressUpdate)
    by_cutoff = [] if cutoff is None else [u.recorded_at < cutoff]
    broken = sa.select(after.id).where(
        after.action_id == u.action_id, after.status != progress.STATUS_COMPLETE,
        sa.or_(after.recorded_at > u.recorded_at,
               sa.and_(after.recorded_at == u.recorded_at, after.id > u.id)),
        *([] if cutoff is None else [after.recorded_at < cutoff])).exists()
    return (sa.select(u.action_id, sa.func.min(u.recorded_at).label("completed_at"))
            .where(u.action_id.in_(action_ids), u.status == progress.STATUS_COMPLETE,
                   *by_cutoff, ~broken)
            .group_by(u.action_id))
