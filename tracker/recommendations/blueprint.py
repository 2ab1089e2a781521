"""The recommendations blueprint and the steps every view of it shares.

Routes live in views.py (recommendations, lists, response table, my actions),
views_work.py (actions, progress updates, challenges, sign-off) and views_csv.py (import
and export); each registers on ``bp`` defined here, and views.py imports the other two.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from flask import Blueprint, abort
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from tracker import once
from tracker.audit import StaleEdit
from tracker.decisions.callin import CallInRefused
from tracker.decisions.queries import register_part_summary
from tracker.extensions import db
from tracker.forms import warnings_to_review
from tracker.models import Action, Challenge, Recommendation
from tracker.permissions import can_see_recommendation, refuse
from tracker.recommendations import facts, services

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


@dataclass
class Outcome:
    """What became of a submitted form: saved, or why not (shown on the form again)."""
    saved: bool = False
    warnings: list[str] = field(default_factory=list)
    stale: StaleEdit | None = None
    call_in: CallInRefused | None = None
    repeated: str | None = None  # a second copy of a create form: where the first one went


def add_error(form: Any, name: str, message: str) -> None:
    target = getattr(form, name, None)
    if target is None or not hasattr(target, "errors"):
        target = next(iter(f for f in form if f.type not in ("CSRFTokenField", "HiddenField")))
    target.errors = list(target.errors) + [message]


def try_save(form: Any, texts: Callable[[], list[str | None]], save: Callable[[], Any],
             *, valid: Callable[[], bool] = lambda: True, call_in_field: str = "status",
             once_to: str | None = None) -> Outcome:
    """Validate, show warnings once, then save; refusals become errors on the form.
    A user not allowed to do it gets 404 (``services.NotAllowed``), nothing saved.
    ``once_to``: a create form's result page; its one-time token is spent with the save, and
    a second copy of the form is answered with the first one's result (tracker.once)."""
    if not form.is_submitted():
        return Outcome()
    token = form.once.data if once_to is not None else None
    if (first := once.result_of(token, current_user.id)) is not None:
        return Outcome(saved=True, repeated=first)
    ok = form.validate()
    ok = valid() and ok
    if not ok:
        return Outcome()
    warnings = warnings_to_review(form, *texts())
    if warnings:
        return Outcome(warnings=warnings)
    try:
        if once_to is not None:
            once.spend(token, current_user.id, once_to)
        save()
    except IntegrityError:
        db.session.rollback()
        if (first := once.result_of(token, current_user.id)) is not None:
            return Outcome(saved=True, repeated=first)  # the other copy was saved first
        raise
    except services.NotAllowed:
        refuse()
    except services.Problem as problem:
        db.session.rollback()
        add_error(form, problem.field, str(problem))
    except StaleEdit as stale:
        db.session.rollback()
        if hasattr(form, "version_id"):  # saving again is a deliberate choice now
            form.version_id.data = stale.obj.version_id
            form.version_id.raw_data = [str(stale.obj.version_id)]
        return Outcome(stale=stale)
    except CallInRefused as refused:
        db.session.rollback()
        add_error(form, call_in_field, refused.status.reason)
        return Outcome(call_in=refused)
    except StaleDataError:
        db.session.rollback()
        add_error(form, call_in_field, "Someone else saved a change to this at the same "
                                       "moment. Nothing of yours was saved: check and try again.")
    else:
        return Outcome(saved=True)
    return Outcome()


@bp.app_template_global("part_progress")
def part_progress(part: Any) -> facts.PartProgress:
    """For templates/decisions/_part_progress.html: a decision part's progress today."""
    from tracker.clock import today

    return facts.part_progress(part, today=today())


def _progress_for_summary(summary: Any, user: Any) -> None:
    """The decisions page's extension point: each part's progress under "progress"."""
    summary.extras["progress"] = part_progress(summary.part)


register_part_summary("progress", _progress_for_summary)
