"""Each action's completion moment kept on write beside its other kept figures (when the first
update of its last unbroken run of "complete" updates was recorded), backfilled from every
history by the rules

Revision ID: 0017_action_completed_at
Revises: 0016_stored_reports
Create Date: 2026-12-07 03:10:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0017_action_completed_at"
down_revision = "0016_stored_reports"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("completed_at", sa.DateTime(timezone=True),
                                      nullable=True))
    # The backfill: every action's completion moment from its every update, by the same rule
    # the progress-update service keeps it with (tracker.progress.completed_at via
    # tracker.recommendations.kept).
    from tracker.recommendations import kept
    kept.refresh(op.get_bind(), fields=("completed_at",))


def downgrade():
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.drop_column("completed_at")
