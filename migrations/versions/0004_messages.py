"""Messages: the outbox, people's digest settings, reminder intervals, update rounds

Revision ID: 0004_messages
Revises: 0003_pending_uploads
Create Date: 2026-12-06 04:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = "0004_messages"
down_revision = "0003_pending_uploads"
branch_labels = None
depends_on = None

KINDS = ("invitation", "password_reset", "round_request", "round_reminder", "digest",
         "escalation_action", "escalation_response", "school_reminder", "challenge_answered")
STATUSES = ("queued", "claimed", "sending", "sent", "failed")


def _in(column, values):
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def upgrade():
    op.create_table(
        "messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=True),
        sa.Column("to_address", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("personalisation", sa.JSON(), nullable=False),
        sa.Column("dedupe_key", sa.String(length=200), nullable=True),
        sa.Column("secret_link", sa.String(length=500), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claim_token", sa.String(length=64), nullable=True),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("transport", sa.String(length=20), nullable=True),
        sa.Column("provider_reference", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resent_from_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(_in("kind", KINDS), name=op.f("ck_messages_kind")),
        sa.CheckConstraint(_in("status", STATUSES), name=op.f("ck_messages_status")),
        sa.ForeignKeyConstraint(["recipient_id"], ["users.id"],
                                name=op.f("fk_messages_recipient_id_users")),
        sa.ForeignKeyConstraint(["resent_from_id"], ["messages.id"],
                                name=op.f("fk_messages_resent_from_id_messages")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messages")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_messages_dedupe_key")),
    )
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.create_index("ix_messages_status_next_attempt_at",
                              ["status", "next_attempt_at"], unique=False)
        batch_op.create_index("ix_messages_recipient_id_created_at",
                              ["recipient_id", "created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_messages_claim_token"), ["claim_token"],
                              unique=False)

    op.create_table(
        "message_settings",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("digest_frequency", sa.String(length=10), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("digest_frequency IN ('weekly', 'daily')",
                           name=op.f("ck_message_settings_digest_frequency")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_message_settings_user_id_users")),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_message_settings")),
    )
    op.create_table(
        "reminder_schedules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_reminder_days", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"],
                                name=op.f("fk_reminder_schedules_updated_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_schedules")),
    )
    op.create_table(
        "update_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("committee", sa.String(length=200), nullable=False),
        sa.Column("meeting_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("reminder_days", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("reminder_days > 0",
                           name=op.f("ck_update_rounds_reminder_days_positive")),
        sa.ForeignKeyConstraint(["opened_by_id"], ["users.id"],
                                name=op.f("fk_update_rounds_opened_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_update_rounds")),
    )
    with op.batch_alter_table("update_rounds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_update_rounds_meeting_on"), ["meeting_on"],
                              unique=False)
    op.create_table(
        "update_round_decisions",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["decision_id"], ["decisions.id"],
                                name=op.f("fk_update_round_decisions_decision_id_decisions")),
        sa.ForeignKeyConstraint(["round_id"], ["update_rounds.id"],
                                name=op.f("fk_update_round_decisions_round_id_update_rounds")),
        sa.PrimaryKeyConstraint("round_id", "decision_id",
                                name=op.f("pk_update_round_decisions")),
    )
    op.create_table(
        "round_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["action_id"], ["actions.id"],
                                name=op.f("fk_round_items_action_id_actions")),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"],
                                name=op.f("fk_round_items_owner_id_users")),
        sa.ForeignKeyConstraint(["round_id"], ["update_rounds.id"],
                                name=op.f("fk_round_items_round_id_update_rounds")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_round_items")),
        sa.UniqueConstraint("round_id", "action_id", name=op.f("uq_round_items_round_id_action_id")),
    )
    with op.batch_alter_table("round_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_round_items_action_id"), ["action_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_round_items_owner_id"), ["owner_id"], unique=False)


def downgrade():
    op.drop_table("round_items")
    op.drop_table("update_round_decisions")
    op.drop_table("update_rounds")
    op.drop_table("reminder_schedules")
    op.drop_table("message_settings")
    op.drop_table("messages")
