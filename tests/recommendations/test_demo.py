"""The demo: parts (a), (b) and (d) of the seed decision carry working examples in every
state a person meets, and loading it twice adds nothing."""
from __future__ import annotations

import sqlalchemy as sa

from tracker import progress
from tracker.clock import today
from tracker.demo import load_demo
from tracker.models import Action, Challenge, Decision, ProgressUpdate, Recommendation
from tracker.recommendations import facts


def _counts(db_session):
    return tuple(db_session.scalar(sa.select(sa.func.count()).select_from(m))
                 for m in (Recommendation, Action, ProgressUpdate, Challenge))


def test_demo_examples_cover_every_state_and_load_once(app, db_session):
    load_demo()
    first = _counts(db_session)
    load_demo()
    assert _counts(db_session) == first
    decision = db_session.scalar(sa.select(Decision).where(Decision.reference == "I50035813"))
    parts = {p.label: p for p in decision.parts}
    recs = facts.load(sa.select(Recommendation), facts.PAGE_LOAD)
    assert all(r.is_example for r in recs)
    assert all(a.is_example for r in recs for a in r.actions)
    states = {r.reference: facts.state_of(r, today=today()) for r in recs}
    by_part = {label: {r.reference for r in recs if r.part_id == p.id}
               for label, p in parts.items()}
    assert by_part["a"] and by_part["b"] and by_part["d"]
    labels = {ref: (s.label, s.rag) for ref, s in states.items()}
    assert labels["3.1"] == ("complete", "blue")
    assert labels["3.2"] == ("awaiting_sign_off", "green")
    assert labels["3.3"] == ("in_progress", "red")
    assert labels["3.5"] == ("no_actions", "grey")
    assert labels["SC3"] == ("not_accepted", None)
    assert states["SC2"].response == "partially_accepted"
    assert states["SC/NEW/1"].awaiting_response
    assert {s.rag for s in states.values()} >= {"red", "amber", "green", "grey", "blue"}
    assert sum(s.overdue_actions for s in states.values()) == 1
    referral = [r for r in recs if r.source == "referral"]
    assert referral and referral[0].part_id == parts["d"].id and referral[0].live_actions
    assert db_session.scalar(sa.select(sa.func.count(Challenge.id)).where(
        Challenge.answered_at.is_(None))) == 1
    updates = db_session.scalars(sa.select(ProgressUpdate.recorded_at)).all()
    assert min(u.date() for u in updates).isoformat() == "2020-12-15"
    # "as at" history is real: nothing had started by the end of November 2020
    import datetime as dt
    early = progress.rollup(facts.state_of(r, today=today(), as_at=dt.date(2020, 11, 30))
                            for r in recs)
    assert early.complete_actions == 0 and early.counted_actions == 0


def test_demo_action_cache_agrees_with_the_rules(app, db_session):
    load_demo()
    for action in db_session.scalars(sa.select(Action)):
        state = facts.action_state_of(action, today=today())
        assert (action.status, action.current_due_on) == (state.status, state.current_due_on)
