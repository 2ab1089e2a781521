"""Reads for themes: the list, a theme's recommendations (only those the person may see,
through ``tracker.permissions.visible_recommendations``) with their states, and the themes of
one recommendation."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
import sqlalchemy as sa

from tracker.dashboard import figures
from tracker.extensions import db
from tracker.models import Decision, DecisionPart, Recommendation, Theme, User, recommendation_themes
from tracker.permissions import visible_recommendations
from tracker.recommendations import facts
from tracker.recommendations.facts import Row


def all_themes(include_withdrawn: bool = True) -> list[Theme]:
    query = sa.select(Theme)
    if not include_withdrawn:
        query = query.where(Theme.withdrawn_at.is_(None))
    return list(db.session.scalars(query.order_by(Theme.withdrawn_at.is_not(None),
                                                  sa.func.lower(Theme.name))))


def live_themes() -> list[Theme]:
    return all_themes(include_withdrawn=False)


def themes_of(recommendation_id: int) -> list[Theme]:
    return list(db.session.scalars(
        sa.select(Theme).join(recommendation_themes,
                              recommendation_themes.c.theme_id == Theme.id)
        .where(recommendation_themes.c.recommendation_id == recommendation_id)
        .order_by(sa.func.lower(Theme.name))))


def with_theme(theme_id: int) -> sa.ColumnElement[bool]:
    """Recommendations carrying the theme (a condition on Recommendation)."""
    return Recommendation.id.in_(sa.select(recommendation_themes.c.recommendation_id)
                                 .where(recommendation_themes.c.theme_id == theme_id))


def counts(user: User) -> dict[int, int]:
    """How many recommendations the user may see carry each theme."""
    visible_ids = visible_recommendations(sa.select(Recommendation.id), user)
    rows = db.session.execute(
        sa.select(recommendation_themes.c.theme_id, sa.func.count())
        .where(recommendation_themes.c.recommendation_id.in_(visible_ids))
        .group_by(recommendation_themes.c.theme_id))
    return dict(rows.tuples().all())


@dataclass(frozen=True)
class ThemePage:
    theme: Theme
    rows: tuple[Row, ...]
    status: figures.StatusBySource
    progress: figures.WeeklySeries


def theme_page(user: User, theme: Theme, *, today: dt.date) -> ThemePage:
    """Every recommendation with the theme across all decisions the user may see, with its
    status; the status breakdown and the weekly share of actions complete over them."""
    ids_query = visible_recommendations(sa.select(Recommendation.id), user).where(
        with_theme(theme.id))
    ordered = (visible_recommendations(sa.select(Recommendation), user)
               .where(with_theme(theme.id))
               .outerjoin(DecisionPart, Recommendation.part_id == DecisionPart.id)
               .outerjoin(Decision, DecisionPart.decision_id == Decision.id)
               .order_by(Decision.decided_on.desc().nulls_first(), Decision.id,
                         DecisionPart.position, Recommendation.position, Recommendation.id))
    recs = facts.load(ordered, facts.ROW_LOAD)
    condition = Recommendation.id.in_(ids_query)
    found = facts.facts_where(condition)
    states = facts.states_where(condition, today=today)
    rows = tuple(Row(r, states.get(r.id)) for r in recs)
    start = min((f.created_at for f in found.values()), default=None)
    start_day = start.date() if start is not None else today
    weekly = figures.actions_by_week(list(found.values()), start=start_day, as_at=today,
                                     today=today)
    return ThemePage(theme, rows, figures.status_by_source(states.values()), weekly)

