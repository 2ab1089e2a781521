"""One-time tokens of create forms, so a double submission stores one thing

Revision ID: 0006_form_tokens
Revises: 0005_refusal_tallies
Create Date: 2026-12-06 04:20:00

"""
from alembic import op
import sqlalchemy as sa

revision = "0006_form_tokens"
down_revision = "0005_refusal_tallies"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "form_tokens",
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("result_url", sa.String(length=500), nullable=False),
        sa.Column("spent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_form_tokens_user_id_users")),
        sa.PrimaryKeyConstraint("token", name=op.f("pk_form_tokens")),
    )
    with op.batch_alter_table("form_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_form_tokens_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("form_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_form_tokens_user_id"))
    op.drop_table("form_tokens")
