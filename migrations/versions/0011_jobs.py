"""Background jobs (a large GIAS preview runs in the worker, its progress in the database);
a message kind telling a person their sign-in was slowed down

Revision ID: 0011_jobs
Revises: 0006_form_tokens
Create Date: 2026-12-06 20:10:00

"""
from alembic import op
import sqlalchemy as sa

revision = "0011_jobs"
down_revision = "0006_form_tokens"
branch_labels = None
depends_on = None

OLD_KINDS = ("invitation", "password_reset", "round_request", "round_reminder", "digest",
             "escalation_action", "escalation_response", "school_reminder", "challenge_answered")
NEW_KINDS = OLD_KINDS + ("sign_in_slowed",)


def _in(column, values):
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def _message_kinds(kinds):
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_messages_kind"), type_="check")
        batch_op.create_check_constraint("kind", _in("kind", kinds))


JOB_KINDS = ("gias_preview",)
JOB_STATUSES = ("queued", "running", "done", "failed")


def upgrade():
    _message_kinds(NEW_KINDS)
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("upload_token", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("phase", sa.String(length=60), nullable=True),
        sa.Column("rows_done", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claim_token", sa.String(length=64), nullable=True),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(_in("kind", JOB_KINDS), name=op.f("ck_jobs_kind")),
        sa.CheckConstraint(_in("status", JOB_STATUSES), name=op.f("ck_jobs_status")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_jobs_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
        sa.UniqueConstraint("token", name=op.f("uq_jobs_token")),
    )
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.create_index("ix_jobs_status_created_at", ["status", "created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_jobs_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_jobs_user_id"))
        batch_op.drop_index("ix_jobs_status_created_at")
    op.drop_table("jobs")
    op.execute("DELETE FROM messages WHERE kind = 'sign_in_slowed'")
    _message_kinds(OLD_KINDS)
