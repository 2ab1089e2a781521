"""Schools and guidance adoption: the blueprint, its route table, and the schools pages.

Views are split by subject (adoption_views, guidance_views, import_views); each is a plain
function with its ``@roles``, registered on ``bp`` in the table at the bottom.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user

from tracker.decisions.queries import register_part_summary
from tracker.permissions import (
    COUNCIL_ROLES, can_record_adoption, can_see_history, refuse, roles,
)
from tracker.schools import adoption_views, guidance_views, import_views, queries
from tracker.schools.access import get_school
from tracker.schools.forms import SchoolFilterForm, options
from tracker.params import id_arg, page_arg
from tracker.web import history_shown

bp = Blueprint("schools", __name__, url_prefix="/schools")


@roles(*COUNCIL_ROLES)
def list_schools() -> str:
    form = SchoolFilterForm(request.args)
    choices = queries.filter_choices(current_user)
    form.phase.choices = options([("", "Any")] + [(p, p) for p in choices["phases"]])
    form.type_name.choices = options([("", "Any")] + [(t, t) for t in choices["types"]])
    form.validate()
    filters = queries.SchoolFilters(
        q=form.q.data or None, phase=form.phase.data or None,
        type_name=form.type_name.data or None, trust=form.trust.data or None,
        status=form.status.data if not form.status.errors and form.status.data else None,
        show=form.show.data if form.show.data == "all" else "counted",
        page=page_arg())
    chosen = id_arg("guidance")
    live = queries.live_guidance()
    guidance = queries.guidance_for(current_user, chosen, live)
    if chosen is not None and guidance is None:
        refuse()
    version = guidance.current_version if guidance else None
    page = queries.list_schools(current_user, version, filters,
                                size=current_app.config.get("PAGE_SIZE", 25))
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("schools/list-schools.html", form=form, page=page, version=version,
                           guidance=guidance, args=args, chosen=chosen,
                           every_guidance=queries.every_guidance_for(current_user, live),
                           filtered=any(k in args for k in ("q", "phase", "type_name", "trust",
                                                            "status", "show")))


@roles(*COUNCIL_ROLES)
def show_school(school_id: int) -> str:
    school = get_school(school_id)
    chosen = id_arg("guidance")
    live = queries.live_guidance()
    guidance = queries.guidance_for(current_user, chosen, live)
    if chosen is not None and guidance is None:
        refuse()
    history = queries.adoption_history(school, guidance)
    may_record = guidance is not None and guidance.current_version is not None and \
        can_record_adoption(current_user, school, guidance)
    others = [g for g in queries.every_guidance_for(current_user, live)
              if guidance is not None and g.id != guidance.id and g.current_version is not None]
    staff = can_see_history(current_user)
    return render_template(
        "schools/show-school.html", school=school, guidance=guidance, history=history,
        current=history[0] if history else None, may_record=may_record, others=others,
        other_statuses=queries.statuses_of(school, [g.current_version for g in others]),
        chosen=chosen,
        successors=queries.successors_of(school),
        audit_events=history_shown(school) if staff else None)


ROUTES = (
    # (rule, view, methods)
    ("", list_schools, ("GET",)),
    ("/<int:school_id>", show_school, ("GET",)),
    ("/<int:school_id>/adoption", adoption_views.record_adoption, ("GET", "POST")),
    ("/trust-adoption", adoption_views.record_trust_adoption, ("GET", "POST")),
    ("/<int:school_id>/predecessor", import_views.link_predecessor, ("GET", "POST")),
    ("/chasing", guidance_views.chasing_list, ("GET",)),
    ("/chasing.csv", guidance_views.export_chasing_list, ("GET",)),
    ("/guidance", guidance_views.list_guidance, ("GET",)),
    ("/guidance/<int:guidance_id>", guidance_views.show_guidance, ("GET",)),
    ("/guidance/<int:guidance_id>/versions/new", guidance_views.add_version, ("GET", "POST")),
    ("/guidance/new/<int:guidance_part_id>", guidance_views.add_guidance, ("GET", "POST")),
    ("/import", import_views.import_schools, ("GET", "POST")),
    ("/import/<token>", import_views.confirm_import, ("POST",)),
    ("/import/checking/<token>", import_views.import_progress, ("GET",)),
)

for rule, view, methods in ROUTES:
    bp.add_url_rule(rule, view_func=view, methods=list(methods))


def _adoption_for_summary(summaries: list[Any], user: Any) -> None:
    """The decision page's extension point: each guidance part's adoption figure, today."""
    from tracker.schools.facts import adoption_figure

    for summary in summaries:
        if summary.part.kind != "approve_guidance":
            continue
        figures = []
        for guidance in summary.guidance:
            version = guidance.current_version
            if version is not None:
                figures.append((guidance, version, adoption_figure(version)))
        summary.extras["adoption"] = figures


register_part_summary("adoption", _adoption_for_summary)
