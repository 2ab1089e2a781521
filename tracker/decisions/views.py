"""Decisions: the register, the decision page, and administrators' decision and call-in forms.

Parts and documents (``part_views``) and reading a notice (``import_views``) add their
routes to the same blueprint.
"""
from __future__ import annotations

import datetime as dt
from functools import partial

import sqlalchemy as sa
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup
from werkzeug.wrappers import Response

from tracker import clock, progress
from tracker.decisions import import_views, part_views, queries, services  # noqa: F401
from tracker.dashboard import stored, today_actions
from tracker.dashboard.report import without_cycle_collection
from tracker.web import history_shown, page_around
from tracker.decisions.blueprint import bp
from tracker.decisions.callin import STATE_LABELS, STATES, call_in_status
from tracker.id_lists import among
from tracker.models import Decision, Recommendation
from tracker.saving import save_form
from tracker.decisions.forms import CallInForm, DecisionForm, WithdrawForm
from tracker.decisions.importing import LAYOUT_LABELS
from tracker.forms import ButtonForm
from tracker.params import page_arg
from tracker.permissions import ADMIN, COUNCIL_ROLES, can_see_history, roles

__all__ = ["bp"]


@bp.route("")
@roles(*COUNCIL_ROLES)
def list_decisions() -> str:
    filters = queries.filters_from_args(request.args, current_user)
    page = queries.register(current_user, filters, clock.today(),
                            current_app.config.get("PAGE_SIZE", 25))
    return render_template("decisions/list-decisions.html", page=page, filters=filters,
                           states=[(s, STATE_LABELS[s]) for s in STATES])


@bp.route("/<int:decision_id>")
@roles(*COUNCIL_ROLES)
def show_decision(decision_id: int) -> Response:
    decision = queries.get_visible_decision(decision_id, current_user)
    is_admin = current_user.role == ADMIN
    today = clock.today()
    late_page = page_arg("late_page")
    # Its progress, parts and late list: the same for every reader of this role (what a
    # role may do is all that differs), so the first page of the late list is stored for
    # the day while nothing it reads is written (``stored.served``, as today's report).
    shown = stored.Shown((decision,), today, None, True)
    build = partial(_progress_body, decision, today, late_page, is_admin)
    body = stored.served_first_page(shown, "decision", build, late_page,
                                    words=(f"role {current_user.role}",))
    overall, parts = body.split(FIGURES_BETWEEN.encode(), 1)
    # our own template's output (_progress.html, escaped as rendered, stored by us)
    return page_around(
        "decisions/show-decision.html", {"overall_html": overall, "parts_html": parts},
        decision=decision, status=call_in_status(decision, today),
        has_parts=bool(decision.parts if is_admin else decision.live_parts),
        documents=[d for d in decision.documents if not d.is_withdrawn or is_admin],
        rules=queries.rules_set_by(decision), layout_labels=LAYOUT_LABELS,
        history=history_shown(decision) if can_see_history(current_user) else None)


FIGURES_BETWEEN = "<!--parts-->"   # between the two pieces of decisions/_progress.html
_BETWEEN = Markup(FIGURES_BETWEEN)  # nosec B704  # our own constant, written as it is


def _progress_body(decision: Decision, today: dt.date, late_page: int, is_admin: bool
                   ) -> bytes:
    """The decision's progress so far, then (after :data:`FIGURES_BETWEEN`) its parts with
    what each set in motion and the page of its late list (decisions/_progress.html)."""
    # Hundreds of rows and states, none garbage until the page is written: as the
    # report's builder, without the cycle collector walking them meanwhile.
    with without_cycle_collection():
        parts = queries.part_summaries(decision, current_user, include_withdrawn=is_admin)
        rows = [row for summary in parts if not summary.part.is_withdrawn
                for row in getattr(summary.extras.get("progress"), "rows", ())]
        # What is late, a page at a time: the late actions of the recommendations in the
        # totals, as the dashboard's late list (no chart, so no "most late").
        in_totals = sa.select(Recommendation.id).where(among(
            Recommendation.id, [row.rec.id for row in rows if row.state.in_totals]))
        late = today_actions.late_page(in_totals, today, late_page, 0)
        # The whole decision's progress, by the same rules one level up (tracker.progress).
        from tracker.recommendations.facts import rollup_tag  # (recommendations build on decisions)

        overall = progress.rollup(row.state for row in rows)
        return render_template(
            "decisions/_progress.html", decision=decision, overall=overall,
            overall_tag=rollup_tag(overall), share_words=progress.format_share(overall.share),
            parts=parts, late=late, today=today, between=_BETWEEN).encode()


@bp.route("/new", methods=["GET", "POST"])
@roles(ADMIN)
def add_decision() -> str | Response:
    form = DecisionForm()
    created = []
    outcome = save_form(form, form.texts(),
                                lambda: created.append(services.create_decision(form.values())))
    if outcome.saved:
        flash(f"Added the decision “{created[0].title}”. Now add its lettered parts.", "success")
        return redirect(url_for("decisions.show_decision", decision_id=created[0].id))
    return render_template("decisions/edit-decision.html", form=form, decision=None,
                           warnings=outcome.warnings)


@bp.route("/<int:decision_id>/edit", methods=["GET", "POST"])
@roles(ADMIN)
def edit_decision(decision_id: int) -> str | Response:
    decision = queries.get_visible_decision(decision_id, current_user)
    form = DecisionForm()
    if not form.is_submitted():
        form.load(decision)
    outcome = save_form(form, form.texts(), lambda: services.edit_decision(
        decision, form.values(), form.version_id.data))
    if outcome.saved:
        flash("Saved the changes to the decision.", "success")
        return redirect(url_for("decisions.show_decision", decision_id=decision.id))
    return render_template("decisions/edit-decision.html", form=form, decision=decision,
                           warnings=outcome.warnings)


@bp.route("/<int:decision_id>/withdraw", methods=["GET", "POST"])
@roles(ADMIN)
def withdraw_decision(decision_id: int) -> str | Response:
    decision = queries.get_visible_decision(decision_id, current_user)
    if decision.is_withdrawn:
        flash("This decision has already been withdrawn.", "info")
        return redirect(url_for("decisions.show_decision", decision_id=decision.id))
    form = WithdrawForm()
    if not form.is_submitted():
        form.version_id.data = decision.version_id
    outcome = save_form(form, [form.reason.data], lambda: services.withdraw_decision(
        decision, form.reason.data, form.version_id.data))
    if outcome.saved:
        flash(f"Withdrew the decision “{decision.title}”. It stays in the history.", "success")
        return redirect(url_for("decisions.list_decisions"))
    return render_template("decisions/withdraw.html", form=form, warnings=outcome.warnings,
                           what=f"the decision “{decision.title}”", decision=decision,
                           back=url_for("decisions.show_decision", decision_id=decision.id))


@bp.route("/<int:decision_id>/call-in", methods=["GET", "POST"])
@roles(ADMIN)
def record_call_in(decision_id: int) -> str | Response:
    decision = queries.get_visible_decision(decision_id, current_user)
    form = CallInForm()
    if not form.is_submitted():
        form.load(decision)
    outcome = save_form(form, None, lambda: services.record_call_in(
        decision, form.record.data, form.called_in_on.data, form.outcome.data or None,
        form.outcome_on.data, form.version_id.data))
    if outcome.saved:
        status = call_in_status(decision, clock.today())
        flash(f"Recorded. Call-in: {status.label}. {status.reason}.", "success")
        return redirect(url_for("decisions.show_decision", decision_id=decision.id))
    return render_template("decisions/call-in.html", form=form, decision=decision,
                           status=call_in_status(decision, clock.today()),
                           button_form=ButtonForm())
