"""Recording adoption: one school (its lead, an officer owning the guidance's decision part,
or an administrator), or every open school of a trust at once (its trust lead)."""
from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker import clock
from tracker.decisions.callin import CallInRefused, call_in_status
from tracker.forms import warnings_to_review
from tracker.models import GuidanceVersion
from tracker.permissions import ADMIN, OFFICER, SCHOOL_LEAD, can_record_adoption, require, roles
from tracker.problems import FieldProblem
from tracker.saving import add_error, save_form
from tracker.schools import queries, services
from tracker.schools.access import get_school
from tracker.params import id_arg
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
    """The guidance chosen (``?guidance=``; by default the current one) and its version."""
    guidance = queries.guidance_for(current_user, id_arg("guidance"))
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
        return redirect(url_for("schools.show_school", school_id=school.id,
                                guidance=id_arg("guidance")))
    return render_template("schools/record-adoption.html", form=form, school=school,
                           guidance=guidance, version=version, adoption=adoption,
                           warnings=outcome.warnings, call_in=_call_in(version))


@roles(SCHOOL_LEAD)
def record_trust_adoption() -> str | Response:
    """Three steps: the details (nothing chosen for the user), a check page listing each
    school's change from -> to (a downgrade chosen school by school, with a reason), save."""
    if not current_user.trust_code:
        abort(404)
    guidance, version = _current_version()
    schools = services.trust_schools(current_user.trust_code)
    form = TrustAdoptionForm(data={"state": services.trust_state(schools, version)})
    page = {"form": form, "schools": schools, "guidance": guidance, "version": version,
            "trust_name": _trust_name(schools), "call_in": _call_in(version)}
    warnings: list[str] = []
    if form.validate_on_submit() and "change" not in request.form:
        details = _details(form)
        warnings = warnings_to_review(form, details.reason, details.note)
        if not warnings:
            try:
                plan = services.plan_for_trust(current_user, version, details)
                if "confirm" not in request.form:
                    return render_template("schools/check-trust-adoption.html", plan=plan,
                                           errors={}, chosen={}, **page)
                chosen, errors = _downgrades_chosen(plan)
                if errors:
                    return render_template("schools/check-trust-adoption.html", plan=plan,
                                           errors=errors, chosen=chosen, **page)
                changed = services.record_for_trust(current_user, version, details,
                                                    form.state.data or None, chosen)
            except FieldProblem as problem:
                for name, message in problem.errors.items():
                    add_error(form, name, message)
            except CallInRefused as refused:
                form.status.errors = [refused.status.reason]
            except services.TrustStale as stale:
                flash(stale.message, "error")
                return redirect(url_for("schools.record_trust_adoption"))
            else:
                flash(f"Saved for {len(changed)} of the trust's {len(schools)} open schools "
                      f"(the others already had this record, or were left as they were).",
                      "success")
                return redirect(url_for("schools.list_schools"))
    statuses = {row.school.id: row for row in queries.schools_for_lead(current_user)}
    return render_template("schools/record-trust-adoption.html", statuses=statuses,
                           warnings=warnings, **page)


def _trust_name(schools: list[Any]) -> str:
    names = [s.trust_name for s in schools if s.trust_name]
    return names[0] if names else f"Trust {current_user.trust_code}"


def _downgrades_chosen(plan: list[services.TrustChange]) -> tuple[dict[int, str], dict[int, str]]:
    """The schools the user chose to move back, with their reasons; errors by school id."""
    chosen: dict[int, str] = {}
    errors: dict[int, str] = {}
    for change in plan:
        if not change.downgrade or request.form.get(f"downgrade-{change.school.id}") != "yes":
            continue
        reason = (request.form.get(f"downgrade-reason-{change.school.id}") or "").strip()
        chosen[change.school.id] = reason
        if not reason:
            errors[change.school.id] = f"Give the reason {change.school.name} is moved back"
        elif len(reason) > 2000:
            errors[change.school.id] = "The reason must be 2,000 characters or fewer"
    return chosen, errors
