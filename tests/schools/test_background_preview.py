"""A GIAS file too large to check within one request is checked by the jobs worker: the
upload page queues a job and shows its progress (refreshing itself), the preview appears
when the job is done, and confirming it imports as for a small file. State and files are in
the database, so the worker, the progress page and the confirmation may be on any host."""
from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from tests.conftest import sign_in
from tests.schools.conftest import BAD_ROWS, HEREFORD_CP1252, LINKS, schools_by_urn
from tracker import jobs
from tracker.clock import now
from tracker.models import Job, PendingUpload
from tracker.schools import preview_job


@pytest.fixture(autouse=True)
def _every_file_is_large(app, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setitem(app.config, "GIAS_PREVIEW_INLINE_BYTES", 1000)


def _upload(client, path, **fields):  # type: ignore[no-untyped-def]
    data = {"establishments": (path.open("rb"), path.name), "la": "884", **fields}
    return client.post_form("/schools/import", data, content_type="multipart/form-data")


def _worker(app, admin):  # type: ignore[no-untyped-def]
    result = app.test_cli_runner().invoke(args=["jobs", "run", "--once", "--as", admin.email])
    assert result.exit_code == 0, result.output
    return result.output


def _text(response, element_id: str) -> str:  # type: ignore[no-untyped-def]
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</', response.get_data(as_text=True), re.S)
    assert match, f"no #{element_id}"
    return " ".join(match.group(1).split())


def test_a_large_file_is_checked_in_the_background_then_previewed_and_imported(app, signed_in,
                                                                             db_session):
    client, admin = signed_in("admin")
    started = _upload(client, HEREFORD_CP1252, links=(LINKS.open("rb"), LINKS.name))
    assert started.status_code == 302
    progress_path = started.headers["Location"]
    assert re.fullmatch(r"/schools/import/checking/[\w-]{24}", progress_path)

    waiting = client.get(progress_path)
    assert waiting.status_code == 200
    assert _text(waiting, "job-status") == "Waiting for the jobs worker to start"
    # It keeps itself up to date with a static script (no inline script, no timed refresh).
    assert re.search(r'<script src="/static/js/job-progress\.[0-9a-f]+\.js"></script>',
                     waiting.get_data(as_text=True))
    assert "<script>" not in waiting.get_data(as_text=True)
    assert schools_by_urn() == {}

    assert _worker(app, admin) == "Ran 1 job(s)\n"
    job = db_session.scalar(sa.select(Job))
    assert (job.status, job.attempts, job.error) == ("done", 1, None)

    preview = client.get(progress_path)
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "job-progress" not in page
    assert "13 added, 0 updated, 0 closed, 0 unchanged; 4 skipped" in page
    assert schools_by_urn() == {}  # a preview changes nothing
    token = page.split('action="/schools/import/')[1].split('"')[0]
    assert token == job.upload_token
    done = client.post_form(f"/schools/import/{token}")
    assert "Schools imported" in done.get_data(as_text=True)
    assert len(schools_by_urn()) == 13
    assert schools_by_urn()[990003].predecessor_id == schools_by_urn()[990004].id


def test_progress_shows_what_the_worker_reported(signed_in, db_session):
    client, admin = signed_in("admin")
    path = _upload(client, HEREFORD_CP1252).headers["Location"]
    job, claim_token = jobs.claim()
    jobs.reporter(job, claim_token)("Checking", 25_000)
    db_session.expire_all()  # written by the worker's own connection, as another process would
    page = client.get(path)
    assert (_text(page, "job-status"), _text(page, "job-rows")) == ("Checking", "25,000")
    # Another worker's report (an old claim) changes nothing.
    jobs.reporter(job, "not-this-claim")("Applying", 1)
    db_session.expire_all()
    assert _text(client.get(path), "job-rows") == "25,000"


def test_a_file_with_problems_shows_them_and_keeps_nothing(app, signed_in, db_session):
    client, admin = signed_in("admin")
    path = _upload(client, BAD_ROWS, la="").headers["Location"]
    _worker(app, admin)
    page = client.get(path).get_data(as_text=True)
    assert "9 problems found" in page and "nothing was imported" in page
    assert "EstablishmentName is empty" in page
    assert db_session.scalar(sa.select(sa.func.count(PendingUpload.id))) == 0


def test_only_the_administrator_who_uploaded_sees_the_job(app, signed_in, make):
    client, admin = signed_in("admin")
    path = _upload(client, HEREFORD_CP1252).headers["Location"]
    assert client.get(path.replace(path[-5:], "AAAAA")).status_code == 404
    for role in ("admin", "officer"):  # another administrator's browser; an officer's
        other = app.test_client()
        sign_in(other, make.user(role=role))
        assert other.get(path).status_code == 404, role


def test_a_job_whose_worker_died_is_run_again_then_given_up(app, signed_in, db_session):
    client, admin = signed_in("admin")
    path = _upload(client, HEREFORD_CP1252).headers["Location"]
    job, _ = jobs.claim()  # a worker takes it and dies
    assert jobs.claim() is None  # its lease holds: nobody else takes it
    job.claimed_until = now() - dt.timedelta(seconds=1)
    db_session.commit()
    assert "Ran 1 job(s)" in _worker(app, admin)  # the next worker runs it again
    db_session.refresh(job)
    assert (job.status, job.attempts) == ("done", 2)

    path = _upload(client, HEREFORD_CP1252).headers["Location"]
    for _ in range(jobs.MAX_ATTEMPTS):
        job, _ = jobs.claim()
        job.claimed_until = now() - dt.timedelta(seconds=1)
        db_session.commit()
    assert jobs.claim() is None
    db_session.refresh(job)
    assert job.status == "failed"
    page = client.get(path)
    assert "Upload the file again" in _text(page, "job-error")
    assert "Error: Checking the file" in page.get_data(as_text=True)


def test_an_expired_upload_fails_the_job_with_what_to_do(app, signed_in, db_session):
    client, admin = signed_in("admin")
    path = _upload(client, HEREFORD_CP1252).headers["Location"]
    job = db_session.scalar(sa.select(Job))
    db_session.execute(sa.update(PendingUpload).values(created_at=now() - dt.timedelta(days=2)))
    db_session.commit()
    _worker(app, admin)
    db_session.refresh(job)
    assert job.status == "failed"
    assert _text(client.get(path), "job-error") == "The uploaded file has expired. Upload it again."


def test_a_small_file_is_still_previewed_at_once(app, signed_in, monkeypatch):
    monkeypatch.setitem(app.config, "GIAS_PREVIEW_INLINE_BYTES", 5 * 1024 * 1024)
    client, _ = signed_in("admin")
    preview = _upload(client, HEREFORD_CP1252)
    assert preview.status_code == 200
    assert "13 added" in preview.get_data(as_text=True)
    assert preview_job.JOB_KIND == "gias_preview"
