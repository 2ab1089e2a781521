"""Update rounds: the list, opening one (administrators), and a round's page showing per
owner and per action what has been returned (administrators and officers)."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from tracker.extensions import db
from tracker.messages import rounds
from tracker.messages.blueprint import bp
from tracker.decisions.forms import decision_words
from tracker.messages.forms import RoundForm
from tracker.models import Decision, UpdateRound
from tracker.permissions import ADMIN, OFFICER, can_see_action, roles


@bp.route("/admin/rounds")
@roles(ADMIN)
def list_rounds() -> str:
    listed = [(r, rounds.status(r)) for r in rounds.list_rounds()]
    return render_template("messages/list-rounds.html", rounds=listed)


def _decision_choices() -> list[SelectChoice]:
    decisions = db.session.scalars(sa.select(Decision).where(Decision.withdrawn_at.is_(None))
                                   .order_by(Decision.decided_on.desc(), Decision.id))
    return [SelectChoice(d.id, decision_words(d))
            for d in decisions]


@bp.route("/admin/rounds/new", methods=["GET", "POST"])
@roles(ADMIN)
def open_round() -> str | Response:
    form = RoundForm()
    form.decision_ids.choices = _decision_choices()
    if form.validate_on_submit():
        try:
            round_ = rounds.open_round(current_user, rounds.RoundDetails(
                committee=form.committee.data or "", meeting_on=form.meeting_on.data,
                due_on=form.due_on.data, decision_ids=list(form.decision_ids.data or []),
                reminder_days=int(form.reminder_days.data or 7)))
        except rounds.RoundProblem as problem:
            db.session.rollback()
            getattr(form, problem.field).errors = [str(problem)]
        else:
            asked = len({(item.owner_id, item.owner_organisation_id) for item in round_.items})
            flash(f"Round opened: {len(round_.items)} action(s), {asked} owner(s) asked for "
                  "an update.", "success")
            return redirect(url_for("messages.show_round", round_id=round_.id))
    return render_template("messages/open-round.html", form=form)


@bp.route("/rounds/<int:round_id>")
@roles(ADMIN, OFFICER)
def show_round(round_id: int) -> str:
    round_ = db.session.get(UpdateRound, round_id)
    if round_ is None:
        abort(404)
    owners = rounds.status(round_)
    return render_template("messages/show-round.html", round=round_, owners=owners,
                           missing=[i for o in owners for i in o.items if not i.returned])


@bp.app_template_global("meeting_round_gaps")
def meeting_round_gaps(meeting_on: object) -> list[tuple[UpdateRound, list[rounds.ItemStatus]]]:
    """For the committee report: each round for a meeting on that day, with its actions that
    had no update in the round, limited to what the reader may see (tracker.permissions)."""
    import datetime as dt

    if not isinstance(meeting_on, dt.date):
        return []
    return [(round_, [i for i in rounds.not_returned(round_)
                      if can_see_action(current_user, i.item.action)])
            for round_ in rounds.rounds_for_meeting(meeting_on)]
