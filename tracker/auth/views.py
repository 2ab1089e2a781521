"""Sign in (password, then a second factor where set up), sign out, your account, and
setting a password from a one-time link.

Signing in is two steps when the user has two-factor sign-in, and administrators must have
it (``REQUIRE_ADMIN_2FA``): the password step leaves only a short-lived "pending" note in
the session; the user is signed in when the code is right. An administrator without it is
taken through setting it up before the first page.
"""
from __future__ import annotations

import secrets
import time
from typing import Any

from flask import (
    Blueprint, current_app, flash, make_response, redirect, render_template, request, session,
    url_for,
)
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from tracker import security
from tracker.auth import services, two_factor
from tracker.auth.forms import (
    ChangePasswordForm, SetPasswordForm, SetUpTwoFactorForm, SignInForm, TurnOffTwoFactorForm,
    TwoFactorForm,
)
from tracker.extensions import db
from tracker.forms import ButtonForm
from tracker.models import User
from tracker.permissions import ALL_ROLES, public, roles

bp = Blueprint("auth", __name__)

PENDING = "pending_sign_in"
ENROL_SECRET = "two_factor_secret"  # nosec B105  # a session key's name
WRONG_CODE = "The code is not right. Enter the code your app shows now, or a recovery code"
# While wrong passwords slow the account down, the password is judged only with the code.
WRONG_PASSWORD_OR_CODE = ("Your password or the code is not right. Enter the code your app "  # nosec B105: a message, not a password
                          "shows now, or sign in again if you are not sure of your password")


def _safe_next(target: str | None) -> str:
    return security.local_path(target) or url_for("main.home")


def _log_in(user: User, next_url: str | None) -> Response:
    session.clear()
    login_user(user, remember=False)
    security.start_session()
    return security.remember_device(redirect(_safe_next(next_url)), user.id)


def _start_pending(user: User, next_url: str | None, password_ok: bool | None = None) -> None:
    session.clear()
    session[PENDING] = {"user": user.id, "version": user.session_version,
                        "started": int(time.time()), "next": _safe_next(next_url)}
    if password_ok is not None:
        nonce = secrets.token_hex(16)
        session[PENDING] |= {"nonce": nonce,
                             "proof": security.password_proof(nonce, user.id, password_ok)}


def _password_was_right(user: User) -> bool:
    pending = session[PENDING]
    if "proof" not in pending:
        return True
    return security.proof_holds(pending.get("nonce"), user.id, pending.get("proof"))


def _pending_user() -> User | None:
    """The user who gave the right password in the last few minutes, if still allowed in."""
    pending = session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    minutes = current_app.config["SIGN_IN_STEP_MINUTES"]
    if time.time() - int(pending.get("started", 0)) > minutes * 60:
        return None
    user = db.session.get(User, int(pending.get("user", 0)))
    if user is None or not user.active or user.session_version != pending.get("version"):
        return None
    return user


def _start_again() -> Response:
    session.pop(PENDING, None)
    flash("Sign in again: enter your email address and password.", "info")
    return redirect(url_for("auth.sign_in"))


@bp.route("/sign-in", methods=["GET", "POST"])
@security.sign_in_limit
@public
def sign_in() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = SignInForm()
    if form.validate_on_submit():
        result = services.check_password_step(form.email.data or "", form.password.data or "",
                                              security.known_device_users())
        user = result.user
        if user is None:
            form.password.errors = [result.error or services.SIGN_IN_FAILED]
        elif user.totp_enabled:
            _start_pending(user, request.args.get("next"), result.password_ok)
            return redirect(url_for("auth.enter_two_factor_code"))
        elif two_factor.required_for(user):
            _start_pending(user, request.args.get("next"))
            return redirect(url_for("auth.set_up_two_factor"))
        else:
            services.complete_sign_in(user)
            return _log_in(user, request.args.get("next"))
    return render_template("auth/sign-in.html", form=form, failed=bool(form.password.errors))


@bp.route("/sign-in/two-factor", methods=["GET", "POST"])
@security.sign_in_limit
@public
def enter_two_factor_code() -> str | Response:
    user = _pending_user()
    if user is None or not user.totp_enabled:
        return _start_again()
    form = TwoFactorForm()
    if form.validate_on_submit():
        code = form.code.data or ""
        how = None
        password_right = _password_was_right(user)
        if password_right and two_factor.verify_code(user, code):
            how = "Signed in with a two-factor code"
        elif password_right and two_factor.use_recovery_code(user, code):
            how = "Signed in with a two-factor recovery code"
        if how is None:
            session[PENDING]["codes_wrong"] = session[PENDING].get("codes_wrong", 0) + 1
            session.modified = True
            services.count_failure(user, "Failed sign-in: wrong two-factor code")
            if session[PENDING]["codes_wrong"] >= current_app.config["MAX_FAILED_SIGN_INS"]:
                return _start_again()
            form.code.errors = [WRONG_CODE if "proof" not in session[PENDING]
                                else WRONG_PASSWORD_OR_CODE]
        else:
            services.complete_sign_in(user, how)
            next_url = session[PENDING].get("next")
            response = _log_in(user, next_url)
            if "recovery" in how:
                left = two_factor.recovery_codes_left(user)
                flash(f"You used a recovery code: {left} left. Make new ones from your "
                      "account page if you are running out.", "info")
            return response
    return render_template("auth/two-factor.html", form=form)


@bp.route("/two-factor/set-up", methods=["GET", "POST"])
@security.sign_in_limit
@public
def set_up_two_factor() -> str | Response:
    """Set up an authenticator app: while signing in (administrators must) or from the
    account page (anyone may)."""
    signed_in = current_user.is_authenticated
    user: User | None = (current_user._get_current_object()  # type: ignore[attr-defined]
                         if signed_in else _pending_user())
    if user is None:
        return _start_again()
    if user.totp_enabled:
        return redirect(url_for("auth.manage_two_factor" if signed_in
                                else "auth.enter_two_factor_code"))
    secret = session.get(ENROL_SECRET)
    if not isinstance(secret, str) or len(secret) != 32:
        secret = session[ENROL_SECRET] = two_factor.new_secret()
    form = SetUpTwoFactorForm()
    if form.validate_on_submit():
        step = two_factor.matching_step(secret, form.code.data)
        if step is None:
            form.code.errors = ["The code is not right. Check the key you typed into the app, "
                                "then enter the code it shows now"]
        else:
            codes = two_factor.turn_on(user, secret, step)
            next_url = url_for("auth.manage_two_factor")
            if not signed_in:
                next_url = session[PENDING].get("next")
                services.complete_sign_in(user, "Signed in, setting up two-factor sign-in")
                _log_in(user, None)
            session.pop(ENROL_SECRET, None)
            page = render_template("auth/recovery-codes.html", codes=codes,
                                   next_url=_safe_next(next_url), first_time=True)
            return page if signed_in else security.remember_device(make_response(page), user.id)
    uri = two_factor.provisioning_uri(secret, user.email)
    return render_template("auth/set-up-two-factor.html", form=form, required=not signed_in,
                           qr_code=two_factor.qr_code_data_uri(uri),
                           key=two_factor.grouped(secret), email=user.email)


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


@bp.route("/account/two-factor", methods=["GET"])
@roles(*ALL_ROLES)
def manage_two_factor() -> str:
    user: Any = current_user
    return render_template("auth/manage-two-factor.html", button_form=ButtonForm(),
                           turn_off_form=TurnOffTwoFactorForm(),
                           codes_left=two_factor.recovery_codes_left(user),
                           required=two_factor.required_for(user))


@bp.route("/account/two-factor/recovery-codes", methods=["POST"])
@roles(*ALL_ROLES)
def make_recovery_codes() -> str | Response:
    user = current_user._get_current_object()  # type: ignore[attr-defined]
    if not ButtonForm().validate_on_submit() or not user.totp_enabled:
        return redirect(url_for("auth.manage_two_factor"))
    codes = two_factor.new_recovery_codes(user)
    return render_template("auth/recovery-codes.html", codes=codes, first_time=False,
                           next_url=url_for("auth.manage_two_factor"))


@bp.route("/account/two-factor/turn-off", methods=["POST"])
@roles(*ALL_ROLES)
def turn_off_two_factor() -> str | Response:
    user = current_user._get_current_object()  # type: ignore[attr-defined]
    if two_factor.required_for(user) or not user.totp_enabled:
        flash("Administrators must keep two-factor sign-in on.", "info")
        return redirect(url_for("auth.manage_two_factor"))
    form = TurnOffTwoFactorForm()
    if form.validate_on_submit():
        if two_factor.verify_code(user, form.code.data):
            two_factor.turn_off(user)
            flash("Two-factor sign-in is off.", "success")
            return redirect(url_for("auth.manage_two_factor"))
        db.session.rollback()
        form.code.errors = [WRONG_CODE]
    return render_template("auth/manage-two-factor.html", button_form=ButtonForm(),
                           turn_off_form=form, required=False,
                           codes_left=two_factor.recovery_codes_left(user))


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
