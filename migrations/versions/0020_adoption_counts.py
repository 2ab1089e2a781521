"""Adoption counted by guidance version, phase and status, kept on write (the schools in scope
and never recorded closed, by their adoption's kept status), filled from the schools and
adoptions there are; indexes to find the few schools whose counting the day decides

Revision ID: 0020_adoption_counts
Revises: 0019_list_indexes
Create Date: 2026-12-07 05:50:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0020_adoption_counts"
down_revision = "0019_list_indexes"
branch_labels = None
depends_on = None

# The counts of this revision (tracker.schools.counts.contribution over every school), in
# SQL: this migration does not import the app's code, which may change after it.
FILL = """
INSERT INTO adoption_counts (guidance_version_id, no_phase, phase, status, schools)
SELECT v.id, s.phase IS NULL, COALESCE(s.phase, ''),
       COALESCE(a.latest_status, 'not_started'), COUNT(*)
FROM schools AS s
CROSS JOIN guidance_versions AS v
LEFT OUTER JOIN adoptions AS a ON a.school_id = s.id AND a.guidance_version_id = v.id
WHERE s.in_scope = :yes AND s.closed_recorded_at IS NULL
GROUP BY v.id, s.phase IS NULL, COALESCE(s.phase, ''), COALESCE(a.latest_status, 'not_started')
"""


def upgrade():
    op.create_table(
        "adoption_counts",
        sa.Column("guidance_version_id", sa.Integer(), nullable=False),
        sa.Column("no_phase", sa.Boolean(), nullable=False),
        sa.Column("phase", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("schools", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["guidance_version_id"], ["guidance_versions.id"],
                                name=op.f("fk_adoption_counts_guidance_version_id_guidance_versions")),
        sa.PrimaryKeyConstraint("guidance_version_id", "no_phase", "phase", "status",
                                name=op.f("pk_adoption_counts")),
    )
    op.create_index("ix_schools_open_date", "schools", ["open_date"])
    op.create_index("ix_schools_created_at", "schools", ["created_at"])
    op.create_index("ix_schools_closed_recorded_at", "schools", ["closed_recorded_at"])
    op.create_index("ix_adoptions_guidance_version_id_latest_event_at", "adoptions",
                    ["guidance_version_id", "latest_event_at"])
    op.get_bind().execute(sa.text(FILL).bindparams(sa.bindparam("yes", True, sa.Boolean())))


def downgrade():
    op.drop_index("ix_adoptions_guidance_version_id_latest_event_at", table_name="adoptions")
    op.drop_index("ix_schools_closed_recorded_at", table_name="schools")
    op.drop_index("ix_schools_created_at", table_name="schools")
    op.drop_index("ix_schools_open_date", table_name="schools")
    op.drop_table("adoption_counts")
