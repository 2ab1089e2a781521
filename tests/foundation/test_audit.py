"""Every create, update and withdrawal leaves an audit event with before and after; the
audit table refuses UPDATE and DELETE at the database, on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from tracker import audit
from tracker.models import AuditEvent

# model factory name, a field to change, the new value
WITHDRAWABLE = [
    ("decision", "title", "Renamed decision"),
    ("part", "text", "Amended part text"),
    ("document", "title", "Appendix 1 (amended)"),
    ("recommendation", "text", "Reworded recommendation"),
    ("action", "title", "Retitled action"),
    ("challenge", "question", "A sharper question"),
    ("guidance", "title", "Model guidance (renamed)"),
    ("guidance_version", "title", "Version 1a"),
    ("terminology_rule", "replacement", "victim or survivor"),
]
UPDATABLE_ONLY = [
    ("user", "name", "Renamed Person"),
    ("school", "name", "Renamed School"),
    ("adoption", "status", "under_review"),
]


def _events(db_session, obj):
    return db_session.scalars(sa.select(AuditEvent).where(
        AuditEvent.object_type == type(obj).__name__, AuditEvent.object_id == obj.id)
        .order_by(AuditEvent.id)).all()


def _build(make, factory):
    obj = getattr(make, factory)()
    return obj


@pytest.mark.parametrize("factory,field,value", WITHDRAWABLE + UPDATABLE_ONLY)
def test_create_and_update_leave_events_with_before_and_after(make, db_session, factory, field, value):
    built = _build(make, factory)
    model = type(built)
    fresh = model(**{c.key: getattr(built, c.key) for c in sa.inspect(model).mapper.column_attrs
                     if c.key not in ("id", "version_id")})
    if hasattr(fresh, "urn"):
        fresh.urn = built.urn + 500000
    if hasattr(fresh, "email") and factory == "user":
        fresh.email = "fresh-" + built.email
    if factory == "adoption":
        fresh.guidance_version = make.guidance_version()
    if factory == "guidance_version":
        fresh.number = built.number + 1
    if factory == "decision":
        fresh.reference = built.reference + "X"
    if factory == "part":
        fresh.label = "z"
    audit.created(fresh, f"Created a {factory}")
    old = getattr(fresh, field)
    audit.updated(fresh, {field: value}, f"Changed a {factory}")
    create, update = _events(db_session, fresh)
    assert create.action == "create" and create.before is None
    assert create.after[field] == old
    assert update.action == "update"
    assert update.before[field] == old and update.after[field] == value
    assert update.before["version_id"] + 1 == update.after["version_id"]
    assert (field, old, value) in update.changes()


@pytest.mark.parametrize("factory,field,value", WITHDRAWABLE)
def test_withdrawal_keeps_the_row_and_leaves_an_event(make, db_session, factory, field, value):
    obj = _build(make, factory)
    audit.withdrawn(obj, "Entered twice by mistake", f"Withdrew a {factory}")
    (event,) = _events(db_session, obj)
    assert event.action == "withdraw"
    assert event.before["withdrawn_at"] is None
    assert event.after["withdrawn_reason"] == "Entered twice by mistake"
    assert db_session.get(type(obj), obj.id) is obj  # never deleted


def test_no_event_when_nothing_changed(make, db_session):
    school = make.school(name="Same")
    assert audit.updated(school, {"name": "Same"}, "No-op") is None
    assert _events(db_session, school) == []


def test_stale_save_is_refused_and_names_what_changed(make, db_session):
    decision = make.decision(title="First title")
    loaded_version = decision.version_id
    audit.updated(decision, {"title": "Someone else's title"}, "Edited elsewhere")
    with pytest.raises(audit.StaleEdit) as refused:
        audit.updated(decision, {"title": "My title"}, "My edit", expected_version=loaded_version)
    assert ("title", "First title", "Someone else's title") in refused.value.changes
    assert "title" in refused.value.message
    assert decision.title == "Someone else's title"


def test_snapshots_never_hold_passwords_or_secrets(make, db_session):
    user = make.user(totp_secret="JBSWY3DPEHPK3PXP")
    snap = audit.snapshot(user)
    assert "password_hash" not in snap and "totp_secret" not in snap
    assert snap["email"] == user.email


@pytest.mark.parametrize("statement", [
    "UPDATE audit_events SET summary = 'rewritten'",
    "DELETE FROM audit_events",
])
def test_the_database_refuses_to_change_or_delete_audit_events(make, db_session, statement):
    make.audit_event(summary="Original")
    with pytest.raises(sa.exc.DatabaseError, match="audit events cannot be changed or deleted"):
        with db_session.begin_nested():
            db_session.execute(sa.text(statement))
    assert db_session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(
        AuditEvent.summary == "Original")) == 1
