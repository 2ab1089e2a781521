"""Administrators list, add and edit organisations at /admin/organisations: the council's
services and partner agencies, each with its people and a named lead."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, url_for
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from tracker.extensions import db
from tracker.models import Organisation, User
from tracker.organisations import services
from tracker.organisations.forms import OrganisationForm
from tracker.params import parse_int
from tracker.permissions import ADMIN, roles, visible_or_refused
from tracker.saving import save_form
from tracker.web import history_shown

bp = Blueprint("organisations", __name__, url_prefix="/admin/organisations")


def _people() -> list[User]:
    return list(db.session.scalars(sa.select(User).where(User.active.is_(True))
                                   .order_by(User.name)))


def _details(form: OrganisationForm) -> services.OrganisationDetails:
    return services.OrganisationDetails(name=form.name.data or "", kind=form.kind.data or "",
                                        lead_id=parse_int(form.lead_id.data, low=1))


@bp.route("/")
@roles(ADMIN)
def list_organisations() -> str:
    organisations = db.session.scalars(
        sa.select(Organisation).options(selectinload(Organisation.members),
                                        selectinload(Organisation.lead))
        .order_by(Organisation.kind, sa.func.lower(Organisation.name))).all()
    return render_template("organisations/list-organisations.html",
                           organisations=organisations)


@bp.route("/new", methods=["GET", "POST"])
@roles(ADMIN)
def add_organisation() -> str | Response:
    form = OrganisationForm(people=_people())
    if save_form(form, None, lambda: services.add_organisation(_details(form))).saved:
        flash(f"Added {' '.join((form.name.data or '').split())}.", "success")
        return redirect(url_for("organisations.list_organisations"))
    return render_template("organisations/edit-organisation.html", form=form,
                           organisation=None)


@bp.route("/<int:organisation_id>", methods=["GET", "POST"])
@roles(ADMIN)
def edit_organisation(organisation_id: int) -> str | Response:
    organisation = visible_or_refused(db.session.get(Organisation, organisation_id))
    form = OrganisationForm(obj=organisation, people=_people())
    if not form.is_submitted():
        form.lead_id.data = str(organisation.lead_id or "")
    if save_form(form, None, lambda: services.edit_organisation(
            organisation, _details(form), form.version_id.data)).saved:
        flash(f"Saved the changes to {organisation.name}.", "success")
        return redirect(url_for("organisations.list_organisations"))
    return render_template("organisations/edit-organisation.html", form=form,
                           organisation=organisation, history=history_shown(organisation))
