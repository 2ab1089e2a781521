"""Organisations reached by update rounds (a round item is owned by a person or by an
organisation, whose partner officers are asked); message kinds for the impact review
reminder and its escalation

Revision ID: 0015_partner_messages
Revises: 0012_adoption_current
Create Date: 2026-12-06 23:20:00

"""
from alembic import op
import sqlalchemy as sa

revision = "0015_partner_messages"
down_revision = "0012_adoption_current"
branch_labels = None
depends_on = None

OLD_KINDS = ("invitation", "password_reset", "round_request", "round_reminder", "digest",
             "escalation_action", "escalation_response", "school_reminder", "challenge_answered",
             "sign_in_slowed")
NEW_KINDS = OLD_KINDS + ("impact_review", "escalation_impact")
ONE_OWNER = "(owner_id IS NULL) <> (owner_organisation_id IS NULL)"


def _in(column, values):
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def _message_kinds(kinds):
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_messages_kind"), type_="check")
        batch_op.create_check_constraint("kind", _in("kind", kinds))


def upgrade():
    _message_kinds(NEW_KINDS)
    with op.batch_alter_table("round_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner_organisation_id", sa.Integer(), nullable=True))
        batch_op.alter_column("owner_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(batch_op.f("ix_round_items_owner_organisation_id"),
                              ["owner_organisation_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_round_items_owner_organisation_id_organisations"),
            "organisations", ["owner_organisation_id"], ["id"])
        batch_op.create_check_constraint(
            batch_op.f("ck_round_items_person_or_organisation_asked"), ONE_OWNER)


def downgrade():
    # Items asked of an organisation have no person to fall back on: they go with the column.
    op.execute("DELETE FROM round_items WHERE owner_id IS NULL")
    with op.batch_alter_table("round_items", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_round_items_person_or_organisation_asked"),
                                 type_="check")
        batch_op.drop_constraint(
            batch_op.f("fk_round_items_owner_organisation_id_organisations"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_round_items_owner_organisation_id"))
        batch_op.drop_column("owner_organisation_id")
        batch_op.alter_column("owner_id", existing_type=sa.Integer(), nullable=False)
    op.execute("DELETE FROM messages WHERE kind IN ('impact_review', 'escalation_impact')")
    _message_kinds(OLD_KINDS)
