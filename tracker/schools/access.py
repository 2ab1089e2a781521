"""Loading what a URL names, answering 404 when it is absent or the user may not see it."""
from __future__ import annotations

from flask_login import current_user

from tracker.extensions import db
from tracker.models import Guidance, School
from tracker.permissions import can_see_school, visible_or_refused


def get_school(school_id: int) -> School:
    """The school, or 404 (counted in the audit trail) when absent or not for this user."""
    return visible_or_refused(db.session.get(School, school_id),
                              lambda school: can_see_school(current_user, school))


def get_guidance(guidance_id: int) -> Guidance:
    return visible_or_refused(db.session.get(Guidance, guidance_id),
                              lambda guidance: not guidance.is_withdrawn)
