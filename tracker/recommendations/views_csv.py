"""The administrator's recommendations CSV: download, and upload with a preview of the
changes before they are applied (layout: tracker.recommendations.csv_io)."""
from __future__ import annotations

import base64
import binascii

from flask import Response, flash, redirect, render_template, url_for
from flask_login import current_user

from tracker import audit
from tracker.clock import today
from tracker.downloads import download
from tracker.extensions import db
from tracker.permissions import ADMIN, roles
from tracker.recommendations import csv_io
from tracker.recommendations.blueprint import bp
from tracker.recommendations.forms import MAX_CSV_BYTES, ConfirmImportForm, ImportForm


@bp.route("/admin/recommendations/export.csv")
@roles(ADMIN)
def export_recommendations() -> Response:
    with audit.own_transaction():
        body = csv_io.export_csv()
    return download(body.encode("utf-8"), "text/csv", f"recommendations-{today().isoformat()}.csv")


@bp.route("/admin/recommendations/import", methods=["GET", "POST"])
@roles(ADMIN)
def import_recommendations() -> str:
    form = ImportForm()
    plan, confirm = None, None
    if form.validate_on_submit():
        upload = form.csv_file.data
        data = upload.read() if upload else b""
        if not data:
            form.csv_file.errors = list(form.csv_file.errors) + ["Choose a CSV file to upload"]
        elif len(data) > MAX_CSV_BYTES:
            form.csv_file.errors = list(form.csv_file.errors) + [
                "The file must be 15 MB or smaller"]
        else:
            plan = csv_io.check(csv_io.decode(data), today())
            if not plan.problems:
                confirm = ConfirmImportForm(formdata=None)
                confirm.csv_text.data = base64.b64encode(data).decode("ascii")
                confirm.plan_digest.data = plan.digest
            db.session.rollback()
    return render_template("recommendations/import.html", form=form, plan=plan,
                           confirm=confirm, columns=csv_io.COLUMNS,
                           filename=csv_io.safe_name(getattr(form.csv_file.data, "filename", "")))


@bp.route("/admin/recommendations/import/confirm", methods=["POST"])
@roles(ADMIN)
def confirm_import() -> str | Response:
    confirm = ConfirmImportForm()
    if not confirm.validate_on_submit():
        return redirect(url_for("recommendations.import_recommendations"))
    try:
        data = base64.b64decode(confirm.csv_text.data or "", validate=True)
    except (binascii.Error, ValueError):
        return redirect(url_for("recommendations.import_recommendations"))
    day = today()
    plan = csv_io.check(csv_io.decode(data), day)
    if plan.problems or plan.digest != confirm.plan_digest.data:
        db.session.rollback()
        flash("The tracker changed since you checked the file, so nothing was applied. "
              "Here is what the file would do now.", "error")
        fresh = None
        if not plan.problems:
            fresh = ConfirmImportForm(formdata=None)
            fresh.csv_text.data = confirm.csv_text.data
            fresh.plan_digest.data = plan.digest
        return render_template("recommendations/import.html", form=ImportForm(formdata=None),
                               plan=plan, confirm=fresh, columns=csv_io.COLUMNS, filename="")
    if not plan.changes:
        flash("The file matches the tracker: nothing to change.", "success")
        return redirect(url_for("recommendations.list_recommendations"))
    csv_io.apply(plan, current_user, day, "uploaded")
    flash(f"Applied {len(plan.changes)} changes from the file.", "success")
    return redirect(url_for("recommendations.list_recommendations"))
