"""Figures kept on write: each action's latest update (id and time) beside its kept status, RAG
and current due date, all recomputed from the history by the rules (data backfill); weekly
adoption and action figures of closed weeks (filled as pages ask for them)

Revision ID: 0007_kept_figures
Revises: 0011_jobs
Create Date: 2026-12-06 20:30:00

"""
from alembic import op
import sqlalchemy as sa

revision = "0007_kept_figures"
down_revision = "0011_jobs"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("latest_update_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("latest_update_at", sa.DateTime(timezone=True),
                                      nullable=True))
    op.create_table(
        "adoption_weeks",
        sa.Column("guidance_version_id", sa.Integer(), nullable=False),
        sa.Column("week_ending", sa.Date(), nullable=False),
        sa.Column("adopted", sa.Integer(), nullable=False),
        sa.Column("counted", sa.Integer(), nullable=False),
        sa.Column("events_through", sa.Integer(), nullable=False),
        sa.Column("schools_through", sa.Integer(), nullable=False),
        sa.Column("audit_through", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["guidance_version_id"], ["guidance_versions.id"],
                                name=op.f("fk_adoption_weeks_guidance_version_id_guidance_versions")),
        sa.PrimaryKeyConstraint("guidance_version_id", "week_ending", name=op.f("pk_adoption_weeks")),
    )
    op.create_table(
        "action_weeks",
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("week_ending", sa.Date(), nullable=False),
        sa.Column("complete", sa.Integer(), nullable=False),
        sa.Column("counted", sa.Integer(), nullable=False),
        sa.Column("updates_through", sa.Integer(), nullable=False),
        sa.Column("responses_through", sa.Integer(), nullable=False),
        sa.Column("actions_through", sa.Integer(), nullable=False),
        sa.Column("recommendations_through", sa.Integer(), nullable=False),
        sa.Column("audit_through", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["decision_id"], ["decisions.id"],
                                name=op.f("fk_action_weeks_decision_id_decisions")),
        sa.PrimaryKeyConstraint("decision_id", "week_ending", name=op.f("pk_action_weeks")),
    )
    # The backfill: every action's kept figures from its every update, by the same rule the
    # progress-update service keeps them with (tracker.progress via tracker.recommendations.kept).
    # Only the figures of this revision: later ones' columns do not exist yet.
    from tracker.recommendations import kept
    kept.refresh(op.get_bind(), fields=("status", "rag", "current_due_on", "latest_update_id",
                                        "latest_update_at"))


def downgrade():
    op.drop_table("action_weeks")
    op.drop_table("adoption_weeks")
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.drop_column("latest_update_at")
        batch_op.drop_column("latest_update_id")
