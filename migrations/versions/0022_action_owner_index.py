"""An index on actions by owner and withdrawal (owner_id, withdrawn_at), so whether a person
owns a live action (the lists' owner choices, asked person by person) is answered from the
index alone: PostgreSQL otherwise read every action for each person owning none

Revision ID: 0022_action_owner_index
Revises: 0021_dashboard_figures
Create Date: 2026-12-07 13:50:00

"""
from alembic import op

revision = "0022_action_owner_index"
down_revision = "0021_dashboard_figures"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_actions_owner_id_live", "actions", ["owner_id", "withdrawn_at"])


def downgrade():
    op.drop_index("ix_actions_owner_id_live", table_name="actions")
