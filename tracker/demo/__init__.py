"""Demo data from the seed decision: Herefordshire Council cabinet, 26 November 2020,
issue I50035813 "Review of peer on peer abuse cases" (public record; see seed/SOURCES.md).

``load_demo`` is idempotent: a second run finds what is there and adds nothing.
The decision, its parts and its terminology rules are real; the recommendations, actions,
updates, schools and adoptions that features add are invented examples, marked as such.
"""
from __future__ import annotations

import datetime as dt
import importlib
from pathlib import Path

import sqlalchemy as sa
from flask import g

from tracker import audit
from tracker.extensions import db
from tracker.models import Decision, DecisionPart, Document, TerminologyRule, User

SEED = Path(__file__).resolve().parent / "seed"
DEMO_PASSWORD = "demo-password-2020"
REFERENCE = "I50035813"
ISSUE_URL = "http://councillors.herefordshire.gov.uk/mgIssueHistoryHome.aspx?IId=50035813"

DEMO_USERS = (
    ("admin@example.gov.uk", "Alex Admin", "admin", "Tracker administrator"),
    ("officer@example.gov.uk", "Olu Officer", "officer", "Head of Safeguarding and Review"),
    ("officer2@example.gov.uk", "Priya Patel", "officer", "Education Safeguarding Lead"),
    ("member@example.gov.uk", "Councillor Morgan Member", "member",
     "Children and young people's scrutiny committee"),
    ("schoollead@example.gov.uk", "Sam School-Lead", "school_lead", "Designated safeguarding lead"),
    ("trustlead@example.gov.uk", "Tara Trust-Lead", "school_lead", "Trust safeguarding lead"),
)

PARTS = (
    ("a", "agree_recommendations",
     "The executive note the contents and recommendations set out in the Peer on Peer Review "
     "MASH Report (appendix 1) as amended and express the view that: (1) in relation to "
     "section1.3 the review also investigated whether any children were put or left at risk. "
     "It found that according to the records held and cases under review, advice was given "
     "including national guidance at the time and was followed as far as was possible, "
     "separation was made and the likelihood of risk was reduced. We are aware however that "
     "contact between children, including sight of perpetrators and also bullying has taken "
     "place. With all due care being put in place, inadvertent contact remains possible and "
     "the findings here do not preclude this. Even now, with every effort being made and "
     "detailed guidance being shared with schools, we cannot guarantee that contact between "
     "children might not inadvertently occur however much care is taken. This includes "
     "outside of schools. We also acknowledge that harm has implications for social and "
     "mental health, potentially, well into adulthood; (2) all references to 'alleged victim' "
     "should be victim The executive agree the recommendations set out in paragraph 3 of "
     "appendix 1;"),
    ("b", "approve_response",
     "The executive approves the executive response to the children and young people's "
     "scrutiny committee's recommendations set out in appendix 5 as amended;"),
    ("c", "approve_guidance",
     "The executive approves the peer on peer model guidance set out in appendix 6 for use "
     "in all Herefordshire Schools; and"),
    ("d", "referral",
     "The children and young people's scrutiny committee be asked to review barriers to "
     "record keeping for children's safeguarding."),
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
    decision = db.session.scalar(sa.select(Decision).where(Decision.reference == REFERENCE))
    if decision is not None:
        return decision
    notice = (SEED / "decision-I50035813.txt").read_text(encoding="utf-8")
    decision = Decision(
        reference=REFERENCE, title="Review of peer on peer abuse cases",
        decision_maker="Cabinet", key_decision=False, decided_on=dt.date(2020, 11, 26),
        published_on=dt.date(2020, 11, 30), exemption="open",
        purpose=("To receive the outcomes of the review; to agree the recommendations arising "
                 "from the review; to approve the executive response to the scrutiny committees "
                 "recommendations on the report of the review and to approve the peer on peer "
                 "model guidance for use in all Herefordshire schools"),
        decision_text=" ".join(f"{label}) {text}" for label, _, text in PARTS),
        reasons="As set out in the report. Documents relating to this decision are available at "
                + ISSUE_URL,
        options_considered=(
            "There no alternative options to the above recommendations; Cabinet may choose to "
            "request amendments to the peer on peer model guidance; or request alternative "
            "actions to address any identified areas of underperformance."),
        interests_declared=None, subject_to_call_in=True,
        call_in_expires_on=dt.date(2020, 12, 4),
        signed_by="Leader of the Council (Councillor David Hitchiner)",
        signed_on=dt.date(2020, 11, 26), notice_text=notice, notice_layout="written_statement",
    )
    audit.created(decision, f"Demo: decision {REFERENCE} loaded from the seed notice")
    owner = users["officer@example.gov.uk"]
    for position, (label, kind, text) in enumerate(PARTS):
        part_owner = users["officer2@example.gov.uk"] if label == "c" else owner
        part = DecisionPart(decision=decision, label=label, position=position, text=text,
                            kind=kind, owner_id=part_owner.id)
        audit.created(part, f"Demo: part ({label}) of {REFERENCE}")
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


FEATURE_DEMOS = ("tracker.recommendations.demo", "tracker.schools.demo")


def load_demo() -> str:
    """Load everything; returns a summary of how to sign in as each role."""
    users = load_users()
    db.session.flush()
    g.cli_actor = users["admin@example.gov.uk"]
    try:
        decision = load_decision(users)
        db.session.flush()
        load_terminology(decision)
        for name in FEATURE_DEMOS:
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name and name.startswith(exc.name):
                    continue
                raise
            module.load(decision, users)
        db.session.commit()
    finally:
        g.cli_actor = None
    lines = ["Demo data loaded. Sign in at http://127.0.0.1:5000/sign-in with password "
             f"{DEMO_PASSWORD!r} as:"]
    lines += [f"  {role:<12} {email}" for email, _, role, _ in DEMO_USERS]
    return "\n".join(lines)
