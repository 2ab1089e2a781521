"""Committee reports for past dates stored once built (the page's report body and each
download), keyed by what they show, served while nothing recorded since reaches back into
their date (tracker.dashboard.stored)

Revision ID: 0016_stored_reports
Revises: 0013_recommendation_rollup
Create Date: 2026-12-07 02:30:00

"""
from alembic import op
import sqlalchemy as sa

revision = "0016_stored_reports"
down_revision = "0013_recommendation_rollup"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "stored_reports",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("as_at", sa.Date(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("through", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_read_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_stored_reports")),
    )
    op.create_index(op.f("ix_stored_reports_last_read_at"), "stored_reports",
                    ["last_read_at"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_stored_reports_last_read_at"), table_name="stored_reports")
    op.drop_table("stored_reports")
