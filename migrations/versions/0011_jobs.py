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


def upgrade():
    _message_kinds(NEW_KINDS)


def downgrade():
    op.execute("DELETE FROM messages WHERE kind = 'sign_in_slowed'")
    _message_kinds(OLD_KINDS)
