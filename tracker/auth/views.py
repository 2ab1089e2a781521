"""Sign in, sign out, your account, and setting a password from a one-time link."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from tracker.auth import services
from tracker.auth.forms import ChangePasswordForm, SetPasswordForm, SignInForm
from tracker.extensions import limiter
from tracker.forms import ButtonForm
from tracker.permissions import ALL_ROLES, public, roles

bp = Blueprint("auth", __name__)


def _sign_in_limit() -> str:
    return current_app.config["SIGN_IN_LIMIT"]


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("main.home")


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
@public
def sign_in() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = SignInForm()
    error = None
    if form.validate_on_submit():
        result = services.authenticate(form.email.data or "", form.password.data or "")
        if result.user is not None:
            session.clear()
            session.permanent = True
            login_user(result.user, remember=False)
            return redirect(_safe_next(request.args.get("next")))
        error = result.error
        form.password.errors = [error]
    return render_template("auth/sign-in.html", form=form, error=error), (200 if not error else 200)


@bp.route("/sign-out", methods=["POST"])
@roles(*ALL_ROLES)
def sign_out() -> Response:
    if ButtonForm().validate_on_submit():
        services.sign_out(current_user._get_current_object())  # type: ignore[attr-defined]
        logout_user()
        session.clear()
        flash("You have signed out.", "success")
    return redirect(url_for("auth.sign_in"))


@bp.route("/account", methods=["GET"])
@roles(*ALL_ROLES)
def account() -> str:
    return render_template("auth/account.html", sign_out_form=ButtonForm())


@bp.route("/account/password", methods=["GET", "POST"])
@roles(*ALL_ROLES)
def change_password() -> str | Response:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()  # type: ignore[attr-defined]
        problem = services.password_problem(form.new_password.data or "",
                                            form.confirm_password.data or "")
        if not user.check_password(form.current_password.data or ""):
            form.current_password.errors = ["Your current password is not correct"]
        elif problem:
            form.new_password.errors = [problem]
        else:
            services.change_password(user, form.new_password.data or "")
            login_user(user, remember=False)  # this browser stays signed in; others are signed out
            flash("Your password has been changed. Other sessions have been signed out.", "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/change-password.html", form=form)


@bp.route("/set-password/<token>", methods=["GET", "POST"])
@public
def set_password(token: str) -> str | Response:
    found = services.find_token(token)
    if found is None:
        return render_template("auth/link-expired.html"), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        problem = services.password_problem(form.new_password.data or "",
                                            form.confirm_password.data or "")
        if problem:
            form.new_password.errors = [problem]
        else:
            user = services.use_token(found, form.new_password.data or "")
            if current_user.is_authenticated:
                logout_user()
            session.clear()
            flash(f"Your password has been set. Sign in with {user.email}.", "success")
            return redirect(url_for("auth.sign_in"))
    return render_template("auth/set-password.html", form=form, token_user=found.user,
                           purpose=found.purpose)
