"""The dashboard's figures today, read from what is kept on write (``dashboard.today.dashboard``:
kept roll-ups, action figures counted in SQL, kept weekly and monthly points, the late list a
page at a time), equal those the report's builder gives from every decision's whole history
(what the dashboard showed before: ``_rebuilt`` below), figure by figure: each decision's
roll-up, the total, every chart's figures and the late list, with a theme filter or none."""
from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from tests.conftest import sign_in
from tests.dashboard.conftest import D, at, six_late_actions
from tests.dashboard.pages import tables
from tests.dashboard.test_query_counts import add_work
from tracker import progress
from tracker.clock import today as clock_today
from tracker.clock import travel_to
from tracker.dashboard import late, report, today, today_actions
from tracker.models import ActionWeekSums


def _rebuilt(decisions, day, theme_id=None):
    """The dashboard's figures as the report's builder gives them from history (what the
    page showed before): sections, charts over all, total, every late line in order."""
    builder = report._Builder(day, day, detail=False, theme_id=theme_id)
    data = builder.gather(decisions, with_weeks=True)
    sections = tuple(builder.section(d, builder.charts([d], with_weeks=False)) for d in data)
    total = progress.rollup(s for d in data for s in d.states.values())
    return (sections, builder.charts(data), total,
            late.in_order(line for d in sections for line in d.late))


def _shape(sections, charts, total):
    return ([(s.id, s.reference, s.title, s.total, s.tag) for s in sections], charts, total)


def _every_late_line(decisions, day, theme_id=None):
    first = today.dashboard(decisions, today=day, theme_id=theme_id)
    lines = list(first.late.lines)
    for page in range(2, first.late.pages + 1):
        lines += today.dashboard(decisions, today=day, theme_id=theme_id,
                                 late_page=page).late.lines
    return first, tuple(lines)


@pytest.fixture()
def busy(built, exempt, make, db_session):
    """The built decisions with more work (tests/dashboard/test_query_counts.py), an action
    an organisation owns (late), a late action whose due date was revised, an update
    recorded back in time (before the action's latest), a person working for an
    organisation, and a theme given to some recommendations."""
    police = make.organisation(name="West Police", members=[built.users["priya"]])
    owned = make.action(built.recs["R5"], title="Police review", owner_organisation_id=police.id,
                        due_on=D(2021, 4, 1), created_at=at(D(2021, 1, 6)))
    make.update(owned, status="in_progress", rag="amber", narrative="Started.",
                reason="Waiting for data.", recorded_at=at(D(2021, 3, 1)))
    make.update(built.actions["A2"], status="in_progress", rag="red",
                reason="The trainer is off sick.", revised_due_on=D(2021, 2, 28),
                revised_due_reason="Trainer off sick.", narrative="Second draft started.",
                recorded_at=at(D(2021, 2, 1)))
    make.update(built.actions["A4"], status="in_progress", rag="green",
                narrative="Sampling.", recorded_at=at(D(2021, 6, 1)))
    make.update(built.actions["A4"], status="paused", rag="amber", reason="On hold.",
                narrative="Recorded late, for March.", recorded_at=at(D(2021, 3, 1)))
    add_work(make, db_session, built, 12)
    theme = make.theme([built.recs["R1"], built.recs["R3"], exempt.recs["R1"],
                        exempt.recs["R5"]], name="Training")
    db_session.flush()
    return built, exempt, theme


@pytest.mark.parametrize("day", [D(2022, 6, 1), None])   # after all was recorded; today
@pytest.mark.parametrize("themed", [False, True])
def test_todays_dashboard_is_the_reports_figures(app, busy, day, themed):
    built, exempt, theme = busy
    day = day or clock_today()
    decisions = [built.decision, exempt.decision]
    theme_id = theme.id if themed else None
    # In a request, as the page: kept weekly and monthly points are written by the first
    # build that misses them, then read (and the weekly points' sums over both decisions
    # kept), then the sums read; travelling to the day makes it "today".
    with app.test_request_context(), travel_to(at(day, 12)):
        sections, charts, total, lines = _rebuilt(decisions, day, theme_id)
        for _ in range(3):     # kept points missing (judged afresh, kept), read, sums read
            found, every = _every_late_line(decisions, day, theme_id)
            assert _shape(found.report.decisions, found.report.charts, found.report.total) \
                == _shape(sections, charts, total)
            assert every == lines
            assert found.late.total == len(lines)
            assert found.late.top == lines[:25]
    assert lines and any(line.revised for line in lines)
    assert charts.ageing.points[-1].as_at == day
    if not themed:
        assert "West Police" in {line.owner for line in lines}
        assert any(row.name == "West Police" for row in charts.agencies)


def test_kept_sums_give_way_to_a_backdated_update(app, busy, make, db_session):
    """The weekly points' sums kept for both decisions, then an update recorded back in
    time (and a week closed since the sums were kept, as a day later): the series is the
    report's builder's over the new history, never the sums as kept."""
    built, exempt, _ = busy
    decisions = [built.decision, exempt.decision]
    day = clock_today()
    with app.test_request_context():
        for _ in range(2):   # the kept points, then their sums, kept
            today.dashboard(decisions, today=day)
        assert db_session.scalar(sa.select(sa.func.count()).select_from(ActionWeekSums)) == 1
        sums = db_session.scalars(sa.select(ActionWeekSums)).one()
        sums.points = sums.points[:-1]   # as kept before the last week closed
        action = make.action(built.recs["R1"], title="Backdated", due_on=D(2021, 6, 1),
                             created_at=at(D(2021, 1, 6)))
        make.update(action, status="complete", narrative="Done.", rag=None,
                    recorded_at=at(D(2021, 2, 1)))
        db_session.flush()
        sections, charts, total, _ = _rebuilt(decisions, day)
        for _ in range(3):   # refused and judged afresh, points read, sums read
            found = today.dashboard(decisions, today=day)
            assert _shape(found.report.decisions, found.report.charts, found.report.total) \
                == _shape(sections, charts, total)


def test_one_decision_and_a_decision_with_nothing_late(app, built, make):
    quiet = make.decision(title="Quiet", reference="I50000077", decided_on=D(2021, 1, 4),
                          created_at=at(D(2021, 1, 5)))
    rec = make.recommendation(make.part(quiet, label="a", kind="agree_recommendations",
                                        created_at=at(D(2021, 1, 5))),
                              reference="Q1", created_at=at(D(2021, 1, 6)))
    make.action(rec, due_on=D(2099, 1, 1), created_at=at(D(2021, 1, 6)))
    day = clock_today()
    with app.test_request_context():
        for decisions in ([built.decision], [quiet]):
            sections, charts, total, lines = _rebuilt(decisions, day)
            found = today.dashboard(decisions, today=day)
            assert _shape(found.report.decisions, found.report.charts, found.report.total) \
                == _shape(sections, charts, total)
            assert found.late.lines == lines and found.late.total == len(lines)
            assert found.report.one_decision
    assert (found.late.lines, found.late.total, found.late.pages) == ((), 0, 1)


def test_the_late_list_is_paged_in_the_rules_order(client, built, make, db_session,
                                                    monkeypatch):
    """Through the page, 3 lines a page: page 2 shows the 4th to 6th most late (equal days
    late: the earlier original due date, then the action's id), the count is stated, the
    pages link to each other, a page past the last shows the last."""
    monkeypatch.setattr(today_actions, "LATE_PER_PAGE", 3)
    day = clock_today()
    six_late_actions(make, built.recs["R5"], day)   # two each due 30, 20 and 10 days ago
    db_session.flush()
    sign_in(client, built.users["member"])
    when = f"{day.day} {day:%B %Y}"
    first = client.get("/dashboard").get_data(as_text=True)
    # A2 (due 25 January 2021) and A4 (31 December 2021) are late too
    assert re.search(r"8 actions late as at [^,]+, most days late first, 3 to a page: "
                     r"these are 1 to 3\.", first)
    assert [row[0] for row in tables(first)[
        f"Late actions 1 to 3 of 8 as at {when}, most days late first"][1:]] == [
        "R1 Write the course", "S1 Sample school records", "F1 Late 0"]
    html = client.get("/dashboard?late_page=2").get_data(as_text=True)
    rows = tables(html)[f"Late actions 4 to 6 of 8 as at {when}, most days late first"]
    assert [(row[0], row[3]) for row in rows[1:]] == [
        ("F1 Late 1", "30"), ("F1 Late 2", "20"), ("F1 Late 3", "20")]
    assert 'href="/dashboard?late_page=3#late-actions"' in html
    assert 'href="/dashboard?late_page=1#late-actions"' in html
    last = client.get("/dashboard?late_page=99").get_data(as_text=True)
    assert [(row[0], row[3]) for row in tables(last)[
        f"Late actions 7 to 8 of 8 as at {when}, most days late first"][1:]] == [
        ("F1 Late 4", "10"), ("F1 Late 5", "10")]


@pytest.mark.parametrize("theme_name", [None, "Training"])
def test_the_demo_datas_dashboard_is_the_reports_figures(app, db_session, theme_name):
    """The demo data (tracker.demo): every decision, today, with and without a theme."""

    from tracker.demo import load_demo
    from tracker.models import Decision, Theme

    load_demo()
    decisions = list(db_session.scalars(sa.select(Decision).order_by(
        Decision.decided_on.desc(), Decision.id)))
    theme_id = db_session.scalar(sa.select(Theme.id).where(Theme.name == theme_name)) \
        if theme_name else None
    day = clock_today()
    with app.test_request_context():
        sections, charts, total, lines = _rebuilt(decisions, day, theme_id)
        for _ in range(3):   # kept points missing, read (their sums kept), sums read
            found, every = _every_late_line(decisions, day, theme_id)
            assert _shape(found.report.decisions, found.report.charts, found.report.total) \
                == _shape(sections, charts, total)
            assert every == lines and found.late.total == len(lines)
    assert total.recommendations
