"""The guidance: its versions, the adoption figure as at a date (by status and phase), new
versions; and the chasing list of schools that have not adopted, with its CSV export."""
from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from tracker import audit, clock, progress
from tracker.downloads import download
from tracker.extensions import db
from tracker.models import DecisionPart
from flask_login import current_user

from tracker.permissions import ADMIN, ALL_ROLES, OFFICER, STAFF, can_see_guidance, require, roles
from tracker.progress_series import adoption_by_phase
from tracker.saving import save_form
from tracker.schools import facts, queries, services
from tracker.schools.access import get_guidance
from tracker.schools.forms import AsAtForm, VersionForm, options
from tracker.vocab import ADOPTION_STATUS_LABELS, ADOPTION_STATUSES
from tracker.params import id_arg, page_arg


@roles(*STAFF)
def list_guidance() -> str | Response:
    guidance = queries.current_guidance()
    if guidance is None:
        return render_template("schools/no-guidance.html")
    return redirect(url_for("schools.show_guidance", guidance_id=guidance.id))


def _as_at(form: AsAtForm) -> dt.date:
    today = clock.today()
    if not form.validate() or form.as_at.data is None:
        return today
    if form.as_at.data > today:
        form.as_at.errors = ["Figures as at must be today or in the past"]
        return today
    return form.as_at.data


@roles(*ALL_ROLES)
def show_guidance(guidance_id: int) -> str:
    guidance = get_guidance(guidance_id)
    require(can_see_guidance(current_user, guidance))
    form = AsAtForm(request.args if "as_at" in request.args else None)
    as_at = _as_at(form)
    version = facts.version_as_at(guidance, as_at)
    chosen = id_arg("version")
    if chosen is not None:
        version = next((v for v in guidance.versions if v.number == chosen and not v.is_withdrawn),
                       None) or abort(404)
    figure = phases = None
    if version is not None:
        school_facts = _facts_as_at(version.id, as_at)
        figure = progress.adoption_figure(school_facts, as_at=as_at)
        phases = adoption_by_phase(school_facts, as_at)
    return render_template(
        "schools/show-guidance.html", guidance=guidance, version=version, figure=figure,
        phases=phases, as_at=as_at, form=form, statuses=ADOPTION_STATUSES,
        labels=ADOPTION_STATUS_LABELS, format_share=progress.format_share,
        versions=[v for v in guidance.versions if not v.is_withdrawn])


def _facts_as_at(version_id: int, as_at: dt.date) -> list[progress.SchoolFact]:
    """The schools' facts with phase, scope and closure as recorded by the end of ``as_at``
    (a later GIAS import may have changed them), exactly as the dashboard and the committee
    report restate them, so every page shows the same figure for the same date."""
    from tracker.dashboard.adoption import facts_as_at
    from tracker.dashboard.history import ValuesAsAt

    cutoff = None if as_at >= clock.today() else clock.end_of_day_utc(as_at)
    return facts_as_at(version_id, ValuesAsAt(cutoff))


@roles(ADMIN)
def add_version(guidance_id: int) -> str | Response:
    guidance = get_guidance(guidance_id)
    parts = db.session.scalars(sa.select(DecisionPart).where(
        DecisionPart.kind == "approve_guidance", DecisionPart.withdrawn_at.is_(None))
        .order_by(DecisionPart.id)).all()
    form = VersionForm(data={"approved_by_part_id": guidance.part_id or 0})
    form.approved_by_part_id.choices = options([(0, "A decision not in the tracker")] + [
        (p.id, f"{p.decision.reference or p.decision.title}, part ({p.label})") for p in parts])
    added: list[Any] = []
    outcome = save_form(form, lambda: [form.title.data, form.changes.data],
                        lambda: added.append(services.add_version(guidance, services.VersionDetails(
                            title=form.title.data or "", approved_on=form.approved_on.data,
                            url=form.url.data or None, changes=form.changes.data or None,
                            approved_by_part_id=form.approved_by_part_id.data or None))))
    warnings = outcome.warnings
    if outcome.saved:
        flash(f"Version {added[0].number} added. Every school in scope now starts a new "
              "round of adoption; earlier rounds are kept as history.", "success")
        return redirect(url_for("schools.show_guidance", guidance_id=guidance.id))
    return render_template("schools/add-version.html", form=form, guidance=guidance,
                           warnings=warnings)


@roles(ADMIN, OFFICER)
def chasing_list() -> str:
    version = queries.current_version()
    size = current_app.config.get("PAGE_SIZE", 25)
    number = page_arg()
    page = queries.chasing_page(version, number, size) if version else queries.Page([], 0, 1, size)
    return render_template("schools/chasing-list.html", page=page, version=version,
                           guidance=queries.current_guidance())


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """A cell a spreadsheet will not run as a formula (docs/imports-and-exports.md: exports neutralise them)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


@roles(ADMIN, OFFICER)
def export_chasing_list() -> Response:
    version = queries.current_version()
    if version is None:
        abort(404)
    rows = queries.chasing_list(version)
    queries.add_leads(rows)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["URN", "School", "Local authority", "Phase", "Type", "Trust",
                     f"Adoption of version {version.number}", "Lead", "Lead email"])
    for row in rows:
        s = row.school
        writer.writerow(safe_cell(v) for v in (
            s.urn, s.name, s.la_name, s.phase, s.type_name, s.trust_name, row.status_label,
            "; ".join(u.name for u in row.leads), "; ".join(u.email for u in row.leads)))
    with audit.own_transaction():
        audit.record("export", version, summary=f"Chasing list exported as CSV: {len(rows)} "
                     f"schools that have not adopted version {version.number}")
    name = f"chasing-list-version-{version.number}-{clock.today().isoformat()}.csv"
    return download("\ufeff" + out.getvalue(), "text/csv", name)
