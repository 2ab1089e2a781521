"""Recording adoption: one school (its lead, an officer owning the guidance's decision part,
or an administrator), or every open school of a trust at once (its trust lead)."""
from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker import clock
from tracker.decisions.callin import call_in_status
from tracker.models import GuidanceVersion
from tracker.permissions import ADMIN, OFFICER, SCHOOL_LEAD, can_record_adoption, require, roles
from tracker.saving import save_form
from tracker.schools import queries, services
from tracker.schools.access import get_school
from tracker.schools.forms import AdoptionFields, AdoptionForm, TrustAdoptionForm
from tracker.vocab import ADOPTION_STATUS_LABELS


def _details(form: AdoptionFields) -> services.AdoptionDetails:
    return services.AdoptionDetails(
        status=form.status.data or "not_started", adopted_on=form.adopted_on.data,
        policy_url=form.policy_url.data or None, trained_on=form.trained_on.data,
        reason=form.reason.data or None, note=form.note.data or None)


def _call_in(version: GuidanceVersion) -> Any:
    decision = services.decision_for(version)
    return call_in_status(decision, clock.today()) if decision is not None else None


def _current_version() -> tuple[Any, GuidanceVersion]:
    guidance = queries.guidance_for(current_user)
    version = guidance.current_version if guidance else None
    if guidance is None or version is None:
        abort(404)
    return guidance, version


@roles(ADMIN, OFFICER, SCHOOL_LEAD)
def record_adoption(school_id: int) -> str | Response:
    school = get_school(school_id)
    guidance, version = _current_version()
    require(can_record_adoption(current_user, school, guidance))
    adoption = services.adoption_of(school, version)
    form = AdoptionForm(data=services.values_of(adoption)
                        | {"version_id": adoption.version_id if adoption else 0})
    changed: list[Any] = []
    outcome = save_form(form, lambda: [form.reason.data, form.note.data],
                        lambda: changed.append(services.record_adoption(
                            school, version, _details(form), current_user,
                            form.version_id.data)))
    if outcome.saved:
        flash(f"Saved: {school.name} is “{ADOPTION_STATUS_LABELS[form.status.data]}” for "
              f"version {version.number}." if changed[0]
              else "Nothing had changed, so nothing was saved.", "success")
        return redirect(url_for("schools.show_school", school_id=school.id))
    return render_template("schools/record-adoption.html", form=form, school=school,
                           guidance=guidance, version=version, adoption=adoption,
                           warnings=outcome.warnings, call_in=_call_in(version))


@roles(SCHOOL_LEAD)
def record_trust_adoption() -> str | Response:
    if not current_user.trust_code:
        abort(404)
    guidance, version = _current_version()
    schools = services.trust_schools(current_user.trust_code)
    form = TrustAdoptionForm(data={"status": "not_started",
                                   "state": services.trust_state(schools, version)})
    changed: list[Any] = []
    outcome = save_form(form, lambda: [form.reason.data, form.note.data],
                        lambda: changed.extend(services.record_for_trust(
                            current_user, version, _details(form), form.state.data or None)))
    warnings = outcome.warnings
    if outcome.saved:
        flash(f"Saved for {len(changed)} of the trust's {len(schools)} open schools "
              f"(the others already had this record).", "success")
        return redirect(url_for("schools.list_schools"))
    statuses = {row.school.id: row for row in queries.schools_for_lead(current_user)}
    return render_template("schools/record-trust-adoption.html", form=form, schools=schools,
                           statuses=statuses, guidance=guidance, version=version,
                           warnings=warnings, call_in=_call_in(version))
