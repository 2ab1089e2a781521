"""Demo themes: four themes of learning, given to the demo recommendations whose text speaks
of them. Loaded once (a second run adds nothing)."""
from __future__ import annotations

import sqlalchemy as sa

from tracker import audit
from tracker.extensions import db
from tracker.models import Recommendation, Theme, recommendation_themes

# name, description, words that put a demo recommendation under it
DEMO_THEMES = (
    ("Record keeping", "How incidents, concerns and decisions are written down and kept.",
     ("record", "records", "recording", "chronolog")),
    ("Information sharing", "Between schools, the council and partner agencies.",
     ("shar", "mash", "partner", "police", "health")),
    ("Voice of the child", "Hearing and recording what children say and feel.",
     ("voice", "listen", "child's", "children's views")),
    ("Training", "Training and guidance for staff and governors.",
     ("train", "guidance", "governor")),
)


def load() -> None:
    """Add the demo themes and give them to the demo recommendations, once."""
    if db.session.scalar(sa.select(sa.func.count(Theme.id)).where(Theme.is_example.is_(True))):
        return
    recs = list(db.session.scalars(sa.select(Recommendation).where(
        Recommendation.is_example.is_(True), Recommendation.withdrawn_at.is_(None))
        .order_by(Recommendation.id)))
    for name, description, words in DEMO_THEMES:
        theme = Theme(name=name, description=description, is_example=True)
        audit.created(theme, f"Demo: theme “{name}”")
        db.session.flush()
        given = [r.id for r in recs if any(w in r.text.lower() for w in words)]
        if given:
            db.session.execute(sa.insert(recommendation_themes), [
                {"recommendation_id": rid, "theme_id": theme.id} for rid in given])
    db.session.flush()
