"""The recommendations blueprint and the steps every view of it shares.

Routes live in views.py (recommendations, lists, response table, my actions),
views_work.py (actions, progress updates, challenges, sign-off) and views_csv.py (import
and export); each registers on ``bp`` defined here, and views.py imports the other two.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, abort
from flask_login import current_user

from tracker.decisions.queries import register_part_summary
from tracker.extensions import db
from tracker.models import Action, Challenge, Recommendation
from tracker.permissions import can_see_recommendation, refuse
from tracker.recommendations import facts

bp = Blueprint("recommendations", __name__)


def load_recommendation(recommendation_id: int, options: Any = facts.PAGE_LOAD) -> Recommendation:
    """The recommendation, or 404 (absent) / refused 404 (not for this user)."""
    rec = facts.load_one(recommendation_id, options)
    if rec is None:
        abort(404)
    if not can_see_recommendation(current_user, rec):
        refuse()
    return rec


def load_action(action_id: int) -> Action:
    action = db.session.get(Action, action_id)
    if action is None:
        abort(404)
    if not can_see_recommendation(current_user, action.recommendation):
        refuse()
    return action


def load_challenge(challenge_id: int) -> Challenge:
    challenge = db.session.get(Challenge, challenge_id)
    if challenge is None or challenge.is_withdrawn:
        abort(404)
    if not can_see_recommendation(current_user, challenge.recommendation):
        refuse()
    return challenge


@bp.app_template_global("part_progress")
def part_progress(part: Any) -> facts.PartProgress:
    """For templates/decisions/_part_progress.html: a decision part's progress today."""
    from tracker.clock import today

    return facts.part_progress(part, today=today())


def _progress_for_summary(summary: Any, user: Any) -> None:
    """The decisions page's extension point: each part's progress under "progress"."""
    summary.extras["progress"] = part_progress(summary.part)


register_part_summary("progress", _progress_for_summary)
