"""The committee progress report, built once for a date: the page, the CSV and the Excel
workbook all read the ``Report`` this module returns, and the dashboard reads its charts.

"As at D" is as recorded by the end of D in Europe/London (``tracker.progress``): work,
responses, sign-offs and adoptions recorded later are left out, and editable values (texts,
references, owners, names, phases) are shown as they stood at the end of D, read back from
the audit trail (``tracker.dashboard.history``). So a report printed for D reads the same
whenever it is printed again. What the report shows about a decision itself: see
``queries.parts_of`` (the decision as entered, with the parts it had by D).
"""
from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from tracker import clock, progress
from tracker.dashboard import (
    action_weeks, adoption_weeks, ageing_points, figures, keeping, late, queries, series,
    today_actions,
)
from tracker.dashboard.adoption import GuidanceFigures, guidance_figures
from tracker.dashboard.history import Plain, ValuesAsAt
from tracker.models import Action, Decision, DecisionPart, Recommendation
from tracker.progress import RecommendationFact, RecommendationState, Rollup
from tracker.progress_series import SeriesPoint, week_endings
from tracker.recommendations import condensed
from tracker.recommendations import facts as rec_facts
from tracker.vocab import (
    ACTION_STATUS_LABELS, EXEMPTION_LABELS, PART_KIND_LABELS, RESPONSE_LABELS, SOURCE_LABELS,
)


@dataclass(frozen=True)
class UpdateLine:
    recorded_at: dt.datetime
    action_title: str
    status_words: str
    narrative: str

    @property
    def recorded_on(self) -> dt.date:
        return progress.london_today(self.recorded_at)


@dataclass(frozen=True)
class ActionLine:
    title: str
    owner: str
    original_due_on: dt.date
    current_due_on: dt.date
    status_words: str
    tag: tuple[str, str]
    overdue: bool
    latest_update: UpdateLine | None


@dataclass(frozen=True)
class RecommendationLine:
    id: int
    reference: str
    source_words: str
    text: str
    tag: tuple[str, str]
    state: RecommendationState
    owner: str
    due_on: dt.date | None
    latest_update: UpdateLine | None
    actions: tuple[ActionLine, ...]

    @property
    def share_words(self) -> str:
        return progress.format_share(self.state.share)


@dataclass(frozen=True)
class ResponseLine:
    reference: str
    committee: str
    text: str
    response_words: str
    response_text: str
    reason: str
    cabinet_member: str
    lead_officer: str
    timetable: str
    response_due_on: dt.date | None
    tag: tuple[str, str]


@dataclass(frozen=True)
class PartSection:
    label: str
    kind_words: str
    text: str
    tag: tuple[str, str] | None      # None for a part that only approved guidance
    total: Rollup
    recommendations: tuple[RecommendationLine, ...]
    guidance: tuple[GuidanceFigures, ...]

    @property
    def share_words(self) -> str:
        return progress.format_share(self.total.share)


@dataclass(frozen=True)
class Charts:
    status: figures.StatusBySource
    progress: figures.WeeklySeries
    guidance: tuple[GuidanceFigures, ...]
    overdue: tuple[figures.OwnerRow, ...]
    ageing: late.AgeingSeries = late.AgeingSeries(())   # by month (weekly charts only)
    agencies: tuple[figures.AgencyRow, ...] = ()    # actions by agency


@dataclass(frozen=True)
class DecisionSection:
    id: int
    reference: str
    title: str
    decision_maker: str
    decided_on: dt.date
    exemption_words: str
    entered_on: dt.date
    total: Rollup
    tag: tuple[str, str]
    parts: tuple[PartSection, ...]
    responses: tuple[ResponseLine, ...]
    charts: Charts
    late: tuple[late.LateLine, ...] = ()    # every late action, most days late first

    @property
    def share_words(self) -> str:
        return progress.format_share(self.total.share)


@dataclass(frozen=True)
class Report:
    as_at: dt.date
    decisions: tuple[DecisionSection, ...]
    one_decision: bool
    charts: Charts | None = None    # all decisions together: the dashboard's
    total: Rollup | None = None     # all decisions together: the dashboard's
    late: tuple[late.LateLine, ...] = ()  # all decisions together: the dashboard's


# --- building -------------------------------------------------------------------------------
@dataclass
class _Decision:
    """What one decision's section and charts are built from."""
    decision: Decision
    parts: list[DecisionPart]
    recs: dict[int, list[Plain]]              # plain rows (``queries.recommendations_of``)
    facts: dict[int, RecommendationFact]      # updates condensed as at the date
    states: dict[int, RecommendationState | None]
    guidance: tuple[GuidanceFigures, ...]
    latest: dict[int, condensed.Latest]       # each action's latest update as at the date
    shown: tuple[Plain, ...]                  # its recommendations as at the date
    as_now: bool                              # the same as under it now (weeks may be kept)



def decision_section(values: ValuesAsAt, decision: Any, total: Rollup,
                     parts: tuple[PartSection, ...], **rest: Any) -> DecisionSection:
    """A decision's section: its particulars as at the values' cut-off, its roll-up and
    tag; ``rest`` the responses, charts and late list the page shows. One layout for the
    report's builder and today's figures from kept roll-ups (``dashboard.today``)."""
    v = values
    return DecisionSection(
        id=decision.id, reference=v.value(decision, "reference") or "",
        title=v.value(decision, "title"), decision_maker=v.value(decision, "decision_maker"),
        decided_on=v.value(decision, "decided_on"),
        exemption_words=EXEMPTION_LABELS[v.value(decision, "exemption")],
        entered_on=progress.london_today(decision.created_at), total=total,
        tag=rec_facts.rollup_tag(total), parts=parts, **rest)


def part_section(values: ValuesAsAt, part: Any, lines: Sequence[RecommendationLine],
                 guidance: Sequence[Any]) -> PartSection:
    """A part's section: its recommendation lines' roll-up and tag (no tag for a part
    with guidance and no recommendations) and the guidance of ``guidance`` under it.
    ``part`` an ORM part or a plain row of its columns (today's figures)."""
    total = progress.rollup(line.state for line in lines)
    mine = tuple(g for g in guidance if g.part_id == part.id)
    return PartSection(
        label=values.value(part, "label"),
        kind_words=PART_KIND_LABELS[values.value(part, "kind")],
        text=values.value(part, "text"), tag=None if mine and not lines
        else rec_facts.rollup_tag(total), total=total, recommendations=tuple(lines),
        guidance=mine)

def kept_weekly(decision_ids: Sequence[int], start: dt.date, as_at: dt.date, total: Rollup
                ) -> figures.WeeklySeries | None:
    """The weekly "actions complete" series of these decisions from ``start`` to ``as_at``
    read from what is kept: the kept points of its closed weeks summed (``action_weeks``),
    the last point the day's roll-up ``total``; None when a week before the last is still
    open, a point is missing or something recorded since reaches back into them. The
    report's builder and today's dashboard (``dashboard.today``) both read it so."""
    weeks = week_endings(start, as_at)
    shut = adoption_weeks.closed(weeks, clock.now())
    if len(shut) != len(weeks) - 1:
        return None
    kept = action_weeks.kept_sums(decision_ids, shut)
    if kept is None:
        return None
    return figures.WeeklySeries("Actions complete", (*kept, SeriesPoint(
        weeks[-1], total.complete_actions, total.counted_actions, total.share)))


class _Builder:
    """``detail``: each recommendation's action lines and latest update (the report); without
    it (home pages, the open data, the dashboard's sections) figures only."""

    def __init__(self, as_at: dt.date, today: dt.date, detail: bool = True,
                 theme_id: int | None = None):
        self.detail = detail
        self.theme_id = theme_id  # only recommendations with this theme
        if as_at > today:
            raise ValueError(f"as at {as_at} is after today ({today})")
        self.as_at, self.today = as_at, today
        self.cutoff = progress.cutoff_for(as_at)
        self.values = ValuesAsAt.on(as_at, today)
        self.names: dict[int, str] = {}
        self.agency_of: dict[int, str] = {}   # action id -> its agency's name
        self.organisation_owned: set[int] = set()   # actions an organisation owns
        self.latest: dict[int, condensed.Latest] = {}
        self.changes: dict[int, tuple[progress.UpdateFact, ...]] | None = None
        self.action_ids: Any = ()

    def gather(self, decisions: Sequence[Decision], with_weeks: bool) -> list[_Decision]:
        """What each decision's section (and, ``with_weeks``, its weekly series) is built
        from, read for all the decisions together: the same queries for one decision or
        two hundred."""
        queries.load_parts(decisions)
        parts = {d.id: queries.parts_of(d, self.cutoff) for d in decisions}
        every_part = [part for shown in parts.values() for part in shown]
        self.values.load(DecisionPart, [p.id for p in every_part])
        recs = queries.recommendations_of(every_part, self.values, self.theme_id)
        every = [rec for rows in recs.values() for rec in rows]
        actions = [a for rec in every for a in rec.actions]
        self.values.load(Action, [a.id for a in actions])
        owners = {a.id: self.values.value(a, "owner_id") for a in actions}
        organisations = {a.id: self.values.value(a, "owner_organisation_id") for a in actions}
        self.agency_of.update(queries.agency_names(organisations, owners, self.values))
        self.organisation_owned.update(aid for aid, o in organisations.items() if o is not None)
        action_ids = queries.action_ids_of([rec.id for rec in every])
        latest = condensed.latest_updates(action_ids, self.cutoff)
        self.latest.update(latest)
        now = {aid: (found.fact(),) for aid, found in latest.items()}
        facts = {rec.id: rec_facts.fact_with_updates(rec, now, owners) for rec in every}
        self.action_ids = action_ids
        # The decisions whose recommendations as at the date are those under them now (no
        # recommendation moved since, no part added or withdrawn since) and all shown (no theme
        # filter): their weekly action figures may be kept (``action_weeks``).
        moved = any(self.values.value(r, "part_id") != r.part_id for r in every)
        states = {rid: progress.recommendation_state(f, today=self.today, as_at=self.as_at)
                  for rid, f in facts.items()}
        people = [self.values.value(r, "owner_id") for r in every] + list(owners.values())
        self.names.update(queries.user_names(people, self.values))
        guidance = queries.guidance_of(every_part)
        found = []
        for decision in decisions:
            ids = {part.id for part in parts[decision.id]}
            mine = {pid: rows for pid, rows in recs.items() if pid in ids}
            shown = [rec for rows in mine.values() for rec in rows]
            found.append(_Decision(
                decision, parts[decision.id], mine, {r.id: facts[r.id] for r in shown},
                {r.id: states[r.id] for r in shown},
                guidance_figures([g for g in guidance if g.part_id in ids], decision,
                                 self.values, as_at=self.as_at, with_weeks=with_weeks),
                latest, tuple(shown), self.theme_id is None and not moved and (
                    self.cutoff is None or parts[decision.id] == queries.parts_of(decision,
                                                                                 None))))
        return found

    def _series_facts(self, data: _Decision) -> tuple[RecommendationFact, ...]:
        """The decision's facts with only the updates that can change the weekly counts
        (``condensed.count_changes``, read once for every decision)."""
        if self.changes is None:
            self.changes = condensed.count_changes(self.action_ids, self.cutoff)
        return tuple(rec_facts.fact_with_updates(r, self.changes) for r in data.shown)

    def weekly(self, data: Sequence[_Decision], start: dt.date) -> figures.WeeklySeries:
        """The weekly "actions complete" series over these decisions: the kept points of
        closed weeks where they hold (``action_weeks``), the last point the day's roll-up;
        else judged afresh per decision (``series.actions_complete_by_week``), and the
        closed weeks of the decisions whose recommendations are as now kept again."""
        name = "Actions complete"
        if not data:
            return figures.actions_by_week((), start=start, as_at=self.as_at, today=self.today)
        weeks = week_endings(start, self.as_at)
        shut = adoption_weeks.closed(weeks, clock.now())
        if all(d.as_now for d in data):
            kept = kept_weekly([d.decision.id for d in data], start, self.as_at, progress.rollup(
                s for d in data for s in d.states.values()))
            if kept is not None:
                return kept
        seen = action_weeks.stamps()
        per = {d.decision.id: series.actions_complete_by_week(
            self._series_facts(d), start=start, as_at=self.as_at, today=self.today)
            for d in data}
        keep = {d.decision.id: per[d.decision.id][:len(shut)] for d in data if d.as_now}
        keeping.write_aside(lambda: action_weeks.keep(keep, seen))
        return figures.WeeklySeries(name, tuple(action_weeks.summed(list(per.values()))))

    def ageing(self, data: Sequence[_Decision], start: dt.date) -> late.AgeingSeries:
        """The ageing series over these decisions (``progress_series.ageing_by_month``'s latest points): the kept
        points of ended days where they hold (``ageing_points``), else judged afresh by the
        rules and those of the decisions whose recommendations are as now kept again; the
        point of a day not yet ended (today) from the states the page has already judged."""
        days = late.ageing_days(start, self.as_at)
        shut = ageing_points.closed(days, clock.now())
        ids = [d.decision.id for d in data]
        kept = ageing_points.kept_sums(ids, shut) if data and all(
            d.as_now for d in data) else None
        if kept is None:
            seen = action_weeks.stamps()
            per = {d.decision.id: [progress.ageing(self._series_facts(d), today=self.today,
                                                   as_at=day) for day in shut] for d in data}
            keep = {d.decision.id: per[d.decision.id] for d in data if d.as_now}
            keeping.write_aside(lambda: ageing_points.keep(keep, seen))
            kept = ageing_points.summed(list(per.values())) if data else [
                progress.ageing((), today=self.today, as_at=day) for day in shut]
        if len(shut) < len(days) and self.as_at == self.today and data and all(
                d.as_now for d in data):   # today, every recommendation as now
            kept.append(self._ageing_today(data))
        elif len(shut) < len(days):   # the report's date, today: judged already
            complete = [a.id for d in data for state in d.states.values() if state
                        for a in state.action_states if a.status == progress.STATUS_COMPLETE]
            done = condensed.completed_days(complete, self.cutoff) if complete else {}
            kept.append(progress.ageing_of(
                ((d.facts[rid], state) for d in data for rid, state in d.states.items()),
                day=self.as_at, completed=lambda action: done.get(action.id)))
        return late.AgeingSeries(tuple(kept))

    def _ageing_today(self, data: Sequence[_Decision]) -> progress.Ageing:
        """Today's ageing point of recommendations all as now: open recommendations by band
        from the states judged already, actions summed in the database from what is kept
        on write with each (``today_actions.actions_today``, the dashboard's; proved equal
        to ``progress.ageing_of`` by tests/dashboard/test_today_dashboard.py), no
        completion day read per action."""
        judged = [(d.facts[rid].created_at, state) for d in data
                  for rid, state in d.states.items() if state is not None]
        counted = [rid for d in data for rid, state in d.states.items()
                   if state is not None and state.in_totals]
        in_totals = sa.select(Recommendation.id).where(Recommendation.id.in_(counted))
        return today_actions.actions_today(in_totals, in_totals, self.as_at).ageing(judged)

    def charts(self, data: Sequence[_Decision], with_weeks: bool = True) -> Charts:
        states = [s for d in data for s in d.states.values()]
        start = min((d.decision.decided_on for d in data), default=self.as_at)
        if with_weeks:
            weekly = self.weekly(data, min(start, self.as_at))
            ageing = self.ageing(data, min(start, self.as_at))
        else:
            weekly = figures.WeeklySeries("Actions complete", ())
            ageing = late.AgeingSeries(())
        return Charts(
            status=figures.status_by_source(states), progress=weekly,
            guidance=tuple(g for d in data for g in d.guidance),
            overdue=figures.overdue_by_owner(states, self.names), ageing=ageing,
            agencies=figures.actions_by_agency(states, self.agency_of),
        )

    def section(self, data: _Decision, charts: Charts) -> DecisionSection:
        d, v = data.decision, self.values
        parts = tuple(self._part(data, part) for part in data.parts)
        states = [s for s in data.states.values()]
        total = progress.rollup(states)
        return decision_section(v, d, total, parts, responses=self._responses(data),
                                charts=charts, late=self.late(data))

    def late(self, data: _Decision) -> tuple[late.LateLine, ...]:
        """Every late action of the decision's recommendations in totals, each with ITS
        latest update and reason, in the late list's order."""
        v = self.values
        reference = v.value(data.decision, "reference") or ""
        judged = [(rec, data.states[rec.id]) for part in data.parts
                  for rec in data.recs.get(part.id, [])]
        found = late.late_actions(judged, self.as_at)
        actions = {a.id: a for rec in {rec for rec, _, _ in found} for a in rec.actions}
        return late.in_order([late.late_line(
            s, days, self.latest.get(s.id), decision_reference=reference,
            recommendation_reference=v.value(rec, "reference"),
            action_title=v.value(actions[s.id], "title"),
            owner=self._owner_words(s.id, s.owner_id),
            service=v.value(rec, "lead_service") or "") for rec, s, days in found])

    def _part(self, data: _Decision, part: DecisionPart) -> PartSection:
        shown = [(rec, data.states[rec.id]) for rec in data.recs.get(part.id, [])]
        lines = tuple(self._line(rec, state) for rec, state in shown if state is not None)
        return part_section(self.values, part, lines, data.guidance)

    def _line(self, rec: Plain, state: RecommendationState) -> RecommendationLine:
        v = self.values
        by_id = {a.id: a for a in rec.actions}
        actions = tuple(self._action(by_id[s.id], s, self.latest.get(s.id))
                        for s in state.action_states) if self.detail else ()
        counted = [s.current_due_on for s in state.action_states if s.counted]
        updates = [a.latest_update for a in actions if a.latest_update is not None]
        owner = v.value(rec, "owner_id")
        return RecommendationLine(
            id=rec.id, reference=v.value(rec, "reference"),
            source_words=SOURCE_LABELS[rec.source], text=v.value(rec, "text"),
            tag=rec_facts.rec_tag(state), state=state, owner=self._name(owner),
            due_on=max(counted, default=None),
            latest_update=max(updates, key=lambda u: u.recorded_at, default=None),
            actions=actions)

    def _owner_words(self, action_id: int, owner_id: int | None) -> str:
        """An action's owner: its organisation where one owns it, else the person."""
        if action_id in self.organisation_owned:
            return self.agency_of.get(action_id, "No owner")
        return self._name(owner_id)

    def _action(self, action: Plain, state: progress.ActionState,
                latest: condensed.Latest | None) -> ActionLine:
        v = self.values
        title = v.value(action, "title")
        owner = self._owner_words(action.id, v.value(action, "owner_id"))
        return ActionLine(
            title=title, owner=owner,
            original_due_on=state.original_due_on, current_due_on=state.current_due_on,
            status_words=ACTION_STATUS_LABELS[state.status], tag=rec_facts.action_tag(state),
            overdue=state.overdue,
            latest_update=None if latest is None else UpdateLine(
                latest.recorded_at, title, ACTION_STATUS_LABELS[latest.status],
                latest.narrative or ""))

    def _responses(self, data: _Decision) -> tuple[ResponseLine, ...]:
        v, lines = self.values, []
        for part in data.parts:
            for rec in data.recs.get(part.id, []):
                state = data.states[rec.id]
                if rec.source != progress.SOURCE_SCRUTINY or state is None:
                    continue
                given = [r for r in rec.responses
                         if progress.recorded_by(r.recorded_at, self.cutoff)]
                latest = max(given, key=lambda r: (r.recorded_at, r.id), default=None)
                lines.append(ResponseLine(
                    reference=v.value(rec, "reference"), committee=v.value(rec, "committee") or "",
                    text=v.value(rec, "text"),
                    response_words=RESPONSE_LABELS[latest.response] if latest else
                    "Awaiting the executive's response",
                    response_text=(latest.response_text or "") if latest else "",
                    reason=(latest.reason or "") if latest else "",
                    cabinet_member=(latest.cabinet_member or "") if latest else "",
                    lead_officer=(latest.lead_officer or "") if latest else "",
                    timetable=(latest.timetable or "") if latest else "",
                    response_due_on=v.value(rec, "response_due_on"),
                    tag=rec_facts.rec_tag(state)))
        return tuple(lines)

    def _name(self, user_id: int | None) -> str:
        return self.names.get(user_id, "No owner") if user_id is not None else "No owner"


@contextmanager
def without_cycle_collection() -> Iterator[None]:
    """Building a report makes some 100,000 small objects (rows, facts, states), none of them
    garbage until it is done; meanwhile Python's cycle collector would walk them hundreds of
    times (more than half the time on a large decision). Reference counting still frees
    everything; the collector runs as usual afterwards. Safe with threads: whichever build
    ends last leaves collection as it found it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def committee_report(decisions: Sequence[Decision], *, as_at: dt.date, today: dt.date,
                     one_decision: bool, theme_id: int | None = None) -> Report:
    """The report as at ``as_at`` for these decisions (already checked for the user);
    ``theme_id``: only the recommendations with that theme."""
    with without_cycle_collection():
        builder = _Builder(as_at, today, theme_id=theme_id)
        data = builder.gather(decisions, with_weeks=True)
        sections = tuple(builder.section(d, builder.charts([d])) for d in data)
        return Report(as_at, sections, one_decision)


def summaries(decisions: Sequence[Decision], *, as_at: dt.date, today: dt.date) -> Report:
    """The report's figures without the weekly series: home pages and the open data."""
    with without_cycle_collection():
        builder = _Builder(as_at, today, detail=False)
        data = builder.gather(decisions, with_weeks=False)
        sections = tuple(builder.section(d, builder.charts([d], with_weeks=False))
                         for d in data)
        return Report(as_at, sections, len(decisions) == 1)

