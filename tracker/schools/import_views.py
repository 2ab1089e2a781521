"""An administrator's GIAS upload (check and preview, then confirm) and the hand-made link
between a school and the school it replaced.

Uploads are streamed to files in the upload folder (``SCHOOLS_UPLOAD_FOLDER``, default
``instance/uploads``) under a random token, so the confirm step, in another request and
maybe another worker, imports exactly the file that was previewed. With several hosts the
folder must be shared storage. Files are removed once imported, and after a day if never
confirmed.
"""
from __future__ import annotations

import json
import re
import secrets
import time
from pathlib import Path
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker.forms import ButtonForm
from tracker.permissions import ADMIN, roles
from tracker.saving import save_form
from tracker.schools import services
from tracker.schools.access import get_school
from tracker.schools.forms import ImportForm, LinkForm
from tracker.schools.importing import ImportAborted, ImportOptions, run_import
from tracker.params import parse_int

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{24}$")
KEEP_SECONDS = 24 * 3600


def _folder() -> Path:
    folder = Path(current_app.config.get("SCHOOLS_UPLOAD_FOLDER")
                  or Path(current_app.instance_path) / "uploads")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _paths(token: str) -> tuple[Path, Path, Path]:
    folder = _folder()
    return folder / f"{token}.csv", folder / f"{token}-links.csv", folder / f"{token}.json"


def _sweep() -> None:
    cutoff = time.time() - KEEP_SECONDS
    for path in _folder().glob("*"):
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def _discard(token: str) -> None:
    for path in _paths(token):
        path.unlink(missing_ok=True)


def _options(meta: dict[str, Any]) -> ImportOptions:
    return ImportOptions(la=tuple(meta["la"]), include_independent=meta["include_independent"],
                         include_fe=meta["include_fe"])


def _store(form: ImportForm) -> tuple[str, dict[str, Any]]:
    """Stream the upload(s) to the upload folder; return the token and what was chosen."""
    _sweep()
    token = secrets.token_urlsafe(18)
    data, links, meta_path = _paths(token)
    form.establishments.data.save(data)
    has_links = bool(form.links.data and form.links.data.filename)
    if has_links:
        form.links.data.save(links)
    meta = {"user_id": current_user.id, "file_name": form.establishments.data.filename,
            "links_file_name": form.links.data.filename if has_links else None,
            "la": [v.strip() for v in re.split(r"[,;\n]", form.la.data or "") if v.strip()],
            "include_independent": bool(form.include_independent.data),
            "include_fe": bool(form.include_fe.data)}
    meta_path.write_text(json.dumps(meta))
    return token, meta


def _run(token: str, meta: dict[str, Any], dry_run: bool) -> Any:
    data, links, _ = _paths(token)
    return run_import(data, _options(meta), links_path=links if meta["links_file_name"] else None,
                      dry_run=dry_run, file_name=meta["file_name"],
                      links_file_name=meta["links_file_name"])


@roles(ADMIN)
def import_schools() -> str | Response:
    """Upload, check and preview: nothing changes until the administrator confirms."""
    form = ImportForm()
    if form.validate_on_submit():
        token, meta = _store(form)
        summary = _run(token, meta, dry_run=True)
        if not summary.ok:
            _discard(token)
            return render_template("schools/import-schools.html", form=form, summary=summary)
        return render_template("schools/import-preview.html", summary=summary, token=token,
                               confirm_form=ButtonForm())
    return render_template("schools/import-schools.html", form=form, summary=None)


@roles(ADMIN)
def confirm_import(token: str) -> str | Response:
    if not TOKEN_RE.match(token) or not ButtonForm().validate_on_submit():
        abort(404)
    meta_path = _paths(token)[2]
    if not meta_path.exists():
        flash("That upload has expired or was already imported. Upload the file again.", "error")
        return redirect(url_for("schools.import_schools"))
    meta = json.loads(meta_path.read_text())
    if meta["user_id"] != current_user.id:
        abort(404)
    try:
        summary = _run(token, meta, dry_run=False)
    except ImportAborted as aborted:
        flash(str(aborted), "error")
        return redirect(url_for("schools.import_schools"))
    finally:
        _discard(token)
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
                      + (f"Its adoption of the current version was carried over."
                         if carried[0] else "No adoption needed carrying over."), "success")
                return redirect(url_for("schools.show_school", school_id=school.id))
    return render_template("schools/link-predecessor.html", form=form, school=school)
