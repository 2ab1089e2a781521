"""Outcome, closing and impact of a recommendation (docs/rules-of-progress.md, "Closing and
impact"). Each view loads (404), checks the role table (404), validates through
tracker.saving.save_form and calls tracker.recommendations.closing, which checks again."""
from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker import permissions, progress
from tracker.clock import today
from tracker.extensions import db
from tracker.models import ImpactReview, Recommendation
from tracker.permissions import ADMIN, MEMBER, OFFICER, require, roles
from tracker.recommendations import closing, facts
from tracker.recommendations.blueprint import bp, load_challenge, load_recommendation
from tracker.recommendations.forms import WithdrawForm
from tracker.recommendations.forms_closing import (
    CloseForm, ConfirmImpactForm, ImpactForm, OutcomeForm, ReasonForm, ReviewDateForm, texts,
)
from tracker.saving import save_form


def _back(rec: Recommendation, anchor: str = "closing") -> str:
    return url_for("recommendations.show_recommendation", recommendation_id=rec.id) + \
        f"#{anchor}"


def _page(template: str, rec: Recommendation, **context: object) -> str:
    state = facts.state_of(rec, today=today())
    return render_template(f"recommendations/{template}", rec=rec, state=state,
                           tag=facts.rec_tag(state), can_record_outcome=False, **context)


@bp.route("/recommendations/<int:recommendation_id>/outcome", methods=["GET", "POST"])
@roles(ADMIN, OFFICER)
def record_outcome(recommendation_id: int) -> str | Response:
    rec = load_recommendation(recommendation_id)
    require(permissions.can_record_outcome(current_user, rec) and not rec.is_withdrawn)
    form = OutcomeForm(obj=rec)
    outcome = save_form(form, lambda: texts(form, "intended_outcome", "how_measured"),
                        lambda: closing.record_outcome(
                            current_user, rec, form.intended_outcome.data,
                            form.how_measured.data, form.version_id.data),
                        call_in_field="intended_outcome")
    if outcome.saved:
        flash("The intended outcome and how it will be measured have been saved.", "success")
        return redirect(_back(rec, "outcome"))
    return _page("record-outcome.html", rec, form=form, outcome=outcome)


def _other_recommendations(rec: Recommendation) -> list[tuple[str, str]]:
    query = permissions.visible_recommendations(
        sa.select(Recommendation).where(Recommendation.id != rec.id,
                                        Recommendation.withdrawn_at.is_(None))
        .order_by(Recommendation.reference, Recommendation.id), current_user)
    return [(str(r.id), f"{r.reference}: {r.text[:80]}") for r in db.session.scalars(query)]


@bp.route("/recommendations/<int:recommendation_id>/close", methods=["GET", "POST"])
@roles(ADMIN)
def close_recommendation(recommendation_id: int) -> str | Response:
    rec = load_recommendation(recommendation_id)
    require(permissions.can_close(current_user) and not rec.is_withdrawn)
    form = CloseForm()
    form.fill_choices(_other_recommendations(rec))
    outcome = save_form(form, lambda: texts(form, "reason", "risk_accepted_by", "meeting"),
                        lambda: closing.close(
                            current_user, rec, form.kind.data or "", reason=form.reason.data,
                            meeting=form.meeting.data, minute=form.minute.data,
                            superseded_by_id=_chosen(form.superseded_by_id.data),
                            risk_accepted_by=form.risk_accepted_by.data, today=today()),
                        call_in_field="kind")
    if outcome.saved:
        flash(f"Recommendation {rec.reference} has been closed.", "success")
        return redirect(_back(rec))
    return _page("close.html", rec, form=form, outcome=outcome)


def _chosen(value: object) -> int | None:
    from tracker.recommendations.forms import selected_id

    return selected_id(value)


def _reason_page(rec: Recommendation, title: str, step: str) -> str | Response:
    form = ReasonForm()
    write = closing.reopen if step == "reopen" else closing.undo_sign_off
    outcome = save_form(form, lambda: texts(form, "reason"), lambda: write(
        current_user, rec, form.reason.data, today()), call_in_field="reason")
    if outcome.saved:
        flash(f"{title}: done.", "success")
        return redirect(_back(rec))
    return _page("closing-reason.html", rec, form=form, outcome=outcome, title=title,
                 step=step)


@bp.route("/recommendations/<int:recommendation_id>/reopen", methods=["GET", "POST"])
@roles(ADMIN)
def reopen_recommendation(recommendation_id: int) -> str | Response:
    rec = load_recommendation(recommendation_id)
    require(permissions.can_close(current_user) and not rec.is_withdrawn)
    return _reason_page(rec, f"Re-open recommendation {rec.reference}", "reopen")


@bp.route("/recommendations/<int:recommendation_id>/undo-sign-off", methods=["GET", "POST"])
@roles(ADMIN)
def undo_sign_off(recommendation_id: int) -> str | Response:
    rec = load_recommendation(recommendation_id)
    require(permissions.can_close(current_user) and not rec.is_withdrawn)
    return _reason_page(rec, f"Undo the sign-off of recommendation {rec.reference}", "undo")


@bp.route("/recommendations/<int:recommendation_id>/review-date", methods=["GET", "POST"])
@roles(ADMIN)
def change_review_date(recommendation_id: int) -> str | Response:
    rec = load_recommendation(recommendation_id)
    require(permissions.can_close(current_user) and not rec.is_withdrawn)
    form = ReviewDateForm()
    outcome = save_form(form, lambda: texts(form, "reason"), lambda: closing.set_review_date(
        current_user, rec, form.review_on.data, form.reason.data, today()),
        call_in_field="review_on")
    if outcome.saved:
        flash("The impact review date has been changed.", "success")
        return redirect(_back(rec, "impact"))
    return _page("review-date.html", rec, form=form, outcome=outcome)


@bp.route("/recommendations/<int:recommendation_id>/impact", methods=["GET", "POST"])
@roles(ADMIN, OFFICER)
def record_impact(recommendation_id: int) -> str | Response:
    rec = load_recommendation(recommendation_id)
    require(permissions.can_record_impact(current_user, rec) and not rec.is_withdrawn)
    form = ImpactForm()
    outcome = save_form(form, lambda: texts(form, "narrative"), lambda: closing.record_impact(
        current_user, rec, form.narrative.data, form.judgement.data, form.links(), today()),
        valid=form.validate_links, call_in_field="narrative", once_to=_back(rec, "impact"))
    if outcome.repeated:
        flash("That form had already been sent, so it was saved once, not twice.", "success")
        return redirect(outcome.repeated)
    if outcome.saved:
        flash("The impact review has been recorded. A member or an administrator confirms "
              "it.", "success")
        return redirect(_back(rec, "impact"))
    return _page("record-impact.html", rec, form=form, outcome=outcome)


def waiting_review(rec: Recommendation,
                   state: progress.RecommendationState | None) -> ImpactReview | None:
    """The latest impact review recorded since the sign-off standing now and not confirmed
    (``state``: ``rec``'s today, over all its actions)."""
    if state is None or state.closure is None or state.impact != progress.IMPACT_REVIEW_DUE:
        return None
    waiting = [r for r in rec.impact_reviews
               if r.confirmed_at is None and r.recorded_at >= state.closure.recorded_at]
    return waiting[-1] if waiting else None


def page_extras(rec: Recommendation,
                state: progress.RecommendationState | None) -> dict[str, object]:
    """What the recommendation page's closing and impact section needs (``state``: today's,
    over all its actions)."""
    return {"waiting_review": waiting_review(rec, state), "closing_words": closing.CLOSE_WORDS,
            "can_record_outcome": permissions.can_record_outcome(current_user, rec)
            and not rec.is_withdrawn}


@bp.route("/recommendations/<int:recommendation_id>/impact/confirm", methods=["GET", "POST"])
@roles(ADMIN, MEMBER)
def confirm_impact(recommendation_id: int) -> str | Response:
    rec = load_recommendation(recommendation_id)
    require(permissions.can_confirm_impact(current_user) and not rec.is_withdrawn)
    review = waiting_review(rec, facts.state_of(rec, today=today()))
    form = ConfirmImpactForm(obj=review)

    def save() -> None:
        if review is None:
            from tracker.problems import FieldProblem
            raise FieldProblem("", "No impact review is waiting for confirmation")
        closing.confirm_impact(current_user, review, form.version_id.data, today())

    outcome = save_form(form, None, save, call_in_field="")
    if outcome.saved:
        flash("The impact review has been confirmed.", "success")
        return redirect(_back(rec, "impact"))
    return _page("confirm-impact.html", rec, form=form, outcome=outcome, review=review)


@bp.route("/challenges/<int:challenge_id>/withdraw", methods=["GET", "POST"])
@roles(MEMBER)
def withdraw_challenge(challenge_id: int) -> str | Response:
    challenge = load_challenge(challenge_id)
    require(permissions.can_withdraw_challenge(current_user, challenge))
    form = WithdrawForm(obj=challenge)
    outcome = save_form(form, lambda: [form.reason.data], lambda: closing.withdraw_challenge(
        current_user, challenge, form.reason.data, form.version_id.data), call_in_field="reason")
    back = url_for("recommendations.show_recommendation",
                   recommendation_id=challenge.recommendation_id) + "#challenges"
    if outcome.saved:
        flash("Your question has been withdrawn.", "success")
        return redirect(back)
    return render_template("recommendations/withdraw.html", form=form, outcome=outcome,
                           title="Withdraw your question", back=back)
