"""Background jobs: work too long for a web request, run by ``flask jobs run`` (one or more
workers, on any host), its state and progress in the database, so every host shows it.

How a job moves (each step one guarded UPDATE, committed before the next):

  queued --claim--> running --finish--> done | failed
                       |
                       +-- lease ends (the worker died): queued again by the next claim,
                           or failed once it has been tried ``MAX_ATTEMPTS`` times

``claim`` runs ``UPDATE jobs SET status='running', claim_token=T ... WHERE id=? AND (it is
queued, or its lease ended)``: the database lets one worker change the row, so two workers on
two hosts never both run a job. A worker reports progress through its own connection, each
report extending its lease; it writes its result only while the claim is still its own.
A job is kept a day, like the upload it reads (tracker/uploads.py).
"""
from __future__ import annotations

import datetime as dt
import logging
import secrets
import time
from typing import Callable

import sqlalchemy as sa
from flask import current_app

from tracker.clock import now
from tracker.extensions import db
from tracker.models import Job, User

MAX_ATTEMPTS = 2
KEEP_FOR = dt.timedelta(days=1)
STOPPED = ("The worker stopped while doing this more than once. Upload the file again; if it "
           "happens again, ask IT to check the jobs worker (tracker-jobs).")
log = logging.getLogger(__name__)

Report = Callable[[str, int], None]


class JobFailed(Exception):
    """A job that cannot do its work, saying why in words its owner can act on."""


def start(kind: str, user: User, upload_token: str) -> Job:
    """Queue a job of ``kind`` on an upload (the caller commits)."""
    job = Job(token=secrets.token_urlsafe(18), kind=kind, user_id=user.id,
              upload_token=upload_token, status="queued", rows_done=0, attempts=0,
              created_at=now())
    db.session.add(job)
    db.session.flush()
    return job


def for_user(token: str, kind: str, user: User) -> Job | None:
    """The job ``token`` of ``kind`` that ``user`` started: another's answers None, as an
    absent one does (the same query either way)."""
    return db.session.scalar(sa.select(Job).where(
        Job.token == token, Job.kind == kind, Job.user_id == user.id))


def _lease() -> dt.timedelta:
    return dt.timedelta(seconds=current_app.config["JOB_LEASE_SECONDS"])


def claim() -> tuple[Job, str] | None:
    """Take the oldest job waiting (or whose worker's lease ended), for this worker only."""
    moment = now()
    lease_ended = sa.and_(Job.status == "running", Job.claimed_until < moment)
    db.session.execute(sa.update(Job).where(lease_ended, Job.attempts >= MAX_ATTEMPTS).values(
        status="failed", error=STOPPED, finished_at=moment, claim_token=None)
        .execution_options(synchronize_session=False))
    db.session.commit()
    candidates = list(db.session.scalars(sa.select(Job.id).where(
        sa.or_(Job.status == "queued", lease_ended)).order_by(Job.created_at, Job.id).limit(10)))
    db.session.commit()
    for job_id in candidates:
        claim_token = secrets.token_hex(16)
        moment = now()
        taken = db.session.execute(sa.update(Job).where(
            Job.id == job_id, sa.or_(Job.status == "queued", sa.and_(
                Job.status == "running", Job.claimed_until < moment))).values(
            status="running", claim_token=claim_token, claimed_until=moment + _lease(),
            attempts=Job.attempts + 1, started_at=sa.func.coalesce(Job.started_at, moment),
            phase="Starting").execution_options(synchronize_session=False)).rowcount
        db.session.commit()
        if taken == 1:
            job = db.session.get(Job, job_id)
            assert job is not None  # nosec B101: just claimed
            db.session.refresh(job)
            return job, claim_token
    return None


def reporter(job: Job, claim_token: str, every_seconds: float = 1.0) -> Report:
    """``report(phase, rows)``: written at most once every ``every_seconds``, extending the
    lease, through a connection of its own (the job's work may hold its transaction open)
    when the session is bound to an engine; through the session's connection when it is
    bound to one (a caller's transaction, as in tests). On SQLite a transaction of the work
    holds the one write lock: then the report waits for the next one made outside it."""
    job_id = job.id
    last = [-every_seconds]

    def report(phase: str, rows: int) -> None:
        if time.monotonic() - last[0] < every_seconds:
            return
        bind = db.session.get_bind()
        write = sa.update(Job).where(Job.id == job_id, Job.claim_token == claim_token).values(
            phase=phase[:60], rows_done=rows, claimed_until=now() + _lease())
        if isinstance(bind, sa.engine.Connection):
            bind.execute(write)
        elif not (bind.dialect.name == "sqlite" and db.session().in_transaction()):
            with bind.begin() as connection:
                connection.execute(write)
        else:
            return
        last[0] = time.monotonic()
    return report


def finish(job: Job, claim_token: str, *, result: str | None = None,
           error: str | None = None) -> bool:
    """Record the outcome, if the claim is still this worker's; commits."""
    done = db.session.execute(sa.update(Job).where(
        Job.id == job.id, Job.claim_token == claim_token, Job.status == "running").values(
        status="failed" if error else "done", result=result, error=error and error[:500],
        phase=None, claim_token=None, claimed_until=None, finished_at=now())
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return done == 1


def sweep() -> None:
    """Remove finished jobs older than ``KEEP_FOR`` (the caller commits)."""
    db.session.execute(sa.delete(Job).where(Job.created_at < now() - KEEP_FOR,
                                            Job.status.in_(("done", "failed"))))


def run_waiting(limit: int | None = None) -> int:
    """Run the jobs waiting now, one at a time; returns how many ran."""
    from tracker.schools import preview_job

    runners = {"gias_preview": preview_job.run}
    ran = 0
    while limit is None or ran < limit:
        claimed = claim()
        if claimed is None:
            break
        job, claim_token = claimed
        try:
            result = runners[job.kind](job, reporter(job, claim_token))
        except JobFailed as exc:
            db.session.rollback()
            finish(job, claim_token, error=str(exc))
        except Exception as exc:  # a job's failure is its own: record it, go on to the next
            db.session.rollback()
            log.exception("job %s (%s) failed", job.id, job.kind)
            finish(job, claim_token, error=f"The job stopped with an error: {exc}")
        else:
            finish(job, claim_token, result=result)
        ran += 1
    sweep()
    db.session.commit()
    return ran
