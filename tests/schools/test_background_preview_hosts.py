"""A large GIAS file's preview across hosts, as deployed: the file is uploaded to one host
(gunicorn), the jobs worker runs as its own process (``flask jobs run``, as tracker-jobs.service
runs it), another host shows the progress and then the preview, and the first host imports
it. Nothing is shared but the database and the SECRET_KEY."""
from __future__ import annotations

import os
import re
import secrets
import subprocess  # nosec B404: runs this checkout's own command
import sys

import pytest
import sqlalchemy as sa

from tests.schools.conftest import HEREFORD_CP1252
from tests.security import served

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_uploaded_on_one_host_checked_by_the_worker_previewed_on_another(kind, tmp_path):
    if kind == "postgresql" and not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("TEST_DATABASE_URL is not set: PostgreSQL run skipped")
    with served.fresh_database(kind, tmp_path, purpose="jobs") as url:
        seeded = served.seed(url, officers=0, members=0)
        shared = {"SECRET_KEY": secrets.token_hex(32), "GIAS_PREVIEW_INLINE_BYTES": "1000"}
        with served.gunicorn(url, workers=1, env=shared) as host_a, \
                served.gunicorn(url, workers=1, env=shared) as host_b:
            admin = served.Visitor(host_a, seeded.admin)
            admin.sign_in()
            admin.get("/schools/import")
            with HEREFORD_CP1252.open("rb") as data:
                started = admin.http.post(host_a + "/schools/import", timeout=60,
                                          allow_redirects=False,
                                          data={"csrf_token": admin.token, "la": "884"},
                                          files={"establishments": (HEREFORD_CP1252.name, data)})
            assert started.status_code == 302, started.text[-2000:]
            progress = started.headers["Location"]
            assert re.fullmatch(r"/schools/import/checking/[\w-]{24}", progress)

            admin.base = host_b  # the same browser, answered by the other host
            waiting = admin.get(progress)
            assert waiting.status_code == 200
            assert "Waiting for the jobs worker to start" in waiting.text

            worker = subprocess.run(  # nosec B603: fixed command, our own checkout
                [sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "run", "--once",
                 "--as", seeded.admin], cwd=served.ROOT, capture_output=True, text=True,
                timeout=120, env=os.environ | {"TRACKER_CONFIG": "development",
                                               "DATABASE_URL": url, **shared})
            assert worker.returncode == 0, worker.stderr[-2000:]
            assert worker.stdout == "Ran 1 job(s)\n"

            preview = admin.get(progress)
            assert 'id="job-error"' not in preview.text, re.search(
                r'id="job-error">([^<]*)', preview.text).group(1)
            assert "13 added, 0 updated, 0 closed, 0 unchanged; 4 skipped" in preview.text
            token = preview.text.split('action="/schools/import/')[1].split('"')[0]
            admin.base = host_a
            done = admin.post(f"/schools/import/{token}", {})
            assert done.status_code == 200 and "Schools imported" in done.text
    # (the database is gone with the context; what it held was checked through the pages)


def test_the_worker_reports_progress_through_its_own_connection(tmp_path):
    """Bound to an engine (as in the worker), a report is committed at once and seen by
    another connection while the job's own transaction is still open (PostgreSQL)."""
    if not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("TEST_DATABASE_URL is not set: PostgreSQL run skipped")
    from tests.conftest import make_app
    from tests.factories import Factories
    from tracker import jobs
    from tracker.extensions import db
    from tracker.models import Job, School

    with served.fresh_database("postgresql", tmp_path, purpose="jobreport") as url:
        app = make_app(url)
        with app.app_context():
            admin = Factories(db.session).user(role="admin")
            jobs.start("gias_preview", admin, "an-upload-token")
            db.session.commit()
            job, claim_token = jobs.claim()
            db.session.scalar(sa.select(sa.func.count(School.id)))  # the job's transaction
            assert db.session().in_transaction()
            jobs.reporter(job, claim_token)("Checking", 5000)
            other = sa.create_engine(url)
            with other.connect() as conn:
                seen = conn.execute(sa.select(Job.phase, Job.rows_done)).one()
            other.dispose()
            assert tuple(seen) == ("Checking", 5000)
            db.session.rollback()
            db.session.remove()
            db.engine.dispose()
