"""Each recommendation's roll-up kept on write (label, RAG entered of its open actions,
counted and complete actions, earliest open due date, response, timetable date, impact review
date and confirmed impact), backfilled from every history by the rules

Revision ID: 0013_recommendation_rollup
Revises: 0015_partner_messages
Create Date: 2026-12-06 23:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0013_recommendation_rollup"
down_revision = "0015_partner_messages"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "recommendation_rollups",
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.Column("shown", sa.Boolean(), nullable=False),
        sa.Column("label", sa.String(length=30), nullable=True),
        sa.Column("rag", sa.String(length=10), nullable=True),
        sa.Column("counted_actions", sa.Integer(), nullable=False),
        sa.Column("complete_actions", sa.Integer(), nullable=False),
        sa.Column("open_due_on", sa.Date(), nullable=True),
        sa.Column("response", sa.String(length=30), nullable=True),
        sa.Column("timetable_due_on", sa.Date(), nullable=True),
        sa.Column("review_on", sa.Date(), nullable=True),
        sa.Column("confirmed_impact", sa.String(length=30), nullable=True),
        sa.ForeignKeyConstraint(["recommendation_id"], ["recommendations.id"],
                                name=op.f("fk_recommendation_rollups_recommendation_id_recommendations")),
        sa.PrimaryKeyConstraint("recommendation_id", name=op.f("pk_recommendation_rollups")),
    )
    # The backfill: every recommendation's roll-up from its whole history, by the same rule
    # the writes keep it with (tracker.progress.recorded_state via tracker.recommendations.rollups).
    from tracker.recommendations import rollups
    rollups.refresh(op.get_bind())


def downgrade():
    op.drop_table("recommendation_rollups")
