"""The whole domain of the tracker, one module per part of it (the rules it keeps: docs/)."""
from tracker.models.audit import AuditEvent, RefusalTally
from tracker.models.base import Base, utcnow
from tracker.models.decisions import Decision, DecisionPart, Document
from tracker.models.recommendations import (
    Action, Challenge, EvidenceLink, ExecutiveResponse, ProgressUpdate, Recommendation,
)
from tracker.models.schools import Adoption, AdoptionEvent, Guidance, GuidanceVersion, School
from tracker.models.terminology import TerminologyRule
from tracker.models.users import RecoveryCode, User, UserToken, user_schools

__all__ = [
    "Action", "Adoption", "AdoptionEvent", "AuditEvent", "Base", "Challenge", "Decision",
    "DecisionPart", "Document", "EvidenceLink", "ExecutiveResponse", "Guidance",
    "GuidanceVersion", "ProgressUpdate", "Recommendation", "RecoveryCode", "RefusalTally", "School",
    "TerminologyRule", "User", "UserToken", "user_schools", "utcnow",
]
