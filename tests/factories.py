"""Factories for every model: ``make.user(role="officer")`` returns a flushed row.

Each builds a valid row with sensible defaults; keyword arguments override any column.
Rows are added straight to the session (tests of services go through the services).
"""
from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from tracker.models import (
    Organisation,
    Action, Adoption, AdoptionEvent, AuditEvent, Challenge, Decision, DecisionPart, Document,
    EvidenceLink, ExecutiveResponse, Guidance, GuidanceVersion, Message, ProgressUpdate,
    Recommendation, RecommendationClosure, RecommendationLink, RecoveryCode, RoundItem, School,
    TerminologyRule, Theme, UpdateRound, User, UserToken, recommendation_themes,
)
from tracker.models.base import utcnow
from tracker.recommendations import kept
from tracker.schools import kept as adoption_kept

PASSWORD = "correct horse battery"
_seq = itertools.count(1)

# One password hash for every factory user: hashing is deliberately slow.
_HASH_CACHE: dict[str, str] = {}


def _password_hash(password: str) -> str:
    if password not in _HASH_CACHE:
        from werkzeug.security import generate_password_hash
        _HASH_CACHE[password] = generate_password_hash(password)
    return _HASH_CACHE[password]


class Factories:
    def __init__(self, session: Any):
        self.session = session

    def _add(self, obj: Any) -> Any:
        self.session.add(obj)
        self.session.flush()
        return obj

    def user(self, role: str = "officer", password: str | None = PASSWORD, **kw: Any) -> User:
        n = next(_seq)
        schools = kw.pop("schools", [])
        values = {"email": f"user{n}@example.gov.uk", "name": f"Test User {n}", "role": role,
                  "active": True} | kw
        user = User(**values)
        if password:
            user.password_hash = _password_hash(password)
        user.schools = list(schools)
        return self._add(user)

    def organisation(self, **kw: Any) -> Organisation:
        """An organisation; ``members`` join it (a person works for one at most)."""
        n = next(_seq)
        members = kw.pop("members", [])
        values = {"name": f"Test Organisation {n}", "kind": "police"} | kw
        organisation = self._add(Organisation(**values))
        for person in members:
            person.organisation = organisation
        self.session.flush()
        return organisation

    def decision(self, **kw: Any) -> Decision:
        n = next(_seq)
        values = {"reference": f"I9{n:07d}", "title": f"Test decision {n}",
                  "decision_maker": "Cabinet", "key_decision": False,
                  "decided_on": dt.date(2020, 11, 26), "exemption": "open",
                  "subject_to_call_in": True, "call_in_expires_on": dt.date(2020, 12, 4)} | kw
        return self._add(Decision(**values))

    def part(self, decision: Decision | None = None, **kw: Any) -> DecisionPart:
        decision = decision or self.decision()
        label = kw.pop("label", "abcdefghijklmnopqrstuvwxyz"[len(decision.parts) % 26])
        values = {"label": label, "text": f"Part {label} text", "kind": "agree_recommendations",
                  "position": len(decision.parts)} | kw
        return self._add(DecisionPart(decision=decision, **values))

    def document(self, decision: Decision | None = None, **kw: Any) -> Document:
        decision = decision or self.decision()
        values = {"title": "Appendix", "kind": "appendix", "url": "https://example.org/a.pdf"} | kw
        return self._add(Document(decision=decision, **values))

    def recommendation(self, part: DecisionPart | None = None, **kw: Any) -> Recommendation:
        if part is None and "part_id" not in kw and kw.get("source") != "scrutiny":
            part = self.part()
        n = next(_seq)
        values = {"source": "review", "reference": f"R{n}", "text": f"Recommendation {n}"} | kw
        rec = self._add(Recommendation(part=part, **values))
        if rec.signed_off_at is not None:  # the sign-off is the first step of its closing history
            self._add(RecommendationClosure(
                recommendation=rec, kind="signed_off", recorded_at=rec.signed_off_at,
                recorded_by_id=rec.signed_off_by_id, meeting=rec.sign_off_meeting,
                minute=rec.sign_off_minute))
        return rec

    def response(self, recommendation: Recommendation | None = None, **kw: Any) -> ExecutiveResponse:
        recommendation = recommendation or self.recommendation(source="scrutiny")
        values = {"response": "accepted", "response_text": "Agreed."} | kw
        return self._add(ExecutiveResponse(recommendation=recommendation, **values))

    def action(self, recommendation: Recommendation | None = None, **kw: Any) -> Action:
        recommendation = recommendation or self.recommendation()
        n = next(_seq)
        due = kw.pop("due_on", dt.date(2021, 3, 31))
        values = {"title": f"Action {n}", "due_on": due, "current_due_on": due} | kw
        return self._add(Action(recommendation=recommendation, **values))

    def update(self, action: Action | None = None, **kw: Any) -> ProgressUpdate:
        action = action or self.action()
        evidence = kw.pop("evidence", [])
        values = {"status": "in_progress", "rag": "green", "narrative": "Work under way."} | kw
        update = ProgressUpdate(action=action, **values)
        update.evidence = [EvidenceLink(url=u, description=d) for u, d in evidence]
        self._add(update)
        # As the progress-update service does, in the same transaction: the kept figures.
        for name, value in kept.figures_of(action).values().items():
            setattr(action, name, value)
        self.session.flush()
        return update

    def challenge(self, recommendation: Recommendation | None = None, **kw: Any) -> Challenge:
        recommendation = recommendation or self.recommendation()
        asked_by = kw.pop("asked_by", None) or self.user(role="member")
        values = {"question": "What is the evidence?"} | kw
        return self._add(Challenge(recommendation=recommendation, asked_by=asked_by, **values))

    def school(self, **kw: Any) -> School:
        n = next(_seq)
        values = {"urn": 100000 + n, "name": f"Test School {n}", "la_code": "884",
                  "la_name": "Herefordshire, County of", "type_name": "Community school",
                  "type_group": "Local authority maintained schools", "phase": "Primary",
                  "status": "open", "in_scope": True} | kw
        return self._add(School(**values))

    def guidance(self, part: DecisionPart | None = None, **kw: Any) -> Guidance:
        part = part or self.part(kind="approve_guidance")
        values = {"title": "Model guidance"} | kw
        return self._add(Guidance(part=part, **values))

    def guidance_version(self, guidance: Guidance | None = None, **kw: Any) -> GuidanceVersion:
        guidance = guidance or self.guidance()
        values = {"number": len(guidance.versions) + 1, "title": "Version",
                  "approved_on": dt.date(2020, 11, 26)} | kw
        return self._add(GuidanceVersion(guidance=guidance, **values))

    def adoption(self, school: School | None = None, version: GuidanceVersion | None = None,
                 **kw: Any) -> Adoption:
        school = school or self.school()
        version = version or self.guidance_version()
        values = {"status": "not_started"} | kw
        adoption = self._add(Adoption(school=school, guidance_version=version, **values))
        self.adoption_event(adoption, status=adoption.status)
        return adoption

    def adoption_event(self, adoption: Adoption, **kw: Any) -> AdoptionEvent:
        values = {"status": adoption.status, "via": "admin"} | kw
        # Through the one writer of adoption events, which keeps the adoption's latest.
        return self.session.get(AdoptionEvent, adoption_kept.record_event(adoption, **values))

    def terminology_rule(self, **kw: Any) -> TerminologyRule:
        values = {"term": "alleged victim", "replacement": "victim",
                  "source_kind": "national_guidance", "source_title": "Guidance"} | kw
        return self._add(TerminologyRule(**values))

    def theme(self, recommendations: list[Recommendation] | tuple[()] = (), **kw: Any) -> Theme:
        """A theme, given to ``recommendations``."""
        import sqlalchemy as sa

        values = {"name": f"Theme {next(_seq)}"} | kw
        theme = self._add(Theme(**values))
        if recommendations:
            self.session.execute(sa.insert(recommendation_themes), [
                {"recommendation_id": r.id, "theme_id": theme.id} for r in recommendations])
        return theme

    def recommendation_link(self, recommendation: Recommendation, earlier: Recommendation,
                            **kw: Any) -> RecommendationLink:
        """``recommendation`` repeats (``kind``: or is related to) ``earlier``."""
        values = {"kind": "repeats"} | kw
        return self._add(RecommendationLink(recommendation_id=recommendation.id,
                                            earlier_id=earlier.id, **values))

    def token(self, user: User | None = None, **kw: Any) -> UserToken:
        user = user or self.user()
        now = utcnow()
        values = {"purpose": "invitation", "token_hash": f"{next(_seq):064d}",
                  "expires_at": now + dt.timedelta(hours=72)} | kw
        return self._add(UserToken(user=user, **values))

    def recovery_code(self, user: User | None = None, **kw: Any) -> RecoveryCode:
        user = user or self.user(role="admin")
        values = {"code_hash": "x" * 20} | kw
        return self._add(RecoveryCode(user_id=user.id, **values))

    def audit_event(self, **kw: Any) -> AuditEvent:
        values = {"actor_label": "test", "action": "update", "summary": "Test event"} | kw
        return self._add(AuditEvent(**values))

    def message(self, recipient: User | None = None, **kw: Any) -> Message:
        recipient = recipient or self.user()
        values = {"kind": "digest", "recipient_id": recipient.id,
                  "to_address": recipient.email, "subject": "Your weekly summary",
                  "body_text": "Summary", "body_html": "<p>Summary</p>",
                  "personalisation": {}, "status": "sent", "attempts": 1,
                  "sent_at": utcnow()} | kw
        return self._add(Message(**values))

    def update_round(self, decisions: list[Decision] | None = None, **kw: Any) -> UpdateRound:
        actions = kw.pop("actions", [])
        values = {"committee": "Scrutiny committee", "meeting_on": dt.date(2031, 3, 1),
                  "due_on": dt.date(2031, 2, 15), "reminder_days": 7} | kw
        round_ = UpdateRound(**values)
        round_.decisions = list(decisions or [])
        round_.items = [RoundItem(action_id=a.id, owner_id=a.owner_id) for a in actions]
        return self._add(round_)
