"""Writes for schools and guidance adoption. Each change and its audit event go in one
transaction, then commit.

Adoption rows are created **lazily**: a school has an Adoption for a version only once
someone records something for it (or an adoption is carried over). No row means "not
started", which the rules of progress read the same way (see facts.py). So adding a
version starts its round for every school in scope at once, without writing 25,000 rows,
and earlier versions' adoptions stay untouched as history.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import asdict, dataclass, replace
from typing import Any

import sqlalchemy as sa

from tracker.audit import StaleEdit
from tracker.problems import FieldProblem
from tracker import audit, clock, progress
from tracker.decisions.callin import ensure_implementable
from tracker.extensions import db
from tracker.models import (
    Adoption, Decision, DecisionPart, Guidance, GuidanceVersion, School, User,
)
from tracker.permissions import adoption_recorded_as
from tracker.schools import kept, linking
from tracker.vocab import ADOPTION_STATUS_LABELS


@dataclass(frozen=True)
class AdoptionDetails:
    status: str = "not_started"
    adopted_on: dt.date | None = None
    policy_url: str | None = None
    trained_on: dt.date | None = None
    reason: str | None = None
    note: str | None = None




class TrustStale(StaleEdit):
    """A trust's record based on an old state of its schools' adoptions."""

    def __init__(self, names: list[str]):
        self.names = names
        super().__init__(None, [])

    @property
    def message(self) -> str:
        return ("Someone recorded a change for " + ", ".join(self.names) + " while you were "
                "editing. Nothing was saved: check their record and try again.")


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def decision_for(version: GuidanceVersion) -> Decision | None:
    """The decision whose call-in state governs work on this version."""
    part = version.approved_by_part or version.guidance.part
    return part.decision if part is not None else None


def check_details(version: GuidanceVersion, details: AdoptionDetails,
                  today: dt.date) -> dict[str, str]:
    """Problems with the details, by field: empty when they can be saved."""
    errors: dict[str, str] = {}
    approved = f"{_day(version.approved_on)}, when version {version.number} was approved"
    for name, label in (("adopted_on", "Date adopted"), ("trained_on", "Date staff were trained")):
        value = getattr(details, name)
        if value is not None and value > today:
            errors[name] = f"{label} must be today or in the past"
        elif value is not None and value < version.approved_on:
            errors[name] = f"{label} must be on or after {approved}"
    if details.status == "adopted" and details.adopted_on is None and "adopted_on" not in errors:
        errors["adopted_on"] = "Enter the date the governing body or trust adopted the guidance"
    if details.status == "own_policy" and not details.policy_url:
        errors["policy_url"] = ("Enter a link to the school's own published policy: it is the "
                                "evidence that the policy is equivalent")
    if details.status == "embedded" and details.trained_on is None and "trained_on" not in errors:
        errors["trained_on"] = "Enter the date staff were trained: embedded needs it"
    if details.status == "declined" and not details.reason:
        errors["reason"] = "Enter why the school declined the guidance"
    return errors


def via_for(user: User) -> str:
    return adoption_recorded_as(user)


def adoption_of(school: School, version: GuidanceVersion) -> Adoption | None:
    return db.session.scalar(sa.select(Adoption).where(
        Adoption.school_id == school.id, Adoption.guidance_version_id == version.id))


def _guard(version: GuidanceVersion, details: AdoptionDetails, today: dt.date) -> None:
    errors = check_details(version, details, today)
    if errors:
        raise FieldProblem(errors)
    decision = decision_for(version)
    if details.status != "not_started" and decision is not None:
        ensure_implementable(decision, today)  # raises CallInRefused, saying why and from when


def _record_one(school: School, version: GuidanceVersion, details: AdoptionDetails,
                user: User, via: str, expected_version: int | None, now: dt.datetime) -> Adoption | None:
    """Save one school's adoption and its dated event (no commit). None: nothing changed."""
    values = asdict(details)
    label = ADOPTION_STATUS_LABELS[details.status]
    what = f"{school.name} (URN {school.urn}), version {version.number}: {label}"
    adoption = adoption_of(school, version)
    if adoption is None:
        if details == AdoptionDetails():
            return None
        adoption = Adoption(school_id=school.id, guidance_version_id=version.id,
                            updated_by_id=user.id, **values)
        audit.created(adoption, f"Adoption recorded for {what}")
    else:
        audit.check_version(adoption, expected_version)
        if all(getattr(adoption, k) == v for k, v in values.items()):
            return None
        audit.updated(adoption, values | {"updated_by_id": user.id}, f"Adoption updated for {what}")
    kept.record_event(adoption, recorded_at=now, recorded_by_id=user.id, via=via, **values)
    return adoption


def record_adoption(school: School, version: GuidanceVersion, details: AdoptionDetails,
                    user: User, expected_version: int | None) -> Adoption | None:
    """Record one school's adoption of ``version`` (the caller has checked permission).
    ``expected_version`` is the Adoption's version the form was loaded with (0: no row yet).
    Raises FieldProblem, CallInRefused or StaleEdit; returns None when nothing changed."""
    _guard(version, details, clock.today())
    adoption = _record_one(school, version, details, user, via_for(user), expected_version,
                           clock.now())
    db.session.commit()
    return adoption


def trust_schools(trust_code: str) -> list[School]:
    """The trust's open schools, by name: what a trust lead records for at once."""
    return list(db.session.scalars(sa.select(School).where(
        School.trust_code == trust_code, School.status != "closed").order_by(School.name)))


def trust_state(schools: list[School], version: GuidanceVersion) -> str:
    """A digest of the trust's adoptions as loaded, so a stale trust-wide save is refused."""
    versions = dict(db.session.execute(sa.select(Adoption.school_id, Adoption.version_id).where(
        Adoption.guidance_version_id == version.id,
        Adoption.school_id.in_([s.id for s in schools]))).all())
    text = ",".join(f"{s.id}:{versions.get(s.id, 0)}" for s in sorted(schools, key=lambda s: s.id))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class TrustChange:
    """What a trust-wide record would do to one school: shown on the check page."""
    school: School
    before: str
    after: str

    @property
    def downgrade(self) -> bool:
        return progress.is_adoption_downgrade(self.before, self.after)

    @property
    def changes(self) -> bool:
        return self.before != self.after


def _trust_schools_of(user: User) -> list[School]:
    if not user.trust_code:
        raise FieldProblem({"status": "Only a trust lead can record for a whole trust"})
    schools = trust_schools(user.trust_code)
    if not schools:
        raise FieldProblem({"status": "No open school in the tracker has your trust's code"})
    return schools


def plan_for_trust(user: User, version: GuidanceVersion,
                   details: AdoptionDetails) -> list[TrustChange]:
    """Each of the trust's open schools with its status now and after the record. Raises
    FieldProblem or CallInRefused when the details cannot be saved at all."""
    schools = _trust_schools_of(user)
    _guard(version, details, clock.today())
    statuses = dict(db.session.execute(sa.select(Adoption.school_id, Adoption.status).where(
        Adoption.guidance_version_id == version.id,
        Adoption.school_id.in_([s.id for s in schools]))).all())
    return [TrustChange(s, statuses.get(s.id, "not_started"), details.status) for s in schools]


def record_for_trust(user: User, version: GuidanceVersion, details: AdoptionDetails,
                     expected_state: str | None,
                     downgrades: dict[int, str] | None = None) -> list[Adoption]:
    """A trust lead records once for every open school of their trust: each school gets its
    own Adoption change and AdoptionEvent (via "trust_lead"), all in one transaction.

    A school the record would move back (a downgrade, say from embedded to adopted) is left
    as it is unless chosen in ``downgrades`` (school id -> the reason, which is kept in the
    school's note and the audit log)."""
    schools = _trust_schools_of(user)
    _guard(version, details, clock.today())
    if expected_state is not None and trust_state(schools, version) != expected_state:
        raise TrustStale(_changed_since(schools, version))
    chosen = downgrades or {}
    now = clock.now()
    changed = []
    for change in plan_for_trust(user, version, details):
        these = details
        if change.downgrade:
            reason = chosen.get(change.school.id, "").strip()
            if not reason:
                continue
            before = ADOPTION_STATUS_LABELS[change.before]
            these = replace(details, note="\n".join(filter(None, (
                f"Moved back from {before}: {reason}", details.note))))
        if (a := _record_one(change.school, version, these, user, "trust_lead", None, now)):
            changed.append(a)
    db.session.commit()
    return changed


def _changed_since(schools: list[School], version: GuidanceVersion) -> list[str]:
    recent = set(db.session.scalars(sa.select(Adoption.school_id).where(
        Adoption.guidance_version_id == version.id, Adoption.school_id.in_([s.id for s in schools]),
        Adoption.updated_at > clock.now() - dt.timedelta(hours=8))))
    return [s.name for s in schools if s.id in recent] or ["one of the trust's schools"]


# --- guidance versions ---------------------------------------------------------------------

@dataclass(frozen=True)
class VersionDetails:
    title: str
    approved_on: dt.date
    url: str | None = None
    changes: str | None = None
    approved_by_part_id: int | None = None


@dataclass(frozen=True)
class GuidanceDetails:
    title: str
    first_version: VersionDetails


def add_guidance(part: DecisionPart, details: GuidanceDetails) -> Guidance:
    """A guidance document approved by ``part`` (an "approve guidance" part: a decision may
    approve several), with its first version, approved by the same part unless another is
    named. Adoption of it starts for every school in scope, as for a new version."""
    if part.kind != "approve_guidance" or part.is_withdrawn:
        raise FieldProblem({"": "Guidance is added to a part that approves guidance"})
    first = details.first_version
    if first.approved_on > clock.today():
        raise FieldProblem({"approved_on": "Date approved must be today or in the past"})
    guidance = Guidance(title=details.title, part_id=part.id)
    audit.created(guidance, f"Guidance added: {details.title}, approved by "
                  f"{part.decision.reference or part.decision.title}, part ({part.label})")
    version = GuidanceVersion(guidance_id=guidance.id, number=1,
                              **(asdict(first) | {"approved_by_part_id":
                                                  first.approved_by_part_id or part.id}))
    audit.created(version, f"Version 1 of {details.title} added: {first.title}")
    db.session.commit()
    return guidance


def add_version(guidance: Guidance, details: VersionDetails) -> GuidanceVersion:
    """Add the next version: it becomes current and starts a new round of adoption for every
    school in scope (no rows needed: see the module docstring)."""
    live = [v for v in guidance.versions if not v.is_withdrawn]
    errors = {}
    if details.approved_on > clock.today():
        errors["approved_on"] = "Date approved must be today or in the past"
    elif live and details.approved_on < live[-1].approved_on:
        errors["approved_on"] = (f"Date approved must be on or after {_day(live[-1].approved_on)}, "
                                 f"when version {live[-1].number} was approved")
    if details.approved_by_part_id is not None and db.session.get(
            DecisionPart, details.approved_by_part_id) is None:
        errors["approved_by_part_id"] = "Choose the decision part that approved this version"
    if errors:
        raise FieldProblem(errors)
    number = max((v.number for v in guidance.versions), default=0) + 1
    version = GuidanceVersion(guidance_id=guidance.id, number=number, **asdict(details))
    audit.created(version, f"Version {number} of {guidance.title} added: {details.title}")
    db.session.commit()
    return version


# --- predecessor links ---------------------------------------------------------------------

def link_predecessor(successor: School, predecessor: School,
                     expected_version: int | None) -> int:
    """An administrator links a school to the school it replaced; the predecessor's adoption
    of the current version carries over. Returns how many adoptions were carried."""
    if predecessor.id == successor.id:
        raise FieldProblem({"predecessor_urn": "A school cannot be its own predecessor"})
    step: School | None = predecessor
    for _ in range(1000):
        if step is None:
            break
        if step.id == successor.id:
            raise FieldProblem({"predecessor_urn": f"{predecessor.name} already descends from "
                            f"{successor.name}: linking them would make a loop"})
        step = step.predecessor
    if successor.predecessor_id == predecessor.id:
        return 0
    audit.updated(successor, {"predecessor_id": predecessor.id},
                  f"Linked {successor.name} (URN {successor.urn}) to its predecessor "
                  f"{predecessor.name} (URN {predecessor.urn})", expected_version)
    actor, label = audit.current_actor()
    carried = linking.carry_over([(predecessor.id, successor.id)], clock.now(),
                                 actor.id if actor else None, label)
    db.session.commit()
    return carried


def school_by_urn(urn: int) -> School | None:
    return db.session.scalar(sa.select(School).where(School.urn == urn))


def values_of(adoption: Adoption | None) -> dict[str, Any]:
    """The adoption's fields as a form's starting data (not started when there is none)."""
    if adoption is None:
        return asdict(AdoptionDetails())
    return {f: getattr(adoption, f) for f in linking.ADOPTION_FIELDS}
