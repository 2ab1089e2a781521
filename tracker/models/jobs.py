"""Background jobs: work too long for one web request (a GIAS preview of a large file), run
by ``flask jobs run`` on any host, its state and progress in the database so that every host
can show it. Not tracked data: what a job prepares is audited when an administrator acts on
it (the import it previewed). See tracker/jobs.py.
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Base, enum_check, utcnow

JOB_KINDS = ("gias_preview",)
# queued: waiting for a worker; running: a worker holds it until ``claimed_until`` (each
# progress report extends it); done: ``result`` holds the outcome; failed: ``error`` says why.
JOB_STATUSES = ("queued", "running", "done", "failed")


class Job(Base):
    __tablename__ = "jobs"
    __table_args__ = (
        enum_check("kind", JOB_KINDS),
        enum_check("status", JOB_STATUSES),
        sa.Index("ix_jobs_status_created_at", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The job's name in its page's address: random, so one administrator cannot guess another's.
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    # The files it works on, in the pending-uploads store (tracker/uploads.py).
    upload_token: Mapped[str] = mapped_column(sa.String(64))
    status: Mapped[str] = mapped_column(sa.String(20), default="queued")
    phase: Mapped[str | None] = mapped_column(sa.String(60))
    rows_done: Mapped[int] = mapped_column(sa.Integer, default=0)
    attempts: Mapped[int] = mapped_column(sa.Integer, default=0)
    claim_token: Mapped[str | None] = mapped_column(sa.String(64))
    claimed_until: Mapped[dt.datetime | None] = mapped_column()
    result: Mapped[str | None] = mapped_column(sa.Text)  # JSON, when done
    error: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column()
    finished_at: Mapped[dt.datetime | None] = mapped_column()

    def __repr__(self) -> str:
        return f"<Job {self.id} {self.kind} {self.status}>"
