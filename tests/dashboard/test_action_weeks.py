"""Weekly action figures kept as weeks close (``tracker.dashboard.action_weeks``) equal the
rules' weekly series (``progress_series.actions_complete_by_week``) over generated histories,
on SQLite and PostgreSQL; after something is recorded later (an update recorded now or
backdated, a backdated action, a recommendation moved to another decision) they are either
still the rules' series over the new history or refused (judged afresh), never wrong; so are
their sums kept for a set of decisions (``action_weeks.keep_sums``), also when a week has
closed since they were kept. And
through the pages: the committee report CSV read with kept weeks is byte-identical."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from tests.progress.test_condensed import DB_SETTINGS, FIRST, _store, recommendations
from tracker import audit, progress, progress_series
from tracker.dashboard import action_weeks, adoption_weeks, series
from tracker.models import ActionWeek, DecisionPart, ProgressUpdate, Recommendation
from tracker.progress_series import week_endings
from tracker.recommendations import facts, kept

AS_AT = date(2022, 12, 31)
TODAY = date(2023, 1, 2)
NOW = progress.end_of_day_utc(AS_AT)
moments = st.builds(lambda day, hour: datetime.combine(FIRST + timedelta(days=day),
                                                         datetime.min.time(), UTC)
                    + timedelta(hours=hour), st.integers(0, 720), st.sampled_from((0, 9)))
later = st.one_of(
    st.tuples(st.just("update"), moments, st.sampled_from(progress.ACTION_STATUSES)),
    st.tuples(st.just("action"), moments, st.none()),
    st.tuples(st.just("move"), moments, st.none()))


def _rules(decision_id):
    """The rules' series over the recommendations under the decision now, every update."""
    recs = facts.load(sa.select(Recommendation).join(DecisionPart).where(
        DecisionPart.decision_id == decision_id))
    return progress_series.actions_complete_by_week(
        [facts.recommendation_fact(r) for r in recs], start=FIRST, as_at=AS_AT, today=TODAY)


@DB_SETTINGS
@given(st.lists(recommendations, min_size=1, max_size=3), st.lists(later, max_size=2),
       st.none() | st.integers(1, 200))
def test_kept_weeks_are_the_rules_series_or_refused(db_session, make, drawn, afterwards,
                                                    summed_weeks):
    nested = db_session.begin_nested()
    try:
        whole = _store(db_session, make, drawn)
        first = db_session.get(Recommendation, whole[0].id)
        decision = first.part.decision
        weeks = week_endings(FIRST, AS_AT)
        shut = adoption_weeks.closed(weeks, NOW)
        seen = action_weeks.stamps()
        computed = series.actions_complete_by_week(whole, start=FIRST, as_at=AS_AT,
                                                   today=TODAY)
        expected = progress_series.actions_complete_by_week(whole, start=FIRST, as_at=AS_AT,
                                                            today=TODAY)
        assert computed == expected
        action_weeks.keep({decision.id: computed[:len(shut)]}, seen)
        assert action_weeks.kept_sums([decision.id], shut) == expected[:len(shut)]
        if summed_weeks is not None:
            # the sums kept for the decision's set (as a page keeps them) up to a week, maybe
            # before the last (a week closed since): read back with the weeks after summed
            # from the decision's own points
            first_weeks = shut[:summed_weeks]
            action_weeks.keep_sums([decision.id], action_weeks.kept_sums(
                [decision.id], first_weeks), seen)
            assert action_weeks.kept_sums([decision.id], shut) == expected[:len(shut)]
            assert action_weeks.kept_sums([decision.id], first_weeks) == expected[
                :len(first_weeks)]
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
        found = action_weeks.kept_sums([decision.id], shut)
        assert found is None or found == _rules(decision.id)[:len(shut)]
        if not afterwards:
            assert found is not None
    finally:
        nested.rollback()


def test_the_report_csv_reads_the_same_from_kept_weeks(client, built, db_session):
    """The committee report for a past date, asked twice: the first judges the weeks and
    keeps them, the second reads them back; the bytes are the same."""
    from tests.conftest import sign_in

    sign_in(client, built.users["member"])
    path = f"/reports/committee.csv?decision={built.decision.id}&as_at=31&as_at=3&as_at=2021"
    first = client.get(path)
    assert first.status_code == 200
    assert db_session.scalar(sa.select(sa.func.count()).select_from(ActionWeek)) > 0
    again = client.get(path)
    assert again.data == first.data
    page = client.get(f"/reports/committee?decision={built.decision.id}")
    assert page.status_code == 200
