"""Committee reports as at a day not yet over (today's) stored too, while nothing at all has
been written since they were built: ``live_on``, the London day such a report was built on
(empty for a report of a day that is over), so those of earlier days are deleted

Revision ID: 0018_live_stored_reports
Revises: 0017_action_completed_at
Create Date: 2026-12-07 05:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0018_live_stored_reports"
down_revision = "0017_action_completed_at"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("stored_reports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("live_on", sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table("stored_reports", schema=None) as batch_op:
        batch_op.drop_column("live_on")
