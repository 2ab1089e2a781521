"""Themes: the list (everyone; administrators add, rename and withdraw), a theme's page
(every recommendation with it that the person may see, its status and a chart of progress)
and the themes of a recommendation (administrators)."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker import charts, progress
from tracker.clock import today
from tracker.extensions import db
from tracker.models import Recommendation, RecommendationLink, Theme
from tracker.params import parse_int
from tracker.permissions import (
    ADMIN, COUNCIL_ROLES, openable_recommendations, refuse, roles,
    visible_or_refused,
)
from tracker.recommendations import facts
from tracker.recommendations.blueprint import load_recommendation
from tracker.saving import save_form
from tracker.themes import queries, services, similar
from tracker.themes.forms import LinkForm, RecommendationThemesForm, ThemeForm
from tracker.web import history_shown

bp = Blueprint("themes", __name__)


def _get_theme(theme_id: int) -> Theme:
    """The theme, or 404: a withdrawn theme only for administrators."""
    theme = db.session.get(Theme, theme_id)
    if theme is None or (theme.is_withdrawn and current_user.role != ADMIN):
        refuse()
    return theme  # type: ignore[return-value]


@bp.route("/themes")
@roles(*COUNCIL_ROLES)
def list_themes() -> str:
    themes = queries.all_themes(include_withdrawn=current_user.role == ADMIN)
    return render_template("themes/list-themes.html", themes=themes,
                           counts=queries.counts(current_user))


@bp.route("/themes/<int:theme_id>")
@roles(*COUNCIL_ROLES)
def show_theme(theme_id: int) -> str:
    theme = _get_theme(theme_id)
    day = today()
    page = queries.theme_page(current_user, theme, today=day)
    return render_template("themes/show-theme.html", page=page, theme=theme, today=day,
                           share=progress.format_share, share_words=facts.share_words,
                           charts=_charts(page, f"theme-{theme.id}"))


def _charts(page: queries.ThemePage, prefix: str) -> dict[str, Any]:
    """The theme's two charts (id and Plotly figure; None when there is nothing to draw),
    drawn as the dashboard draws them, each with its table beside it in the page."""
    return {
        "status": (f"{prefix}-status-by-source",
                   None if page.status.empty else charts.status_by_source(page.status)),
        "progress": (f"{prefix}-progress-by-week",
                     charts.weekly_shares([page.progress], "Share of actions complete")
                     if page.progress.has_figures else None),
    }


@bp.route("/themes/new", methods=["GET", "POST"])
@roles(ADMIN)
def add_theme() -> str | Response:
    form = ThemeForm()
    outcome = save_form(form, lambda: [form.name.data, form.description.data],
                        lambda: services.add_theme(form.values()))
    if outcome.saved:
        flash(f"Added the theme “{' '.join(form.name.data.split())}”.", "success")
        return redirect(url_for("themes.list_themes"))
    return render_template("themes/edit-theme.html", form=form, theme=None,
                           warnings=outcome.warnings)


@bp.route("/themes/<int:theme_id>/edit", methods=["GET", "POST"])
@roles(ADMIN)
def edit_theme(theme_id: int) -> str | Response:
    theme = _get_theme(theme_id)
    form = ThemeForm()
    if not form.is_submitted():
        form.process(obj=theme)
    outcome = save_form(form, lambda: [form.name.data, form.description.data],
                        lambda: services.edit_theme(theme, form.values(), form.version_id.data))
    if outcome.saved:
        flash(f"Saved the theme “{theme.name}”.", "success")
        return redirect(url_for("themes.show_theme", theme_id=theme.id))
    return render_template("themes/edit-theme.html", form=form, theme=theme,
                           warnings=outcome.warnings, history=history_shown(theme))


@bp.route("/themes/<int:theme_id>/withdraw", methods=["GET", "POST"])
@roles(ADMIN)
def withdraw_theme(theme_id: int) -> str | Response:
    from tracker.decisions.forms import WithdrawForm

    theme = _get_theme(theme_id)
    if theme.is_withdrawn:
        flash("This theme has already been withdrawn.", "info")
        return redirect(url_for("themes.list_themes"))
    form = WithdrawForm()
    if not form.is_submitted():
        form.version_id.data = theme.version_id
    outcome = save_form(form, [form.reason.data], lambda: services.withdraw_theme(
        theme, form.reason.data, form.version_id.data))
    if outcome.saved:
        flash(f"Withdrew the theme “{theme.name}”. Recommendations keep it in their history.",
              "success")
        return redirect(url_for("themes.list_themes"))
    return render_template("themes/withdraw-theme.html", form=form, theme=theme,
                           warnings=outcome.warnings)


@bp.route("/recommendations/<int:recommendation_id>/themes", methods=["GET", "POST"])
@roles(ADMIN)
def edit_recommendation_themes(recommendation_id: int) -> str | Response:
    rec = load_recommendation(recommendation_id)
    current = queries.themes_of(rec.id)
    form = RecommendationThemesForm(themes=queries.live_themes())
    if not form.is_submitted():
        form.themes.data = [t.id for t in current if not t.is_withdrawn]
    outcome = save_form(form, None, lambda: services.set_themes(rec, form.themes.data or []))
    if outcome.saved:
        flash("Saved the recommendation's themes.", "success")
        return redirect(url_for("recommendations.show_recommendation", recommendation_id=rec.id))
    return render_template("themes/recommendation-themes.html", form=form, rec=rec,
                           withdrawn=[t for t in current if t.is_withdrawn])


@bp.app_template_global("learning_of")
def learning_of(rec: Any) -> similar.Learning:
    """For the recommendation page: its themes, its links (either way) and the most similar
    recommendations not yet linked, that the reader may see (tracker/themes/similar.py).
    The page reads it once (its themes row and its learning section)."""
    return similar.learning(current_user, rec, today=today())


def _openable(recommendation_id: int | None) -> Recommendation:
    return visible_or_refused(db.session.scalar(openable_recommendations(
        sa.select(Recommendation).where(Recommendation.id == (recommendation_id or 0)),
        current_user)))


@bp.route("/recommendations/<int:recommendation_id>/links/new", methods=["GET", "POST"])
@roles(ADMIN)
def link_recommendation(recommendation_id: int) -> str | Response:
    rec = load_recommendation(recommendation_id)
    form = LinkForm()
    if not form.is_submitted():
        form.earlier.data = request.args.get("earlier", "")
    earlier_id = parse_int(form.earlier.data, low=1)
    if earlier_id is None:
        flash("Choose a similar recommendation to link from the recommendation's page.", "info")
        return redirect(url_for("recommendations.show_recommendation",
                                recommendation_id=rec.id) + "#learning")
    earlier = _openable(earlier_id)
    outcome = save_form(form, None, lambda: services.link(current_user, rec, earlier,
                                                          form.kind.data or ""))
    if outcome.saved:
        flash(f"Linked recommendation {rec.reference} with {earlier.reference}.", "success")
        return redirect(url_for("recommendations.show_recommendation",
                                recommendation_id=rec.id) + "#learning")
    return render_template("themes/link-recommendation.html", form=form, rec=rec,
                           earlier=earlier)


@bp.route("/recommendations/<int:recommendation_id>/links/<int:link_id>/remove",
          methods=["GET", "POST"])
@roles(ADMIN)
def unlink_recommendation(recommendation_id: int, link_id: int) -> str | Response:
    from tracker.decisions.forms import WithdrawForm

    rec = load_recommendation(recommendation_id)
    found = db.session.get(RecommendationLink, link_id)
    if found is None or found.is_withdrawn or rec.id not in (found.recommendation_id,
                                                             found.earlier_id):
        refuse()
    form = WithdrawForm()
    outcome = save_form(form, [form.reason.data], lambda: services.unlink(found,
                                                                          form.reason.data))
    if outcome.saved:
        flash("Removed the link.", "success")
        return redirect(url_for("recommendations.show_recommendation",
                                recommendation_id=rec.id) + "#learning")
    return render_template("themes/unlink-recommendation.html", form=form, rec=rec,
                           found=found, warnings=outcome.warnings)


SIMILAR_IN_PREVIEW = 20  # new recommendations of an import given their neighbours


@bp.app_template_global("similar_to_new")
def similar_to_new(change: Any) -> list[Recommendation]:
    """For the recommendations CSV import preview: the three existing recommendations most
    like a new one (for the first SIMILAR_IN_PREVIEW new ones of a file: the page's work
    stays bounded)."""
    counted = g.get("similar_previews", 0)
    if counted >= SIMILAR_IN_PREVIEW:
        return []
    g.similar_previews = counted + 1
    text = dict(change.values).get("text")
    found = similar.similar_to(current_user, text, limit=3)
    return facts.load_by_ids([s.recommendation_id for s in found]) if found else []
