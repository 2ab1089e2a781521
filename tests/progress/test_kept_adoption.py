"""Adoption kept on write (``tracker.schools.kept``) equals what the rules of progress compute
from the whole history, over generated histories, on SQLite and on PostgreSQL.

Schools (in scope or not, opened late, recorded closed) have events for several guidance
versions, recorded in a random order (a backdated event lands before others already recorded)
and at a few instants per day, so ties and events exactly at a day's cut-off happen often.
Every event goes through the one writer (``kept.record_event``, or ``kept.record_events``
for several at once, as a carried-over adoption or the demo data are written); then:

* each adoption's kept status, latest event and its time are the rules'
  (``progress.adoption_status_as_at`` over every event) and the backfill (``kept.refresh``,
  the migration's) finds nothing to change;
* the adoption counted by phase (``schools.facts.counts_by_phase``: the kept status for
  adoptions with nothing recorded after the cut-off, the latest event by then for the others)
  and the figure built on it (``schools.facts.adoption_figure``) equal
  ``progress.adoption_figure`` over every school's whole history, as at today and as at a past
  date, for every version.
"""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.progress import histories
from tracker import clock, progress
from tracker.dashboard import figures
from tracker.models import Adoption, AdoptionEvent
from tracker.progress import AdoptionEventFact, SchoolFact
from tracker.schools import facts as school_facts
from tracker.schools import kept

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
FIRST = histories.FIRST
VERSIONS = 3

moments = histories.moments(600)
days = histories.days(640)
# (version, recorded at, status), in the order RECORDED, not their recorded_at
events = st.lists(st.tuples(st.integers(0, VERSIONS - 1), moments,
                            st.sampled_from(progress.ADOPTION_STATUSES)), max_size=6)
# (phase, in scope, recorded, opened, recorded closed, events, written at once)
schools = st.tuples(st.sampled_from((None, "Primary", "Secondary")), st.booleans(), moments,
                    st.none() | days, st.none() | moments, events, st.booleans())


def _rule(history: list[tuple[int, datetime, str]]) -> kept.Kept:
    """What the rules read as the adoption's status now, and its latest event: (id, time)."""
    fact = SchoolFact(id=0, phase=None, in_scope=True, recorded_at=datetime.min.replace(
        tzinfo=UTC), open_date=None, closed_recorded_at=None, adoption_events=tuple(
            AdoptionEventFact(recorded_at=at, status=status) for _, at, status in history))
    latest = max(history, key=lambda e: (e[1], e[0]), default=None)
    return kept.Kept(progress.adoption_status_as_at(fact, None),
                     latest[0] if latest else None, latest[1] if latest else None)


@SETTINGS
@given(st.lists(schools, min_size=1, max_size=6), days)
def test_kept_adoption_and_the_counts_are_the_rules(db_session, make, drawn, past):
    nested = db_session.begin_nested()
    try:
        guidance = make.guidance()
        versions = [make.guidance_version(guidance=guidance) for _ in range(VERSIONS)]
        whole: dict[int, list[SchoolFact]] = {v.id: [] for v in versions}
        adoptions: list[tuple[Adoption, list[tuple[int, datetime, str]]]] = []
        for phase, in_scope, created, open_date, closed, drawn_events, at_once in drawn:
            school = make.school(phase=phase, in_scope=in_scope, created_at=created,
                                 open_date=open_date, closed_recorded_at=closed,
                                 status="closed" if closed else "open")
            history: dict[int, list[tuple[int, datetime, str]]] = {v.id: [] for v in versions}
            made: dict[int, Adoption] = {}
            for index, when, status in drawn_events:
                version = versions[index]
                if version.id not in made:  # adoptions are made lazily, at the first event
                    made[version.id] = Adoption(school=school, guidance_version=version,
                                                status=status, reason="Reason.",
                                                trained_on=date(2021, 1, 1))
                    db_session.add(made[version.id])
                    db_session.flush()
                if not at_once:
                    event_id = kept.record_event(made[version.id], status=status,
                                                 via="admin", recorded_at=when)
                    history[version.id].append((event_id, when, status))
            if at_once:  # every event of the school in one write, in the order drawn
                rows = [{"adoption_id": made[versions[i].id].id, "status": s, "via": "admin",
                         "recorded_at": w} for i, w, s in drawn_events]
                for row, event_id in zip(rows, kept.record_events(db_session, rows)):
                    version_id = next(v for v, a in made.items() if a.id == row["adoption_id"])
                    history[version_id].append((event_id, row["recorded_at"], row["status"]))
            for version_id, adoption in made.items():
                adoptions.append((adoption, history[version_id]))
            for version in versions:
                whole[version.id].append(SchoolFact(
                    id=school.id, phase=phase, in_scope=in_scope, recorded_at=created,
                    open_date=open_date, closed_recorded_at=closed,
                    adoption_events=tuple(AdoptionEventFact(recorded_at=w, status=s)
                                          for _, w, s in history[version.id])))
        db_session.flush()
        for adoption, history in adoptions:
            assert (adoption.latest_status, adoption.latest_event_id,
                    adoption.latest_event_at) == _rule(history)
        assert kept.refresh(db_session.connection(), [a.id for a, _ in adoptions]) == 0
        # As at today, the drawn day, and days ending exactly when an event was recorded
        # (an event at midnight in London) or just after.
        ends = {progress.london_today(at - timedelta(microseconds=1))
                for _, history in adoptions for _, at, _ in history[:3]}
        for version in versions:
            in_scope = [s for s in whole[version.id] if s.in_scope]
            for as_at in sorted({clock.today(), past} | ends):
                counted = figures.adoption_by_phase_counted(
                    "G", school_facts.counts_by_phase(version.id, as_at), as_at)
                assert counted == figures.adoption_by_phase("G", in_scope, as_at)
                assert school_facts.adoption_figure(version, as_at) == \
                    progress.adoption_figure(in_scope, as_at=as_at)
    finally:
        nested.rollback()


def test_the_backfill_keeps_adoptions_loaded_without_them(db_session, make):
    """A worked example: events loaded in bulk (as the migration finds them, or a bench data
    set) leave the adoption "not started" with no latest event until ``kept.refresh``
    computes them by the rules; a backdated event does not become the latest, and an event
    recorded at the same instant as the latest, later, does."""
    adoption = make.adoption(status="under_review")
    db_session.execute(sa.update(Adoption).where(Adoption.id == adoption.id).values(
        latest_status="not_started", latest_event_id=None, latest_event_at=None))
    march, february = datetime(2021, 3, 1, 9, tzinfo=UTC), datetime(2021, 2, 1, 9, tzinfo=UTC)
    db_session.execute(sa.delete(AdoptionEvent).where(AdoptionEvent.adoption_id == adoption.id))
    db_session.execute(sa.insert(AdoptionEvent), [
        {"adoption_id": adoption.id, "recorded_at": march, "status": "adopted", "via": "admin"},
        {"adoption_id": adoption.id, "recorded_at": february, "status": "declined",
         "via": "admin", "reason": "No."}])
    assert kept.refresh(db_session.connection(), [adoption.id]) == 1
    db_session.expire(adoption)
    assert (adoption.latest_status, adoption.latest_event_at) == ("adopted", march)
    assert kept.refresh(db_session.connection(), [adoption.id]) == 0
    kept.record_event(adoption, status="embedded", via="admin", recorded_at=february,
                      trained_on=date(2021, 1, 1))
    assert (adoption.latest_status, adoption.latest_event_at) == ("adopted", march)
    tie = kept.record_event(adoption, status="under_review", via="admin", recorded_at=march)
    assert (adoption.latest_status, adoption.latest_event_id) == ("under_review", tie)
    assert kept.refresh(db_session.connection(), [adoption.id]) == 0
