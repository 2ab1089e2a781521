"""Home page, accessibility statement and privacy notice."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from flask import Blueprint, Response, render_template
from flask_login import current_user

from tracker.models import Decision
from tracker import permissions
from tracker.permissions import ALL_ROLES, public, roles
from tracker.web import page_around

bp = Blueprint("main", __name__)


@dataclass(frozen=True)
class Newest:
    """The newest decisions a user may see (the home page's plain list) and how many they
    may see in all."""
    decisions: tuple[Any, ...]   # rows of the columns the list shows
    total: int


def newest_decisions(user, shown: int) -> Newest:  # type: ignore[no-untyped-def]
    """The ``shown`` newest decisions this user may see (school leads: Open decisions
    only), as rows of the columns the home page's list shows, with how many there are in
    all (one query, ``queries.counted_page``: a council with hundreds of decisions had every
    one on the page)."""
    from tracker import homepages
    from tracker.recommendations.queries import counted_page

    found, total, _, _ = counted_page(homepages.newest_first(permissions.visible_decisions(
        user, sa.select(Decision.id, Decision.title, Decision.decision_maker,
                        Decision.decided_on, Decision.reference, Decision.is_example))),
        1, shown)
    return Newest(tuple(found), total)


@bp.route("/")
@roles(*ALL_ROLES)
def home() -> str | Response:
    from tracker import homepages

    # The plain list of decisions is shown where the home page has no overview of them.
    listed = current_user.role not in (permissions.MEMBER, permissions.ADMIN, permissions.PARTNER)
    panels = homepages.panels_for(current_user)
    decisions = (newest_decisions(current_user, homepages.HOME_DECISIONS_SHOWN) if listed
                 else Newest((), 0))
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
