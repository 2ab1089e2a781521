"""Figures kept on write: each action's latest update (id and time) beside its kept status, RAG
and current due date, all recomputed from the history by the rules (data backfill)

Revision ID: 0007_kept_figures
Revises: 0006_form_tokens
Create Date: 2026-12-06 20:30:00

"""
from alembic import op
import sqlalchemy as sa

revision = "0007_kept_figures"
down_revision = "0006_form_tokens"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("latest_update_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("latest_update_at", sa.DateTime(timezone=True),
                                      nullable=True))
    # The backfill: every action's kept figures from its every update, by the same rule the
    # progress-update service keeps them with (tracker.progress via tracker.recommendations.kept).
    from tracker.recommendations import kept
    kept.refresh(op.get_bind())


def downgrade():
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.drop_column("latest_update_at")
        batch_op.drop_column("latest_update_id")
