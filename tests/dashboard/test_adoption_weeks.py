"""Weekly adoption figures kept as weeks close (``tracker.dashboard.adoption_weeks``) equal
the rules' weekly series (``progress_series.adoption_by_week``) over generated histories, on
SQLite and PostgreSQL; and after something is recorded later (an adoption event recorded
backdated or not, a new school, a change of a school's scope) they are either still equal to
the rules' series over the new history or refused (read afresh), never wrong."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker import audit, progress, progress_series
from tracker.dashboard import adoption_weeks, series
from tracker.models import Adoption
from tracker.schools import kept
from tracker.progress_series import week_endings
from tracker.schools import facts as school_facts

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
FIRST = date(2021, 1, 1)
AS_AT = date(2022, 6, 30)
NOW = progress.end_of_day_utc(AS_AT)

moments = st.builds(lambda day, hour: datetime.combine(FIRST + timedelta(days=day),
                                                         datetime.min.time(), UTC)
                    + timedelta(hours=hour),
                    st.integers(0, 540), st.sampled_from((0, 9, 23)))
days = st.integers(0, 540).map(lambda n: FIRST + timedelta(days=n))
schools = st.tuples(st.sampled_from((None, "Primary")), st.booleans(), moments,
                    st.none() | days, st.none() | moments,
                    st.lists(st.tuples(moments, st.sampled_from(progress.ADOPTION_STATUSES)),
                             max_size=3))
later = st.one_of(
    st.tuples(st.just("event"), moments, st.sampled_from(progress.ADOPTION_STATUSES)),
    st.tuples(st.just("school"), moments, st.none()),
    st.tuples(st.just("scope"), moments, st.none()))


def _school(db_session, make, version, drawn):
    phase, in_scope, created, open_date, closed, events = drawn
    school = make.school(phase=phase, in_scope=in_scope, created_at=created,
                         open_date=open_date, closed_recorded_at=closed)
    adoption = Adoption(school=school, guidance_version=version, status="not_started",
                        reason="Reason.", trained_on=date(2021, 1, 1))
    db_session.add(adoption)
    for when, status in events:
        kept.record_event(adoption, status=status, via="admin", recorded_at=when)
        db_session.flush()
    return school, adoption


def _rules(version_id):
    return progress_series.adoption_by_week(school_facts.school_facts(version_id),
                                            start=FIRST, as_at=AS_AT)


@SETTINGS
@given(st.lists(schools, min_size=1, max_size=5), st.lists(later, max_size=2))
def test_kept_weeks_are_the_rules_series_or_refused(db_session, make, drawn, afterwards):
    nested = db_session.begin_nested()
    try:
        version = make.guidance_version()
        made = [_school(db_session, make, version, one) for one in drawn]
        weeks = week_endings(FIRST, AS_AT)
        shut = adoption_weeks.closed(weeks, NOW)
        assert shut == weeks[:-1]
        seen = adoption_weeks.stamps()
        computed = series.adoption_by_week(school_facts.school_rows(version.id), start=FIRST,
                                           as_at=AS_AT)
        assert computed == _rules(version.id)
        adoption_weeks.keep(version.id, computed[:len(shut)], seen)
        assert adoption_weeks.kept_points(version.id, shut) == computed[:len(shut)]
        for kind, when, status in afterwards:
            if kind == "event":
                kept.record_event(made[0][1], status=status, via="admin", recorded_at=when)
            elif kind == "school":
                _school(db_session, make, version, (None, True, when, None, None, []))
            else:
                school = made[-1][0]
                audit.updated(school, {"in_scope": not school.in_scope}, "Scope changed")
            db_session.flush()
        found = adoption_weeks.kept_points(version.id, shut)
        assert found is None or found == _rules(version.id)[:len(shut)]
        if not afterwards:
            assert found is not None
    finally:
        nested.rollback()


def test_an_event_recorded_now_keeps_the_closed_weeks_and_a_backdated_one_refuses_them(
        db_session, make):
    """A worked example: recorded after the last closed week, an event changes none of
    them; recorded (backdated) inside them, it sends the series back to the schools."""
    version = make.guidance_version()
    school, adoption = _school(db_session, make, version, (
        "Primary", True, datetime(2021, 1, 4, 9, tzinfo=UTC), None, None,
        [(datetime(2021, 3, 1, 9, tzinfo=UTC), "adopted")]))
    weeks = week_endings(FIRST, AS_AT)
    shut = adoption_weeks.closed(weeks, NOW)
    seen = adoption_weeks.stamps()
    computed = series.adoption_by_week(school_facts.school_rows(version.id), start=FIRST,
                                       as_at=AS_AT)
    adoption_weeks.keep(version.id, computed[:len(shut)], seen)
    kept.record_event(adoption, status="declined", via="admin",
                      recorded_at=progress.end_of_day_utc(shut[-1]))
    db_session.flush()
    assert adoption_weeks.kept_points(version.id, shut) == computed[:len(shut)]
    kept.record_event(adoption, status="declined", via="admin",
                      recorded_at=datetime(2021, 6, 1, 9, tzinfo=UTC))
    db_session.flush()
    assert adoption_weeks.kept_points(version.id, shut) is None
