"""Home page, accessibility statement and privacy notice."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from flask import Blueprint, Response, render_template
from flask_login import current_user

from tracker.extensions import db
from tracker.models import Decision
from tracker import permissions
from tracker.permissions import ALL_ROLES, public, roles
from tracker.web import page_around

bp = Blueprint("main", __name__)


def visible_decisions(user) -> list[Any]:  # type: ignore[no-untyped-def]
    """Decisions this user may see, newest first (school leads: Open decisions only): the
    columns the home page's list shows, as rows (hundreds of decisions, not ORM objects
    with their notices' texts)."""
    query = permissions.visible_decisions(user, sa.select(
        Decision.id, Decision.title, Decision.decision_maker, Decision.decided_on,
        Decision.reference, Decision.is_example))
    return list(db.session.execute(
        query.order_by(Decision.decided_on.desc(), Decision.id.desc())))


@bp.route("/")
@roles(*ALL_ROLES)
def home() -> str | Response:
    from tracker import homepages

    # The plain list of decisions is shown where the home page has no overview of them.
    listed = current_user.role not in (permissions.MEMBER, permissions.ADMIN, permissions.PARTNER)
    panels = homepages.panels_for(current_user)
    decisions = visible_decisions(current_user) if listed else []
    if "overview_html" in panels:   # stored for the day: put into the page as written
        return page_around("main/home.html", {"overview_html": panels.pop("overview_html")},
                           decisions=decisions, panels=panels)
    return render_template("main/home.html", decisions=decisions, panels=panels)


@bp.route("/accessibility")
@public
def accessibility() -> str:
    return render_template("main/accessibility.html")


@bp.route("/privacy")
@public
def privacy() -> str:
    return render_template("main/privacy.html")
