"""``flask reminders run``: acts as a named user, queues what is due and delivers it; a
second run sends nothing new; with no transport, messages wait and the command says so."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from tests.messages.test_reminders import MONDAY, at
from tracker import clock
from tracker.models import AuditEvent, Message


def _invoke(app, *args):
    return app.test_cli_runner().invoke(args=["reminders", "run", *args])


def test_run_queues_and_delivers_then_a_second_run_sends_nothing(app, db_session, make, smtp):
    admin = make.user(role="admin", email="cron@council.example")
    owner = make.user(role="officer", email="owner@council.example")
    rec = make.recommendation(make.part(make.decision()), owner_id=owner.id)
    make.action(rec, title="Draft the protocol", owner_id=owner.id,
                due_on=MONDAY + dt.timedelta(days=3))
    db_session.commit()
    with clock.travel_to(at(MONDAY)):
        first = _invoke(app, "--as", admin.email)
        second = _invoke(app, "--as", admin.email)
    assert first.exit_code == 0, first.output
    assert "Queued: digest 1" in first.output and "Sent 1" in first.output
    assert "Queued: nothing new" in second.output and "Sent 0" in second.output
    [mail] = smtp.received
    assert mail.recipients == ["owner@council.example"]
    event = db_session.scalar(sa.select(AuditEvent).where(AuditEvent.object_type == "Message"))
    assert event.actor_label == "command line as cron@council.example"


def test_run_without_a_transport_keeps_messages_waiting(app, db_session, make):
    admin = make.user(role="admin")
    owner = make.user(role="officer")
    make.action(make.recommendation(make.part(make.decision())), owner_id=owner.id,
                due_on=MONDAY)
    db_session.commit()
    with clock.travel_to(at(MONDAY)):
        result = _invoke(app, "--as", admin.email)
    assert "No email transport is configured: 1 message(s) wait" in result.output
    assert db_session.scalar(sa.select(Message.status)) == "queued"


def test_run_needs_a_named_active_user(app, db_session):
    result = _invoke(app, "--as", "nobody@council.example")
    assert result.exit_code != 0
    assert "No active user has the email address nobody@council.example" in result.output
