"""Today's figures read from the kept roll-ups (``tracker.dashboard.today``: the home pages'
overview and the open data) equal the committee report's built from the whole history
(``report.summaries`` as at today), decision by decision and part by part."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from tests.dashboard.conftest import at, extra_and_withdrawn
from tracker.dashboard import queries, report, today
from tracker.models import Decision, RecommendationRollup

D = dt.date


def _line(line):
    s = line.state
    return (line.id, line.reference, line.source_words, line.text, line.tag, line.owner,
            line.due_on, s.label, s.rag, s.counted_actions, s.complete_actions, s.share,
            s.overdue_actions, s.response, s.awaiting_response, s.in_totals, s.impact, s.late)


def _shape(found):
    return [(d.id, d.reference, d.title, d.decision_maker, d.decided_on, d.exemption_words,
             d.entered_on, d.total, d.tag, d.share_words, d.charts.status, d.charts.guidance,
             [(p.label, p.kind_words, p.text, p.tag, p.total, p.guidance,
               [_line(line) for line in p.recommendations]) for p in d.parts])
            for d in found.decisions]


@pytest.mark.parametrize("day", [D(2021, 6, 30), D(2022, 6, 1)])
def test_todays_figures_from_kept_rollups_are_the_reports(built, exempt, make, db_session,
                                                          day):
    extra_and_withdrawn(built, make)
    db_session.flush()
    decisions = [built.decision, exempt.decision]
    kept = today.summaries(decisions, today=day)
    rebuilt = report.summaries(decisions, as_at=day, today=day)
    assert _shape(kept) == _shape(rebuilt)
    lines = [line.reference for d in kept.decisions for p in d.parts for line in p.recommendations]
    assert "R9" in lines and "R10" not in lines
    assert kept.decisions[0].total.overdue_actions >= 1
    figures_only = today.summaries(decisions, today=day, with_parts=False)
    assert [(d.id, d.total, d.tag, d.charts.status, d.charts.guidance, d.parts)
            for d in figures_only.decisions] == [
        (d.id, d.total, d.tag, d.charts.status, d.charts.guidance, ())
        for d in rebuilt.decisions]
    # the open data's way: the decisions as plain rows of their particulars, asked by a
    # query of their ids; a decision that query finds beyond them is left out
    rows = [db_session.execute(sa.select(*queries.PARTICULARS).where(Decision.id == d.id)).one()
            for d in decisions]
    for chosen in (sa.select(Decision.id).where(Decision.id.in_([d.id for d in decisions])),
                   sa.select(Decision.id)):
        asked = today.summaries(rows, today=day, with_parts=False, chosen=chosen)
        assert _shape(asked) == _shape(figures_only)
    with_parts = today.summaries(rows[:1], today=day, chosen=sa.select(Decision.id))
    assert _shape(with_parts) == _shape(rebuilt)[:1]


def test_a_recommendation_never_kept_is_judged_from_its_history(built, db_session):
    """Rows loaded around the ORM and never refreshed have no kept roll-up: today's figures
    judge them from their history rather than leave them out."""
    day = D(2022, 6, 1)
    db_session.execute(sa.delete(RecommendationRollup).where(
        RecommendationRollup.recommendation_id.in_([built.recs["R1"].id, built.recs["R4"].id])))
    kept = today.summaries([built.decision], today=day)
    assert _shape(kept) == _shape(report.summaries([built.decision], as_at=day, today=day))


def test_the_administrators_awaiting_sign_off_list_is_the_reports(built, exempt, make,
                                                                   db_session):
    """The home page's list of recommendations awaiting sign-off (read from kept labels)
    is the report's lines judged "awaiting sign-off", newest decision first and in the
    paper's order within it; cut at ``limit``, it is the first of them and says how many
    there are in all."""
    day = D(2022, 6, 1)
    for part, reference in ((exempt.parts["a"], "E9"), (built.parts["d"], "F2"),
                            (built.parts["a"], "R9")):
        more = make.recommendation(part, reference=reference, position=9,
                                   created_at=at(D(2021, 1, 6)))
        done = make.action(more, due_on=D(2021, 5, 1), created_at=at(D(2021, 1, 6)))
        make.update(done, status="complete", rag=None, recorded_at=at(D(2021, 2, 1)))
    db_session.flush()
    decisions = [exempt.decision, built.decision]    # newest first (the same day: id)
    assert (decisions[0].decided_on, decisions[0].id) > (decisions[1].decided_on,
                                                         decisions[1].id)
    rebuilt = report.summaries(decisions, as_at=day, today=day)
    expected = [(d.id, _line(line)) for d in rebuilt.decisions for p in d.parts
                for line in p.recommendations if line.state.label == "awaiting_sign_off"]
    chosen = sa.select(Decision).where(Decision.id.in_([d.id for d in decisions]))
    found, total = today.awaiting_sign_off(chosen, today=day)
    got = [(name.id, _line(line)) for name, line in found]
    assert got == expected and total == len(expected) == 3
    assert [line[1] for _, line in got] == ["E9", "R9", "F2"]
    assert [(name.reference, name.title) for name, _ in found] == [
        (d.reference, d.title) for d in (exempt.decision, built.decision, built.decision)]
    first, total = today.awaiting_sign_off(chosen, today=day, limit=2)
    assert [(name.id, _line(line)) for name, line in first] == expected[:2] and total == 3
    only = today.awaiting_sign_off(chosen.where(Decision.id == built.decision.id), today=day)
    assert [line.reference for _, line in only[0]] == ["R9", "F2"] and only[1] == 2
