"""Demo data for schools and adoption: the seed's model guidance (part (c), version 1,
approved 26 November 2020) and 24 invented Herefordshire (LA 884) schools whose adoption
is backdated across 2021 and 2022, so the adoption-over-time chart has a real curve.

Every school, URN, trust and postcode here is invented (URNs in the unused 8840xx range)
and marked ``is_example``. Idempotent: a second run finds the guidance and adds nothing.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from tracker import audit
from tracker.clock import LONDON
from tracker.extensions import db
from tracker.models import Adoption, Decision, Guidance, GuidanceVersion, School, User
from tracker.schools import kept

TITLE = "Peer on peer model guidance"
TRUST = ("TR08840", "Wye and Lugg Learning Trust")
MADLEY_TRUST = ("TR08841", "Madley Brook Academy Trust")
LA = {"la_code": "884", "la_name": "Herefordshire, County of"}
MAINTAINED = "Local authority maintained schools"
RECORDED = dt.date(2020, 12, 1)  # when the example schools entered the tracker
POLICY = "https://www.example.org/wye-and-lugg-learning-trust/safeguarding-policy"

# (urn, name, type, type group, phase, postcode, extra)
SCHOOLS: tuple[tuple[int, str, str, str, str, str, dict[str, Any]], ...] = (
    (884001, "Aylestone Brook Primary School", "Community school", MAINTAINED, "Primary", "HR1 9XA", {}),
    (884002, "Bredwardine Church of England Primary School", "Voluntary controlled school",
     MAINTAINED, "Primary", "HR3 9XB", {}),
    (884003, "Castle Green Primary School", "Community school", MAINTAINED, "Primary", "HR1 9XC", {}),
    (884004, "Dinmore Hill Primary School", "Voluntary aided school", MAINTAINED, "Primary", "HR6 9XD", {}),
    (884005, "Eardisland Meadow Primary School", "Community school", MAINTAINED, "Primary", "HR6 9XE", {}),
    (884006, "Fownhope Valley Primary Academy", "Academy converter", "Academies", "Primary",
     "HR1 9XF", {"trust": TRUST, "open_date": dt.date(2015, 9, 1)}),
    (884007, "Garway Hill Primary Academy", "Academy converter", "Academies", "Primary",
     "HR2 9XG", {"trust": TRUST, "open_date": dt.date(2016, 4, 1)}),
    (884008, "Hampton Bishop High School", "Academy converter", "Academies", "Secondary",
     "HR1 9XH", {"trust": TRUST, "open_date": dt.date(2014, 9, 1)}),
    (884009, "Kington Vale High School", "Community school", MAINTAINED, "Secondary", "HR5 9XJ", {}),
    (884010, "Ledbury Road High School", "Foundation school", MAINTAINED, "Secondary", "HR8 9XK", {}),
    (884011, "Leominster Priory Primary School", "Community school", MAINTAINED, "Primary",
     "HR6 9XL", {"closed": dt.date(2022, 7, 31)}),
    (884012, "Madley Brook Primary School", "Community school", MAINTAINED, "Primary",
     "HR2 9XM", {"closed": dt.date(2021, 8, 31)}),
    (884013, "Madley Brook Primary Academy", "Academy converter", "Academies", "Primary",
     "HR2 9XM", {"trust": MADLEY_TRUST, "open_date": dt.date(2021, 9, 1),
                 "predecessor": 884012}),
    (884014, "Much Marcle Primary School", "Community school", MAINTAINED, "Primary", "HR8 9XN", {}),
    (884015, "Orcop Nursery School", "Local authority nursery school", MAINTAINED, "Nursery",
     "HR2 9XP", {}),
    (884016, "Peterchurch Way Special School", "Community special school", "Special schools",
     "Not applicable", "HR2 9XQ", {}),
    (884017, "Queenswood Pupil Referral Service", "Pupil referral unit", MAINTAINED,
     "Not applicable", "HR1 9XR", {}),
    (884018, "Ross Brook Primary School", "Community school", MAINTAINED, "Primary", "HR9 9XS", {}),
    (884019, "St Weonard's Catholic Primary School", "Voluntary aided school", MAINTAINED,
     "Primary", "HR2 9XT", {}),
    (884020, "Tupsley Fields High School", "Community school", MAINTAINED, "Secondary", "HR1 9XU", {}),
    (884021, "Upton Bishop Primary School", "Voluntary controlled school", MAINTAINED, "Primary",
     "HR9 9XV", {}),
    (884022, "Whitchurch Free School", "Free schools", "Free Schools", "All-through", "HR9 9XW",
     {"open_date": dt.date(2019, 9, 1)}),
    (884023, "Wormelow House School", "Other independent school", "Independent schools",
     "Not applicable", "HR2 9XX", {"in_scope": False}),
    (884024, "Yarpole Green Primary School", "Community school", MAINTAINED, "Primary", "HR6 9XY", {}),
)

D = dt.date
# urn -> [(day recorded, status, extra fields)], oldest first. Days are after call-in ended
# (the decision could be implemented from 5 December 2020) and after approval.
HISTORY: dict[int, list[tuple[dt.date, str, dict[str, Any]]]] = {
    884001: [(D(2021, 2, 10), "under_review", {"note": "Governors to consider at the spring meeting."})],
    884003: [(D(2021, 1, 20), "under_review", {}),
             (D(2021, 3, 15), "adopted", {"adopted_on": D(2021, 3, 10)}),
             (D(2021, 10, 5), "embedded", {"adopted_on": D(2021, 3, 10), "trained_on": D(2021, 9, 28)})],
    884004: [(D(2021, 4, 22), "adopted", {"adopted_on": D(2021, 4, 20)})],
    884005: [(D(2021, 5, 5), "under_review", {}),
             (D(2021, 7, 1), "adopted", {"adopted_on": D(2021, 6, 28)})],
    884009: [(D(2021, 9, 10), "under_review", {}),
             (D(2021, 11, 2), "declined", {"reason": "Governors asked for the guidance to be "
                                           "compared with the school's existing policy first."}),
             (D(2022, 5, 10), "adopted", {"adopted_on": D(2022, 5, 9)})],
    884010: [(D(2022, 2, 14), "adopted", {"adopted_on": D(2022, 2, 10)})],
    884011: [(D(2021, 12, 1), "adopted", {"adopted_on": D(2021, 11, 30)})],
    884012: [(D(2021, 3, 1), "adopted", {"adopted_on": D(2021, 2, 25)})],
    884014: [(D(2022, 3, 3), "under_review", {})],
    884015: [(D(2021, 8, 20), "adopted", {"adopted_on": D(2021, 7, 15)}),
             (D(2022, 4, 1), "embedded", {"adopted_on": D(2021, 7, 15), "trained_on": D(2022, 3, 25)})],
    884016: [(D(2022, 6, 6), "adopted", {"adopted_on": D(2022, 6, 1)})],
    884017: [(D(2021, 11, 11), "under_review", {}),
             (D(2022, 9, 19), "adopted", {"adopted_on": D(2022, 9, 14)})],
    884019: [(D(2022, 1, 12), "declined", {"reason": "The diocesan policy is in use; it is to be "
                                           "compared with the model guidance."})],
    884020: [(D(2021, 5, 25), "adopted", {"adopted_on": D(2021, 5, 20)}),
             (D(2022, 10, 3), "embedded", {"adopted_on": D(2021, 5, 20), "trained_on": D(2022, 9, 30)})],
    884022: [(D(2022, 7, 7), "own_policy", {"policy_url": "https://www.example.org/whitchurch-free-school/policies"})],
    884024: [(D(2022, 11, 15), "adopted", {"adopted_on": D(2022, 11, 10)})],
}
TRUST_HISTORY = [(D(2021, 6, 15), "own_policy", {"policy_url": POLICY})]
HAMPTON_EMBEDDED = (D(2022, 1, 20), "embedded", {"policy_url": POLICY, "trained_on": D(2022, 1, 10)})


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    """A moment on a London day, in UTC (the backdated "recorded at")."""
    return dt.datetime.combine(day, dt.time(hour), tzinfo=LONDON).astimezone(dt.timezone.utc)


def load(decision: Decision, users: dict[str, User]) -> None:
    part = next((p for p in decision.parts if p.kind == "approve_guidance"), None)
    if part is None or db.session.scalar(sa.select(Guidance).where(
            Guidance.title == TITLE, Guidance.part_id == part.id)):
        return
    guidance = Guidance(title=TITLE, part_id=part.id, is_example=True,
                        created_at=at(decision.decided_on), updated_at=at(decision.decided_on))
    audit.created(guidance, f"Demo: {TITLE}, approved by part ({part.label}) of {decision.reference}")
    version = GuidanceVersion(
        guidance_id=guidance.id, number=1, title="Model guidance for schools (appendix 6)",
        approved_on=D(2020, 11, 26), approved_by_part_id=part.id,
        url=next((d.url for d in part.documents if d.url), None),
        changes="First version, approved by cabinet for use in all Herefordshire schools.",
        created_at=at(decision.decided_on), updated_at=at(decision.decided_on))
    audit.created(version, "Demo: version 1 of the model guidance")
    schools = _schools()
    recorder = users["officer2@example.gov.uk"]
    for urn, events in HISTORY.items():
        _adoption(schools[urn], version, events, recorder, "demo")
    trust_lead = users["trustlead@example.gov.uk"]
    for urn in (884006, 884007, 884008):
        events = TRUST_HISTORY + ([HAMPTON_EMBEDDED] if urn == 884008 else [])
        _adoption(schools[urn], version, events, trust_lead, "trust_lead")
    _carry(schools[884012], schools[884013], version, recorder)
    lead = users["schoollead@example.gov.uk"]
    lead.schools = [schools[884001], schools[884002]]
    audit.record("update", lead, summary="Demo: school lead linked to two example schools",
                 after={"school_urns": [884001, 884002]})
    audit.updated(trust_lead, {"trust_code": TRUST[0]}, f"Demo: trust lead for {TRUST[1]}")


def _schools() -> dict[int, School]:
    out = {}
    for urn, name, type_name, group, phase, postcode, extra in SCHOOLS:
        trust_code, trust_name = extra.get("trust", (None, None))
        closed = extra.get("closed")
        opened = extra.get("open_date")
        recorded = at(max(RECORDED, opened or RECORDED), 7)
        school = School(
            urn=urn, name=name, type_name=type_name, type_group=group, phase=phase,
            postcode=postcode, trust_code=trust_code, trust_name=trust_name,
            status="closed" if closed else "open", open_date=opened, close_date=closed,
            closed_recorded_at=at(closed + dt.timedelta(days=1), 7) if closed else None,
            in_scope=extra.get("in_scope", True), is_example=True, created_at=recorded,
            updated_at=recorded, **LA)
        audit.created(school, f"Demo: example school {name} (URN {urn})")
        out[urn] = school
    for urn, _, _, _, _, _, extra in SCHOOLS:
        if "predecessor" in extra:
            out[urn].predecessor_id = out[extra["predecessor"]].id
    return out


def _adoption(school: School, version: GuidanceVersion,
              events: list[tuple[dt.date, str, dict[str, Any]]], user: User, via: str) -> Adoption:
    last_day, status, fields = events[-1]
    adoption = Adoption(school_id=school.id, guidance_version_id=version.id, status=status,
                        updated_by_id=user.id, created_at=at(events[0][0]),
                        updated_at=at(last_day), **fields)
    audit.created(adoption, f"Demo: adoption for {school.name}")
    kept.record_events(db.session, [
        {"adoption_id": adoption.id, "recorded_at": at(day), "recorded_by_id": user.id,
         "via": via, "status": event_status, **event_fields}
        for day, event_status, event_fields in events])
    return adoption


def _carry(predecessor: School, successor: School, version: GuidanceVersion, user: User) -> None:
    """The academy that replaced Madley Brook carried its adoption over on the day it opened."""
    source = db.session.scalar(sa.select(Adoption).where(
        Adoption.school_id == predecessor.id, Adoption.guidance_version_id == version.id))
    day = successor.open_date or RECORDED
    fields = {f: getattr(source, f) for f in ("status", "adopted_on", "policy_url", "trained_on",
                                              "reason", "note")}
    adoption = Adoption(school_id=successor.id, guidance_version_id=version.id,
                        carried_from_id=source.id, updated_by_id=user.id, created_at=at(day, 8),
                        updated_at=at(day, 8), **fields)
    audit.created(adoption, f"Demo: adoption carried over from {predecessor.name}")
    kept.record_event(adoption, recorded_at=at(day, 8), recorded_by_id=user.id,
                      via="carried_over", **fields)
