"""The whole domain of the tracker, one module per part of it (the rules it keeps: docs/)."""
from tracker.models.audit import AuditEvent, RefusalTally
from tracker.models.base import Base, utcnow
from tracker.models.closing import ImpactEvidenceLink, ImpactReview, RecommendationClosure
from tracker.models.decisions import Decision, DecisionPart, Document
from tracker.models.jobs import Job
from tracker.models.kept import (
    ActionWeek, ActionWeekSums, AdoptionCount, AdoptionWeek, AgeingPoint, RecommendationRollup,
    StoredReport,
)
from tracker.models.messages import (
    Message, MessageSetting, ReminderSchedule, RoundItem, UpdateRound,
)
from tracker.models.organisations import Organisation, organisation_members
from tracker.models.recommendations import (
    Action, Challenge, EvidenceLink, ExecutiveResponse, ProgressUpdate, Recommendation,
)
from tracker.models.schools import Adoption, AdoptionEvent, Guidance, GuidanceVersion, School
from tracker.models.terminology import TerminologyRule
from tracker.models.themes import RecommendationLink, Theme, recommendation_themes
from tracker.models.uploads import PendingUpload, PendingUploadChunk
from tracker.models.users import FormToken, RecoveryCode, User, UserToken, user_schools

__all__ = [
    "Action", "ActionWeek", "ActionWeekSums", "Adoption", "AdoptionCount", "AdoptionEvent",
    "AdoptionWeek",
    "AgeingPoint", "AuditEvent", "Base", "Challenge", "Decision",
    "DecisionPart", "Document", "EvidenceLink", "ExecutiveResponse", "FormToken", "Guidance",
    "GuidanceVersion", "ImpactEvidenceLink", "ImpactReview", "Job", "Message", "MessageSetting",
    "Organisation", "PendingUpload", "PendingUploadChunk", "ProgressUpdate", "Recommendation",
    "RecommendationClosure", "RecommendationLink", "RecommendationRollup", "RecoveryCode",
    "RefusalTally",
    "ReminderSchedule", "RoundItem", "School", "StoredReport", "TerminologyRule", "Theme",
    "UpdateRound", "User",
    "UserToken", "organisation_members", "recommendation_themes", "user_schools", "utcnow",
]
