"""An administrator's GIAS upload (check and preview, then confirm) and the hand-made link
between a school and the school it replaced.

The preview reads the upload from a copy private to that request; if it is good, the files
are kept in the database (tracker.uploads) under a random token, so the confirm step, in
another request and maybe on another host, imports exactly the files that were previewed,
once. Files never confirmed are removed after a day.
"""
from __future__ import annotations

import contextlib
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker import jobs, uploads
from tracker.extensions import db
from tracker.forms import ButtonForm
from tracker.permissions import ADMIN, roles
from tracker.saving import save_form
from tracker.schools import preview_job, services
from tracker.schools.access import get_school
from tracker.schools.forms import ImportForm, LinkForm
from tracker.params import parse_int
from tracker.schools.import_summary import summary_from_json
from tracker.schools.importing import ImportAborted

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{24}$")
KIND = preview_job.KIND
ESTABLISHMENTS, LINKS = preview_job.ESTABLISHMENTS, preview_job.LINKS


def _choices(form: ImportForm) -> dict[str, Any]:
    has_links = bool(form.links.data and form.links.data.filename)
    return {"file_name": form.establishments.data.filename,
            "links_file_name": form.links.data.filename if has_links else None,
            "la": [v.strip() for v in re.split(r"[,;\n]", form.la.data or "") if v.strip()],
            "include_independent": bool(form.include_independent.data),
            "include_fe": bool(form.include_fe.data)}


def _run(data: Path, links: Path | None, meta: dict[str, Any], dry_run: bool) -> Any:
    return preview_job.check(data, links, meta, dry_run)


def _size(stream: Any) -> int:
    stream.seek(0, 2)
    size = int(stream.tell())
    stream.seek(0)
    return size


@roles(ADMIN)
def import_schools() -> str | Response:
    """Upload, check and preview: nothing changes until the administrator confirms. A file
    too large to check within one request is checked by the jobs worker (tracker/jobs.py),
    the administrator watching its progress."""
    form = ImportForm()
    if not form.validate_on_submit():
        return render_template("schools/import-schools.html", form=form, summary=None)
    meta = _choices(form)
    streams = {ESTABLISHMENTS: form.establishments.data.stream}
    if meta["links_file_name"]:
        streams[LINKS] = form.links.data.stream
    if sum(_size(s) for s in streams.values()) > current_app.config["GIAS_PREVIEW_INLINE_BYTES"]:
        job = preview_job.start(current_user, streams, meta)  # type: ignore[arg-type]
        return redirect(url_for("schools.import_progress", token=job.token))
    folder = Path(tempfile.mkdtemp(prefix="tracker-gias-"))
    try:
        data, links = folder / ESTABLISHMENTS, folder / LINKS
        form.establishments.data.save(data)
        if meta["links_file_name"]:
            form.links.data.save(links)
        summary = _run(data, links, meta, dry_run=True)
        if not summary.ok:
            return render_template("schools/import-schools.html", form=form, summary=summary)
        with contextlib.ExitStack() as stack:
            files = {ESTABLISHMENTS: stack.enter_context(data.open("rb"))}
            if meta["links_file_name"]:
                files[LINKS] = stack.enter_context(links.open("rb"))
            token = uploads.keep(KIND, current_user, files, meta)  # type: ignore[arg-type]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return render_template("schools/import-preview.html", summary=summary, token=token,
                           confirm_form=ButtonForm())


@roles(ADMIN)
def import_progress(token: str) -> str:
    """A preview being made by the jobs worker: its progress (the page refreshes itself
    until it is done), then the preview itself, or the file's problems."""
    job = jobs.for_user(token, preview_job.JOB_KIND, current_user) \
        if TOKEN_RE.match(token) else None  # type: ignore[arg-type]
    if job is None:
        abort(404)
    if job.status != "done" or job.result is None:
        return render_template("schools/import-progress.html", job=job)
    summary = summary_from_json(job.result)
    if not summary.ok:
        return render_template("schools/import-schools.html", form=ImportForm(), summary=summary)
    return render_template("schools/import-preview.html", summary=summary,
                           token=job.upload_token, confirm_form=ButtonForm())


@roles(ADMIN)
def confirm_import(token: str) -> str | Response:
    if not TOKEN_RE.match(token) or not ButtonForm().validate_on_submit():
        abort(404)
    try:
        pending = uploads.take(KIND, token, current_user)  # type: ignore[arg-type]
    except uploads.NotYours:
        db.session.rollback()
        abort(404)
    if pending is None:
        db.session.rollback()
        flash("That upload has expired or was already imported. Upload the file again.", "error")
        return redirect(url_for("schools.import_schools"))
    with uploads.local_copy(pending) as upload:
        try:
            summary = _run(upload.path(ESTABLISHMENTS), upload.path(LINKS),  # type: ignore[arg-type]
                           upload.details, dry_run=False)
        except ImportAborted as aborted:
            db.session.rollback()
            uploads.discard(KIND, token)
            flash(str(aborted), "error")
            return redirect(url_for("schools.import_schools"))
        db.session.commit()  # the upload is gone with the import it made (if any)
    if not summary.ok:  # the stored file cannot change, but never apply a bad one
        return render_template("schools/import-schools.html", form=ImportForm(), summary=summary)
    return render_template("schools/import-result.html", summary=summary)


@roles(ADMIN)
def link_predecessor(school_id: int) -> str | Response:
    school = get_school(school_id)
    form = LinkForm(data={"version_id": school.version_id})
    if form.validate_on_submit():
        text = (form.predecessor_urn.data or "").strip()
        urn = parse_int(text, low=1)
        predecessor = services.school_by_urn(urn) if urn is not None else None
        if urn is None:
            form.predecessor_urn.errors = [f'"{text}" is not a URN: a URN is a number, like 116833']
        elif predecessor is None:
            form.predecessor_urn.errors = [f"No school in the tracker has URN {text}"]
        else:
            carried: list[Any] = []
            outcome = save_form(form, None, lambda: carried.append(services.link_predecessor(
                school, predecessor, form.version_id.data)))
            if outcome.saved:
                flash(f"{school.name} is linked to {predecessor.name}, the school it replaced. "
                      + ("Its adoption of the current version was carried over."
                         if carried[0] else "No adoption needed carrying over."), "success")
                return redirect(url_for("schools.show_school", school_id=school.id))
    return render_template("schools/link-predecessor.html", form=form, school=school)
