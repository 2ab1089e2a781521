"""Recommendation pages: the list, one recommendation, adding and editing (administrators),
taking a scrutiny recommendation up, the executive response table and "my actions"."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker import permissions
from tracker.params import choice_arg, page_arg
from tracker.clock import today
from tracker.decisions.callin import call_in_status
from tracker.permissions import ADMIN, ALL_ROLES, OFFICER, PARTNER, STAFF, roles
from tracker.saving import save_form
from tracker.web import HISTORY_PAGE
from tracker.recommendations import facts, queries, services
from tracker.recommendations import views_closing, views_csv, views_work  # noqa: F401  (register routes)
from tracker.recommendations.blueprint import bp, load_recommendation, load_shown_recommendation
from tracker.recommendations.forms import (
    FilterForm, RecommendationForm, ResponseForm, TakeUpForm, WithdrawForm, options,
    owner_value, selected_id, split_owner,
)

__all__ = ["bp"]


def _filters(form: FilterForm) -> queries.Filters:
    return queries.Filters(
        decision_id=selected_id(form.decision.data), source=form.source.data or None,
        owner_id=selected_id(form.owner.data), organisation_id=selected_id(form.agency.data),
        status=form.status.data if form.status.data in queries.STATUS_FILTERS else None,
        overdue=bool(form.overdue.data),
        words=form.words.data if form.validate() or not form.words.errors else None,
        sort=form.sort.data if form.sort.data in queries.SORTS else "decision")


@bp.route("/recommendations")
@roles(*ALL_ROLES)
def list_recommendations() -> str:
    form = FilterForm(request.args)
    choices = queries.filter_choices(current_user)
    form.decision.choices = options([("", "Any decision"), *choices["decisions"]])
    form.owner.choices = options([("", "Anyone"), *choices["owners"]])
    form.agency.choices = options([("", "Any agency"), *choices["agencies"]])
    form.status.choices = options([("", "Any status")] + [
        (k, words) for k, (_, _, words) in queries.STATUS_FILTERS.items()])
    form.sort.choices = options(queries.SORTS.items())
    result = queries.list_recommendations(
        current_user, _filters(form), today=today(), page=page_arg(),
        per_page=current_app.config.get("PAGE_SIZE", 25))
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("recommendations/list-recommendations.html", form=form,
                           result=result, args=args, share_words=facts.share_words)


@bp.route("/recommendations/<int:recommendation_id>")
@roles(*ALL_ROLES)
def show_recommendation(recommendation_id: int) -> str:
    rec = load_shown_recommendation(recommendation_id)
    day = today()
    # A partner officer reads their organisation's actions only, and the page's figures
    # (counts, RAG, due dates) are worked out over those alone (permissions.actions_in_view).
    actions = permissions.actions_in_view(current_user, rec)
    state, whole = facts.page_states(rec, actions, today=day)
    action_states = {s.id: s for s in state.action_states} if state else {}
    staff = permissions.can_see_history(current_user)
    return render_template(
        "recommendations/show-recommendation.html", rec=rec, state=state, actions=actions,
        action_states=action_states, action_tag=facts.action_tag, tag=facts.rec_tag(state),
        share=facts.share_words(state),
        timeline=queries.timeline(actions, page=page_arg("updates_page")),
        history=queries.history(rec, page=page_arg(HISTORY_PAGE)) if staff else None,
        show_challenges=staff,
        call_in=call_in_status(rec.part.decision, day) if rec.part else None,
        response_due=queries.due_row(rec, day) if state and state.awaiting_response else None,
        can=permissions, today=day, **views_closing.page_extras(rec, whole))


def _details(form: RecommendationForm) -> services.RecommendationDetails:
    return services.RecommendationDetails(
        source=form.source.data or "", reference=form.reference.data or "",
        text=form.text.data or "", part_id=selected_id(form.part_id.data),
        owner_id=split_owner(form.owner_id.data)[0], lead_service=form.lead_service.data,
        owner_organisation_id=split_owner(form.owner_id.data)[1],
        committee=form.committee.data, meeting_on=form.meeting_on.data,
        minute_reference=form.minute_reference.data,
        report_published_on=form.report_published_on.data)


def _texts(form: RecommendationForm) -> list[str | None]:
    return [form.reference.data, form.text.data, form.lead_service.data, form.committee.data]


@bp.route("/recommendations/new", methods=["GET", "POST"])
@roles(ADMIN)
def add_recommendation() -> str | Response:
    form = RecommendationForm()
    form.fill_choices()
    if not form.is_submitted():
        form.part_id.data = request.args.get("part_id", "")
        form.source.data = request.args.get("source", "review")
    created: list[int] = []
    outcome = save_form(form, lambda: _texts(form), lambda: created.append(
        services.create_recommendation(current_user, _details(form)).id),
        call_in_field="part_id")
    if outcome.saved:
        flash("Recommendation added.", "success")
        return redirect(url_for("recommendations.show_recommendation",
                                recommendation_id=created[0]))
    return render_template("recommendations/edit-recommendation.html", form=form, rec=None,
                           outcome=outcome)


@bp.route("/recommendations/<int:recommendation_id>/edit", methods=["GET", "POST"])
@roles(ADMIN)
def edit_recommendation(recommendation_id: int) -> str | Response:
    rec = load_recommendation(recommendation_id)
    form = RecommendationForm(obj=rec)
    form.fill_choices()
    if not form.is_submitted():
        form.part_id.data = str(rec.part_id or "")
        form.owner_id.data = owner_value(rec)
    outcome = save_form(form, lambda: _texts(form), lambda: services.edit_recommendation(
        current_user, rec, _details(form), form.version_id.data), call_in_field="part_id")
    if outcome.saved:
        flash("Saved the changes to the recommendation.", "success")
        return redirect(url_for("recommendations.show_recommendation", recommendation_id=rec.id))
    return render_template("recommendations/edit-recommendation.html", form=form, rec=rec,
                           outcome=outcome)


@bp.route("/recommendations/<int:recommendation_id>/withdraw", methods=["GET", "POST"])
@roles(ADMIN)
def withdraw_recommendation(recommendation_id: int) -> str | Response:
    rec = load_recommendation(recommendation_id)
    form = WithdrawForm(obj=rec if not request.form else None)
    outcome = save_form(form, lambda: [form.reason.data], lambda: services.withdraw_recommendation(
        current_user, rec, form.reason.data or "", form.version_id.data), call_in_field="reason")
    if outcome.saved:
        flash(f"Recommendation {rec.reference} withdrawn. It stays in the history.", "success")
        return redirect(url_for("recommendations.list_recommendations"))
    return render_template("recommendations/withdraw.html", form=form, thing=rec,
                           title=f"Withdraw recommendation {rec.reference}", outcome=outcome,
                           back=url_for("recommendations.show_recommendation",
                                        recommendation_id=rec.id))


@bp.route("/recommendations/<int:recommendation_id>/take-up", methods=["GET", "POST"])
@roles(ADMIN)
def take_up_recommendation(recommendation_id: int) -> str | Response:
    rec = load_recommendation(recommendation_id)
    form = TakeUpForm(obj=rec if not request.form else None)
    form.fill_choices()
    if not form.is_submitted():
        form.part_id.data = ""
    outcome = save_form(form, lambda: [], lambda: services.take_up(
        current_user, rec, selected_id(form.part_id.data) or 0, form.version_id.data),
        call_in_field="part_id")
    if outcome.saved:
        flash(f"Recommendation {rec.reference} taken up under the decision.", "success")
        return redirect(url_for("recommendations.show_recommendation", recommendation_id=rec.id))
    return render_template("recommendations/take-up.html", form=form, rec=rec, outcome=outcome)


@bp.route("/recommendations/<int:recommendation_id>/response", methods=["GET", "POST"])
@roles(ADMIN)
def record_response(recommendation_id: int) -> str | Response:
    rec = load_recommendation(recommendation_id)
    form = ResponseForm(obj=rec.current_response if not request.form else None)

    def save() -> None:
        services.record_response(current_user, rec, services.ResponseDetails(
            response=form.response.data or "", response_text=form.response_text.data,
            reason=form.reason.data, cabinet_member=form.cabinet_member.data,
            lead_officer=form.lead_officer.data, timetable=form.timetable.data))

    outcome = save_form(form, lambda: [form.response_text.data, form.reason.data,
                                      form.timetable.data], save, call_in_field="response")
    if outcome.saved:
        flash(f"Executive response to {rec.reference} recorded.", "success")
        if form.response.data != "not_accepted" and not (rec.intended_outcome
                                                         and rec.how_measured):
            flash("Record the intended outcome and how it will be measured: both are needed "
                  "before the recommendation can be signed off.", "success")
        return redirect(url_for("recommendations.show_recommendation", recommendation_id=rec.id))
    return render_template("recommendations/record-response.html", form=form, rec=rec,
                           outcome=outcome)


@bp.route("/executive-responses")
@roles(*STAFF)
def response_table() -> str:
    decision_id = selected_id(request.args.get("decision"))
    day = today()
    # One decision's table whole (the paper put to committee); every decision's by pages.
    return render_template(
        "recommendations/response-table.html",
        page=queries.scrutiny_rows(current_user, today=day, decision_id=decision_id,
                                   page=page_arg(), per_page=None if decision_id
                                   else queries.RESPONSES_PER_PAGE),
        due=queries.responses_due(current_user, today=day), today=day,
        decisions=queries.filter_choices(current_user)["decisions"],   # the list's, stored
        decision_id=decision_id)


@bp.route("/my-actions")
@roles(ADMIN, OFFICER, PARTNER)
def my_actions() -> str:
    day = today()
    groups = queries.my_actions(current_user, today=day)
    order = choice_arg("sort", ("due", "due-latest"), default="due")
    rows = groups["all"] if order == "due" else sorted(
        groups["all"], key=lambda r: (r.state.current_due_on, r.action.id), reverse=True)
    return render_template("recommendations/my-actions.html", rows=rows, order=order,
                           groups=groups, today=day,
                           due_soon_days=queries.DUE_SOON_DAYS,
                           challenges=queries.challenges_to_answer(current_user))
