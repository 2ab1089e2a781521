"""Refusals counted per user, so the audit trail records a flood of them by count

Revision ID: 0005_refusal_tallies
Revises: 0004_messages
Create Date: 2026-12-06 04:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = "0005_refusal_tallies"
down_revision = "0004_messages"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "refusal_tallies",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("window_started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("refusals", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_refusal_tallies_user_id_users")),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_refusal_tallies")),
    )


def downgrade():
    op.drop_table("refusal_tallies")
