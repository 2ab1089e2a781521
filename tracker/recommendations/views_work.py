"""Work on a recommendation: actions, progress updates, challenges and sign-off.

Each view loads (404), checks the role table (404), validates and calls a service; the
service checks the same rules again and the call-in guard before it writes.
"""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker.problems import FieldProblem
from tracker import permissions
from tracker.clock import today
from tracker.decisions.callin import call_in_status
from tracker.permissions import ADMIN, MEMBER, OFFICER, PARTNER, require, roles
from tracker.saving import save_form
from tracker.recommendations import facts, services
from tracker.recommendations.blueprint import (
    bp, load_action, load_challenge, load_recommendation,
)
from tracker.recommendations.forms import (
    ActionForm, AnswerForm, ChallengeForm, SignOffForm, UpdateForm, WithdrawForm, owner_value,
    split_owner,
)


def _back(recommendation_id: int) -> str:
    return url_for("recommendations.show_recommendation", recommendation_id=recommendation_id)


def _repeated(first_result: str) -> Response:
    """A second copy of a create form: nothing new is stored; show what the first one did."""
    flash("That form had already been sent, so it was saved once, not twice.", "success")
    return redirect(first_result)


def _call_in(rec):  # type: ignore[no-untyped-def]
    return call_in_status(rec.part.decision, today()) if rec.part else None


@bp.route("/recommendations/<int:recommendation_id>/actions/new", methods=["GET", "POST"])
@roles(ADMIN, OFFICER)
def add_action(recommendation_id: int) -> str | Response:
    rec = load_recommendation(recommendation_id)
    require(permissions.can_add_action(current_user, rec) and not rec.is_withdrawn)
    form = ActionForm()
    form.fill_choices()
    if not form.is_submitted():
        form.owner_id.data = str(current_user.id)

    def save() -> None:
        if form.due_on.data is None:
            raise FieldProblem("due_on", "Enter the date the action is due")
        services.add_action(current_user, rec, services.ActionDetails(
            title=form.title.data or "", owner_id=split_owner(form.owner_id.data)[0],
            due_on=form.due_on.data, description=form.description.data,
            owner_organisation_id=split_owner(form.owner_id.data)[1]), today())

    outcome = save_form(form, lambda: [form.title.data, form.description.data], save,
                        call_in_field="title", once_to=_back(rec.id))
    if outcome.repeated:
        return _repeated(outcome.repeated)
    if outcome.saved:
        flash("Action added.", "success")
        return redirect(_back(rec.id))
    return render_template("recommendations/edit-action.html", form=form, rec=rec, action=None,
                           outcome=outcome, call_in=_call_in(rec))


@bp.route("/actions/<int:action_id>/edit", methods=["GET", "POST"])
@roles(ADMIN, OFFICER)
def edit_action(action_id: int) -> str | Response:
    action = load_action(action_id)
    rec = action.recommendation
    require(permissions.can_add_action(current_user, rec) and not action.is_withdrawn)
    form = ActionForm(obj=action)
    form.fill_choices()
    del form.once  # an edit, not a create: a second copy is refused as stale instead
    del form.due_on  # the due date is revised by a progress update, with a reason
    if not form.is_submitted():
        form.owner_id.data = owner_value(action)
    outcome = save_form(form, lambda: [form.title.data, form.description.data],
                       lambda: services.edit_action(current_user, action, services.ActionDetails(
                           title=form.title.data or "",
                           owner_id=split_owner(form.owner_id.data)[0],
                           description=form.description.data,
                           owner_organisation_id=split_owner(form.owner_id.data)[1]),
                           form.version_id.data),
                       call_in_field="title")
    if outcome.saved:
        flash("Saved the changes to the action.", "success")
        return redirect(_back(rec.id))
    return render_template("recommendations/edit-action.html", form=form, rec=rec,
                           action=action, outcome=outcome, call_in=None)


@bp.route("/actions/<int:action_id>/withdraw", methods=["GET", "POST"])
@roles(ADMIN, OFFICER)
def withdraw_action(action_id: int) -> str | Response:
    action = load_action(action_id)
    require(permissions.can_add_action(current_user, action.recommendation)
            and not action.is_withdrawn)
    form = WithdrawForm(obj=action)
    outcome = save_form(form, lambda: [form.reason.data], lambda: services.withdraw_action(
        current_user, action, form.reason.data or "", form.version_id.data),
        call_in_field="reason")
    if outcome.saved:
        flash("Action withdrawn. It stays in the history and is left out of every total.",
              "success")
        return redirect(_back(action.recommendation_id))
    return render_template("recommendations/withdraw.html", form=form, thing=action,
                           title=f"Withdraw the action “{action.title}”", outcome=outcome,
                           back=_back(action.recommendation_id))


@bp.route("/actions/<int:action_id>/updates/new", methods=["GET", "POST"])
@roles(ADMIN, OFFICER, PARTNER)
def record_update(action_id: int) -> str | Response:
    action = load_action(action_id)
    rec = action.recommendation
    require(permissions.can_update_action(current_user, action)
            and not action.is_withdrawn and not rec.is_withdrawn)
    form = UpdateForm()
    day = today()
    state = facts.action_state_of(action, today=day)

    def save() -> None:
        services.record_update(current_user, action, services.UpdateDetails(
            status=form.status.data or "", rag=form.rag.data or None,
            narrative=form.narrative.data or "", reason=form.reason.data,
            revised_due_on=form.revised_due_on.data,
            revised_due_reason=form.revised_due_reason.data,
            evidence=form.evidence()), day)

    outcome = save_form(
        form, lambda: [form.narrative.data, form.reason.data, form.revised_due_reason.data]
        + [d for _, d in form.evidence()], save, valid=form.validate_evidence_pairs,
        once_to=_back(rec.id) + f"#action-{action.id}")
    if outcome.repeated:
        return _repeated(outcome.repeated)
    if outcome.saved:
        flash("Progress update recorded.", "success")
        return redirect(_back(rec.id) + f"#action-{action.id}")
    return render_template("recommendations/record-update.html", form=form, rec=rec,
                           action=action, state=state, tag=facts.action_tag(state),
                           outcome=outcome, call_in=_call_in(rec))


@bp.route("/recommendations/<int:recommendation_id>/challenges/new", methods=["GET", "POST"])
@roles(MEMBER)
def ask_challenge(recommendation_id: int) -> str | Response:
    rec = load_recommendation(recommendation_id)
    require(permissions.can_ask_challenge(current_user) and not rec.is_withdrawn)
    form = ChallengeForm()
    outcome = save_form(form, lambda: [form.question.data], lambda: services.ask_challenge(
        current_user, rec, form.question.data or ""), call_in_field="question",
        once_to=_back(rec.id) + "#challenges")
    if outcome.repeated:
        return _repeated(outcome.repeated)
    if outcome.saved:
        flash("Your question has been recorded. It stays open until it is answered.",
              "success")
        return redirect(_back(rec.id) + "#challenges")
    return render_template("recommendations/ask-challenge.html", form=form, rec=rec,
                           outcome=outcome)


@bp.route("/challenges/<int:challenge_id>/answer", methods=["GET", "POST"])
@roles(ADMIN, OFFICER)
def answer_challenge(challenge_id: int) -> str | Response:
    challenge = load_challenge(challenge_id)
    require(permissions.can_answer_challenge(current_user, challenge))
    form = AnswerForm(obj=challenge)
    outcome = save_form(form, lambda: [form.answer.data], lambda: services.answer_challenge(
        current_user, challenge, form.answer.data or "", form.version_id.data),
        call_in_field="answer")
    if outcome.saved:
        flash("Your answer has been recorded.", "success")
        return redirect(_back(challenge.recommendation_id) + "#challenges")
    return render_template("recommendations/answer-challenge.html", form=form,
                           challenge=challenge, rec=challenge.recommendation, outcome=outcome)


@bp.route("/recommendations/<int:recommendation_id>/sign-off", methods=["GET", "POST"])
@roles(ADMIN)
def sign_off_recommendation(recommendation_id: int) -> str | Response:
    rec = load_recommendation(recommendation_id)
    require(permissions.can_sign_off(current_user) and not rec.is_withdrawn)
    form = SignOffForm(obj=rec)
    day = today()
    state = facts.state_of(rec, today=day)
    outcome = save_form(form, lambda: [form.sign_off_meeting.data], lambda: services.sign_off(
        current_user, rec, form.sign_off_meeting.data, form.sign_off_minute.data, day,
        form.version_id.data, review_on=form.review_on.data), call_in_field="sign_off_meeting")
    if outcome.saved:
        flash(f"Recommendation {rec.reference} signed off as complete.", "success")
        return redirect(_back(rec.id))
    return render_template("recommendations/sign-off.html", form=form, rec=rec, state=state,
                           tag=facts.rec_tag(state), share=facts.share_words(state),
                           outcome=outcome)
