"""Today's dashboard: each complete action's days to complete and whether it was complete by its
original due date kept on write beside its completion moment, so today's ageing point sums
them in SQL (backfilled from the kept completion moments by the rule of this revision); an
index covering the sums of the kept weekly points by week, and those sums kept per set of
decisions (filled as pages read them)

Revision ID: 0021_dashboard_figures
Revises: 0020_adoption_counts
Create Date: 2026-12-07 05:30:00

"""
import datetime as dt
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision = "0021_dashboard_figures"
down_revision = "0020_adoption_counts"
branch_labels = None
depends_on = None

LONDON = ZoneInfo("Europe/London")
ACTIONS = sa.table(
    "actions", sa.column("id", sa.Integer), sa.column("due_on", sa.Date),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("completed_at", sa.DateTime(timezone=True)),
    sa.column("days_to_complete", sa.Integer), sa.column("completed_by_due", sa.Boolean))


def _london_day(moment: dt.datetime) -> dt.date:
    """The London day of a moment stored in UTC (SQLite hands it back without its zone)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(LONDON).date()


def upgrade():
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("days_to_complete", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("completed_by_due", sa.Boolean(), nullable=True))
    # The backfill, by the rule of this revision (tracker.progress.completion, as
    # tracker.recommendations.kept keeps it): from the London day the action was recorded to
    # the London day of its kept completion moment, never below 0; and whether that day was
    # by its original due date. Actions not complete keep None.
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(ACTIONS.c.id, ACTIONS.c.created_at, ACTIONS.c.due_on, ACTIONS.c.completed_at)
        .where(ACTIONS.c.completed_at.is_not(None))).all()
    values = []
    for action_id, created_at, due_on, completed_at in rows:
        done = _london_day(completed_at)
        values.append({"k_id": action_id,
                       "k_days": max(0, (done - _london_day(created_at)).days),
                       "k_by_due": done <= due_on})
    for start in range(0, len(values), 5000):
        connection.execute(
            ACTIONS.update().where(ACTIONS.c.id == sa.bindparam("k_id")).values(
                days_to_complete=sa.bindparam("k_days"),
                completed_by_due=sa.bindparam("k_by_due")), values[start:start + 5000])
    op.create_table(
        "action_week_sums",
        sa.Column("scope", sa.String(length=64), nullable=False),
        sa.Column("points", sa.JSON(), nullable=False),
        sa.Column("updates_through", sa.Integer(), nullable=False),
        sa.Column("responses_through", sa.Integer(), nullable=False),
        sa.Column("actions_through", sa.Integer(), nullable=False),
        sa.Column("recommendations_through", sa.Integer(), nullable=False),
        sa.Column("audit_through", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("scope", name=op.f("pk_action_week_sums")),
    )
    op.create_index("ix_action_weeks_week_ending", "action_weeks", [
        "week_ending", "decision_id", "complete", "counted", "updates_through",
        "responses_through", "actions_through", "recommendations_through", "audit_through"])


def downgrade():
    op.drop_index("ix_action_weeks_week_ending", table_name="action_weeks")
    op.drop_table("action_week_sums")
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.drop_column("completed_by_due")
        batch_op.drop_column("days_to_complete")
