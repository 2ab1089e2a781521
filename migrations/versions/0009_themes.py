"""Themes of learning, links between recommendations that repeat or relate, and the
full-text search index kept in step by triggers (docs/search-and-themes.md)

Revision ID: 0009_themes
Revises: 0006_form_tokens
Create Date: 2026-12-06 20:02:06.381276

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_themes'
down_revision = '0006_form_tokens'
branch_labels = None
depends_on = None


def upgrade():
    
    op.create_table('themes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_reason', sa.String(length=500), nullable=True),
    sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
    sa.Column('is_example', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['withdrawn_by_id'], ['users.id'], name=op.f('fk_themes_withdrawn_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_themes'))
    )
    op.create_table('recommendation_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('earlier_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('linked_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_reason', sa.String(length=500), nullable=True),
    sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('repeats', 'related')", name=op.f('ck_recommendation_links_kind')),
    sa.CheckConstraint('recommendation_id <> earlier_id', name=op.f('ck_recommendation_links_not_itself')),
    sa.ForeignKeyConstraint(['earlier_id'], ['recommendations.id'], name=op.f('fk_recommendation_links_earlier_id_recommendations')),
    sa.ForeignKeyConstraint(['linked_by_id'], ['users.id'], name=op.f('fk_recommendation_links_linked_by_id_users')),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'], name=op.f('fk_recommendation_links_recommendation_id_recommendations')),
    sa.ForeignKeyConstraint(['withdrawn_by_id'], ['users.id'], name=op.f('fk_recommendation_links_withdrawn_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendation_links'))
    )
    with op.batch_alter_table('recommendation_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recommendation_links_earlier_id'), ['earlier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recommendation_links_recommendation_id'), ['recommendation_id'], unique=False)

    op.create_table('recommendation_themes',
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'], name=op.f('fk_recommendation_themes_recommendation_id_recommendations')),
    sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], name=op.f('fk_recommendation_themes_theme_id_themes')),
    sa.PrimaryKeyConstraint('recommendation_id', 'theme_id', name=op.f('pk_recommendation_themes'))
    )
    with op.batch_alter_table('recommendation_themes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recommendation_themes_theme_id'), ['theme_id'], unique=False)

    


def downgrade():
    
    with op.batch_alter_table('recommendation_themes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recommendation_themes_theme_id'))

    op.drop_table('recommendation_themes')
    with op.batch_alter_table('recommendation_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recommendation_links_recommendation_id'))
        batch_op.drop_index(batch_op.f('ix_recommendation_links_earlier_id'))

    op.drop_table('recommendation_links')
    op.drop_table('themes')
    
