"""Migrations are the only way the schema changes: one head, no drift, named constraints."""
from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from tests.conftest import make_app
from tracker.extensions import db
from tracker.models import Base

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def test_one_head():
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, f"migrations have {len(heads)} heads: {heads}"


def test_upgrade_from_empty_matches_the_models(app, db_session):
    """The session's database was built by `flask db upgrade` from empty: no drift."""
    connection = db_session.connection()
    context = MigrationContext.configure(connection, opts={
        "compare_type": True, "render_as_batch": True,
        # The full-text search index is the migration's own, kept by triggers, not a model
        # (docs/search-and-themes.md); on SQLite FTS5 adds its shadow tables beside it.
        "include_name": lambda name, kind, parent: not (
            kind == "table" and (name or "").startswith("search_index"))})
    diff = [d for d in compare_metadata(context, Base.metadata)
            if not (isinstance(d, tuple) and d[0] == "remove_table" and d[1].name == "alembic_version")]
    assert diff == []


def _model_constraints(kind: type) -> set[tuple[str, str]]:
    names = set()
    for table in Base.metadata.sorted_tables:
        for constraint in table.constraints:
            if isinstance(constraint, kind) and constraint.name:
                names.add((table.name, str(constraint.name)))
        if kind is sa.UniqueConstraint:
            for column in table.columns:
                if column.unique:
                    names.add((table.name, f"uq_{table.name}_{column.name}"))
    return names


def test_every_check_constraint_exists_by_name(app, db_session):
    expected = _model_constraints(sa.CheckConstraint)
    assert len(expected) >= 20
    inspector = sa.inspect(db_session.connection())
    found = {(t, c["name"]) for t in inspector.get_table_names()
             for c in inspector.get_check_constraints(t)}
    assert expected - found == set()


def test_every_unique_constraint_exists_by_name(app, db_session):
    expected = _model_constraints(sa.UniqueConstraint)
    assert {("schools", "uq_schools_urn"), ("decisions", "uq_decisions_reference"),
            ("adoptions", "uq_adoptions_school_id_guidance_version_id")} <= expected
    inspector = sa.inspect(db_session.connection())
    found = {(t, c["name"]) for t in inspector.get_table_names()
             for c in inspector.get_unique_constraints(t)}
    assert expected - found == set()


@pytest.mark.parametrize("table,values,constraint", [
    ("users", {"email": "x@example.gov.uk", "name": "X", "role": "superuser", "active": True,
               "session_version": 1, "failed_sign_ins": 0, "totp_enabled": False,
               "is_example": False, "version_id": 1}, "ck_users_role"),
    ("schools", {"urn": 1, "name": "S", "status": "demolished", "in_scope": True,
                 "is_example": False, "version_id": 1}, "ck_schools_status"),
])
def test_check_constraints_refuse_bad_enumerations(db_session, table, values, constraint):
    now = sa.func.now()
    values = values | {"created_at": now, "updated_at": now}
    with pytest.raises(sa.exc.IntegrityError, match=constraint.removeprefix("ck_").split("_")[0]):
        with db_session.begin_nested():
            db_session.execute(sa.insert(Base.metadata.tables[table]).values(**values))


def test_second_school_with_the_same_urn_is_refused(make, db_session):
    make.school(urn=116833)
    with pytest.raises(sa.exc.IntegrityError):
        with db_session.begin_nested():
            make.school(urn=116833)


def test_second_adoption_for_the_same_school_and_version_is_refused(make, db_session):
    adoption = make.adoption()
    with pytest.raises(sa.exc.IntegrityError):
        with db_session.begin_nested():
            make.adoption(school=adoption.school, version=adoption.guidance_version)


def test_sqlite_runs_in_wal_with_a_busy_timeout_and_immediate_transactions(app, database_url):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite settings")
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 15000
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    # A transaction takes the write lock as it begins, so a second writer queues (and,
    # with a short timeout, gives up) at BEGIN instead of failing later mid-transaction.
    impatient = make_app(database_url, SQLITE_BUSY_TIMEOUT_MS=100)
    with impatient.app_context():
        first, second = db.engine.connect(), db.engine.connect()
        try:
            first.begin()
            with pytest.raises(sa.exc.OperationalError, match="locked"):
                second.begin()
        finally:
            first.close()
            second.close()
            db.engine.dispose()
