"""Lists load in a fixed number of queries, however many rows (no N+1)."""
from __future__ import annotations

import contextlib

import sqlalchemy as sa

from tests.recommendations.conftest import as_user
from tracker.extensions import db


@contextlib.contextmanager
def counted():
    statements: list[str] = []

    def count(conn, cursor, statement, *args):  # noqa: ANN001
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def _grow(make, world, n):
    for i in range(n):
        rec = make.recommendation(world.part, reference=f"N{i}", owner=world.owner)
        for j in range(3):
            action = make.action(rec, owner=world.other)
            make.update(action, status="in_progress", rag="amber")
    db.session.expire_all()


def _queries(client, url):
    with counted() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_list_and_pages_do_not_query_per_row(client, world, make):
    as_user(client, world.admin)
    urls = ["/recommendations", "/recommendations?status=amber", "/executive-responses",
            "/my-actions", f"/recommendations/{world.rec.id}"]
    _grow(make, world, 2)
    few = {url: _queries(client, url) for url in urls}
    _grow(make, world, 12)
    many = {url: _queries(client, url) for url in urls}
    assert many == few
