"""An index to count a recommendation's overdue actions from the index alone (its actions by
status, withdrawn or not, and current due date), as today's pages do beside each kept roll-up

Revision ID: 0018_actions_overdue_index
Revises: 0017_action_completed_at
Create Date: 2026-12-07 05:30:00

"""
from alembic import op

revision = "0018_actions_overdue_index"
down_revision = "0017_action_completed_at"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_actions_recommendation_id_overdue", "actions",
                    ["recommendation_id", "status", "withdrawn_at", "current_due_on"])


def downgrade():
    op.drop_index("ix_actions_recommendation_id_overdue", table_name="actions")
