"""A GIAS preview too long for a web request: the upload page stores the files (tracker/
uploads.py) and queues a job; ``flask jobs run`` checks the files and writes the summary the
preview page shows (tracker/jobs.py). Nothing is imported here: the administrator confirms
the preview as for a small file, and that import is audited."""
from __future__ import annotations

from pathlib import Path
from typing import IO, Any

from tracker import jobs, uploads
from tracker.extensions import db
from tracker.models import Job, User
from tracker.permissions import can_manage
from tracker.schools.import_summary import ImportOptions, ImportSummary, summary_to_json
from tracker.schools.importing import UPLOAD_HINTS, run_import

KIND = "gias"  # the pending upload's kind, shared with the confirm step
JOB_KIND = "gias_preview"
ESTABLISHMENTS, LINKS = "establishments", "links"


class PreviewFailed(jobs.JobFailed):
    """The job cannot make a preview (its upload is gone, or its owner may no longer import)."""


def options(meta: dict[str, Any]) -> ImportOptions:
    return ImportOptions(la=tuple(meta["la"]), include_independent=meta["include_independent"],
                         include_fe=meta["include_fe"])


def check(data: Path, links: Path | None, meta: dict[str, Any], dry_run: bool,
          progress: jobs.Report | None = None) -> ImportSummary:
    """Check (and, unless ``dry_run``, apply) an upload with the choices made with it."""
    return run_import(data, options(meta), links_path=links if meta["links_file_name"] else None,
                      dry_run=dry_run, file_name=meta["file_name"],
                      links_file_name=meta["links_file_name"], hints=UPLOAD_HINTS,
                      progress=progress)


def start(user: User, files: dict[str, IO[bytes]], meta: dict[str, Any]) -> Job:
    """Keep the files and queue the preview; commits."""
    token = uploads.keep(KIND, user, files, meta)
    job = jobs.start(JOB_KIND, user, token)
    db.session.commit()
    return job


def run(job: Job, report: jobs.Report) -> str:
    """The worker's part: the summary of a dry run, as JSON. A file with problems needs no
    confirming: its upload is removed."""
    owner = db.session.get(User, job.user_id)
    if owner is None or not owner.active or not can_manage(owner):
        raise PreviewFailed("The person who uploaded the file may no longer import schools")
    upload = uploads.find(KIND, job.upload_token)
    if upload is None:
        raise PreviewFailed("The uploaded file has expired. Upload it again.")
    with uploads.local_copy(upload, remove=False) as copy:
        db.session.commit()  # end the read: hold no lock (SQLite) while the file is checked
        summary = check(copy.path(ESTABLISHMENTS), copy.path(LINKS),  # type: ignore[arg-type]
                        copy.details, dry_run=True, progress=report)
    db.session.commit()
    if not summary.ok:
        uploads.discard(KIND, job.upload_token)
    return summary_to_json(summary)
