"""Ageing figures kept as days end (``tracker.dashboard.ageing_points``) equal the rules'
(``progress.ageing`` at each day) over generated histories, on SQLite and PostgreSQL; after
something is recorded later (an update recorded now or backdated, a backdated action, a
recommendation moved to another decision) they are either still the rules' figures over the
new history or refused (judged afresh), never wrong. The report builder's ageing series,
judged afresh, read back from kept points, or with today's point from the states it has
already judged, is ``progress_series.ageing_by_month``'s. And through the pages: the
committee report CSV read with kept points is byte-identical, and a backdated update after
they were kept is seen."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from tests.dashboard.test_action_weeks import later
from tests.progress.test_condensed import (
    DB_SETTINGS, FIRST, _store, as_at_dates, recommendations,
)
from tracker import audit, clock, progress, progress_series
from tracker.dashboard import action_weeks, ageing_points, late, report
from tracker.models import AgeingPoint, Decision, DecisionPart, ProgressUpdate, Recommendation
from tracker.recommendations import condensed, facts, kept

AS_AT = date(2022, 12, 31)
TODAY = date(2023, 1, 2)
NOW = progress.end_of_day_utc(TODAY) - timedelta(hours=1)


def _rules(decision_id, days):
    """The rules' points over the recommendations under the decision now, every update."""
    recs = facts.load(sa.select(Recommendation).join(DecisionPart).where(
        DecisionPart.decision_id == decision_id))
    whole = [facts.recommendation_fact(r) for r in recs]
    return [progress.ageing(whole, today=TODAY, as_at=day) for day in days]


def _apply(db_session, make, first, afterwards):
    for kind, when, status in afterwards:
        if kind == "update":
            action = make.action(first, created_at=datetime(2020, 12, 1, tzinfo=UTC))
            db_session.add(ProgressUpdate(action=action, recorded_at=when, status=status,
                                          rag=None, reason="Reason."))
            db_session.flush()
            kept.refresh(db_session.connection(), [action.id])
        elif kind == "action":
            make.action(first, created_at=when)
        else:
            other = make.part()
            audit.updated(first, {"part_id": other.id}, "Moved")
        db_session.flush()
    db_session.expire_all()


@DB_SETTINGS
@given(st.lists(recommendations, min_size=1, max_size=3), st.lists(later, max_size=2))
def test_kept_ageing_points_are_the_rules_figures_or_refused(db_session, make, drawn,
                                                            afterwards):
    nested = db_session.begin_nested()
    try:
        whole = _store(db_session, make, drawn)
        first = db_session.get(Recommendation, whole[0].id)
        decision = first.part.decision
        days = ageing_points.closed(late.ageing_days(FIRST, AS_AT), NOW)
        assert days[-1] == AS_AT  # every day has ended, the report's date too
        seen = action_weeks.stamps()
        expected = [progress.ageing(whole, today=TODAY, as_at=day) for day in days]
        ageing_points.keep({decision.id: expected}, seen)
        assert ageing_points.kept_sums([decision.id], days) == expected
        _apply(db_session, make, first, afterwards)
        found = ageing_points.kept_sums([decision.id], days)
        assert found is None or found == _rules(decision.id, days)
        if not afterwards:
            assert found is not None
    finally:
        nested.rollback()


@DB_SETTINGS
@given(st.lists(recommendations, min_size=1, max_size=3), st.booleans())
def test_the_builders_ageing_series_is_the_rules_series(db_session, make, drawn, past):
    """Judged afresh, then read back from the points it kept; as at a past day, or today
    (whose point comes from the states the report judged)."""
    nested = db_session.begin_nested()
    try:
        whole = _store(db_session, make, drawn)
        decision = db_session.get(Recommendation, whole[0].id).part.decision
        decision.decided_on = FIRST
        db_session.flush()
        as_at = AS_AT if past else TODAY
        expected = tuple(progress_series.ageing_by_month(
            whole, start=FIRST, as_at=as_at, today=TODAY, latest=late.AGEING_MONTHS))
        with clock.travel_to(NOW):
            afresh = report.committee_report([decision], as_at=as_at, today=TODAY,
                                             one_decision=True)
            assert afresh.decisions[0].charts.ageing.points == expected
            days = late.ageing_days(FIRST, as_at)
            shut = ageing_points.closed(days, NOW)
            ageing_points.keep({decision.id: list(expected[:len(shut)])},
                               action_weeks.stamps())
            db_session.expire_all()
            again = report.committee_report([db_session.get(Decision, decision.id)],
                                            as_at=as_at, today=TODAY, one_decision=True)
            assert again.decisions[0].charts.ageing.points == expected
    finally:
        nested.rollback()


@DB_SETTINGS
@given(st.lists(recommendations, min_size=1, max_size=3), as_at_dates)
def test_the_day_each_action_was_completed_read_in_sql_is_the_rules(db_session, make, drawn,
                                                                   as_at):
    """``condensed.completed_days`` (the ageing point of the report's date: kept moments where
    they stand for the history by the cut-off, SQL over updates for the others) =
    ``progress.completed_on``, now and as at a date."""
    nested = db_session.begin_nested()
    try:
        whole = _store(db_session, make, drawn)
        every = [a for f in whole for a in f.actions]
        found = condensed.completed_days([a.id for a in every], progress.cutoff_for(as_at))
        assert found == {a.id: day for a in every
                         if (day := progress.completed_on(a, as_at)) is not None}
    finally:
        nested.rollback()


def test_the_report_csv_reads_the_same_from_kept_points_and_sees_a_backdated_update(
        client, built, db_session, make):
    """The committee report for a past date, asked twice: the first judges the ageing
    points and keeps them, the second reads them back; the bytes are the same. An update
    recorded afterwards but stamped before the date (as an import may) is then seen."""
    from tests.conftest import sign_in

    sign_in(client, built.users["member"])
    path = f"/reports/committee.csv?decision={built.decision.id}&as_at=2021-03-31"
    first = client.get(path)
    assert first.status_code == 200
    assert db_session.scalar(sa.select(sa.func.count()).select_from(AgeingPoint)) > 0
    again = client.get(path)
    assert again.data == first.data
    action = db_session.scalar(sa.select(ProgressUpdate.action_id).limit(1))
    db_session.add(ProgressUpdate(action_id=action, status=progress.STATUS_COMPLETE,
                                  recorded_at=datetime(2021, 3, 30, 9, tzinfo=UTC),
                                  narrative="Backdated."))
    db_session.flush()
    kept.refresh(db_session.connection(), [action])
    db_session.commit()
    changed = client.get(path)
    assert changed.status_code == 200
    assert changed.data != first.data
    assert b"Backdated." in changed.data or _ageing(changed.data) != _ageing(first.data)


def _ageing(data: bytes) -> bytes:
    return data.split(b"Ageing by month", 1)[1].split(b"\r\n\r\n", 1)[0]
