"""Loading what a URL names, answering 404 when it is absent or the user may not see it."""
from __future__ import annotations

import sqlalchemy as sa
from flask_login import current_user

from tracker.extensions import db
from tracker.models import DecisionPart, Guidance, School
from tracker.permissions import visible_or_refused, visible_schools


def get_school(school_id: int) -> School:
    """The school, or 404 (counted in the audit trail) when absent or not for this user."""
    # Scoped in SQL (permissions.visible_schools, proved equal to can_see_school): one query
    # whether the school is absent or not the user's.
    return visible_or_refused(db.session.scalar(visible_schools(
        sa.select(School).where(School.id == school_id), current_user)))


def get_guidance(guidance_id: int) -> Guidance:
    return visible_or_refused(db.session.get(Guidance, guidance_id),
                              lambda guidance: not guidance.is_withdrawn)


def get_guidance_part(part_id: int) -> DecisionPart:
    """A live "approve guidance" part of a live decision (where guidance is added), or 404."""
    return visible_or_refused(db.session.get(DecisionPart, part_id), lambda part: (
        part.kind == "approve_guidance" and not part.is_withdrawn
        and not part.decision.is_withdrawn))
