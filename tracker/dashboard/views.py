"""The dashboard (today's figures, filter by decision) and the committee progress report
(as at a chosen date, for a decision or all of them) with its CSV and Excel downloads.

The open data API (``tracker.api``) is registered here, nested in this blueprint, so it
arrives with the dashboard feature.
"""
from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from flask import (
    Blueprint, Response, get_template_attribute, redirect, render_template, request, url_for,
)
from wtforms import SelectChoice
from flask_login import current_user

from tracker import audit, charts, progress
from tracker.api.views import bp as api_bp
from tracker.clock import now, today
from tracker.dashboard import exports, impact, queries, stored, word
from tracker.dashboard import today as todays
from tracker.dashboard import report as reports
from tracker.dashboard.history import ValuesAsAt
from tracker.dashboard.late import LateLine
from tracker.dashboard.forms import (
    ALL, DashboardForm, ReportForm, chosen_id, decision_choices, theme_choices,
)
from tracker.downloads import download
from tracker.models import Decision
from tracker.params import page_arg
from tracker.permissions import COUNCIL_ROLES, roles
from tracker.recommendations import facts as rec_facts
from tracker.themes import queries as theme_queries
from tracker.themes import similar
from tracker.web import page_around

bp = Blueprint("dashboard", __name__)
bp.register_blueprint(api_bp)
bp.add_app_template_global(impact.figures_of, "impact_figures")  # dashboard/_impact.html


@bp.context_processor
def helpers() -> dict[str, Any]:
    """Words for shares and roll-ups, from the rules of progress and the adapter's tags."""
    return {"share": progress.format_share, "rollup_tag": rec_facts.rollup_tag,
            "days": progress.format_days}


CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MIMETYPES = {"csv": CSV, "xlsx": XLSX, "zip": "application/zip", "docx": DOCX}
DOWNLOAD_WORDS = {"csv": "CSV", "xlsx": "Excel", "zip": "a zip of one CSV per section",
                  "docx": "Word"}


@bp.route("/dashboard")
@roles(*COUNCIL_ROLES)
def show_dashboard() -> str | Response:
    form = DashboardForm(request.args)
    choices = queries.decision_choices(current_user)
    form.decision.choices = decision_choices(choices)
    theme = _chosen_theme(form)
    decision_id = chosen_id(form.decision.data)
    if decision_id is None:
        form.decision.data = ALL
        decisions = choices
    else:
        form.decision.data = str(decision_id)
        decisions = [queries.chosen_decision(current_user, decision_id)]
    agencies = queries.organisations()
    form.agency.choices = [SelectChoice("", "Every agency")] + [
        SelectChoice(str(o.id), o.name) for o in agencies]
    agency_id = chosen_id(form.agency.data)
    if agency_id is not None:
        worked_on = queries.decisions_of_agency(agency_id)
        decisions = [d for d in decisions if d.id in worked_on]
    # the filters as the form understood them: the late list's pages and the stored body's key
    page_args = {"decision": form.decision.data} if request.args.get("decision") else {}
    if theme is not None:
        page_args["theme"] = str(theme.id)
    if agency_id is not None:
        page_args["agency"] = str(agency_id)
    day, late_page = today(), page_arg("late_page")
    shown = stored.Shown(tuple(decisions), day, theme.id if theme else None,
                         len(decisions) == 1)
    build = partial(_dashboard_body, shown, late_page, page_args, theme)
    # The first page of the late list, which nearly every reader opens, is stored for the
    # day while nothing it reads is written (``stored.served``, as today's report); later
    # pages are built as asked for.
    body = stored.served_first_page(shown, "dashboard", build, late_page, words=(
        *(f"{k}={v}" for k, v in sorted(page_args.items())),
        f"theme name {theme.name}" if theme else ""))
    return page_around("dashboard/show-dashboard.html", {"body": body}, form=form, today=day)


def _dashboard_body(shown: stored.Shown, late_page: int, page_args: dict[str, str],
                    theme: Any) -> bytes:
    """The dashboard's figures (dashboard/_dashboard-body.html): the same for every reader
    shown these decisions with these filters. Built and rendered without the cycle collector
    walking the figures (``_report_body``)."""
    with reports.without_cycle_collection():
        found = todays.dashboard(shown.decisions, today=shown.as_at, theme_id=shown.theme_id,
                                 late_page=late_page)
        result = found.report
        return render_template(
            "dashboard/_dashboard-body.html", report=result,
            charts=chart_figures(result.charts, "dashboard", found.late.top, result.total),
            late_page=found.late, today=shown.as_at, theme=theme, page_args=page_args,
            whole_list=url_for("dashboard.download_report_csv",
                               decision=page_args.get("decision", ALL),
                               as_at=shown.as_at.isoformat(),
                               theme=page_args.get("theme"))).encode()


def _chosen_theme(form: DashboardForm | ReportForm) -> Any:
    """The theme the filter names (docs/search-and-themes.md), among those in use; anything
    else is no filter."""
    themes = theme_queries.live_themes()
    form.theme.choices = theme_choices(themes)
    wanted = chosen_id(form.theme.data)
    theme = next((t for t in themes if t.id == wanted), None)
    form.theme.data = str(theme.id) if theme else ""
    return theme


def _report_form() -> tuple[ReportForm, list[Decision], bool]:
    """The report's form, filled from the query string, and the decisions it asks for
    (a chosen decision the user may not see answers 404)."""
    form = ReportForm(request.args)
    visible = queries.decision_choices(current_user)
    form.decision.choices = decision_choices(visible)
    _chosen_theme(form)
    if "decision" not in request.args and visible:
        form.decision.data = str(visible[0].id)  # the latest decision, unless asked for all
    if "as_at" not in request.args:
        form.as_at.data = today()
        form.as_at.raw_data = None
    valid = form.validate() if "as_at" in request.args else True
    if valid and form.as_at.data is not None and form.as_at.data > today():
        form.as_at.errors = [*form.as_at.errors,
                             "The date the report is as at must be today or in the past"]
        valid = False
    decision_id = chosen_id(form.decision.data)
    if decision_id is None:
        form.decision.data = ALL
        return form, [], valid
    return form, [queries.chosen_decision(current_user, decision_id)], valid


def _shown(form: ReportForm, chosen: list[Decision]) -> stored.Shown:
    """What the report shows this reader: the decision chosen, or all it may see recorded by
    the date."""
    as_at: dt.date = form.as_at.data
    decisions = chosen or queries.decisions_recorded_by(
        current_user, progress.cutoff_for(as_at))
    return stored.Shown(tuple(decisions), as_at, chosen_id(form.theme.data), bool(chosen))


def _build(shown: stored.Shown) -> reports.Report:
    return reports.committee_report(shown.decisions, as_at=shown.as_at, today=today(),
                                    one_decision=shown.one_decision, theme_id=shown.theme_id)


def _report_body(shown: stored.Shown) -> bytes:
    """The page's report body (dashboard/_report-body.html): the same for every reader of
    these decisions, so stored (``stored.served``). Rendered as it is built, without the
    cycle collector walking the report's objects again and again (``report``)."""
    with reports.without_cycle_collection():
        result = _build(shown)
        return render_template(
            "dashboard/_report-body.html", report=result,
            charts={d.id: chart_figures(d.charts, f"decision-{d.id}", d.late, d.total)
                    for d in result.decisions}).encode()


def _with_links(body: bytes, as_at: dt.date) -> bytes:
    """The report body with each recommendation's links as this reader may see them: the
    body cut once at its markers (``stored.LINKS``), each put back as our macro writes it."""
    pieces = stored.LINKS.split(body)   # text, id, text, id, ..., text
    ids = [int(found) for found in pieces[1::2]]
    links = similar.links_of(current_user, ids, today=today(), as_at=as_at)
    spans = get_template_attribute("dashboard/_report-links.html", "learning_links")
    none = str(spans([])).encode()  # most have no links: the macro asked once for them
    pieces[1::2] = [str(spans(found)).encode() if (found := links.get(rid)) else none
                    for rid in ids]
    return b"".join(pieces)


def _download_args(form: ReportForm) -> dict[str, Any]:
    day: dt.date = form.as_at.data
    args = {"decision": form.decision.data, "as_at": day.isoformat()}
    if form.theme.data:
        args["theme"] = form.theme.data
    return args


def _canonical_address(form: ReportForm) -> str | None:
    """The report's address as it reads, ``as_at=2021-06-30``, when this request came with
    the form's three boxes (``as_at=30&as_at=6&as_at=2021``, the form's own submission or an
    old address); None when it already reads so."""
    if len(request.args.getlist("as_at")) == 1:
        return None
    args = request.args.to_dict(flat=False)
    args.pop("submit", None)
    args["as_at"] = [form.as_at.data.isoformat()]
    return url_for(request.endpoint or "dashboard.committee_report", **args)


@bp.route("/reports/committee")
@roles(*COUNCIL_ROLES)
def committee_report() -> str | Response:
    form, chosen, valid = _report_form()
    if not valid:
        return render_template("dashboard/committee-report.html", form=form, report_as_at=None)
    if "as_at" in request.args and (address := _canonical_address(form)) is not None:
        return redirect(address)
    if chosen and chosen[0].decided_on > form.as_at.data:  # nothing had been decided yet
        return render_template("dashboard/committee-report.html", form=form, report_as_at=None,
                               not_yet=chosen[0])
    shown = _shown(form, chosen)
    body = stored.served(shown, "page", lambda: _report_body(shown))
    cutoff = progress.cutoff_for(shown.as_at)
    entered_later = [] if chosen else [
        d for d in queries.decision_choices(current_user)
        if d.decided_on <= shown.as_at and cutoff is not None and d.created_at >= cutoff]
    return page_around(
        "dashboard/committee-report.html", {"body": _with_links(body, shown.as_at)},
        form=form, report_as_at=shown.as_at, any_decision=bool(shown.decisions),
        download_args=_download_args(form), entered_later=entered_later, printed_at=now())


@bp.route("/reports/committee.csv")
@roles(*COUNCIL_ROLES)
def download_report_csv() -> Any:
    return _download("csv")


@bp.route("/reports/committee.zip")
@roles(*COUNCIL_ROLES)
def download_report_zip() -> Any:
    return _download("zip")


@bp.route("/reports/committee.xlsx")
@roles(*COUNCIL_ROLES)
def download_report_excel() -> Any:
    return _download("xlsx")


@bp.route("/reports/committee.docx")
@roles(*COUNCIL_ROLES)
def download_report_word() -> Any:
    """The committee paper in Word."""
    return _download("docx")


def _download(kind: str) -> Any:
    form, chosen, valid = _report_form()
    if not valid or "as_at" not in request.args:
        return redirect(url_for("dashboard.committee_report", **request.args.to_dict(flat=False)))
    shown = _shown(form, chosen)
    as_at = shown.as_at
    scope = _decision_words(chosen[0], as_at) if chosen else "all decisions"
    theme_name = next((c.label for c in form.theme.choices
                       if form.theme.data and c.value == form.theme.data), None)
    if theme_name:
        scope = f"{scope}, theme {theme_name}"
    slug = "".join(c if c.isalnum() else "-" for c in scope.lower()).strip("-")[:60]
    stem = f"committee-report-{slug}-as-at-{as_at:%Y-%m-%d}"
    if kind == "docx":   # its cover and printed date are read now: words of its key
        front = word.cover([d.id for d in shown.decisions], as_at, today())
        body = stored.served(shown, kind, lambda: word.to_word(_build(shown), front),
                             words=(repr(front), *word.settings()))
    else:
        write = {"csv": exports.to_csv, "xlsx": exports.to_excel,
                 "zip": lambda r: exports.to_zip(r, stem)}[kind]
        body = stored.served(shown, kind, lambda: write(_build(shown)),
                             words=(stem,) if kind == "zip" else ())
    with audit.own_transaction():
        audit.record("export", chosen[0] if chosen else None,
                     summary=f"Committee report for {scope} as at {as_at:%Y-%m-%d} "
                             f"downloaded as {DOWNLOAD_WORDS[kind]}",
                     object_type="Decision")
    return download(body, MIMETYPES[kind], f"{stem}.{kind}")


def _decision_words(decision: Decision, as_at: dt.date) -> str:
    """How the download's name and audit event call the decision: its reference, else its
    title, as they stood at the report's date (as the report shows them)."""
    values = ValuesAsAt.on(as_at, today())
    return values.value(decision, "reference") or values.value(decision, "title")


# --- charts ---------------------------------------------------------------------------------
def chart_figures(found: reports.Charts | None, prefix: str,
                  late: tuple[LateLine, ...] = (),
                  total: progress.Rollup | None = None) -> dict[str, Any]:
    """Each chart's id and Plotly figure (None when there is nothing to draw)."""
    if found is None:
        return {}
    closing = impact.figures_of(total) if total is not None else None
    guidance = found.guidance
    return {
        "status": (f"{prefix}-status-by-source",
                   None if found.status.empty else charts.status_by_source(found.status)),
        "progress": (f"{prefix}-progress-by-week",
                     charts.weekly_shares([found.progress], "Share of actions complete")
                     if found.progress.has_figures else None),
        "adoption": (f"{prefix}-adoption-by-week",
                     charts.weekly_shares([g.weekly for g in guidance], "Share of schools adopted")
                     if any(g.weekly.has_figures for g in guidance) else None),
        "phases": [(f"{prefix}-adoption-by-phase-{n}", charts.adoption_by_phase(g.phases)
                    if g.phases.rows else None) for n, g in enumerate(guidance, 1)],
        "overdue": (f"{prefix}-overdue-by-owner",
                    charts.overdue_by_owner(found.overdue) if found.overdue else None),
        "late": (f"{prefix}-late-by-days", charts.late_by_days(late) if late else None),
        "ageing": (f"{prefix}-ageing-by-month",
                   charts.ageing_by_month(found.ageing) if found.ageing.has_figures else None),
        "impact": (f"{prefix}-implemented-and-impact",
                   charts.implemented_and_impact(closing)
                   if closing is not None and closing.recommendations else None),
    }
