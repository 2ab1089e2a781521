"""The administrator's audit log: every recorded event, filtered by who, what, which record
and when, a page at a time. Read-only: the audit trail is never changed or deleted."""
from __future__ import annotations

import re

from flask import Blueprint, current_app, render_template, request
from wtforms import SelectChoice

from tracker.admin_tools import queries
from tracker.admin_tools.forms import ACTION_LABELS, AuditFilterForm
from tracker.permissions import ADMIN, roles
from tracker.params import page_arg

bp = Blueprint("admin_tools", __name__, url_prefix="/admin")


def _label(object_type: str) -> str:
    """"ProgressUpdate" -> "Progress update"."""
    return re.sub(r"(?<!^)(?=[A-Z])", " ", object_type).capitalize()


@bp.route("/audit")
@roles(ADMIN)
def audit_log() -> str:
    form = AuditFilterForm(formdata=request.args)
    types = queries.object_types()
    asked = request.args.get("object_type", "")[:50]
    if asked and asked not in types:
        types.append(asked)  # a kind with no events yet: the answer is simply "none"
    form.object_type.choices = [SelectChoice("", "Any")] + [
        SelectChoice(t, _label(t)) for t in types]
    valid = form.validate() if request.args else True
    filters = queries.AuditFilter()
    if valid:
        filters = queries.AuditFilter(
            user=form.user.data or None, action=form.action.data or None,
            object_type=form.object_type.data or None,
            object_id=int(form.object_id.data) if form.object_id.data else None,
            date_from=form.date_from.data, date_to=form.date_to.data)
    page = queries.audit_page(filters, page_arg(),
                              current_app.config.get("AUDIT_PAGE_SIZE", 50))
    args = {k: v for k, v in request.args.items(multi=False) if k != "page"}
    # Date inputs send three values under one name: keep them all in the paging links.
    multi = {k: request.args.getlist(k) for k in request.args if k != "page"}
    return render_template("admin_tools/audit-log.html", form=form, page=page,
                           paging_args=multi, filtered=bool(args), valid=valid,
                           action_labels=ACTION_LABELS, type_label=_label)
