"""The messages pages: administrators see every message (waiting, sent, failed with its
reason), resend one, see who cannot be emailed and set the school reminder interval; each
person chooses daily or weekly summaries."""
from __future__ import annotations

import sqlalchemy as sa

from tests.messages.pages import text_by_id
from tests.recommendations.conftest import as_user
from tracker.messages import outbox
from tracker.messages.school_reminders import interval_days
from tracker.models import AuditEvent, Message, MessageSetting


def test_admin_sees_every_message_with_its_status_and_reason(client, make, db_session):
    admin = make.user(role="admin")
    sent = make.message(subject="Your weekly summary")
    failed = make.message(status="failed", subject="Reset your password", sent_at=None,
                          last_error="The mail server answered 550 5.1.1 No such user")
    waiting = make.message(status="queued", subject="Updates due", sent_at=None, attempts=0)
    as_user(client, admin)
    page = client.get("/admin/messages").get_data(as_text=True)
    assert "Sent" in text_by_id(page, f"message-{sent.id}")
    row = text_by_id(page, f"message-{failed.id}")
    assert "Failed" in row and "550 5.1.1 No such user" in row
    assert "Waiting" in text_by_id(page, f"message-{waiting.id}")
    assert "No email is set up" in text_by_id(page, "transport")
    counts = text_by_id(page, "message-counts")
    assert "Waiting to be sent: 1" in counts and "Sent: 1" in counts and "Failed: 1" in counts
    failed_only = client.get("/admin/messages?status=failed").get_data(as_text=True)
    assert f'id="message-{failed.id}"' in failed_only and f'id="message-{sent.id}"' not in failed_only


def test_admin_resends_a_failed_message_and_it_is_delivered(client, make, db_session, smtp):
    admin = make.user(role="admin")
    failed = make.message(status="failed", to_address="someone@council.example", sent_at=None,
                          last_error="The mail server answered 451 busy")
    as_user(client, admin)
    assert client.post_form(f"/admin/messages/{failed.id}/resend").status_code == 302
    copy = db_session.scalar(sa.select(Message).where(Message.resent_from_id == failed.id))
    assert copy.status == "queued"
    assert outbox.deliver().sent == 1
    assert smtp.received[0].recipients == ["someone@council.example"]
    assert db_session.scalar(sa.select(AuditEvent).where(
        AuditEvent.summary.like(f"Resent message {failed.id}%"))) is not None


def test_admin_sees_who_cannot_be_emailed(client, make, db_session):
    admin = make.user(role="admin")
    make.user(name="Nobody Reachable", email="no-at-sign")
    as_user(client, admin)
    page = client.get("/admin/messages").get_data(as_text=True)
    assert "Nobody Reachable (no-at-sign)" in text_by_id(page, "unreachable")


def test_admin_sets_the_school_reminder_interval(client, make, db_session):
    admin = make.user(role="admin")
    as_user(client, admin)
    assert interval_days() == 28
    client.post_form("/admin/messages/schedule", {"school_reminder_days": "14"})
    assert interval_days() == 14
    page = client.post_form("/admin/messages/schedule", {"school_reminder_days": "2"},
                            follow_redirects=True).get_data(as_text=True)
    assert "Remind schools every 7 to 365 days" in page
    assert interval_days() == 14


def test_a_person_chooses_daily_summaries(client, make, db_session):
    officer = make.user(role="officer")
    as_user(client, officer)
    page = client.get("/account/messages").get_data(as_text=True)
    assert 'value="weekly" checked' in page
    assert client.post_form("/account/messages", {"digest_frequency": "daily"}).status_code == 302
    assert db_session.get(MessageSetting, officer.id).digest_frequency == "daily"
    bad = client.post_form("/account/messages", {"digest_frequency": "hourly"})
    assert bad.status_code == 200 and "Not a valid choice" in bad.get_data(as_text=True)
    assert db_session.get(MessageSetting, officer.id).digest_frequency == "daily"
