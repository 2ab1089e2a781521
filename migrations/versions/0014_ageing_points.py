"""Ageing figures kept as days close: each decision's open recommendations and actions by age
band and its complete actions' days taken, as at the end of a month (or a past report's date)
that has ended, filled as pages ask for them (tracker.dashboard.ageing_points)

Revision ID: 0014_ageing_points
Revises: 0010_agencies
Create Date: 2026-12-06 23:20:00

"""
from alembic import op
import sqlalchemy as sa

revision = "0014_ageing_points"
down_revision = "0010_agencies"
branch_labels = None
depends_on = None

_COUNTS = ("recs_under_3", "recs_3_to_6", "recs_6_to_12", "recs_over_12", "actions_under_3",
           "actions_3_to_6", "actions_6_to_12", "actions_over_12", "complete", "days_taken",
           "on_time", "updates_through", "responses_through", "actions_through",
           "recommendations_through", "audit_through")


def upgrade():
    op.create_table(
        "ageing_points",
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("as_at", sa.Date(), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in _COUNTS),
        sa.ForeignKeyConstraint(["decision_id"], ["decisions.id"],
                                name=op.f("fk_ageing_points_decision_id_decisions")),
        sa.PrimaryKeyConstraint("decision_id", "as_at", name=op.f("pk_ageing_points")),
    )


def downgrade():
    op.drop_table("ageing_points")
