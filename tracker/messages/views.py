"""The messages pages: the administrators' outbox (every message, resend, who cannot be
reached, the school reminder interval), each person's summary setting, and "forgot your
password". Update rounds are in round_views.py, on the same blueprint."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker.extensions import db, limiter
from tracker.forms import ButtonForm
from tracker.messages import outbox, queries, recipients, round_views, services, transports
from tracker.messages.blueprint import bp
from tracker.messages.forms import DigestForm, ForgotPasswordForm, ScheduleForm
from tracker.messages.school_reminders import interval_days
from tracker.models import Message
from tracker.permissions import ADMIN, ALL_ROLES, public, roles

__all__ = ["bp", "round_views"]


@bp.route("/admin/messages")
@roles(ADMIN)
def list_messages() -> str:
    status = request.args.get("status", "")
    page = queries.messages_page(status if status in queries.STATUS_FILTERS else "",
                                 request.args.get("page", 1, type=int) or 1)
    transport = transports.configured()
    schedule = ScheduleForm(school_reminder_days=interval_days())
    return render_template("messages/list-messages.html", page=page, status=status,
                           filters=queries.STATUS_FILTERS, counts=queries.counts(),
                           transport=transport.name if transport else None,
                           unreachable=recipients.unreachable(),
                           unreachable_organisations=recipients.unreachable_organisations(),
                           button_form=ButtonForm(),
                           schedule=schedule)


@bp.route("/admin/messages/<int:message_id>/resend", methods=["POST"])
@roles(ADMIN)
def resend_message(message_id: int) -> Response:
    message = db.session.get(Message, message_id)
    if message is None:
        abort(404)
    if ButtonForm().validate_on_submit():
        try:
            copy = outbox.resend(message)
        except ValueError as problem:
            db.session.rollback()
            flash(str(problem), "error")
        else:
            db.session.commit()
            flash(f"A copy of the message to {copy.to_address} is queued.", "success")
    return redirect(url_for("messages.list_messages"))


@bp.route("/admin/messages/schedule", methods=["POST"])
@roles(ADMIN)
def set_schedule() -> str | Response:
    form = ScheduleForm()
    if form.validate_on_submit():
        services.set_school_reminder_days(int(form.school_reminder_days.data or 0), current_user)
        flash(f"School leads are reminded every {form.school_reminder_days.data} days.", "success")
        return redirect(url_for("messages.list_messages"))
    for error in form.school_reminder_days.errors:
        flash(str(error), "error")
    return redirect(url_for("messages.list_messages"))


@bp.route("/account/messages", methods=["GET", "POST"])
@roles(*ALL_ROLES)
def my_settings() -> str | Response:
    form = DigestForm()
    if not form.is_submitted():
        form.digest_frequency.data = services.digest_frequency(current_user)
    if form.validate_on_submit():
        services.set_digest_frequency(current_user, form.digest_frequency.data or "weekly")
        flash(f"You will get a {form.digest_frequency.data} summary.", "success")
        return redirect(url_for("messages.my_settings"))
    return render_template("messages/my-settings.html", form=form)


def _forgot_limit() -> str:
    return str(current_app.config["FORGOT_PASSWORD_LIMIT"])


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(_forgot_limit, methods=["POST"])
@public
def forgot_password() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("auth.change_password"))
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.forgot_password(form.email.data or "")
        return render_template("messages/link-sent.html", email=form.email.data)
    return render_template("messages/forgot-password.html", form=form)

