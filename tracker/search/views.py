"""The search page (/search): ranked, highlighted results across decisions, recommendations,
actions and progress updates the person may see, filtered by decision, theme, status and
owner (docs/search-and-themes.md)."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from tracker.clock import today
from tracker.extensions import db
from tracker.forms import Form, GovSelect, text
from tracker.models import Recommendation
from tracker.params import parse_int
from tracker.permissions import ALL_ROLES, action_scope, roles
from tracker.recommendations import facts
from tracker.recommendations import queries as rec_queries
from tracker.recommendations.forms import options
from tracker.search import queries
from tracker.themes import queries as theme_queries
from wtforms import SelectField

bp = Blueprint("search", __name__)


class SearchForm(Form):
    """Read from the query string: no CSRF (nothing changes)."""

    class Meta:
        csrf = False

    q = text("Search for", max_length=200,
             hint="Words from a decision, a recommendation, an action or a progress update")
    decision = SelectField("Decision", choices=[], widget=GovSelect(), validate_choice=False)
    theme = SelectField("Theme", choices=[], widget=GovSelect(), validate_choice=False)
    status = SelectField("Status of the recommendation", choices=[], widget=GovSelect(),
                         validate_choice=False)
    owner = SelectField("Owner", choices=[], widget=GovSelect(), validate_choice=False)


def _chosen(value: str | None) -> int | None:
    return parse_int(value, low=1)


@bp.route("/search")
@roles(*ALL_ROLES)
def search() -> str:
    form = SearchForm(request.args)
    choices = rec_queries.filter_choices(current_user)   # the list's, stored for the day
    form.decision.choices = options([("", "Any decision"), *choices["decisions"]])
    form.theme.choices = options([("", "Any theme")] + [
        (str(t.id), t.name) for t in theme_queries.live_themes()])
    form.status.choices = options([("", "Any status")] + [
        (k, words) for k, (_, _, words) in rec_queries.STATUS_FILTERS.items()])
    form.owner.choices = options([("", "Anyone"), *choices["owners"]])
    valid = form.validate() if request.args else True
    hits: list[queries.Hit] = []
    tags: dict[int, tuple[str, str]] = {}
    asked = bool(valid and queries.words_of(form.q.data))
    if asked:
        status = form.status.data if form.status.data in rec_queries.STATUS_FILTERS else None
        day = today()
        hits = queries.search(current_user, form.q.data, queries.Filters(
            decision_id=_chosen(form.decision.data), theme_id=_chosen(form.theme.data),
            owner_id=_chosen(form.owner.data), status=status), today=day)
        rec_ids = {h.recommendation_id for h in hits} - {None}
        if rec_ids:
            states = facts.states_where(Recommendation.id.in_(rec_ids), today=day,
                                        action_scope=action_scope(current_user))
            tags = {rid: facts.rec_tag(state) for rid, state in states.items()}
    names = queries.names_of(hits)
    return render_template("search/search.html", form=form, hits=hits, tags=tags, names=names,
                           asked=asked, dialect=db.engine.dialect.name)
