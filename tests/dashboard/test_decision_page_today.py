"""The decision page's progress today, read from the kept roll-ups
(``facts.parts_progress``: ``rollups.states_now``), is the rules over each recommendation's
whole history (``facts.states_where``), part by part and recommendation by recommendation,
a withdrawn part (an administrator's view) and a withdrawn recommendation included."""
from __future__ import annotations

import datetime as dt

import pytest

from tests.dashboard.conftest import at, extra_and_withdrawn
from tests.progress.test_rollups import _comparable
from tracker import progress
from tracker.models import Recommendation
from tracker.recommendations import facts

D = dt.date


@pytest.mark.parametrize("day", [D(2021, 6, 30), D(2022, 6, 1)])
def test_the_decision_pages_progress_today_is_the_rules_over_the_history(
        built, exempt, make, db_session, day):
    extra, gone = extra_and_withdrawn(built, make)
    built.parts["b"].withdrawn_at, built.parts["b"].withdrawn_reason = at(D(2021, 3, 1)), "Gone."
    db_session.flush()
    checked = 0
    shown_in_a = []
    for decision in (built.decision, exempt.decision):
        part_ids = [p.id for p in decision.parts]
        kept = facts.parts_progress(decision.id, part_ids, today=day)
        whole = facts.states_where(Recommendation.part_id.in_(part_ids), today=day)
        for part in decision.parts:
            expected = [(rec.id, _comparable(whole[rec.id])) for rec in sorted(
                part.recommendations, key=lambda r: (r.position, r.id))
                if whole[rec.id] is not None]
            found = kept[part.id]
            assert [(row.rec.id, _comparable(row.state)) for row in found.rows] == expected
            assert found.total == progress.rollup(whole[rid] for rid, _ in expected)
            checked += len(expected)
            if part.id == built.parts["a"].id:
                shown_in_a = [row.rec.id for row in found.rows]
    assert checked >= 5 and extra.id in shown_in_a and gone.id not in shown_in_a
