"""Administrators list, add, edit and withdraw terminology rules at /admin/terminology."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from tracker.saving import save_form
from tracker.extensions import db
from tracker.models import Decision, TerminologyRule
from tracker.permissions import ADMIN, roles
from tracker.terminology import services
from tracker.terminology.forms import RuleForm
from tracker.web import history_shown

bp = Blueprint("terminology", __name__, url_prefix="/admin/terminology")


def _get_rule(rule_id: int) -> TerminologyRule:
    rule = db.session.get(TerminologyRule, rule_id)
    if rule is None:
        abort(404)
    return rule


def _decisions() -> list[Decision]:
    return list(db.session.scalars(sa.select(Decision).where(Decision.withdrawn_at.is_(None))
                                   .order_by(Decision.decided_on.desc(), Decision.id.desc())))


def _rule_texts(form: RuleForm) -> dict[str, Any]:
    """The texts a rule form checks, and the warnings about the rule's own words left out
    (a rule about "alleged victim" must be able to say "alleged victim")."""
    own = f"“{(form.term.data or '').lower()}”"
    return {"texts": lambda: [form.explanation.data, form.source_title.data],
            "ignore_warning": lambda warning: warning.lower().startswith(own)}


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
    outcome = save_form(form, save=lambda: services.add_rule(form.values()), **_rule_texts(form))
    if outcome.saved:
        flash(f"Added the rule: write “{form.values()['replacement']}”, not "
              f"“{form.values()['term']}”.", "success")
        return redirect(url_for("terminology.list_rules"))
    return render_template("terminology/edit-rule.html", form=form, rule=None,
                           warnings=outcome.warnings)


@bp.route("/<int:rule_id>", methods=["GET", "POST"])
@roles(ADMIN)
def edit_rule(rule_id: int) -> str | Response:
    rule = _get_rule(rule_id)
    form = RuleForm(decisions=_decisions())
    if not form.is_submitted():
        form.load(rule)
    outcome = save_form(form, save=lambda: services.edit_rule(rule, form.values(),
                                                              form.version_id.data),
                        **_rule_texts(form))
    if outcome.saved:
        flash(f"Saved the rule for “{rule.term}”.", "success")
        return redirect(url_for("terminology.list_rules"))
    return render_template("terminology/edit-rule.html", form=form, rule=rule,
                           warnings=outcome.warnings, history=history_shown(rule))


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
    outcome = save_form(form, [form.reason.data], lambda: services.withdraw_rule(
        rule, form.reason.data, form.version_id.data))
    warnings = outcome.warnings
    if outcome.saved:
        flash(f"Withdrew the rule for “{rule.term}”. Text is no longer checked for it.",
              "success")
        return redirect(url_for("terminology.list_rules"))
    return render_template("terminology/withdraw-rule.html", form=form, rule=rule,
                           warnings=warnings)
