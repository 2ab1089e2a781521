"""Administrators add, edit and withdraw a decision's lettered parts and its documents."""
from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker.decisions import queries, services
from tracker.decisions.blueprint import bp
from tracker.saving import save_form
from tracker.decisions.forms import DocumentForm, PartForm, WithdrawForm
from tracker.extensions import db
from tracker.models import Decision, User
from tracker.permissions import ADMIN, possible_owners, roles


def _owners() -> list[User]:
    return list(db.session.scalars(sa.select(User).where(possible_owners()).order_by(User.name)))


def _back(decision: Decision) -> str:
    return url_for("decisions.show_decision", decision_id=decision.id)


@bp.route("/<int:decision_id>/parts/new", methods=["GET", "POST"])
@roles(ADMIN)
def add_part(decision_id: int) -> str | Response:
    decision = queries.get_visible_decision(decision_id, current_user)
    form = PartForm(owners=_owners())
    outcome = save_form(form, [form.text.data],
                                lambda: services.add_part(decision, form.values()))
    if outcome.saved:
        flash(f"Added part ({form.label.data}).", "success")
        return redirect(_back(decision))
    return render_template("decisions/edit-part.html", form=form, decision=decision, part=None,
                           warnings=outcome.warnings)


@bp.route("/<int:decision_id>/parts/<int:part_id>/edit", methods=["GET", "POST"])
@roles(ADMIN)
def edit_part(decision_id: int, part_id: int) -> str | Response:
    decision = queries.get_visible_decision(decision_id, current_user)
    part = queries.get_part(decision, part_id)
    form = PartForm(owners=_owners())
    if not form.is_submitted():
        form.load(part)
    outcome = save_form(form, [form.text.data], lambda: services.edit_part(
        part, form.values(), form.version_id.data))
    if outcome.saved:
        flash(f"Saved the changes to part ({part.label}).", "success")
        return redirect(_back(decision))
    return render_template("decisions/edit-part.html", form=form, decision=decision, part=part,
                           warnings=outcome.warnings)


@bp.route("/<int:decision_id>/parts/<int:part_id>/withdraw", methods=["GET", "POST"])
@roles(ADMIN)
def withdraw_part(decision_id: int, part_id: int) -> str | Response:
    decision = queries.get_visible_decision(decision_id, current_user)
    part = queries.get_part(decision, part_id)
    if part.is_withdrawn:
        flash(f"Part ({part.label}) has already been withdrawn.", "info")
        return redirect(_back(decision))
    form = WithdrawForm()
    if not form.is_submitted():
        form.version_id.data = part.version_id
    outcome = save_form(form, [form.reason.data], lambda: services.withdraw_part(
        part, form.reason.data, form.version_id.data))
    if outcome.saved:
        flash(f"Withdrew part ({part.label}). It stays in the history.", "success")
        return redirect(_back(decision))
    return render_template("decisions/withdraw.html", form=form, warnings=outcome.warnings,
                           what=f"part ({part.label})", decision=decision, back=_back(decision))


@bp.route("/<int:decision_id>/documents/new", methods=["GET", "POST"])
@roles(ADMIN)
def add_document(decision_id: int) -> str | Response:
    decision = queries.get_visible_decision(decision_id, current_user)
    form = DocumentForm(parts=decision.live_parts)
    outcome = save_form(form, [form.title.data],
                                lambda: services.add_document(decision, form.values()))
    if outcome.saved:
        flash(f"Added the document “{form.title.data}”.", "success")
        return redirect(_back(decision))
    return render_template("decisions/edit-document.html", form=form, decision=decision,
                           document=None, warnings=outcome.warnings)


@bp.route("/<int:decision_id>/documents/<int:document_id>/edit", methods=["GET", "POST"])
@roles(ADMIN)
def edit_document(decision_id: int, document_id: int) -> str | Response:
    decision = queries.get_visible_decision(decision_id, current_user)
    document = queries.get_document(decision, document_id)
    form = DocumentForm(parts=decision.live_parts)
    if not form.is_submitted():
        form.load(document)
    outcome = save_form(form, [form.title.data], lambda: services.edit_document(
        document, form.values(), form.version_id.data))
    if outcome.saved:
        flash(f"Saved the changes to the document “{document.title}”.", "success")
        return redirect(_back(decision))
    return render_template("decisions/edit-document.html", form=form, decision=decision,
                           document=document, warnings=outcome.warnings)


@bp.route("/<int:decision_id>/documents/<int:document_id>/withdraw", methods=["GET", "POST"])
@roles(ADMIN)
def withdraw_document(decision_id: int, document_id: int) -> str | Response:
    decision = queries.get_visible_decision(decision_id, current_user)
    document = queries.get_document(decision, document_id)
    if document.is_withdrawn:
        flash("This document has already been withdrawn.", "info")
        return redirect(_back(decision))
    form = WithdrawForm()
    if not form.is_submitted():
        form.version_id.data = document.version_id
    outcome = save_form(form, [form.reason.data], lambda: services.withdraw_document(
        document, form.reason.data, form.version_id.data))
    if outcome.saved:
        flash(f"Withdrew the document “{document.title}”. It stays in the history.", "success")
        return redirect(_back(decision))
    return render_template("decisions/withdraw.html", form=form, warnings=outcome.warnings,
                           what=f"the document “{document.title}”", decision=decision,
                           back=_back(decision))
