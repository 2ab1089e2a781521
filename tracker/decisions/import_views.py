"""Reading a notice on the page: paste or upload, preview every field, confirm.

Nothing is saved until the user confirms. The preview carries the notice text itself (in a
hidden field) and the confirmation reads it again: a parse is never taken from the browser.
What the user decides on the preview (where each unplaced item goes, what each new part
does, which decision it is, values the notice lacks) is checked like any form input.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Mapping

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.wrappers import Response

from tracker.audit import StaleEdit
from tracker.decisions import importing
from tracker.decisions.blueprint import bp
from tracker.decisions.forms import ImportForm
from tracker.decisions.notice_files import MAX_FILE_BYTES
from tracker.forms import ButtonForm
from tracker.permissions import ADMIN, roles
from tracker.vocab import EXEMPTIONS, PART_KIND_LABELS, PART_KINDS


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="decision-notice-source")


def _source_note(warnings: list[str], filename: str | None) -> str:
    return _signer().dumps({"warnings": warnings[:10], "filename": (filename or "")[:200]})


def _read_source_note(value: str | None) -> dict[str, Any]:
    try:
        note = _signer().loads(value or "")
    except BadSignature:
        return {"warnings": [], "filename": ""}
    return note if isinstance(note, dict) else {"warnings": [], "filename": ""}


MAX_FILES = 20


@bp.route("/import", methods=["GET", "POST"])
@roles(ADMIN)
def import_notice() -> str:
    form = ImportForm()
    if form.validate_on_submit():
        uploads = [f for f in (form.notice_file.data or []) if getattr(f, "filename", "")]
        pasted = form.notice_text.data or ""
        if uploads and pasted.strip():
            form.notice_text.errors = ["Paste the notice or choose files, not both"]
        elif not uploads and not pasted.strip():
            form.notice_text.errors = ["Paste the text of the notice, or choose a notice file"]
        elif len(uploads) > MAX_FILES:
            form.notice_file.errors = [f"Choose {MAX_FILES} files or fewer at a time"]
        elif len(uploads) > 1:
            return render_template("decisions/import-many.html", notices=_read_uploads(uploads),
                                   field_labels=importing.FIELD_LABELS, show=importing.show,
                                   form=ButtonForm())
        else:
            upload = uploads[0] if uploads else None
            if upload is not None:
                decoded = importing.text_from_upload(_upload_bytes(upload), upload.filename)
            else:
                decoded = importing.text_from_paste(pasted)
            try:
                reading, text = importing.read(decoded)
            except importing.NoticeProblem as problem:
                field = form.notice_file if upload is not None else form.notice_text
                field.errors = [str(problem)]
            else:
                plan = importing.make_plan(reading, text)
                return _preview(plan, importing.Choices(), {}, source=_source_note(
                    decoded.warnings, upload.filename if upload is not None else None))
    return render_template("decisions/import-notice.html", form=form)


def _upload_bytes(upload: Any) -> bytes:
    try:
        return upload.stream.read(MAX_FILE_BYTES + 1)
    finally:
        upload.close()


def _read_uploads(uploads: list[Any]) -> list[dict[str, Any]]:
    """One entry per file: its name and reading (and text), or why it could not be read."""
    notices: list[dict[str, Any]] = []
    for upload in uploads:
        name = upload.filename
        decoded = importing.text_from_upload(_upload_bytes(upload), name)
        try:
            reading, text = importing.read(decoded)
        except importing.NoticeProblem as problem:
            notices.append({"filename": name, "error": str(problem)})
        else:
            notices.append({"filename": name, "reading": reading, "text": text,
                            "layout": importing.LAYOUT_LABELS.get(reading.layout, reading.layout)})
    return notices


@bp.route("/import/confirm", methods=["POST"])
@roles(ADMIN)
def confirm_import() -> str | Response:
    if not ButtonForm().validate_on_submit():
        abort(400)
    source = _read_source_note(request.form.get("source"))
    decoded = importing.text_from_paste(request.form.get("notice_text", ""))
    decoded.warnings = [str(w) for w in source.get("warnings", [])][:10] + decoded.warnings
    try:
        reading, text = importing.read(decoded)
    except importing.NoticeProblem as problem:
        form = ImportForm()
        form.notice_text.errors = [str(problem)]
        return render_template("decisions/import-notice.html", form=form)
    choices, errors = _choices(request.form, reading)
    plan = importing.make_plan(reading, text, choices)
    errors = importing.check(plan, choices) | errors
    seen, now = request.form.get("seen", ""), _seen(plan)
    message = None
    if not errors and seen != now and not (seen == "choose:" and plan.mode == "create"):
        message = ("Check what would change in the decision you chose, then save."
                   if seen == "choose:" else
                   "Things have changed since you read the notice: check the preview again.")
    if errors or message:
        if seen != now and plan.target is not None:
            choices.apply, choices.target_version = None, plan.target.version_id
        return _preview(plan, choices, errors, source=request.form.get("source", ""),
                        message=message)
    try:
        decision = importing.apply_plan(plan, choices)
    except StaleEdit as stale:  # raised before anything is written
        plan = importing.make_plan(reading, text, choices)
        choices.apply = None
        choices.target_version = plan.target.version_id if plan.target else None
        return _preview(plan, choices, {}, source=request.form.get("source", ""),
                        message=f"{stale.message} The preview now shows what would change.")
    verb = "Created" if plan.mode == "create" else "Updated"
    flash(f"{verb} the decision “{decision.title}” from the notice.", "success")
    return redirect(url_for("decisions.show_decision", decision_id=decision.id))


def _seen(plan: importing.Plan) -> str:
    return f"{plan.mode}:{plan.target.id if plan.target is not None else ''}"


def _preview(plan: importing.Plan, choices: importing.Choices, errors: dict[str, str],
             source: str, message: str | None = None) -> str:
    assignments = {i: choices.assignments.get(i, importing.default_assignment(item))
                   for i, item in enumerate(plan.unrecognised[:importing.MAX_ASSIGNABLE])}
    return render_template(
        "decisions/import-preview.html", plan=plan, choices=choices, errors=errors,
        source=source, message=message, seen=_seen(plan), assignments=assignments,
        assign_targets=importing.ASSIGN_TARGETS, field_labels=importing.FIELD_LABELS,
        kind_labels=PART_KIND_LABELS, show=importing.show, form=ButtonForm(),
        exemptions=importing.exemption_choices(),
        target_version=(choices.target_version if choices.target_version is not None
                        else plan.target.version_id if plan.target is not None else None),
        applied={c.key for c in plan.selected(choices)})


def _choices(form: Mapping[str, Any], reading: Any) -> tuple[importing.Choices, dict[str, str]]:
    """What the user chose on the preview, checked; errors keyed by input name."""
    errors: dict[str, str] = {}
    choices = importing.Choices()
    for index in range(min(len(reading.unrecognised), importing.MAX_ASSIGNABLE)):
        target = form.get(f"assign-{index}")
        if target in importing.ASSIGN_TARGETS:
            choices.assignments[index] = target
    for part in reading.parts:
        kind = form.get(f"kind-{part.label}")
        if kind in PART_KINDS:
            choices.kinds[part.label] = kind
    choices.target = (form.get("target") or "").strip() or None
    version = (form.get("target_version") or "").strip()
    choices.target_version = int(version) if version.isdigit() and len(version) < 10 else None
    if form.get("apply_shown"):
        choices.apply = set(form.getlist("apply"))  # type: ignore[attr-defined]
    title = " ".join((form.get("extra_title") or "").split())
    maker = " ".join((form.get("extra_decision_maker") or "").split())
    if len(title) > 500:
        errors["extra_title"] = "The title must be 500 characters or fewer"
    elif title:
        choices.extra["title"] = title
    if len(maker) > 200:
        errors["extra_decision_maker"] = "The decision maker must be 200 characters or fewer"
    elif maker:
        choices.extra["decision_maker"] = maker
    exemption = form.get("extra_exemption")
    if exemption in EXEMPTIONS:
        choices.extra["exemption"] = exemption
    parts = [(form.get(f"extra_decided_on-{p}") or "").strip() for p in ("day", "month", "year")]
    if any(parts):
        try:
            day, month, year = (int(p) for p in parts)
            if not 1900 <= year <= 2999:
                raise ValueError(year)
            choices.extra["decided_on"] = dt.date(year, month, day)
        except ValueError:
            errors["extra_decided_on"] = ("The date of decision must be a real date, for example "
                                          "26 11 2020")
    return choices, errors
