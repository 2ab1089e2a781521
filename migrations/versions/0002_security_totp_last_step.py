"""Security: remember the last accepted TOTP time step, so no code is accepted twice

Revision ID: 0002_security_totp_last_step
Revises: 0001_domain
Create Date: 2026-11-30 10:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = "0002_security_totp_last_step"
down_revision = "0001_domain"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("totp_last_step", sa.BigInteger(), nullable=True))


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("totp_last_step")
