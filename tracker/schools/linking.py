"""Predecessor links: a school that reopened under a new URN (on becoming an academy, say)
is linked to the school it replaced, and its adoption of the current guidance version is
carried over (a new Adoption with ``carried_from_id`` and an AdoptionEvent "carried_over").

Links come from GIAS's links file (in bulk, inside an import's transaction) or from an
administrator's form (one at a time, see services.link_predecessor). Both carry adoptions
over through :func:`carry_over`. Rules decided here:

* only link types that say which school came first are used (``gias.LINK_TYPES``); every
  other type is skipped and counted;
* only schools the tracker holds count: a succession naming another school is skipped, and
  the summary says how many were;
* a tracked successor with more than one predecessor in the file (an amalgamation) is not
  linked from the file: which adoption carries over is a person's call, so an administrator
  links it (the summary lists them);
* a successor already linked to another school keeps that link (reported, not changed);
* only an adoption that has got somewhere (not "not started") carries over, and only to a
  successor with no adoption of that version of its own: nothing recorded is overwritten.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterator

import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import Adoption, AuditEvent, Guidance, GuidanceVersion, School
from tracker.schools import kept
from tracker.schools.gias import LinkTally, RowError, open_gias_links, predecessor_pairs

BATCH = 1000
ADOPTION_FIELDS = ("status", "adopted_on", "policy_url", "trained_on", "reason", "note")


MAX_LISTED = 50


@dataclass
class LinkSummary:
    """What the links file did, counting only schools the tracker holds."""
    successions: int = 0          # distinct predecessor -> successor pairs in the file
    linked: int = 0
    unchanged: int = 0
    carried: int = 0              # adoptions carried over to successors
    not_in_tracker: int = 0       # successions naming a school the tracker does not hold
    already_linked: int = 0       # the successor is linked to another school
    #: Tracked successors with more than one predecessor, left for an administrator to
    #: link: (URN, name), at most MAX_LISTED of them.
    several_predecessors: list[tuple[int, str]] = field(default_factory=list)
    several_predecessors_count: int = 0
    #: Link rows by type: used for predecessor links, skipped (with why), never seen.
    types_used: dict[str, int] = field(default_factory=dict)
    types_skipped: dict[str, int] = field(default_factory=dict)
    types_unknown: dict[str, int] = field(default_factory=dict)

    @property
    def changes(self) -> int:
        return self.linked + self.carried

    def lines(self) -> list[str]:
        out = [f"Links file: {count(self.linked, 'school')} linked to their predecessor, "
               f"{count(self.carried, 'adoption')} carried over, "
               f"{count(self.unchanged, 'link')} unchanged"]
        if self.not_in_tracker:
            out.append(f"{count(self.not_in_tracker, 'link')} skipped: they name a school the "
                       "tracker does not hold")
        if self.already_linked:
            out.append(f"{count(self.already_linked, 'school')} already linked to another "
                       "predecessor (left as they are)")
        if self.several_predecessors_count:
            listed = ", ".join(f"{name} (URN {urn})" for urn, name in self.several_predecessors)
            more = self.several_predecessors_count - len(self.several_predecessors)
            out.append(f"{count(self.several_predecessors_count, 'tracked school')} with more "
                       f"than one predecessor: link them by hand from the school's page: {listed}"
                       + (f" and {more:,} more" if more else ""))
        if self.types_used:
            out.append("Link types used for predecessor links: " + _types(self.types_used))
        for kind, n in sorted(self.types_skipped.items()):
            out.append(f"Link type skipped: {kind} ({count(n, 'link')}): "
                       f"{LinkTally.why_skipped(kind)}")
        if self.types_unknown:
            out.append("Link types never seen before, skipped: " + _types(self.types_unknown))
        return out

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _types(counts: dict[str, int]) -> str:
    return ", ".join(f"{kind} ({n:,})" for kind, n in sorted(counts.items()))


def count(number: int, noun: str) -> str:
    """ "1 school", "2 schools", "1,234 links". """
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def check_links_file(path: Path, hint: str = "") -> Iterator[Any]:
    """Every problem in a links file, as import_summary.Problem items. ``hint`` is added to
    the message when the file is an establishments file instead."""
    from tracker.schools.import_summary import Problem

    with path.open("rb") as stream, open_gias_links(stream) as reader:
        for item in reader:
            if isinstance(item, RowError):
                extra = f": {hint}" if hint and reader.looks_like == "establishments" else ""
                yield Problem("Links file", item.line, item.column, item.message + extra)


def _successions(path: Path, tally: LinkTally) -> dict[int, list[int]]:
    """successor URN -> its predecessors' URNs (a few integers per school: small)."""
    found: dict[int, list[int]] = {}
    with path.open("rb") as stream, open_gias_links(stream) as reader:
        for predecessor, successor in predecessor_pairs(reader, tally):
            found.setdefault(successor, []).append(predecessor)
    return found


def _tracked(urns: set[int]) -> dict[int, Any]:
    """The tracker's schools among these URNs, by URN."""
    t = School.__table__
    found: dict[int, Any] = {}
    ordered = sorted(urns)
    for start in range(0, len(ordered), BATCH):
        found.update({r.urn: r for r in db.session.execute(
            sa.select(t.c.id, t.c.urn, t.c.name, t.c.predecessor_id, t.c.version_id)
            .where(t.c.urn.in_(ordered[start:start + BATCH])))})
    return found


def apply_links_file(path: Path, now: dt.datetime, actor_id: int | None,
                     actor_label: str) -> LinkSummary:
    """Link every succession in the file that the rules allow; carry adoptions over. Only
    schools the tracker holds count: a succession naming any other is skipped, and said so."""
    summary = LinkSummary()
    tally = LinkTally()
    successions = _successions(path, tally)
    summary.types_used, summary.types_skipped = dict(tally.used), dict(tally.skipped)
    summary.types_unknown = dict(tally.unknown)
    tracked = _tracked({urn for succ, preds in successions.items() for urn in (succ, *preds)})
    single: list[tuple[Any, Any]] = []
    for successor, predecessors in sorted(successions.items()):
        summary.successions += len(predecessors)
        succ = tracked.get(successor)
        preds = [tracked[p] for p in predecessors if p in tracked] if succ else []
        summary.not_in_tracker += len(predecessors) - len(preds)
        if not preds:
            continue
        if len(predecessors) > 1:
            # Even if only one predecessor is tracked: which adoption carries over is a
            # person's call.
            summary.several_predecessors_count += 1
            if len(summary.several_predecessors) < MAX_LISTED:
                summary.several_predecessors.append((succ.urn, succ.name))
            continue
        single.append((preds[0], succ))
    for start in range(0, len(single), BATCH):
        _link_batch(single[start:start + BATCH], summary, now, actor_id, actor_label)
    return summary


def _link_batch(batch: list[tuple[Any, Any]], summary: LinkSummary, now: dt.datetime,
                actor_id: int | None, actor_label: str) -> None:
    t = School.__table__
    updates, events, linked = [], [], []
    for pred, succ in batch:
        if succ.predecessor_id == pred.id:
            summary.unchanged += 1
        elif succ.predecessor_id is not None or pred.predecessor_id == succ.id:
            summary.already_linked += 1
        else:
            updates.append({"p_id": succ.id, "p_old": succ.version_id,
                            "p_new": succ.version_id + 1, "p_pred": pred.id, "p_now": now})
            events.append(audit_row(
                now, actor_id, actor_label, "update", "School", succ.id,
                f"Linked to its predecessor {pred.name} (URN {pred.urn}) from the GIAS links file",
                {"predecessor_id": None, "version_id": succ.version_id},
                {"predecessor_id": pred.id, "version_id": succ.version_id + 1}))
            linked.append((pred.id, succ.id))
    if updates:
        statement = sa.update(t).where(
            t.c.id == sa.bindparam("p_id"), t.c.version_id == sa.bindparam("p_old"),
        ).values(predecessor_id=sa.bindparam("p_pred"), version_id=sa.bindparam("p_new"),
                 updated_at=sa.bindparam("p_now"))
        db.session.connection().execute(statement, updates)
        db.session.execute(sa.insert(AuditEvent.__table__), events)
        summary.linked += len(updates)
        summary.carried += carry_over(linked, now, actor_id, actor_label)


def current_version_ids() -> list[int]:
    """The current (latest live) version of every live guidance."""
    latest = (sa.select(GuidanceVersion.guidance_id, sa.func.max(GuidanceVersion.number).label("n"))
              .where(GuidanceVersion.withdrawn_at.is_(None)).group_by(GuidanceVersion.guidance_id)
              .subquery())
    return list(db.session.scalars(
        sa.select(GuidanceVersion.id)
        .join(latest, sa.and_(latest.c.guidance_id == GuidanceVersion.guidance_id,
                              latest.c.n == GuidanceVersion.number))
        .join(Guidance, Guidance.id == GuidanceVersion.guidance_id)
        .where(Guidance.withdrawn_at.is_(None))))


def carry_over(pairs: list[tuple[int, int]], now: dt.datetime, actor_id: int | None,
               actor_label: str) -> int:
    """For (predecessor id, successor id) pairs, carry each predecessor's adoption of every
    current guidance version to its successor. Returns how many adoptions were carried."""
    if not pairs:
        return 0
    successor_of = dict(pairs)
    carried = 0
    for version_id in current_version_ids():
        sources = db.session.scalars(sa.select(Adoption).where(
            Adoption.guidance_version_id == version_id, Adoption.school_id.in_(successor_of),
            Adoption.status != "not_started")).all()
        taken = set(db.session.scalars(sa.select(Adoption.school_id).where(
            Adoption.guidance_version_id == version_id,
            Adoption.school_id.in_(successor_of.values()))))
        new = [(source, successor_of[source.school_id]) for source in sources
               if successor_of[source.school_id] not in taken]
        if not new:
            continue
        rows = [{"school_id": school_id, "guidance_version_id": version_id,
                 "carried_from_id": source.id, "updated_by_id": actor_id, "version_id": 1,
                 "created_at": now, "updated_at": now,
                 **{f: getattr(source, f) for f in ADOPTION_FIELDS}} for source, school_id in new]
        t = Adoption.__table__
        ids = {school_id: id_ for id_, school_id in db.session.execute(
            sa.insert(t).returning(t.c.id, t.c.school_id), rows)}
        kept.record_events(db.session, [
            {"adoption_id": ids[row["school_id"]], "recorded_at": now, "recorded_by_id": actor_id,
             "via": "carried_over", **{f: row[f] for f in ADOPTION_FIELDS}} for row in rows])
        db.session.execute(sa.insert(AuditEvent.__table__), [
            audit_row(now, actor_id, actor_label, "create", "Adoption", ids[row["school_id"]],
                      f"Adoption carried over from the predecessor school (adoption "
                      f"{row['carried_from_id']})", None, jsonable(row)) for row in rows])
        carried += len(rows)
    return carried


def audit_row(now: dt.datetime, actor_id: int | None, actor_label: str, action: str,
              object_type: str, object_id: int, summary: str, before: dict[str, Any] | None,
              after: dict[str, Any] | None) -> dict[str, Any]:
    """An audit event as a row, for bulk inserts (the same columns audit.record fills)."""
    return {"occurred_at": now, "actor_id": actor_id, "actor_label": actor_label,
            "action": action, "object_type": object_type, "object_id": object_id,
            "summary": summary[:500], "before": before, "after": after, "ip_address": None}


def jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v
            for k, v in values.items()}
