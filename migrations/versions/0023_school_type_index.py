"""An index on schools by type, so the schools list's type choices are read a value at a
time from the index (each the least type after the one before), as its phase choices are
from ix_schools_phase, not by reading every school

Revision ID: 0023_school_type_index
Revises: 0022_action_owner_index
Create Date: 2026-12-07 16:30:00

"""
from alembic import op

revision = "0023_school_type_index"
down_revision = "0022_action_owner_index"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_schools_type_name", "schools", ["type_name"])


def downgrade():
    op.drop_index("ix_schools_type_name", table_name="schools")
