"""Partner agencies: organisations with their people and named lead; actions and
recommendations owned by a person or an organisation; the partner officer role

Revision ID: 0010_agencies
Revises: 0009_themes
Create Date: 2026-12-06 20:10:00

"""
from alembic import op
import sqlalchemy as sa

revision = "0010_agencies"
down_revision = "0009_themes"
branch_labels = None
depends_on = None

OLD_ROLES = "role IN ('admin', 'officer', 'member', 'school_lead')"
NEW_ROLES = "role IN ('admin', 'officer', 'member', 'school_lead', 'partner_officer')"
ONE_OWNER = "owner_id IS NULL OR owner_organisation_id IS NULL"


def _search_triggers(tables: tuple[str, ...]) -> list[str]:
    """SQLite: the search index's triggers on ``tables`` (0009_themes), which a batch
    alteration drops with the table it copies; each migration that copies one of the indexed
    tables puts them back."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "themes_0009", Path(__file__).with_name("0009_themes.py"))
    assert spec is not None and spec.loader is not None  # nosec B101
    themes = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(themes)
    out: list[str] = []
    for kind in themes.KINDS:
        if kind.table in tables:
            out += [f"DROP TRIGGER IF EXISTS {themes.TABLE}_{kind.table}_{event}"
                    for event in ("insert", "update", "delete")]
            out += themes._sqlite_triggers(kind)
    return out


def _restore_search_triggers() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in _search_triggers(("actions", "recommendations")):
            op.execute(statement)


def upgrade():
    op.create_table(
        "organisations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("kind IN ('council_service', 'police', 'health', 'school', 'voluntary')",
                           name=op.f("ck_organisations_kind")),
        sa.ForeignKeyConstraint(["lead_id"], ["users.id"],
                                name=op.f("fk_organisations_lead_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisations")),
        sa.UniqueConstraint("name", name=op.f("uq_organisations_name")),
    )
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_organisations_lead_id"), ["lead_id"], unique=False)

    op.create_table(
        "organisation_members",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"],
                                name=op.f("fk_organisation_members_organisation_id_organisations")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_organisation_members_user_id_users")),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_organisation_members")),
    )
    with op.batch_alter_table("organisation_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_organisation_members_organisation_id"),
                              ["organisation_id"], unique=False)

    for table in ("actions", "recommendations"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("owner_organisation_id", sa.Integer(), nullable=True))
            batch_op.create_index(batch_op.f(f"ix_{table}_owner_organisation_id"),
                                  ["owner_organisation_id"], unique=False)
            batch_op.create_foreign_key(
                batch_op.f(f"fk_{table}_owner_organisation_id_organisations"),
                "organisations", ["owner_organisation_id"], ["id"])
            batch_op.create_check_constraint(
                batch_op.f(f"ck_{table}_person_or_organisation_owns"), ONE_OWNER)

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_users_role"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_users_role"), NEW_ROLES)
    _restore_search_triggers()


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_users_role"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_users_role"), OLD_ROLES)
    for table in ("recommendations", "actions"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f"ck_{table}_person_or_organisation_owns"),
                                     type_="check")
            batch_op.drop_constraint(batch_op.f(f"fk_{table}_owner_organisation_id_organisations"),
                                     type_="foreignkey")
            batch_op.drop_index(batch_op.f(f"ix_{table}_owner_organisation_id"))
            batch_op.drop_column("owner_organisation_id")
    _restore_search_triggers()
    with op.batch_alter_table("organisation_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisation_members_organisation_id"))
    op.drop_table("organisation_members")
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisations_lead_id"))
    op.drop_table("organisations")
