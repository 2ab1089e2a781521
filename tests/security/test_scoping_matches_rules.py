"""The scoping queries in tracker.permissions are the object-level rules as SQL: for every
role (and a trust lead), the records a list query returns are exactly those the rule lets
the user open, over a world with Open, exempt and withdrawn decisions, a scrutiny
recommendation not yet taken up, and schools of one's own, of one's trust and of others."""
from __future__ import annotations

import sqlalchemy as sa

from tests.security import world as world_module
from tracker import permissions
from tracker.clock import now
from tracker.models import Decision, Recommendation, School


def _people(world, make):  # type: ignore[no-untyped-def]
    trust_school = make.school(name="Trust school", trust_code="TR1")
    trust_lead = make.user(role=permissions.SCHOOL_LEAD, trust_code="TR1", schools=[])
    return {**world.users, "trust_lead": trust_lead}, trust_school


def test_list_queries_return_exactly_what_each_user_may_open(make, db_session):
    world = world_module.build(make)
    gone = make.decision(title="Withdrawn decision", withdrawn_at=now(),
                         withdrawn_reason="Entered twice")
    make.recommendation(make.part(gone))
    make.recommendation(world.part, withdrawn_at=now(), withdrawn_reason="Duplicate")
    people, _ = _people(world, make)
    db_session.flush()
    decisions = db_session.scalars(sa.select(Decision)).all()
    recommendations = db_session.scalars(sa.select(Recommendation)).all()
    schools = db_session.scalars(sa.select(School)).all()
    wrong = []
    for who, user in people.items():
        listed = set(db_session.scalars(permissions.visible_decisions(user)))
        allowed = {d for d in decisions if permissions.can_see_decision(user, d)
                   and not d.is_withdrawn}
        if listed != allowed:
            wrong.append(f"decisions for {who}")
        listed = set(db_session.scalars(permissions.visible_recommendations(
            sa.select(Recommendation), user)))
        allowed = {r for r in recommendations if permissions.can_see_recommendation(user, r)
                   and not r.is_withdrawn}  # withdrawn ones: by their address only
        if listed != allowed:
            wrong.append(f"recommendations for {who}")
        opened = set(db_session.scalars(permissions.openable_recommendations(
            sa.select(Recommendation), user)))
        if opened != {r for r in recommendations if permissions.can_see_recommendation(user, r)}:
            wrong.append(f"recommendations opened by address for {who}")
        listed = set(db_session.scalars(permissions.visible_schools(sa.select(School), user)))
        if listed != {s for s in schools if permissions.can_see_school(user, s)}:
            wrong.append(f"schools for {who}")
    assert not wrong, wrong
    assert len(decisions) == 3 and len(schools) == 3  # the world is what it says
