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

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker import uploads
from tracker.extensions import db
from tracker.forms import ButtonForm
from tracker.permissions import ADMIN, roles
from tracker.saving import save_form
from tracker.schools import services
from tracker.schools.access import get_school
from tracker.schools.forms import ImportForm, LinkForm
from tracker.params import parse_int
from tracker.schools.importing import UPLOAD_HINTS, ImportAborted, ImportOptions, run_import

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{24}$")
KIND = "gias"
ESTABLISHMENTS, LINKS = "establishments", "links"


def _options(meta: dict[str, Any]) -> ImportOptions:
    return ImportOptions(la=tuple(meta["la"]), include_independent=meta["include_independent"],
                         include_fe=meta["include_fe"])


def _choices(form: ImportForm) -> dict[str, Any]:
    has_links = bool(form.links.data and form.links.data.filename)
    return {"file_name": form.establishments.data.filename,
            "links_file_name": form.links.data.filename if has_links else None,
            "la": [v.strip() for v in re.split(r"[,;\n]", form.la.data or "") if v.strip()],
            "include_independent": bool(form.include_independent.data),
            "include_fe": bool(form.include_fe.data)}


def _run(data: Path, links: Path | None, meta: dict[str, Any], dry_run: bool) -> Any:
    return run_import(data, _options(meta), links_path=links if meta["links_file_name"] else None,
                      dry_run=dry_run, file_name=meta["file_name"],
                      links_file_name=meta["links_file_name"], hints=UPLOAD_HINTS)


@roles(ADMIN)
def import_schools() -> str | Response:
    """Upload, check and preview: nothing changes until the administrator confirms."""
    form = ImportForm()
    if not form.validate_on_submit():
        return render_template("schools/import-schools.html", form=form, summary=None)
    meta = _choices(form)
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
