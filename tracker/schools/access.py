"""Loading what a URL names, answering 404 when it is absent or the user may not see it."""
from __future__ import annotations

from flask import abort
from flask_login import current_user

from tracker.extensions import db
from tracker.models import Guidance, School
from tracker.permissions import can_see_school, require


def get_school(school_id: int) -> School:
    """The school, or 404; and 404 (audited) if the user may not see it."""
    school = db.session.get(School, school_id)
    if school is None:
        abort(404)
    require(can_see_school(current_user, school))
    return school


def get_guidance(guidance_id: int) -> Guidance:
    guidance = db.session.get(Guidance, guidance_id)
    if guidance is None or guidance.is_withdrawn:
        abort(404)
    return guidance
