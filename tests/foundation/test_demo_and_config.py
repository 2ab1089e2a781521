"""Demo data is idempotent and real; configuration refuses unsafe production settings."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from tracker.config import ProductionConfig
from tracker.demo import DEMO_USERS, load_demo
from tracker.models import AuditEvent, Base, Decision


def _counts(db_session):
    return {name: db_session.scalar(sa.select(sa.func.count()).select_from(table))
            for name, table in Base.metadata.tables.items()}


def test_demo_loads_the_seed_decision_with_its_four_parts(app, db_session):
    load_demo()
    decision = db_session.scalar(sa.select(Decision).where(Decision.reference == "I50035813"))
    assert decision.title == "Review of peer on peer abuse cases"
    assert [(p.label, p.kind) for p in decision.parts] == [
        ("a", "agree_recommendations"), ("b", "approve_response"),
        ("c", "approve_guidance"), ("d", "referral")]
    assert "for use in all Herefordshire Schools" in decision.parts[2].text
    assert decision.call_in_expires_on.isoformat() == "2020-12-04"
    assert decision.notice_text.lstrip().startswith("Issue reference: I50035813")


def test_demo_is_idempotent(app, db_session):
    load_demo()
    first = _counts(db_session)
    load_demo()
    assert _counts(db_session) == first
    assert first["users"] == len(DEMO_USERS)


def test_demo_changes_are_audited_as_the_demo_administrator(app, db_session):
    load_demo()
    labels = set(db_session.scalars(sa.select(AuditEvent.actor_label)))
    assert "command line as admin@example.gov.uk" in labels


def test_production_refuses_a_missing_or_weak_secret_key(monkeypatch):
    for value in ("", "dev-only-not-secret", "short"):
        monkeypatch.setenv("SECRET_KEY", value)
        with pytest.raises(RuntimeError, match="SECRET_KEY"):
            ProductionConfig.init()


def test_production_accepts_a_strong_secret_key(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    ProductionConfig.init()
    assert ProductionConfig.SECRET_KEY == "x" * 64
    assert ProductionConfig.SESSION_COOKIE_SECURE is True


def test_flask_demo_prints_the_address_flask_run_serves(app, db_session):
    result = app.test_cli_runner().invoke(args=["demo"], env={"FLASK_RUN_PORT": "5202"})
    assert result.exit_code == 0, result.output
    assert "Sign in at http://127.0.0.1:5202/sign-in" in result.output


def test_make_run_serves_on_the_port_given():
    import shutil
    import subprocess  # nosec B404
    from pathlib import Path

    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    root = Path(__file__).resolve().parents[2]
    planned = subprocess.run(["make", "-n", "serve", "PORT=5202"], cwd=root, check=True,  # nosec
                             capture_output=True, text=True).stdout
    assert "flask run --host 127.0.0.1 --port 5202" in planned
