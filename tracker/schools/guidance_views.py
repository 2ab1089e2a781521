"""The guidance: its versions, the adoption figure as at a date (by status and phase), new
versions; and the chasing list of schools that have not adopted, with its CSV export."""
from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker import audit, clock, progress
from tracker.downloads import download
from tracker.extensions import db
from tracker.models import DecisionPart
from tracker.permissions import (
    ADMIN, COUNCIL_ROLES, OFFICER, STAFF, can_manage, can_see_guidance, refuse, require, roles,
)
from tracker.progress_series import adoption_by_phase
from tracker.saving import save_form
from tracker.schools import facts, queries, services
from tracker.schools.access import get_guidance, get_guidance_part
from tracker.schools.forms import AsAtForm, GuidanceForm, VersionForm, options
from tracker.vocab import ADOPTION_STATUS_LABELS, ADOPTION_STATUSES
from tracker.params import id_arg, page_arg


@roles(*STAFF)
def list_guidance() -> str | Response:
    """Every guidance document, each with its adoption today; with one only, its page. An
    administrator also sees the parts that approved guidance not yet added, to add it."""
    every = queries.every_guidance_for(current_user)
    awaiting = queries.parts_awaiting_guidance() if can_manage(current_user) else []
    if len(every) == 1 and not awaiting:
        return redirect(url_for("schools.show_guidance", guidance_id=every[0].id))
    figures = {g.id: facts.adoption_figure(g.current_version) for g in every
               if g.current_version is not None}
    return render_template("schools/list-guidance.html", every=every, figures=figures,
                           awaiting=awaiting, format_share=progress.format_share)


def _as_at(form: AsAtForm) -> dt.date:
    today = clock.today()
    if not form.validate() or form.as_at.data is None:
        return today
    if form.as_at.data > today:
        form.as_at.errors = ["Figures as at must be today or in the past"]
        return today
    return form.as_at.data


@roles(*COUNCIL_ROLES)
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
def add_guidance(guidance_part_id: int) -> str | Response:
    """From the decision page: a guidance document the part approved, with its first version
    (a decision may approve several; each is adopted, charted and reported on its own:
    docs/rules-of-progress.md, "Guidance and its versions")."""
    part = get_guidance_part(guidance_part_id)
    decision = part.decision
    form = GuidanceForm(data={"approved_on": decision.decided_on} if decision.decided_on else None)
    added: list[Any] = []
    back = url_for("decisions.show_decision", decision_id=decision.id, _anchor=f"part-{part.label}")
    outcome = save_form(
        form, lambda: [form.title.data, form.version_title.data, form.changes.data],
        lambda: added.append(services.add_guidance(part, services.GuidanceDetails(
            title=form.title.data or "", first_version=services.VersionDetails(
                title=form.version_title.data or "", approved_on=form.approved_on.data,
                url=form.url.data or None, changes=form.changes.data or None)))),
        once_to=back)
    if outcome.repeated:
        flash("That form had already been sent, so it was saved once, not twice.", "success")
        return redirect(outcome.repeated)
    if outcome.saved:
        flash(f"{added[0].title} added, approved by part ({part.label}). Every school in scope "
              "now starts adopting version 1.", "success")
        return redirect(back)
    return render_template("schools/add-guidance.html", form=form, part=part, decision=decision,
                           warnings=outcome.warnings, back=back)


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


def _chosen_guidance() -> tuple[Any, Any, int | None]:
    """The guidance ``?guidance=`` names (404 if there is none such), else the current one;
    with its current version and the id chosen."""
    chosen = id_arg("guidance")
    guidance = queries.guidance_for(current_user, chosen)
    if chosen is not None and guidance is None:
        refuse()
    return guidance, guidance.current_version if guidance else None, chosen


@roles(ADMIN, OFFICER)
def chasing_list() -> str:
    guidance, version, chosen = _chosen_guidance()
    size = current_app.config.get("PAGE_SIZE", 25)
    number = page_arg()
    page = queries.chasing_page(version, number, size) if version else queries.Page([], 0, 1, size)
    return render_template("schools/chasing-list.html", page=page, version=version,
                           guidance=guidance, chosen=chosen)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """A cell a spreadsheet will not run as a formula (docs/imports-and-exports.md: exports neutralise them)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


@roles(ADMIN, OFFICER)
def export_chasing_list() -> Response:
    guidance, version, _ = _chosen_guidance()
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
                     f"schools that have not adopted {guidance.title}, version {version.number}")
    name = (f"chasing-list-{guidance.id}-version-{version.number}-{clock.today().isoformat()}.csv"
            if id_arg("guidance") else
            f"chasing-list-version-{version.number}-{clock.today().isoformat()}.csv")
    return download("\ufeff" + out.getvalue(), "text/csv", name)
