"""The whole domain of DESIGN.md, one module per part of it."""
from tracker.models.audit import AuditEvent
from tracker.models.base import Base, utcnow
from tracker.models.decisions import Decision, DecisionPart, Document
from tracker.models.recommendations import (
    Action, Challenge, EvidenceLink, ExecutiveResponse, ProgressUpdate, Recommendation,
)
from tracker.models.schools import Adoption, AdoptionEvent, Guidance, GuidanceVersion, School
from tracker.models.terminology import TerminologyRule
from tracker.models.uploads import PendingUpload, PendingUploadChunk
from tracker.models.users import FormToken, RecoveryCode, User, UserToken, user_schools

__all__ = [
    "Action", "Adoption", "AdoptionEvent", "AuditEvent", "Base", "Challenge", "Decision",
    "DecisionPart", "Document", "EvidenceLink", "ExecutiveResponse", "FormToken", "Guidance",
    "GuidanceVersion", "PendingUpload", "PendingUploadChunk", "ProgressUpdate", "Recommendation",
    "RecoveryCode", "School",
    "TerminologyRule", "User", "UserToken", "user_schools", "utcnow",
]
