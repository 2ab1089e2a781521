"""Schools listed by name: an index on (in_scope, name, urn), so the schools list's page (in
scope, by name then URN, 25 at a time) is read in order from the index instead of sorting
every school in scope for each page

Revision ID: 0018_schools_by_name
Revises: 0017_action_completed_at
Create Date: 2026-12-07 05:30:00

"""
from alembic import op

revision = "0018_schools_by_name"
down_revision = "0017_action_completed_at"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_schools_in_scope_name", "schools", ["in_scope", "name", "urn"])


def downgrade():
    op.drop_index("ix_schools_in_scope_name", table_name="schools")
