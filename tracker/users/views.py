"""The administrator's users page: add, change role and schools, deactivate, issue links."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker.extensions import db
from tracker.forms import ButtonForm
from tracker.messages.services import issue_and_send_link
from tracker.models import User
from tracker.params import parse_int
from tracker.permissions import ADMIN, roles
from tracker.saving import save_form
from tracker.users import services
from tracker.users.forms import UserForm
from tracker.web import history_shown

bp = Blueprint("users", __name__, url_prefix="/admin/users")


def _details(form: UserForm) -> services.UserDetails:
    return services.UserDetails(
        name=form.name.data or "", email=form.email.data or "", role=form.role.data or "",
        job_title=form.job_title.data or None,
        school_urns=services.parse_urns(form.school_urns.data),
        trust_code=form.trust_code.data or None,
        organisation_id=parse_int(form.organisation_id.data, low=1))


def _admin_confirmed(form: UserForm, user: User | None) -> bool:
    confirmed = bool(form.confirm_admin.data)
    if services.needs_admin_confirmation(user, form.role.data or "") and not confirmed:
        form.confirm_admin.errors = [services.ADMIN_CONFIRMATION]
        return False
    return True


def _get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/")
@roles(ADMIN)
def list_users() -> str:
    users = db.session.scalars(sa.select(User).order_by(User.active.desc(), User.name)).all()
    return render_template("users/list-users.html", users=users)


@bp.route("/new", methods=["GET", "POST"])
@roles(ADMIN)
def add_user() -> str | Response:
    form = UserForm()
    form.fill_choices()
    added: list[User] = []
    if save_form(form, None, lambda: added.append(services.add_user(_details(form))),
                 valid=lambda: _admin_confirmed(form, None)).saved:
        user = added[0]
        link = url_for("auth.set_password", _external=True,
                       token=issue_and_send_link(user, "invitation", current_user))
        return render_template("users/link-issued.html", user=user, link=link,
                               purpose="invitation")
    return render_template("users/edit-user.html", form=form, user=None)


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@roles(ADMIN)
def edit_user(user_id: int) -> str | Response:
    user = _get_user(user_id)
    form = UserForm(obj=user)
    form.fill_choices()
    if not form.is_submitted():
        form.organisation_id.data = str(user.organisation.id) if user.organisation else ""
        form.school_urns.data = ", ".join(str(s.urn) for s in user.schools)
    if save_form(form, None, lambda: services.edit_user(user, _details(form),
                                                         form.version_id.data),
                 valid=lambda: _admin_confirmed(form, user)).saved:
        flash(f"Saved the changes to {user.name}.", "success")
        return redirect(url_for("users.list_users"))
    return render_template("users/edit-user.html", form=form, user=user,
                           button_form=ButtonForm(), history=history_shown(user))


@bp.route("/<int:user_id>/deactivate", methods=["POST"])
@roles(ADMIN)
def deactivate_user(user_id: int) -> Response:
    user = _get_user(user_id)
    if ButtonForm().validate_on_submit():
        if user.id == current_user.id:
            flash("You cannot deactivate your own account.", "error")
        else:
            services.set_active(user, False)
            flash(f"{user.name} has been deactivated and signed out everywhere.", "success")
    return redirect(url_for("users.edit_user", user_id=user.id))


@bp.route("/<int:user_id>/reactivate", methods=["POST"])
@roles(ADMIN)
def reactivate_user(user_id: int) -> Response:
    user = _get_user(user_id)
    if ButtonForm().validate_on_submit():
        services.set_active(user, True)
        flash(f"{user.name} can sign in again.", "success")
    return redirect(url_for("users.edit_user", user_id=user.id))


@bp.route("/<int:user_id>/link", methods=["POST"])
@roles(ADMIN)
def issue_link(user_id: int) -> str | Response:
    user = _get_user(user_id)
    if not ButtonForm().validate_on_submit():
        return redirect(url_for("users.edit_user", user_id=user.id))
    purpose = "password_reset" if user.password_hash else "invitation"
    link = url_for("auth.set_password", token=issue_and_send_link(user, purpose, current_user),
                   _external=True)
    return render_template("users/link-issued.html", user=user, link=link, purpose=purpose)
