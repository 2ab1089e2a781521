"""The recommendations blueprint and the steps every view of it shares.

Routes live in views.py (recommendations, lists, response table, my actions),
views_work.py (actions, progress updates, challenges, sign-off) and views_csv.py (import
and export); each registers on ``bp`` defined here, and views.py imports the other two.
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint
from flask_login import current_user

from tracker.decisions.queries import register_part_summary
from tracker.extensions import db
from tracker.models import Action, Challenge, Recommendation
from tracker.permissions import (
    can_see_action, can_see_recommendation, openable_recommendations, visible_or_refused,
)
from tracker.recommendations import facts

bp = Blueprint("recommendations", __name__)


def load_recommendation(recommendation_id: int, options: Any = facts.PAGE_LOAD) -> Recommendation:
    """The recommendation, or refused 404 when absent or not for this user. Whether it may
    be opened is asked in SQL (permissions.openable_recommendations) by the very query that
    loads it, so a hidden one and an absent one take the one path: that query finds no row,
    and none of the page's graph is loaded."""
    return _first_or_refused(facts.load(_openable(recommendation_id), options))


def load_shown_recommendation(recommendation_id: int) -> Recommendation:
    """:func:`load_recommendation` for its page: ``facts.SHOW_LOAD`` read by
    ``facts.load_shown`` (only the collections it has rows of)."""
    return _first_or_refused(facts.load_shown(_openable(recommendation_id)))


def _openable(recommendation_id: int) -> sa.Select[Any]:
    return openable_recommendations(
        sa.select(Recommendation).where(Recommendation.id == recommendation_id), current_user)


def _first_or_refused(found: list[Recommendation]) -> Recommendation:
    return visible_or_refused(found[0] if found else None)


def load_action(action_id: int) -> Action:
    return visible_or_refused(
        db.session.get(Action, action_id), lambda action: can_see_action(current_user, action))


def load_challenge(challenge_id: int) -> Challenge:
    return visible_or_refused(
        db.session.get(Challenge, challenge_id),
        lambda challenge: not challenge.is_withdrawn
        and can_see_recommendation(current_user, challenge.recommendation))


@bp.app_template_global("part_progress")
def part_progress(part: Any) -> facts.PartProgress:
    """For templates/decisions/_part_progress.html: a decision part's progress today."""
    from tracker.clock import today

    return facts.part_progress(part, today=today())


def _progress_for_summary(summaries: list[Any], user: Any) -> None:
    """The decisions page's extension point: each part's progress today under "progress",
    read for all the decision's parts together."""
    from tracker.clock import today

    if summaries:
        found = facts.parts_progress(summaries[0].part.decision_id,
                                     [s.part.id for s in summaries], today=today())
        for summary in summaries:
            summary.extras["progress"] = found[summary.part.id]


register_part_summary("progress", _progress_for_summary)
