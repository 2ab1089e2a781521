"""Demo data from the seed decision: Herefordshire Council cabinet, 26 November 2020,
issue I50035813 "Review of peer on peer abuse cases" (public record; see seed/SOURCES.md).

``load_demo`` is idempotent: a second run finds what is there and adds nothing.
The decision, its parts and its terminology rules are real; the recommendations, actions,
updates, schools and adoptions that features add are invented examples, marked as such.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlalchemy as sa
from flask import g

from tracker import audit
from tracker.extensions import db
from tracker.models import Decision, Document, TerminologyRule, User
from tracker.permissions import ADMIN, MEMBER, OFFICER, PARTNER, SCHOOL_LEAD

SEED = Path(__file__).resolve().parent / "seed"
# The published password of the example accounts (demo data only; never a real account).
DEMO_PASSWORD = "demo-password-2020"  # nosec B105
REFERENCE = "I50035813"
ISSUE_URL = "http://councillors.herefordshire.gov.uk/mgIssueHistoryHome.aspx?IId=50035813"

DEMO_USERS = (
    ("admin@example.gov.uk", "Alex Admin", ADMIN, "Tracker administrator"),
    ("officer@example.gov.uk", "Olu Officer", OFFICER, "Head of Safeguarding and Review"),
    ("officer2@example.gov.uk", "Priya Patel", OFFICER, "Education Safeguarding Lead"),
    ("member@example.gov.uk", "Councillor Morgan Member", MEMBER,
     "Children and young people's scrutiny committee"),
    ("schoollead@example.gov.uk", "Sam School-Lead", SCHOOL_LEAD, "Designated safeguarding lead"),
    ("trustlead@example.gov.uk", "Tara Trust-Lead", SCHOOL_LEAD, "Trust safeguarding lead"),
    # Partner officers of the example police and health body (tracker.organisations.demo).
    ("police.partner@example.org", "Pat Police-Partner", PARTNER,
     "Detective sergeant, public protection unit"),
    ("health.partner@example.org", "Hana Health-Partner", PARTNER,
     "Named nurse for safeguarding children"),
)

def _user(email: str, name: str, role: str, title: str) -> User:
    user = db.session.scalar(sa.select(User).where(User.email == email))
    if user is None:
        user = User(email=email, name=name, role=role, job_title=title, active=True,
                    is_example=True)
        user.set_password(DEMO_PASSWORD)
        audit.created(user, f"Demo user {email} added")
    return user


def load_users() -> dict[str, User]:
    return {email: _user(email, name, role, title) for email, name, role, title in DEMO_USERS}


def load_decision(users: dict[str, User]) -> Decision:
    """The seed decision, read from its published notice by the tracker's own importer."""
    from tracker.decisions import importing
    from tracker.decisions.notice import decode_notice

    decision = db.session.scalar(sa.select(Decision).where(Decision.reference == REFERENCE))
    if decision is not None:
        return decision
    reading, text = importing.read(decode_notice((SEED / "decision-I50035813.txt").read_bytes()))
    choices = importing.Choices()
    plan = importing.make_plan(reading, text, choices)
    problems = importing.check(plan, choices)
    if problems:
        raise RuntimeError(f"The seed notice no longer imports cleanly: {problems}")
    decision = importing.apply_plan(plan, choices)
    # Demo history is backdated so "as at" reports since the decision read like the real
    # thing: the notice entered the tracker the day it was published. (The audit trail keeps
    # the true time the demo was loaded.)
    entered = dt.datetime(2020, 11, 30, 9, 0, tzinfo=dt.timezone.utc)
    for row in (decision, *decision.parts):
        row.created_at = entered
    db.session.flush()
    # The written statement has no publication date; the council's "Issue - decisions" page
    # (seed/moderngov-issue-decisions-50035813.txt) gives 30/11/2020.
    audit.updated(decision, {"published_on": dt.date(2020, 11, 30)},
                  "Demo: date published, from the council's Issue - decisions page")
    for part in decision.parts:
        owner = users["officer2@example.gov.uk" if part.kind == "approve_guidance"
                      else "officer@example.gov.uk"]
        audit.updated(part, {"owner_id": owner.id}, f"Demo: officer owning part ({part.label})")
    for position, (label, title, part_label) in enumerate((
            ("Report", "Review of peer on peer abuse cases: cabinet report", None),
            ("Appendix 1", "Peer on Peer Review MASH Report", "a"),
            ("Appendix 5", "Executive response to the scrutiny committee's recommendations", "b"),
            ("Appendix 6", "Peer on peer model guidance for schools", "c"))):
        part = next((p for p in decision.parts if p.label == part_label), None)
        doc = Document(decision=decision, part=part, kind="report" if part is None else "appendix",
                       label=label, title=title, url=ISSUE_URL, position=position)
        audit.created(doc, f"Demo: document {label} of {REFERENCE}")
    return decision


def load_terminology(decision: Decision) -> None:
    if db.session.scalar(sa.select(sa.func.count(TerminologyRule.id))):
        return
    rules = (
        TerminologyRule(term="alleged victim", replacement="victim", source_kind="decision",
                        decision_id=decision.id, source_title="Decision I50035813, part (a)(2)",
                        explanation="All references to 'alleged victim' should be victim."),
        TerminologyRule(term="peer on peer", replacement="child-on-child",
                        source_kind="national_guidance",
                        source_title="Keeping children safe in education (DfE)",
                        source_url="https://www.gov.uk/government/publications/keeping-children-safe-in-education--2",
                        explanation="National guidance now says child-on-child abuse."),
    )
    for rule in rules:
        audit.created(rule, f"Demo: terminology rule '{rule.term}' → '{rule.replacement}'")


def load_demo(address: str = "http://127.0.0.1:5000") -> str:
    """Load everything; returns a summary of how to sign in as each role at ``address``."""
    from tracker.organisations import demo as organisations_demo
    from tracker.recommendations import demo as recommendations_demo
    from tracker.schools import demo as schools_demo
    from tracker.themes import demo as themes_demo

    users = load_users()
    db.session.flush()
    g.cli_actor = users["admin@example.gov.uk"]
    try:
        decision = load_decision(users)
        db.session.flush()
        load_terminology(decision)
        recommendations_demo.load(decision, users)
        organisations_demo.load(decision, users)
        schools_demo.load(decision, users)
        themes_demo.load()
        db.session.commit()
    finally:
        g.cli_actor = None
    lines = [f"Demo data loaded. Sign in at {address}/sign-in with password "
             f"{DEMO_PASSWORD!r} as:"]
    lines += [f"  {role:<15} {email}" for email, _, role, _ in DEMO_USERS]
    return "\n".join(lines)
