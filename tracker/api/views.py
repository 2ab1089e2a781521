"""Open data: JSON totals for Open decisions (off unless ``OPEN_DATA_ENABLED``).

Totals only: decisions, their parts, recommendation status counts, actions complete, and
guidance adoption shares (overall and by phase; no figure describing fewer than
``SMALL_NUMBER`` schools is published, even by subtracting one figure from another:
``tracker.api.suppression``). No
narratives, nothing per school, nothing about an exempt decision (answered 404, as if absent).
Every figure is the committee report's (``tracker.dashboard.report``; for today read from
the kept roll-ups, ``tracker.dashboard.today``), so the rules of progress decide them.
``?as_at=YYYY-MM-DD`` asks for the figures as recorded by the end of a
past day.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, abort, current_app, jsonify, request, url_for
from werkzeug.exceptions import HTTPException

from tracker import progress
from tracker.api.suppression import hidden_cells, hidden_total
from tracker.clock import today
from tracker.params import parse_date
from tracker.dashboard import queries
from tracker.dashboard import report as reports
from tracker.dashboard import today as today_figures
from tracker.dashboard.adoption import GuidanceFigures
from tracker.dashboard.report import DecisionSection, PartSection
from tracker.extensions import db, limiter
from tracker.models import Decision
from tracker.permissions import public
from tracker.dashboard import impact, stored
from tracker.progress import AdoptionFigure, Rollup

bp = Blueprint("api", __name__, url_prefix="/api")
SMALL_NUMBER = 5
LIMIT = "120 per minute"


@bp.before_request
def switched_on() -> None:
    if not current_app.config.get("OPEN_DATA_ENABLED"):
        abort(404)


@bp.after_request
def open_to_all(response: Any) -> Any:
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def json_error(error: HTTPException) -> Any:
    """Errors in JSON (the app's own pages answer these codes in HTML)."""
    return jsonify({"error": error.name, "status": error.code,
                    "message": error.description}), error.code


for _code in (400, 404, 405, 429):
    bp.register_error_handler(_code, json_error)


def _as_at() -> dt.date:
    value = request.args.get("as_at")
    day = today()
    if not value:
        return day
    asked = parse_date(value)
    if asked is None:
        abort(400, description="as_at must be a date written YYYY-MM-DD, for example 2021-03-31")
    if asked > day:
        abort(400, description="as_at must be today or in the past")
    return asked


@bp.route("/")
@public
@limiter.limit(LIMIT)
def index() -> Any:
    return jsonify({
        "service": current_app.config["SERVICE_NAME"],
        "publisher": current_app.config["COUNCIL_NAME"],
        "description": "Progress on the recommendations and guidance set in motion by Open "
                       "council decisions: totals only.",
        "endpoints": {"decisions": url_for("dashboard.api.list_decisions", _external=False)},
    })


@bp.route("/decisions")
@public
@limiter.limit(LIMIT)
def list_decisions() -> Any:
    # Every Open decision's figures are some 100,000 small objects: the cycle collector stays
    # off until the answer is bytes and they are freed, rather than walk them all once after.
    with reports.without_cycle_collection():
        return _every_decision(_as_at())


def _every_decision(as_at: dt.date) -> Any:
    """Every Open decision's figures as at ``as_at``. Today's answer is the same for every
    caller until something it reads is written: stored for the day as today's committee
    report is (``stored.served``); a past date's is built as asked for (anyone may ask for
    any of thousands of days: none is stored)."""
    cutoff = progress.cutoff_for(as_at)
    decisions = queries.open_decisions(cutoff, particulars_only=as_at == today())

    def build() -> bytes:
        found = _summaries(decisions, as_at, with_parts=False,
                           chosen=queries.open_decisions_query(cutoff).with_only_columns(
                               Decision.id))
        return jsonify({"as_at": as_at.isoformat(), "decisions": [
            _decision(d, with_parts=False) for d in found.decisions]}).get_data()

    if as_at != today():
        return current_app.response_class(build(), mimetype="application/json")
    shown = stored.Shown(tuple(decisions), as_at, None, False)
    return current_app.response_class(stored.served(shown, "open data", build),
                                      mimetype="application/json")


@bp.route("/decisions/<int:decision_id>")
@public
@limiter.limit(LIMIT)
def show_decision(decision_id: int) -> Any:
    as_at = _as_at()
    decision = db.session.get(Decision, decision_id)
    cutoff = progress.cutoff_for(as_at)
    if decision is None or decision not in queries.open_decisions(cutoff):
        abort(404)
    found = _summaries([decision], as_at)
    return jsonify({"as_at": as_at.isoformat()} | _decision(found.decisions[0], with_parts=True))


def _summaries(decisions: list[Decision], as_at: dt.date, with_parts: bool = True,
               chosen: Any = None) -> reports.Report:
    """The report's figures: today's from the kept roll-ups (``chosen``: the decisions' ids
    as a query), a past date's from history."""
    day = today()
    if as_at == day:
        return today_figures.summaries(decisions, today=day, with_parts=with_parts,
                                       chosen=chosen)
    return reports.summaries(decisions, as_at=as_at, today=day)


# --- shapes ---------------------------------------------------------------------------------
def _decision(d: DecisionSection, *, with_parts: bool) -> dict[str, Any]:
    shown: dict[str, Any] = {
        "id": d.id, "reference": d.reference or None, "title": d.title,
        "decision_maker": d.decision_maker, "decided_on": d.decided_on.isoformat(),
        "url": url_for("dashboard.api.show_decision", decision_id=d.id),
        "status": {"label": d.total.label, "rag": d.total.rag, "words": d.tag[1]},
        "recommendations": _recommendations(d.total, d.charts.status),
        "actions": _actions(d.total),
        "guidance": [_guidance(g) for g in d.charts.guidance],
    }
    if with_parts:
        shown["parts"] = [_part(p) for p in d.parts]
    return shown


def _part(p: PartSection) -> dict[str, Any]:
    return {"label": p.label, "kind": p.kind_words,
            "status": None if p.tag is None else {"label": p.total.label, "rag": p.total.rag,
                                                  "words": p.tag[1]},
            "recommendations": {"counted": p.total.recommendations,
                                "not_accepted": p.total.not_accepted}
            | impact.figures_of(p.total).as_dict(),
            "actions": _actions(p.total), "guidance": [_guidance(g) for g in p.guidance]}


def _recommendations(total: Rollup, status: Any) -> dict[str, Any]:
    by_status = [{"status": s.key, "words": s.words,
                  "count": sum(status.count(src, s.key) for src, _ in status.sources)}
                 for s in status.statuses]
    return {"counted": total.recommendations, "not_accepted": total.not_accepted,
            "complete": total.recommendations_complete, "by_status": by_status} \
        | impact.figures_of(total).as_dict()  # implemented and impact evidenced, apart


def _actions(total: Rollup) -> dict[str, Any]:
    return {"complete": total.complete_actions, "counted": total.counted_actions,
            "percent_complete": progress.share_percent(total.share),
            "overdue": total.overdue_actions}


def _guidance(g: GuidanceFigures) -> dict[str, Any]:
    rows = g.phases.rows
    hidden = hidden_cells([row.figure.in_scope_open for row in rows], threshold=SMALL_NUMBER)
    return {"title": g.title,
            **_adoption(g.total, hidden_total(g.total.in_scope_open, threshold=SMALL_NUMBER)),
            "by_phase": [{"phase": row.phase, **_adoption(row.figure, n in hidden)}
                         for n, row in enumerate(rows)]}


def _adoption(figure: AdoptionFigure, suppress: bool) -> dict[str, Any]:
    if suppress:
        return {"schools": None, "adopted": None, "percent_adopted": None, "suppressed": True}
    return {"schools": figure.in_scope_open, "adopted": figure.adopted,
            "percent_adopted": progress.share_percent(figure.share), "suppressed": False}
