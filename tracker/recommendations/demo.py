"""Example recommendations, actions and progress for the seed decision I50035813.

Invented examples (marked ``is_example``; the interface tags them "Example") that show every
state a person meets: parts (a) review, (b) scrutiny and (d) referral, with updates spread
from December 2020 so "as at" history looks real (their recorded times are backdated), a mix
of RAGs, an overdue action, one recommendation awaiting sign-off and one signed off, scrutiny
responses (accepted, partially accepted, not accepted with a reason), one scrutiny
recommendation still awaiting the executive's response, and an open challenge.
Written through the services (so the audit trail and the action cache are right), then the
times are moved back. Idempotent: a second run finds the examples and adds nothing.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from tracker.clock import today as london_today
from tracker.extensions import db
from tracker.models import Decision, DecisionPart, Recommendation, User
from tracker.recommendations import services as s

UTC = dt.timezone.utc
COMMITTEE = "Children and young people scrutiny committee"
EVIDENCE_SITE = "https://intranet.example.gov.uk/safeguarding"


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=UTC)


def _d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


class _Loader:
    def __init__(self, decision: Decision, users: dict[str, User]):
        self.parts = {p.label: p for p in decision.parts}
        self.admin = users["admin@example.gov.uk"]
        self.officer = users["officer@example.gov.uk"]
        self.officer2 = users["officer2@example.gov.uk"]
        self.member = users["member@example.gov.uk"]
        self.today = london_today()

    def rec(self, part: str | None, source: str, reference: str, text: str, owner: User,
            created: dt.date, lead: str = "Children and families directorate", **scrutiny: Any
            ) -> Recommendation:
        rec = s.create_recommendation(self.admin, s.RecommendationDetails(
            source=source, reference=reference, text=text,
            part_id=self.parts[part].id if part else None, owner_id=owner.id,
            lead_service=lead, **scrutiny), is_example=True, commit=False)
        rec.created_at = _at(created)
        db.session.flush()  # write the backdated time before anything reloads the row
        return rec

    def action(self, rec: Recommendation, title: str, owner: User, due: dt.date,
               created: dt.date, updates: tuple[tuple[Any, ...], ...] = ()) -> None:
        action = s.add_action(self.admin, rec, s.ActionDetails(title=title, owner_id=owner.id,
                                                                due_on=due), self.today,
                              is_example=True, commit=False)
        action.created_at = _at(created, 9)
        db.session.flush()  # record_update reloads the action: write the backdated time first
        for when, status, rag, narrative, *more in updates:
            extra = dict(more[0]) if more else {}
            evidence = tuple(extra.pop("evidence", ()))
            s.record_update(owner, action, s.UpdateDetails(
                status=status, rag=rag, narrative=narrative, evidence=evidence, **extra),
                self.today, recorded_at=_at(when, 11), is_example=True, commit=False)

    def respond(self, rec: Recommendation, response: str, text: str, reason: str | None,
                timetable: str) -> None:
        row = s.record_response(self.admin, rec, s.ResponseDetails(
            response=response, response_text=text, reason=reason,
            cabinet_member="Cabinet member for children and families",
            lead_officer="Director for children and families", timetable=timetable),
            commit=False)
        row.recorded_at = _at(_d("2020-11-26"), 14)
        db.session.flush()

    def days(self, n: int) -> dt.date:
        return self.today + dt.timedelta(days=n)


def load(decision: Decision, users: dict[str, User]) -> None:
    """Add the examples to the seed decision, once."""
    already = db.session.scalar(
        sa.select(sa.func.count(Recommendation.id)).join(DecisionPart)
        .where(DecisionPart.decision_id == decision.id, Recommendation.is_example.is_(True)))
    if already:
        return
    ld = _Loader(decision, users)
    overdue = _part_a(ld)
    _part_b(ld)
    _part_d(ld)
    challenge = s.ask_challenge(ld.member, overdue, (
        "The audit of MASH records was due in May 2021. When will it finish, and what has it "
        "found so far?"), commit=False)
    challenge.asked_at = _at(ld.days(-3), 16)
    db.session.flush()


def _impact_review(ld: _Loader, rec: Recommendation) -> None:
    """Six months after its sign-off, the owner records the evidence of impact and a member
    confirms it (backdated, as the rest of the demo's history)."""
    from tracker import audit
    from tracker.models import ImpactEvidenceLink, ImpactReview

    review = ImpactReview(
        recommendation=rec, recorded_at=_at(_d("2022-04-05"), 10), recorded_by_id=ld.officer.id,
        narrative=("A multi-agency audit of ten reports from the spring term found each handled "
                   "under the protocol, within its timescales."), judgement="evidenced",
        confirmed_at=_at(_d("2022-04-20"), 14), confirmed_by_id=ld.member.id, version_id=1)
    review.links = [ImpactEvidenceLink(url=f"{EVIDENCE_SITE}/protocol-audit-spring-2022.pdf",
                                       description="Multi-agency audit, spring term 2022")]
    audit.created(review, f"Impact review of {rec.reference} recorded")


def _part_a(ld: _Loader) -> Recommendation:
    start = _d("2020-12-07")
    r1 = ld.rec("a", "review", "3.1", (
        "Agree a multi-agency protocol for responding to reports of child-on-child abuse, "
        "including harmful sexual behaviour, between schools, the MASH and the police."),
        ld.officer, start)
    ld.action(r1, "Draft the protocol with partners", ld.officer, _d("2021-03-31"), start, (
        (_d("2020-12-15"), "in_progress", "green", "First meeting of the drafting group held."),
        (_d("2021-02-10"), "in_progress", "amber", "Police comments awaited; at risk of slipping.",
         {"reason": "The police have not yet commented on the draft."}),
        (_d("2021-03-26"), "complete", None, "Draft protocol agreed by the drafting group.",
         {"evidence": ((f"{EVIDENCE_SITE}/protocol-draft-v3.pdf", "Draft protocol, version 3"),)}),
    ))
    ld.action(r1, "Protocol approved by the safeguarding partnership", ld.officer,
              _d("2021-06-30"), start, (
        (_d("2021-04-20"), "in_progress", "green", "On the partnership's June agenda."),
        (_d("2021-06-24"), "complete", None, "Approved by the partnership board.",
         {"evidence": ((f"{EVIDENCE_SITE}/partnership-minutes-2021-06.pdf",
                        "Partnership board minutes, June 2021"),
                       (f"{EVIDENCE_SITE}/protocol-final.pdf", "Protocol as approved"))}),
    ))
    db.session.flush()
    r1.intended_outcome = ("Children who report child-on-child abuse get the same safe "
                           "response from school, the MASH and the police.")
    r1.how_measured = ("Termly multi-agency audit of ten reports: each handled under the "
                       "protocol within its timescales.")
    s.sign_off(ld.admin, r1, f"{COMMITTEE}, 13 September 2021", "27", ld.today, None,
               commit=False)
    r1.signed_off_at = _at(_d("2021-09-15"), 15)
    r1.closures[-1].recorded_at = r1.signed_off_at  # the sign-off as the committee dated it
    _impact_review(ld, r1)

    r2 = ld.rec("a", "review", "3.2", (
        "Train designated safeguarding leads in risk assessment and safety planning where the "
        "children involved must continue to share a school site."), ld.officer2, start,
        lead="Education safeguarding")
    ld.action(r2, "Commission the training programme", ld.officer2, _d("2021-04-30"), start, (
        (_d("2021-01-18"), "in_progress", "green", "Three providers invited to quote."),
        (_d("2021-04-12"), "complete", None, "Programme commissioned."),
    ))
    ld.action(r2, "Deliver the training to every designated safeguarding lead", ld.officer2,
              _d("2021-12-31"), start, (
        (_d("2021-06-01"), "in_progress", "amber", "Take-up slow in the summer term.",
         {"reason": "Few places booked before the summer holidays."}),
        (_d("2021-11-19"), "complete", None, "All maintained schools and academies attended.",
         {"evidence": ((f"{EVIDENCE_SITE}/dsl-training-attendance.xlsx",
                        "Attendance by school (no names of children)"),)}),
    ))

    r3 = ld.rec("a", "review", "3.3", (
        "Review MASH recording so that every referral about child-on-child abuse records the "
        "safety plan for each child and the school's part in it."), ld.officer, start)
    ld.action(r3, "Audit a sample of MASH records", ld.officer, _d("2021-05-31"), start, (
        (_d("2021-03-08"), "in_progress", "amber", "Sample drawn; audit tool agreed.",
         {"reason": "Records are slow to retrieve from the old system."}),
        (_d("2021-05-20"), "in_progress", "amber", "Audit sample widened after early findings.",
         {"reason": "Twice the records to audit.", "revised_due_on": _d("2021-09-30"),
          "revised_due_reason": "The sample was doubled after early findings."}),
    ))
    ld.action(r3, "Update the MASH recording guidance", ld.officer, ld.days(10), start, (
        (ld.days(-20), "in_progress", "green", "Draft guidance with the MASH managers."),
    ))

    r4 = ld.rec("a", "review", "3.4", (
        "Report progress on these recommendations to the scrutiny committee every six months."),
        ld.officer, start)
    ld.action(r4, "Next six-monthly progress report to the committee", ld.officer, ld.days(60),
              start, ((ld.days(-30), "in_progress", "green", "Report drafting started."),))

    ld.rec("a", "review", "3.5", (
        "Seek the views of children and families on the support offered after a report of "
        "harm, and use them to improve it."), ld.officer2, _d("2021-01-11"))
    return r3


def _part_b(ld: _Loader) -> None:
    scrutiny = {"committee": COMMITTEE, "meeting_on": _d("2020-09-28"),
                "minute_reference": "SC/20/14", "report_published_on": _d("2020-10-05")}
    created = _d("2020-10-06")
    s1 = ld.rec("b", "scrutiny", "SC1", (
        "Make sure every school has a named contact in the MASH for advice on child-on-child "
        "abuse."), ld.officer2, created, **scrutiny)
    ld.respond(s1, "accepted", "Accepted. Named contacts will be published to schools.", None,
               "By April 2021")
    ld.action(s1, "Publish the MASH contacts for schools", ld.officer2, _d("2021-01-31"),
              _d("2020-12-07"), (
        (_d("2021-01-22"), "complete", None, "Contacts published on the schools portal.",
         {"evidence": ((f"{EVIDENCE_SITE}/mash-contacts-for-schools",
                        "MASH contacts page for schools"),)}),
    ))
    ld.action(s1, "Check each school knows its contact (termly)", ld.officer2, ld.days(30),
              _d("2020-12-07"), (
        (ld.days(-40), "in_progress", "green", "Spring term check done; two schools reminded."),
    ))

    s2 = ld.rec("b", "scrutiny", "SC2", (
        "Commission an independent review of every case of child-on-child abuse referred in "
        "the past five years."), ld.officer, created, **scrutiny)
    ld.respond(s2, "partially_accepted", "Partially accepted: an independent audit of a "
               "sample of cases will be commissioned.",
               "The review already covered the cases where concerns were raised. Reviewing "
               "every case would delay the changes the review recommends; an independent audit "
               "of a sample gives the assurance sought sooner.", "Audit to report by summer")
    ld.action(s2, "Commission the independent sample audit", ld.officer, ld.days(45),
              _d("2020-12-07"), (
        (_d("2021-02-01"), "in_progress", "green", "Terms of reference agreed."),
        (ld.days(-15), "in_progress", "amber", "Auditor's start date moved by a month.",
         {"reason": "The auditor cannot start until next month."}),
    ))

    s3 = ld.rec("b", "scrutiny", "SC3", (
        "Place a dedicated police officer in every secondary school."), ld.officer, created,
        **scrutiny)
    ld.respond(s3, "not_accepted", "Not accepted.",
               "Deploying police officers is a matter for the police, not the council. The "
               "council will continue to work with the police through the safeguarding "
               "partnership on support to schools.", "Not applicable")

    published = ld.days(-55)
    ld.rec(None, "scrutiny", "SC/NEW/1", (
        "Publish, for every school, how to raise a concern about child-on-child abuse out of "
        "school hours."), ld.officer2, published, committee=COMMITTEE,
        meeting_on=published - dt.timedelta(days=7), minute_reference="SC/NEW/5",
        report_published_on=published)


def _part_d(ld: _Loader) -> None:
    created = _d("2020-12-07")
    d1 = ld.rec("d", "referral", "D1", (
        "The children and young people scrutiny committee to review barriers to record keeping "
        "for children's safeguarding."), ld.officer, created, lead="Democratic services")
    ld.action(d1, "Agree the scope of the review with the committee chair", ld.officer,
              _d("2021-02-28"), created, (
        (_d("2021-02-15"), "complete", None, "Scope agreed at the chair's briefing."),
    ))
    ld.action(d1, "Survey schools' safeguarding recording systems", ld.officer, ld.days(75),
              created, (
        (_d("2021-03-01"), "in_progress", "green", "Survey sent to schools."),
        (ld.days(-10), "paused", "amber", "Paused at schools' request during examinations.",
         {"reason": "Schools asked for no surveys during the examination period."}),
    ))
    ld.action(d1, "Task and finish group reports to the committee", ld.officer, ld.days(90),
              created, ((ld.days(-25), "in_progress", "green", "Group has met twice."),))
