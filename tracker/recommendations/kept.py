"""Figures kept on write: each action's state now, as the rules of progress compute it from its
whole history, stored on the action's row so today's pages read one row per action.

Kept on ``actions`` (docs/rules-of-progress.md, "Figures kept on write"):

* ``status``: the status of its latest update ("not started" with none);
* ``rag``: the RAG last entered (red, amber, green; None if none was given, or the action is
  complete or cancelled, where the rules do not read it);
* ``current_due_on``: the latest revised due date, else the original;
* ``latest_update_id`` / ``latest_update_at``: its latest update (by ``recorded_at``, ties in
  the order recorded, so by id) and when it was recorded (None with no update);
* ``completed_at``: when it was completed (``progress.completed_at``: the first update of its
  last unbroken run of "complete" updates; None unless its status is "complete");
* ``days_to_complete`` / ``completed_by_due``: the days it took, from the London day it was
  recorded to the London day it was completed, and whether that was by its original due
  date (``progress.completion``, as ``progress.ageing_of`` counts a complete action; None
  unless complete), so today's ageing point sums them in SQL.

They are computed here only, by :func:`tracker.progress.action_state` over the action's
every update (:func:`figures`; the last two also from when it was recorded and its original
due date, which never change), and written in the same transaction as the update that
changes them (``recommendations.services.record_update``), by the data backfill of migration
``0007_kept_figures`` (the figures of that revision), ``0017_action_completed_at``,
``0021_dashboard_figures`` (its own copy of the rule, as a migration must), and by whatever
loads rows in bulk (:func:`refresh`). Overdue and the RAG
shown depend on the day asked, so they are still judged on read, by the rules, from these.

A kept row stands for the history recorded by any cut-off after ``latest_update_at``
(nothing was recorded after it), so ``condensed.latest_updates`` reads it for such a cut-off
and condenses the history in SQL only for the actions updated since. tests/progress/
test_kept.py proves, over generated histories (updates recorded out of order, withdrawals),
on SQLite and PostgreSQL, that kept figures give the states the rules give from history.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

import sqlalchemy as sa

from tracker import progress
from tracker.models.base import UTCDateTime
from tracker.progress import ActionFact, UpdateFact

# Table clauses, not the ORM models: the migration's backfill calls :func:`refresh` too, and
# must not depend on the models of a later revision.
ACTIONS = sa.table(
    "actions", sa.column("id", sa.Integer), sa.column("due_on", sa.Date),
    sa.column("created_at", UTCDateTime()), sa.column("days_to_complete", sa.Integer),
    sa.column("completed_by_due", sa.Boolean),
    sa.column("status", sa.String), sa.column("rag", sa.String),
    sa.column("current_due_on", sa.Date), sa.column("latest_update_id", sa.Integer),
    sa.column("latest_update_at", UTCDateTime()), sa.column("completed_at", UTCDateTime()))
UPDATES = sa.table(
    "progress_updates", sa.column("id", sa.Integer), sa.column("action_id", sa.Integer),
    sa.column("recorded_at", UTCDateTime()), sa.column("status", sa.String),
    sa.column("rag", sa.String), sa.column("revised_due_on", sa.Date))
ENTERED_RAGS = frozenset(progress.ENTERED_RAGS)


class Kept(NamedTuple):
    status: str
    rag: str | None
    current_due_on: dt.date
    latest_update_id: int | None
    latest_update_at: dt.datetime | None
    completed_at: dt.datetime | None
    days_to_complete: int | None
    completed_by_due: bool | None

    def values(self) -> dict[str, Any]:
        return self._asdict()


class UpdateRow(NamedTuple):
    id: int
    recorded_at: dt.datetime
    status: str
    rag: str | None
    revised_due_on: dt.date | None


def figures(created_at: dt.datetime, due_on: dt.date, updates: Iterable[UpdateRow]) -> Kept:
    """An action's kept figures from when it was recorded, its original due date and its
    every update, by the rules of progress."""
    ordered = sorted(updates, key=lambda u: (u.recorded_at, u.id))
    fact = ActionFact(id=0, owner_id=None, created_at=created_at,
                      due_on=due_on, updates=tuple(
                          UpdateFact(recorded_at=u.recorded_at, status=u.status, rag=u.rag,
                                     revised_due_on=u.revised_due_on) for u in ordered))
    # Judged on a day before any due date nothing is overdue: the RAG as entered.
    state = progress.action_state(fact, today=dt.date.min)
    assert state is not None  # nosec B101  # created at the first instant, never withdrawn
    latest = ordered[-1] if ordered else None
    completed = progress.completed_at(fact.updates)
    # progress.ageing_of's figures of a complete action (None: not complete)
    taken: tuple[int | None, bool | None] = (None, None) if completed is None else \
        progress.completion(progress.london_today(created_at), due_on,
                            progress.london_today(completed))
    return Kept(state.status, state.rag if state.rag in ENTERED_RAGS else None,
                state.current_due_on, latest.id if latest else None,
                latest.recorded_at if latest else None, completed, *taken)


def figures_of(action: Any) -> Kept:
    """The kept figures of an ORM action from its loaded updates (flushed: ids given)."""
    return figures(action.created_at, action.due_on, (UpdateRow(u.id, u.recorded_at, u.status, u.rag,
                                             u.revised_due_on) for u in action.updates))


def refresh(connection: sa.Connection, action_ids: Sequence[int] | None = None,
            fields: Sequence[str] = Kept._fields) -> int:
    """Recompute the kept figures of these actions (None: every action) from their updates
    and write those that differ; returns how many rows changed. Two reads and one batched
    write, for the migrations' backfills and bulk loads (the bench's data sets, tests).
    ``fields``: the kept figures to read and write (a migration names those of its revision:
    a later figure's column does not exist yet there)."""
    assert set(fields) <= set(Kept._fields)  # nosec B101  # only kept figures
    actions = sa.select(ACTIONS.c.id, ACTIONS.c.created_at, ACTIONS.c.due_on,
                        *(ACTIONS.c[f] for f in fields))
    updates = sa.select(UPDATES.c.action_id, UPDATES.c.id, UPDATES.c.recorded_at,
                        UPDATES.c.status, UPDATES.c.rag, UPDATES.c.revised_due_on)
    if action_ids is not None:
        actions = actions.where(ACTIONS.c.id.in_(list(action_ids)))
        updates = updates.where(UPDATES.c.action_id.in_(list(action_ids)))
    history: dict[int, list[UpdateRow]] = {}
    for row in connection.execute(updates):
        history.setdefault(row.action_id, []).append(UpdateRow(*row[1:]))
    changed = []
    for row in connection.execute(actions).all():
        values = figures(row.created_at, row.due_on, history.get(row.id, ())).values()
        if tuple(values[f] for f in fields) != tuple(row[3:]):
            changed.append({"k_id": row.id, **{f"k_{f}": values[f] for f in fields}})
    if changed:
        connection.execute(
            ACTIONS.update().where(ACTIONS.c.id == sa.bindparam("k_id")).values(
                {name: sa.bindparam(f"k_{name}") for name in fields}), changed)
    return len(changed)
