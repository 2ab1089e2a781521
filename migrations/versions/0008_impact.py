"""Outcome and impact: intended outcome and measure, the closing history of each
recommendation (sign-off, superseded, risk accepted, withdrawn, re-opened, sign-off undone,
review date) and impact reviews with their evidence links. Each sign-off already recorded
becomes the first row of its recommendation's closing history.

Revision ID: 0008_impact
Revises: 0007_kept_figures
Create Date: 2026-12-06 20:06:56

"""
from alembic import op
import sqlalchemy as sa


revision = "0008_impact"
down_revision = "0007_kept_figures"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('impact_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('narrative', sa.Text(), nullable=False),
    sa.Column('judgement', sa.String(length=20), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("judgement IN ('evidenced', 'partly_evidenced', 'not_evidenced')", name=op.f('ck_impact_reviews_judgement')),
    sa.CheckConstraint('(confirmed_at IS NULL) = (confirmed_by_id IS NULL)', name=op.f('ck_impact_reviews_confirmed_by_whom')),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['users.id'], name=op.f('fk_impact_reviews_confirmed_by_id_users')),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'], name=op.f('fk_impact_reviews_recommendation_id_recommendations')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_impact_reviews_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_impact_reviews'))
    )
    with op.batch_alter_table('impact_reviews', schema=None) as batch_op:
        batch_op.create_index('ix_impact_reviews_recommendation_id_recorded_at', ['recommendation_id', 'recorded_at'], unique=False)

    op.create_table('recommendation_closures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('meeting', sa.String(length=200), nullable=True),
    sa.Column('minute', sa.String(length=100), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('superseded_by_id', sa.Integer(), nullable=True),
    sa.Column('risk_accepted_by', sa.String(length=200), nullable=True),
    sa.Column('review_on', sa.Date(), nullable=True),
    sa.CheckConstraint("kind <> 'review_date_set' OR review_on IS NOT NULL", name=op.f('ck_recommendation_closures_review_date_given')),
    sa.CheckConstraint("kind <> 'risk_accepted' OR (risk_accepted_by IS NOT NULL AND risk_accepted_by <> '')", name=op.f('ck_recommendation_closures_risk_accepted_by_whom')),
    sa.CheckConstraint("kind <> 'superseded' OR superseded_by_id IS NOT NULL", name=op.f('ck_recommendation_closures_superseded_by_which')),
    sa.CheckConstraint("kind IN ('signed_off', 'review_date_set') OR (reason IS NOT NULL AND reason <> '')", name=op.f('ck_recommendation_closures_reason_unless_signed_off')),
    sa.CheckConstraint("kind IN ('signed_off', 'superseded', 'risk_accepted', 'withdrawn', 'reopened', 'sign_off_undone', 'review_date_set')", name=op.f('ck_recommendation_closures_kind')),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'], name=op.f('fk_recommendation_closures_recommendation_id_recommendations')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_recommendation_closures_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['superseded_by_id'], ['recommendations.id'], name=op.f('fk_recommendation_closures_superseded_by_id_recommendations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendation_closures'))
    )
    with op.batch_alter_table('recommendation_closures', schema=None) as batch_op:
        batch_op.create_index('ix_recommendation_closures_recommendation_id_recorded_at', ['recommendation_id', 'recorded_at'], unique=False)

    op.create_table('impact_evidence_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=False),
    sa.CheckConstraint("url LIKE 'http://%' OR url LIKE 'https://%'", name=op.f('ck_impact_evidence_links_http_or_https')),
    sa.ForeignKeyConstraint(['review_id'], ['impact_reviews.id'], name=op.f('fk_impact_evidence_links_review_id_impact_reviews')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_impact_evidence_links'))
    )
    with op.batch_alter_table('impact_evidence_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_impact_evidence_links_review_id'), ['review_id'], unique=False)

    with op.batch_alter_table('recommendations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('intended_outcome', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('how_measured', sa.Text(), nullable=True))

    # each sign-off recorded so far is the first step of its closing history
    op.execute(
        "INSERT INTO recommendation_closures (recommendation_id, kind, recorded_at, "
        "recorded_by_id, meeting, minute) "
        "SELECT id, 'signed_off', signed_off_at, signed_off_by_id, sign_off_meeting, "
        "sign_off_minute FROM recommendations WHERE signed_off_at IS NOT NULL")


def downgrade():
    with op.batch_alter_table('recommendations', schema=None) as batch_op:
        batch_op.drop_column('how_measured')
        batch_op.drop_column('intended_outcome')

    with op.batch_alter_table('impact_evidence_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_impact_evidence_links_review_id'))

    op.drop_table('impact_evidence_links')
    with op.batch_alter_table('recommendation_closures', schema=None) as batch_op:
        batch_op.drop_index('ix_recommendation_closures_recommendation_id_recorded_at')

    op.drop_table('recommendation_closures')
    with op.batch_alter_table('impact_reviews', schema=None) as batch_op:
        batch_op.drop_index('ix_impact_reviews_recommendation_id_recorded_at')

    op.drop_table('impact_reviews')
