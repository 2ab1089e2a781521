"""Uploads awaiting confirmation kept in the database, so any host can confirm a preview

Revision ID: 0003_pending_uploads
Revises: 0002_security_totp_last_step
Create Date: 2026-12-06 04:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = "0003_pending_uploads"
down_revision = "0002_security_totp_last_step"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('pending_uploads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_pending_uploads_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pending_uploads')),
    sa.UniqueConstraint('token', name=op.f('uq_pending_uploads_token'))
    )
    with op.batch_alter_table('pending_uploads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pending_uploads_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pending_uploads_created_at'), ['created_at'], unique=False)

    op.create_table('pending_upload_chunks',
    sa.Column('upload_id', sa.Integer(), nullable=False),
    sa.Column('part', sa.String(length=40), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['upload_id'], ['pending_uploads.id'], name=op.f('fk_pending_upload_chunks_upload_id_pending_uploads'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('upload_id', 'part', 'seq', name=op.f('pk_pending_upload_chunks'))
    )


def downgrade():
    op.drop_table('pending_upload_chunks')
    with op.batch_alter_table('pending_uploads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pending_uploads_created_at'))
        batch_op.drop_index(batch_op.f('ix_pending_uploads_user_id'))
    op.drop_table('pending_uploads')
