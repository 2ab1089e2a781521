"""A small world of every kind of record, built with the factories, and the addresses of
every route in it: the walks (no inline script, CSRF, escaping, the access matrix) share it.

Who is who:
  admin, officer (owns the recommendation, its action and the guidance's decision part),
  officer2 (owns nothing of it, but one action elsewhere), member, school_lead (leads
  ``school``, not ``other_school``), partner (a partner officer of ``police``, which owns
  ``police_action`` under the officer's recommendation; ``health`` owns ``health_action``
  under officer2's).
Records: an Open decision with parts, a document, a recommendation with an action, an
update, a challenge; a guidance with a version and adoptions; a terminology rule; and an
exempt decision (Schedule 12A paragraph 3) with its own recommendation and action.

When a route has an argument this module does not know, ``url`` fails and names it:
add it to ``ARGUMENTS`` below.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from werkzeug.routing import Rule

from tracker.clock import today
from tracker.permissions import ALL_ROLES, PARTNER

ROLES = ALL_ROLES


@dataclass
class World:
    users: dict[str, Any]
    things: dict[str, Any]
    tokens: dict[str, str] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["things"][name]
        except KeyError:
            raise AttributeError(name) from None


def build(make: Any) -> World:
    admin = make.user(role="admin", name="World Admin")
    officer = make.user(role="officer", name="World Officer")
    officer2 = make.user(role="officer", name="Other Officer")
    member = make.user(role="member", name="World Member")
    school = make.school(name="World School")
    other_school = make.school(name="Other School")
    lead = make.user(role="school_lead", name="World Lead", schools=[school])

    decision = make.decision(title="World decision", exemption="open",
                             call_in_expires_on=dt.date(2020, 12, 4))
    part = make.part(decision, kind="agree_recommendations", owner_id=officer.id)
    document = make.document(decision)
    recommendation = make.recommendation(part, owner_id=officer.id, text="World recommendation")
    action = make.action(recommendation, owner_id=officer.id, title="World action")
    update = make.update(action, author_id=officer.id)
    challenge = make.challenge(recommendation, asked_by=member)
    scrutiny = make.recommendation(source="scrutiny", part=None, owner_id=officer.id,
                                   committee="Children and young people scrutiny committee")

    guidance_part = make.part(decision, kind="approve_guidance", owner_id=officer.id)
    guidance = make.guidance(guidance_part)
    version = make.guidance_version(guidance)
    adoption = make.adoption(school, version)
    other_adoption = make.adoption(other_school, version)
    rule = make.terminology_rule()

    other_recommendation = make.recommendation(part, owner_id=officer2.id)
    other_action = make.action(other_recommendation, owner_id=officer2.id)
    other_challenge = make.challenge(other_recommendation, asked_by=member)

    exempt = make.decision(title="Exempt decision", exemption="para_3",
                           call_in_expires_on=dt.date(2020, 12, 4))
    exempt_part = make.part(exempt, owner_id=officer.id)
    exempt_document = make.document(exempt)
    exempt_recommendation = make.recommendation(exempt_part, owner_id=officer.id)
    exempt_action = make.action(exempt_recommendation, owner_id=officer.id)
    exempt_challenge = make.challenge(exempt_recommendation, asked_by=member)
    theme = make.theme([recommendation, exempt_recommendation], name="World theme")
    link = make.recommendation_link(other_recommendation, recommendation)
    # Partner agencies: the partner officer works for the police, whose action is under
    # the officer's recommendation; the health body's action is under another officer's.
    police = make.organisation(name="World Police", kind="police")
    health = make.organisation(name="World Health", kind="health")
    partner = make.user(role=PARTNER, name="World Partner")
    partner.organisation = police
    police_action = make.action(recommendation, owner_organisation_id=police.id,
                                title="World police action")
    health_action = make.action(other_recommendation, owner_organisation_id=health.id,
                                title="World health action")
    update_round = make.update_round([decision, exempt], actions=[action, exempt_action])
    message = make.message(officer)

    users = {"admin": admin, "officer": officer, "officer2": officer2, "member": member,
             "school_lead": lead, PARTNER: partner}
    things = dict(locals())
    for name in ("make", "users", "admin", "officer", "officer2", "member", "lead", "partner"):
        things.pop(name)
    world = World(users=users, things=things)
    return world


# Each route argument: which record of the world fills it, by default ("own": a record the
# acting officer owns, in an Open decision) and in the object-level variants.
ARGUMENTS: dict[str, dict[str, str]] = {
    "decision_id": {"own": "decision", "exempt": "exempt"},
    "part_id": {"own": "part", "exempt": "exempt_part"},
    "document_id": {"own": "document", "exempt": "exempt_document"},
    "recommendation_id": {"own": "recommendation", "exempt": "exempt_recommendation",
                          "other": "other_recommendation"},
    "action_id": {"own": "action", "exempt": "exempt_action", "other": "other_action",
                  "agency": "police_action", "other_agency": "health_action"},
    "update_id": {"own": "update"},
    "challenge_id": {"own": "challenge", "exempt": "exempt_challenge",
                     "other": "other_challenge"},
    "school_id": {"own": "school", "other": "other_school"},
    "guidance_id": {"own": "guidance"},
    "guidance_part_id": {"own": "guidance_part"},
    "version_id": {"own": "version"},
    "adoption_id": {"own": "adoption", "other": "other_adoption"},
    "rule_id": {"own": "rule"},
    "user_id": {"own": "@officer"},
    "round_id": {"own": "update_round"},
    "message_id": {"own": "message"},
    "theme_id": {"own": "theme"},
    "link_id": {"own": "link"},
    "organisation_id": {"own": "police"},
}


def values(rule: Rule, world: World, variant: str = "own") -> dict[str, Any]:
    """Arguments for ``rule``: the ``variant`` record where there is one, else the own one."""
    out: dict[str, Any] = {}
    for arg in sorted(rule.arguments):
        if arg == "token":
            out[arg] = world.tokens.get(rule.endpoint, "not-a-real-token")
            continue
        if arg == "filename":
            out[arg] = "js/enable-js.js"
            continue
        choices = ARGUMENTS.get(arg)
        assert choices, (f"{rule.endpoint} ({rule.rule}) has an argument {arg!r} that "
                         "tests/security/world.py does not know: add it to ARGUMENTS")
        name = choices.get(variant, choices["own"])
        thing = world.users[name[1:]] if name.startswith("@") else world.things[name]
        out[arg] = thing.id
    return out


def _as_at_today(world: World) -> dict[str, Any]:
    day = today()
    return {"decision": "all", "as_at": day.isoformat()}


# Query strings some routes need to do their real work (the downloads need a date).
QUERIES: dict[str, Any] = {
    "dashboard.download_report_csv": _as_at_today,
    "dashboard.download_report_excel": _as_at_today,
    "dashboard.download_report_zip": _as_at_today,
    "dashboard.download_report_word": _as_at_today,
    "themes.link_recommendation": lambda w: {"earlier": w.other_recommendation.id},
}


def url(app: Any, rule: Rule, world: World, variant: str = "own") -> str:
    query = QUERIES.get(rule.endpoint, lambda w: {})(world)
    with app.test_request_context():
        from flask import url_for
        return url_for(rule.endpoint, **values(rule, world, variant), **query)


def variants(rule: Rule) -> list[str]:
    """The object-level variants that change something in this rule's address."""
    found = {v for arg in rule.arguments for v in ARGUMENTS.get(arg, {}) if v != "own"}
    return sorted(found)


def routes(app: Any, method: str) -> list[Rule]:
    return sorted((r for r in app.url_map.iter_rules()
                   if method in (r.methods or ()) and r.endpoint != "static"),
                  key=lambda r: r.rule)
