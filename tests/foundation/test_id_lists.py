"""A list of ids in a condition (tracker/id_lists.py): the same rows as ``IN`` and ``NOT IN``
on both databases, for no id, one and many (some absent); on PostgreSQL one parameter however
long the list, so the statement is the same text for every length."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from tracker.extensions import db
from tracker.id_lists import among, not_among
from tracker.models import Decision


@pytest.mark.parametrize("pick", [[], [0], [0, 2, 4], list(range(8))])
def test_among_and_not_among_find_what_in_and_not_in_find(db_session, make, pick):
    ids = [make.decision(title=f"Decision {n}").id for n in range(8)]
    db_session.flush()
    wanted = [ids[n] for n in pick] + [max(ids) + 100]   # one that is not there

    def found(condition):
        return sorted(db.session.scalars(sa.select(Decision.id).where(condition)))

    assert found(among(Decision.id, wanted)) == found(Decision.id.in_(wanted)) \
        == sorted(ids[n] for n in pick)
    assert found(not_among(Decision.id, wanted)) == found(Decision.id.not_in(wanted)) \
        == sorted(set(ids) - set(wanted))
    assert found(among(Decision.id, [])) == []
    assert found(not_among(Decision.id, [])) == sorted(ids)


def test_a_list_is_one_parameter_on_postgresql(db_session, make):
    statements: list[str] = []

    def note(_conn, _cursor, statement, *_):
        if statement.startswith("SELECT"):
            statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", note)
    try:
        for ids in ([1], list(range(1, 400))):
            db.session.execute(sa.select(Decision.id).where(among(Decision.id, ids))).all()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", note)
    if db.engine.dialect.name == "postgresql":
        assert statements[0] == statements[1] and "ANY" in statements[0]
    else:
        assert statements[1].count("?") > statements[0].count("?")
