"""What each role's home page shows (templates/main/home.html).

* officer: their actions overdue and due in the next 14 days, and the challenges they answer;
* scrutiny member: every decision with its progress and open challenges (25 a page, newest
  first), their own open challenges, and executive responses due;
* school lead: their schools and what is outstanding (Open decisions only: guidance approved
  under an exempt decision is never shown to them);
* partner officer: their organisation's open actions, overdue first;
* administrator: every decision with its progress (as a member's), the first 20
  recommendations awaiting sign-off (with how many there are, all of them a link away in the
  recommendations list), challenges to answer, executive responses due and the latest imports.

The overview (with the administrator's awaiting sign-off) is stored for the day as the
dashboard is (:func:`overview_html`), and put into the page as it was written
(``tracker.web.page_around``).

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
            "due_soon_days": queries.DUE_SOON_DAYS, "shown": HOME_ACTIONS_SHOWN,
            "challenges": queries.challenges_to_answer(user)}


# An officer's home shows the first of their overdue actions and of those due soon (each
# earliest due first), with how many there are; "My actions" lists every one. An officer
# owning hundreds had a home page of every overdue one (115 KB at the council shape).
HOME_ACTIONS_SHOWN = 10
# Roles without an overview of decisions (officers, school leads) see the newest decisions
# and how many there are, with a link to every one; a council's 200 decisions were all on
# the page (a third of an officer's home page's time at the council shape).
HOME_DECISIONS_SHOWN = 10
OVERVIEW_PER_PAGE = 25     # decisions in the overview, newest first, a page at a time
SIGN_OFFS_SHOWN = 20       # the administrator's first recommendations awaiting sign-off


@dataclass(frozen=True)
class Chosen:
    """The page of the overview asked for: its decisions (newest first) and where it is."""
    decisions: tuple[Any, ...]    # tracker.models.Decision
    total: int
    page: int
    pages: int


def chosen(user: Any, page: int = 1) -> Chosen:
    """The page ``page`` (kept within the first and the last) of every decision the user
    may see, newest first, with how many there are (one query: ``queries.counted_page``)."""
    from tracker.permissions import visible_decisions
    from tracker.recommendations import queries

    found, total, page, pages = queries.counted_page(
        newest_first(visible_decisions(user)), page, OVERVIEW_PER_PAGE)
    return Chosen(tuple(row[0] for row in found), total, page, pages)


def newest_first(query: Any) -> Any:
    """A query of decisions in the order the home pages list them: newest first."""
    from tracker.models import Decision

    return query.order_by(Decision.decided_on.desc(), Decision.id.desc())


def overview(found: Chosen, day: Any) -> Any:
    """That page of decisions with today's progress and open challenges (a
    ``recommendations.queries.Page`` of :class:`Overview`)."""
    from tracker.dashboard.today import summaries
    from tracker.recommendations import queries

    figures = summaries(found.decisions, today=day, with_parts=False)
    challenges = queries.open_challenge_counts()
    return queries.Page(tuple(Overview(section, challenges.get(section.id, 0))
                              for section in figures.decisions),
                        found.total, found.page, found.pages, OVERVIEW_PER_PAGE)


def overview_html(user: Any, day: Any, page: int = 1, *, sign_offs: bool = False) -> bytes:
    """The overview of a page of decisions (with ``sign_offs``, the recommendations awaiting
    sign-off: an administrator's) as main/_overview.html writes it: the same for every
    reader of the role (a member's and an administrator's scope is their role's), so stored
    for the day while
    nothing it reads is written (``tracker.dashboard.stored``, kind "home"), keyed by the
    page's decisions, where the page is and the role."""
    from functools import partial

    from tracker.dashboard import stored

    found = chosen(user, page)
    shown = stored.Shown(found.decisions, day, None, False)
    return stored.served(shown, "home", partial(_overview_body, user, found, day, sign_offs),
                         words=(f"role {user.role}", f"sign-offs {sign_offs}",
                                f"page {found.page} of {found.pages}, {found.total} decisions"))


def _overview_body(user: Any, found: Chosen, day: Any, sign_offs: bool) -> bytes:
    from flask import render_template

    from tracker.dashboard.report import without_cycle_collection
    from tracker.dashboard.today import awaiting_sign_off
    from tracker.permissions import visible_decisions

    with without_cycle_collection():
        awaiting, waiting = awaiting_sign_off(visible_decisions(user), today=day,
                                              limit=SIGN_OFFS_SHOWN) \
            if sign_offs else (None, 0)
        return render_template("main/_overview.html", overview=overview(found, day),
                               awaiting=awaiting, awaiting_total=waiting).encode()


def _member(user: Any, day: Any) -> dict[str, Any]:
    from tracker.params import page_arg
    from tracker.recommendations import queries

    return {"overview_html": overview_html(user, day, page_arg()),
            "my_challenges": queries.open_challenges_for_member(user),
            "responses_due": queries.responses_due(user, today=day)}


def _admin(user: Any, day: Any) -> dict[str, Any]:
    from tracker.dashboard.queries import latest_imports
    from tracker.params import page_arg
    from tracker.recommendations import queries

    return {"overview_html": overview_html(user, day, page_arg(), sign_offs=True),
            "challenges": queries.challenges_to_answer(user),
            "responses_due": queries.responses_due(user, today=day),
            "imports": latest_imports()}


def _school_lead(user: Any) -> dict[str, Any]:
    from tracker.schools import queries

    live = queries.live_guidance()
    guidance = queries.guidance_for(user, live=live)  # None if approved under an exempt one
    version = guidance.current_version if guidance is not None else None
    others = [(g, g.current_version, queries.outstanding_for_lead(user, g.current_version))
              for g in queries.every_guidance_for(user, live)
              if g.current_version is not None and (guidance is None or g.id != guidance.id)]
    return {"guidance": guidance, "version": version,
            "schools": queries.schools_for_lead(user),
            "outstanding": queries.outstanding_for_lead(user) if version else [],
            "other_guidance": others}
