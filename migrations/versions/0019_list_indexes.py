"""Indexes for the lists: schools by name (in_scope, name, urn), so the schools list's page
(in scope, by name then URN, 25 at a time) is read in order instead of sorting every school
in scope for each page; and actions by current due date with their status, recommendation
and withdrawal (current_due_on, status, recommendation_id, withdrawn_at), so the
recommendations list's "only with an overdue action" is answered from the index alone

Revision ID: 0019_list_indexes
Revises: 0018_live_stored_reports
Create Date: 2026-12-07 05:30:00

"""
from alembic import op

revision = "0019_list_indexes"
down_revision = "0018_live_stored_reports"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_schools_in_scope_name", "schools", ["in_scope", "name", "urn"])
    op.create_index("ix_actions_overdue", "actions",
                    ["current_due_on", "status", "recommendation_id", "withdrawn_at"])


def downgrade():
    op.drop_index("ix_actions_overdue", table_name="actions")
    op.drop_index("ix_schools_in_scope_name", table_name="schools")
