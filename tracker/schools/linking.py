"""Predecessor links: a school that reopened under a new URN (on becoming an academy, say)
is linked to the school it replaced, and its adoption of the current guidance version is
carried over (a new Adoption with ``carried_from_id`` and an AdoptionEvent "carried_over").

Links come from GIAS's links file (in bulk, inside an import's transaction) or from an
administrator's form (one at a time, see services.link_predecessor). Both carry adoptions
over through :func:`carry_over`. Rules decided here:

* a successor with more than one predecessor in the file (an amalgamation) is not linked
  from the file: which adoption carries over is a person's call, so an administrator links it;
* a successor already linked to another school keeps that link (reported, not changed);
* only an adoption that has got somewhere (not "not started") carries over, and only to a
  successor with no adoption of that version of its own: nothing recorded is overwritten.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import Adoption, AdoptionEvent, AuditEvent, Guidance, GuidanceVersion, School
from tracker.schools.gias import RowError, open_gias_links, predecessor_pairs

BATCH = 1000
ADOPTION_FIELDS = ("status", "adopted_on", "policy_url", "trained_on", "reason", "note")


@dataclass
class LinkSummary:
    successions: int = 0          # distinct predecessor -> successor pairs in the file
    linked: int = 0
    unchanged: int = 0
    carried: int = 0              # adoptions carried over to successors
    not_in_tracker: int = 0       # one of the two URNs is not a school in the tracker
    already_linked: int = 0       # the successor is linked to another school
    several_predecessors: int = 0 # successors left for an administrator to link

    @property
    def changes(self) -> int:
        return self.linked + self.carried

    def lines(self) -> list[str]:
        out = [f"Links file: {count(self.linked, 'school')} linked to their predecessor, "
               f"{count(self.carried, 'adoption')} carried over, "
               f"{count(self.unchanged, 'link')} unchanged"]
        if self.not_in_tracker:
            out.append(f"{count(self.not_in_tracker, 'link')} name a school not in the tracker "
                       "(skipped)")
        if self.already_linked:
            out.append(f"{count(self.already_linked, 'school')} already linked to another "
                       "predecessor (left as they are)")
        if self.several_predecessors:
            out.append(f"{count(self.several_predecessors, 'school')} with more than one "
                       "predecessor: link them by hand from the school's page")
        return out


def count(number: int, noun: str) -> str:
    """ "1 school", "2 schools", "1,234 links". """
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def check_links_file(path: Path) -> Iterator[Any]:
    """Every problem in a links file, as importing.Problem items."""
    from tracker.schools.importing import Problem

    with path.open("rb") as stream, open_gias_links(stream) as reader:
        for item in reader:
            if isinstance(item, RowError):
                yield Problem("Links file", item.line, item.column, item.message)


def _successions(path: Path) -> dict[int, list[int]]:
    """successor URN -> its predecessors' URNs (a few integers per school: small)."""
    found: dict[int, list[int]] = {}
    with path.open("rb") as stream, open_gias_links(stream) as reader:
        for predecessor, successor in predecessor_pairs(reader):
            found.setdefault(successor, []).append(predecessor)
    return found


def apply_links_file(path: Path, now: dt.datetime, actor_id: int | None,
                     actor_label: str) -> LinkSummary:
    """Link every succession in the file that the rules allow; carry adoptions over."""
    summary = LinkSummary()
    single: list[tuple[int, int]] = []
    for successor, predecessors in _successions(path).items():
        summary.successions += len(predecessors)
        if len(predecessors) > 1:
            summary.several_predecessors += 1
        else:
            single.append((predecessors[0], successor))
    t = School.__table__
    for start in range(0, len(single), BATCH):
        batch = single[start:start + BATCH]
        urns = {urn for pair in batch for urn in pair}
        rows = {r.urn: r for r in db.session.execute(
            sa.select(t.c.id, t.c.urn, t.c.name, t.c.predecessor_id, t.c.version_id)
            .where(t.c.urn.in_(urns)))}
        updates, events, linked = [], [], []
        for pred_urn, succ_urn in batch:
            pred, succ = rows.get(pred_urn), rows.get(succ_urn)
            if pred is None or succ is None:
                summary.not_in_tracker += 1
            elif succ.predecessor_id == pred.id:
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
    return summary


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
        db.session.execute(sa.insert(AdoptionEvent.__table__), [
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
