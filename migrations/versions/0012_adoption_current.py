"""Adoption kept on write: each adoption's latest event (id and time) and its status, recomputed
from the history by the rules (data backfill), so the adoption figure as at today is a plain
count

Revision ID: 0012_adoption_current
Revises: 0014_ageing_points
Create Date: 2026-12-06 23:20:00

"""
from alembic import op
import sqlalchemy as sa

revision = "0012_adoption_current"
down_revision = "0014_ageing_points"
branch_labels = None
depends_on = None


def upgrade():
    # Columns added in place (no table copy on SQLite: ``adoptions`` has no search triggers).
    with op.batch_alter_table("adoptions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("latest_status", sa.String(length=20), nullable=False,
                                      server_default="not_started"))
        batch_op.add_column(sa.Column("latest_event_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("latest_event_at", sa.DateTime(timezone=True),
                                      nullable=True))
    # The backfill: every adoption's kept figures from its every event, by the same rule the
    # writer of adoption events keeps them with (tracker.progress via tracker.schools.kept).
    from tracker.schools import kept
    kept.refresh(op.get_bind())


def downgrade():
    # In place too (SQLite 3.35 drops a column itself): a batch copy of ``adoptions`` would
    # drop the table its events refer to, which SQLite's foreign keys refuse.
    for column in ("latest_event_at", "latest_event_id", "latest_status"):
        op.drop_column("adoptions", column)
