"""What each role's home page shows (templates/main/home.html).

* officer: their actions overdue and due in the next 14 days, and the challenges they answer;
* scrutiny member: every decision with its progress and open challenges, their own open
  challenges, and executive responses due;
* school lead: their schools and what is outstanding (Open decisions only: guidance approved
  under an exempt decision is never shown to them);
* partner officer: their organisation's open actions, overdue first;
* administrator: every decision with its progress, recommendations awaiting sign-off,
  challenges to answer, executive responses due and the latest imports.

Figures are the committee report's for today, read from the kept roll-ups
(``tracker.dashboard.today``, proved equal to the report's), so a home page, the dashboard and
the report agree; lists come from the features' own queries.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tracker.clock import today
from tracker.permissions import ADMIN, MEMBER, OFFICER, PARTNER, SCHOOL_LEAD


@dataclass(frozen=True)
class Overview:
    """One decision's progress for the overview, with its open challenges."""
    section: Any            # tracker.dashboard.report.DecisionSection
    open_challenges: int


def panels_for(user: Any) -> dict[str, Any]:
    """Data for the role's home page."""
    day = today()
    if user.role == OFFICER:
        return _officer(user, day)
    if user.role == MEMBER:
        return _member(user, day)
    if user.role == SCHOOL_LEAD:
        return _school_lead(user)
    if user.role == ADMIN:
        return _admin(user, day)
    if user.role == PARTNER:
        return _partner(user, day)
    return {}


def _partner(user: Any, day: Any) -> dict[str, Any]:
    """A partner officer: their organisation's open actions (tracker.permissions)."""
    from tracker.recommendations import queries

    return {"organisation": user.organisation} | queries.my_actions(user, today=day)


def _officer(user: Any, day: Any) -> dict[str, Any]:
    from tracker.recommendations import queries

    groups = queries.my_actions(user, today=day)
    return {"overdue": groups["overdue"], "due_soon": groups["due_soon"],
            "due_soon_days": queries.DUE_SOON_DAYS,
            "challenges": queries.challenges_to_answer(user)}


def overview(user: Any, day: Any) -> list[Overview]:
    """Every decision the user may see, with today's progress and open challenges."""
    from tracker.dashboard import queries as dashboard_queries
    from tracker.dashboard.today import summaries
    from tracker.recommendations import queries

    decisions = dashboard_queries.decision_choices(user)
    found = summaries(decisions, today=day, with_parts=False)
    challenges = queries.open_challenge_counts()
    return [Overview(section, challenges.get(section.id, 0)) for section in found.decisions]


def _member(user: Any, day: Any) -> dict[str, Any]:
    from tracker.recommendations import queries

    return {"overview": overview(user, day),
            "my_challenges": queries.open_challenges_for_member(user),
            "responses_due": queries.responses_due(user, today=day)}


def _admin(user: Any, day: Any) -> dict[str, Any]:
    from tracker.dashboard.queries import latest_imports
    from tracker.dashboard.today import awaiting_sign_off
    from tracker.recommendations import queries

    rows = overview(user, day)
    awaiting = awaiting_sign_off([row.section for row in rows], today=day)
    return {"overview": rows, "awaiting_sign_off": awaiting,
            "challenges": queries.challenges_to_answer(user),
            "responses_due": queries.responses_due(user, today=day),
            "imports": latest_imports()}


def _school_lead(user: Any) -> dict[str, Any]:
    from tracker.schools import queries

    guidance = queries.guidance_for(user)  # None if approved under an exempt decision
    version = guidance.current_version if guidance is not None else None
    others = [(g, g.current_version, queries.outstanding_for_lead(user, g.current_version))
              for g in queries.every_guidance_for(user)
              if g.current_version is not None and (guidance is None or g.id != guidance.id)]
    return {"guidance": guidance, "version": version,
            "schools": queries.schools_for_lead(user),
            "outstanding": queries.outstanding_for_lead(user) if version else [],
            "other_guidance": others}
