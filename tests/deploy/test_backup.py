"""PostgreSQL backups (deploy/backup/): a dump is made, read back and kept; the restore drill
restores it into a scratch database, checks it with the tracker's own code and drops it;
a broken dump fails the drill; a restore never writes over a database that holds tables."""
from __future__ import annotations

import os
import subprocess  # nosec B404: runs this checkout's own scripts
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from tests.conftest import PG_URL, ROOT, Client, make_app, sign_in
from tests.security import served
from tracker.extensions import db

BACKUP = ROOT / "deploy" / "backup"
pytestmark = pytest.mark.skipif(not PG_URL, reason="TEST_DATABASE_URL is not set: the "
                                "backups are PostgreSQL's")


def _run(script: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # nosec B603: fixed scripts from this checkout
        [str(BACKUP / script), *args], capture_output=True, text=True, timeout=300,
        env=os.environ | {"TRACKER_PYTHON": sys.executable} | env)


def _scalar(url: str, sql: str) -> int:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        value = conn.execute(sa.text(sql)).scalar_one()
    engine.dispose()
    return int(value)


def test_backup_then_restore_drill_passes_and_leaves_nothing_behind(tmp_path: Path):
    with served.fresh_database("postgresql", tmp_path, purpose="backup") as url:
        seeded = served.seed(url, officers=2, members=1)
        app = make_app(url)
        app.test_client_class = Client
        sign_in(app.test_client(), SimpleNamespace(email=seeded.admin))  # an audit row
        with app.app_context():
            db.engine.dispose()
        users = _scalar(url, "SELECT count(*) FROM users")

        made = _run("tracker-backup.sh", DATABASE_URL=url, BACKUP_DIR=str(tmp_path / "b"))
        assert made.returncode == 0, made.stderr
        dump = Path(made.stdout.strip())
        assert dump.parent == tmp_path / "b" and dump.name.startswith("tracker-")
        assert dump.suffix == ".dump" and dump.stat().st_size > 0
        assert not list((tmp_path / "b").glob("*.partial"))

        drill = _run("restore-drill.sh", DATABASE_URL=url, BACKUP_DIR=str(tmp_path / "b"))
        assert drill.returncode == 0, drill.stdout + drill.stderr
        out = drill.stdout
        assert "restore drill: passed" in out
        assert f"users: {users}\n" in out and "audit trail: refuses changes" in out
        assert "(current)" in out
        scratch = out.split(" into ", 1)[1].split("\n", 1)[0]
        assert _scalar(url, f"SELECT count(*) FROM pg_database WHERE datname = '{scratch}'") == 0

        # A broken dump fails the drill, saying so.
        broken = tmp_path / "broken.dump"
        broken.write_bytes(dump.read_bytes()[: dump.stat().st_size // 2])
        failed = _run("restore-drill.sh", str(broken), DATABASE_URL=url)
        assert failed.returncode != 0
        assert "restore drill: passed" not in failed.stdout

        # A restore refuses a database that holds tables (here, the live one).
        refused = _run("tracker-restore.sh", str(dump), url)
        assert refused.returncode == 1 and "not empty" in refused.stderr
        assert _scalar(url, "SELECT count(*) FROM users") == users
