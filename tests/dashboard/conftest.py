"""One built data set for the dashboard, report and export tests: a decision taken on
Monday 4 January 2021 with its four parts, five recommendations, four actions, their updates,
executive responses, a sign-off and guidance adopted by schools, every row recorded at an
explicit time. The figures it gives as at Sunday 31 January 2021 and today are written out as
literals in the tests."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tracker.models import Adoption
from tracker.schools import kept

LONDON = ZoneInfo("Europe/London")
D = dt.date
AS_AT = D(2021, 1, 31)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    """A moment on a London day, in UTC (explicit "recorded at" times)."""
    return dt.datetime.combine(day, dt.time(hour), tzinfo=LONDON).astimezone(dt.timezone.utc)


def six_late_actions(make: Any, rec: Any, day: dt.date) -> None:
    """Six actions of ``rec`` late on ``day``, two each due 30, 20 and 10 days before it, each
    with an amber update recorded in January 2021 (the late lists' paging tests)."""
    for n in range(6):
        action = make.action(rec, title=f"Late {n}",
                             due_on=day - dt.timedelta(days=30 - 10 * (n // 2)),
                             created_at=at(D(2021, 1, 6)))
        make.update(action, status="in_progress", rag="amber", narrative=f"Update {n}.",
                    recorded_at=at(D(2021, 1, 7)))


def extra_and_withdrawn(built: "Built", make: Any) -> tuple[Any, Any]:
    """R9 with an action due 1 May 2021 and R10 withdrawn on 1 February 2021, both under
    part (a) (the kept figures' tests against the rules over the history): (R9, R10)."""
    extra = make.recommendation(built.parts["a"], reference="R9", position=9,
                                created_at=at(D(2021, 1, 6)))
    make.action(extra, due_on=D(2021, 5, 1), created_at=at(D(2021, 1, 6)))
    gone = make.recommendation(built.parts["a"], reference="R10", position=10,
                               created_at=at(D(2021, 1, 6)))
    gone.withdrawn_at, gone.withdrawn_reason = at(D(2021, 2, 1)), "Merged into R1."
    return extra, gone


@dataclass
class Built:
    decision: Any
    parts: dict[str, Any]
    recs: dict[str, Any]
    actions: dict[str, Any]
    users: dict[str, Any]
    schools: dict[str, Any]
    guidance: Any
    version: Any


def adopt(session: Any, school: Any, version: Any, events: list[tuple[dt.date, str]]) -> Adoption:
    """An adoption with its dated history (the last event is its current status)."""
    adoption = Adoption(school=school, guidance_version=version, status=events[-1][1],
                        created_at=at(events[0][0]))
    session.add(adoption)
    session.flush()
    for day, status in events:
        kept.record_event(adoption, status=status, via="admin", recorded_at=at(day))
    return adoption


HEREFORD_URNS = (990001, 990002, 990004, 990005, 199999)


def build(make: Any, db_session: Any, *, exemption: str = "open", title: str = "Review of cases",
          reference: str = "I50000001", urns: tuple[int, ...] = HEREFORD_URNS) -> Built:
    entered = at(D(2021, 1, 5))
    olu = make.user(role="officer", name="Olu Officer")
    priya = make.user(role="officer", name="Priya Patel")
    admin = make.user(role="admin", name="Alex Admin")
    member = make.user(role="member", name="Morgan Member")
    decision = make.decision(title=title, reference=reference, decided_on=D(2021, 1, 4),
                             exemption=exemption, created_at=entered,
                             call_in_expires_on=D(2021, 1, 11))
    kinds = {"a": "agree_recommendations", "b": "approve_response", "c": "approve_guidance",
             "d": "referral"}
    parts = {label: make.part(decision, label=label, kind=kind, created_at=entered,
                              text=f"Part {label} of {title}.")
             for label, kind in kinds.items()}
    made = at(D(2021, 1, 6))
    recs = {
        "R1": make.recommendation(parts["a"], source="review", reference="R1", position=1,
                                  text="Train every designated safeguarding lead.",
                                  owner_id=olu.id, created_at=made),
        "R2": make.recommendation(parts["a"], source="review", reference="R2", position=2,
                                  text="Publish the referral pathway.", owner_id=priya.id,
                                  created_at=made, signed_off_at=at(D(2021, 3, 1)),
                                  signed_off_by_id=admin.id, sign_off_meeting="Scrutiny, 1 March"),
        "R3": make.recommendation(parts["b"], source="scrutiny", reference="S1", position=1,
                                  text="Review the record keeping of schools.", owner_id=olu.id,
                                  committee="Children and young people's scrutiny committee",
                                  report_published_on=D(2020, 10, 1),
                                  response_due_on=D(2020, 12, 1), created_at=made),
        "R4": make.recommendation(parts["b"], source="scrutiny", reference="S2", position=2,
                                  text="Fund a new post.", owner_id=olu.id, created_at=made,
                                  committee="Children and young people's scrutiny committee"),
        "R5": make.recommendation(parts["d"], source="referral", reference="F1", position=1,
                                  text="Review barriers to record keeping.", owner_id=olu.id,
                                  created_at=made),
    }
    make.response(recs["R3"], response="accepted", response_text="Agreed: a review by June.",
                  cabinet_member="Cabinet member, children", lead_officer="Olu Officer",
                  timetable="June 2021", recorded_at=made)
    make.response(recs["R4"], response="not_accepted", response_text="Not this year.",
                  reason="No budget in 2021.", recorded_at=made)
    actions = {
        "A1": make.action(recs["R1"], title="Book the training", owner_id=olu.id,
                          due_on=D(2021, 2, 28), created_at=made),
        "A2": make.action(recs["R1"], title="Write the course", owner_id=priya.id,
                          due_on=D(2021, 1, 25), created_at=made),
        "A3": make.action(recs["R2"], title="Publish the pathway", owner_id=priya.id,
                          due_on=D(2021, 6, 30), created_at=made),
        "A4": make.action(recs["R3"], title="Sample school records", owner_id=olu.id,
                          due_on=D(2021, 12, 31), created_at=made),
    }
    make.update(actions["A1"], status="in_progress", rag="green", recorded_at=at(D(2021, 1, 10)),
                narrative="Trainer found.")
    make.update(actions["A1"], status="complete", rag=None, recorded_at=at(D(2021, 2, 10)),
                narrative="Training delivered.")
    make.update(actions["A2"], status="in_progress", rag="amber", recorded_at=at(D(2021, 1, 12)),
                narrative="First draft written.")
    make.update(actions["A3"], status="complete", rag=None, recorded_at=at(D(2021, 1, 20)),
                narrative="Pathway published on the website.")
    guidance = make.guidance(parts["c"], title="Model guidance", created_at=entered)
    version = make.guidance_version(guidance, number=1, title="Version 1",
                                    approved_on=D(2021, 1, 4), created_at=entered)
    schools = {
        # URNs of tests/schools/data's Herefordshire GIAS file, which a later import applies
        "S1": make.school(urn=urns[0], name="Ash Primary", phase="Primary", created_at=entered),
        "S2": make.school(urn=urns[1], name="Beech Primary", phase="Primary", created_at=entered),
        "S3": make.school(urn=urns[2], name="Cedar Academy", phase="Secondary",
                          created_at=entered),
        "S4": make.school(urn=urns[3], name="Damson High", phase="Secondary", created_at=entered),
        "S5": make.school(urn=urns[4], name="Elm Independent", phase="Nursery", in_scope=False,
                          created_at=entered),
    }
    adopt(db_session, schools["S1"], version, [(D(2021, 1, 20), "adopted")])
    adopt(db_session, schools["S2"], version, [(D(2021, 1, 15), "under_review")])
    adopt(db_session, schools["S3"], version, [(D(2021, 2, 1), "own_policy")])
    adopt(db_session, schools["S5"], version, [(D(2021, 1, 8), "adopted")])
    users = {"olu": olu, "priya": priya, "admin": admin, "member": member}
    return Built(decision, parts, recs, actions, users, schools, guidance, version)


@pytest.fixture()
def built(make: Any, db_session: Any) -> Built:
    return build(make, db_session)


@pytest.fixture()
def exempt(make: Any, db_session: Any, built: Built) -> Built:
    """A second decision, exempt under paragraph 3 of Schedule 12A, with its own work."""
    return build(make, db_session, exemption="para_3", title="Exempt commercial review",
                 reference="I50000009", urns=(880001, 880002, 880003, 880004, 880005))
