"""Administrators list, add, edit and withdraw terminology rules at /admin/terminology."""
from __future__ import annotations

from typing import Any, Callable

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from tracker.problems import FieldProblem
from tracker.audit import StaleEdit, history_of
from tracker.extensions import db
from tracker.forms import warnings_to_review
from tracker.models import Decision, TerminologyRule
from tracker.permissions import ADMIN, roles
from tracker.terminology import services
from tracker.terminology.forms import RuleForm

bp = Blueprint("terminology", __name__, url_prefix="/admin/terminology")


def _get_rule(rule_id: int) -> TerminologyRule:
    rule = db.session.get(TerminologyRule, rule_id)
    if rule is None:
        abort(404)
    return rule


def _decisions() -> list[Decision]:
    return list(db.session.scalars(sa.select(Decision).where(Decision.withdrawn_at.is_(None))
                                   .order_by(Decision.decided_on.desc(), Decision.id.desc())))


def _save(form: RuleForm, save: Callable[[], Any],
          row: TerminologyRule | None = None) -> tuple[bool, list[str]]:
    """Validate, show warnings once (not about the rule's own words), save or explain why not."""
    if not form.validate_on_submit():
        return False, []
    own = f"“{(form.term.data or '').lower()}”"
    warnings = [w for w in warnings_to_review(form, form.explanation.data, form.source_title.data)
                if not w.lower().startswith(own)]
    if warnings:
        return False, warnings
    try:
        save()
    except FieldProblem as problem:  # raised before anything is written
        getattr(form, problem.field).errors = [str(problem)]
        return False, []
    except StaleEdit as stale:
        form.form_errors.append(stale.message)
        if row is not None:
            form.version_id.data = row.version_id
            form.version_id.raw_data = [str(row.version_id)]
        return False, []
    return True, []


@bp.route("/")
@roles(ADMIN)
def list_rules() -> str:
    rules = db.session.scalars(sa.select(TerminologyRule).order_by(
        TerminologyRule.withdrawn_at.is_not(None), sa.func.lower(TerminologyRule.term))).all()
    return render_template("terminology/list-rules.html", rules=rules)


@bp.route("/new", methods=["GET", "POST"])
@roles(ADMIN)
def add_rule() -> str | Response:
    form = RuleForm(decisions=_decisions())
    saved, warnings = _save(form, lambda: services.add_rule(form.values()))
    if saved:
        flash(f"Added the rule: write “{form.values()['replacement']}”, not "
              f"“{form.values()['term']}”.", "success")
        return redirect(url_for("terminology.list_rules"))
    return render_template("terminology/edit-rule.html", form=form, rule=None, warnings=warnings)


@bp.route("/<int:rule_id>", methods=["GET", "POST"])
@roles(ADMIN)
def edit_rule(rule_id: int) -> str | Response:
    rule = _get_rule(rule_id)
    form = RuleForm(decisions=_decisions())
    if not form.is_submitted():
        form.load(rule)
    saved, warnings = _save(form, lambda: services.edit_rule(rule, form.values(),
                                                             form.version_id.data), rule)
    if saved:
        flash(f"Saved the rule for “{rule.term}”.", "success")
        return redirect(url_for("terminology.list_rules"))
    return render_template("terminology/edit-rule.html", form=form, rule=rule,
                           warnings=warnings, history=history_of(rule))


@bp.route("/<int:rule_id>/withdraw", methods=["GET", "POST"])
@roles(ADMIN)
def withdraw_rule(rule_id: int) -> str | Response:
    from tracker.decisions.forms import WithdrawForm

    rule = _get_rule(rule_id)
    if rule.is_withdrawn:
        flash("This rule has already been withdrawn.", "info")
        return redirect(url_for("terminology.list_rules"))
    form = WithdrawForm()
    if not form.is_submitted():
        form.version_id.data = rule.version_id
    warnings: list[str] = []
    if form.validate_on_submit():
        warnings = warnings_to_review(form, form.reason.data)
        if not warnings:
            try:
                services.withdraw_rule(rule, form.reason.data, form.version_id.data)
            except StaleEdit as stale:
                form.form_errors.append(stale.message)
                form.version_id.data = rule.version_id
                form.version_id.raw_data = [str(rule.version_id)]
            else:
                flash(f"Withdrew the rule for “{rule.term}”. Text is no longer checked for it.",
                      "success")
                return redirect(url_for("terminology.list_rules"))
    return render_template("terminology/withdraw-rule.html", form=form, rule=rule,
                           warnings=warnings)
