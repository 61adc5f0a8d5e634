"""Models of audits, findings, grievances, remediation and referrals.

Every tenant-aware model's queryset implements `visible_to(viewer)` (see backend/tenancy.py):
- an assignment is seen by the company that made it and the audit firm it names;
- an audit and its findings belong to the audit firm, and a company sees them only through an active share;
- a grievance is seen by the workers' organization that filed it and by the companies it is routed to;
- a corrective action is seen by the organization that owns it and by the audit firm of its finding (the audit
  firm's own actions on a finding are also seen by the companies the finding is shared with);
- a referral is seen by the organization that made it; history follows its subject.
A rule that needs another module's model looks it up in the app registry (`apps.get_model`), as a string foreign
key does, instead of importing it: the rules refer to each other across modules (evidence follows its action, an
action its finding, a finding its share), so imports between them would run in a circle.
"""

from audits.models.assignments import Assignment, Party, Share
from audits.models.audits import Audit, AuditStandard, AuditType, EvidenceFile, Finding, FindingStatus, Severity
from audits.models.grievances import (
    Channel, ClockStage, Grievance, GrievanceClock, GrievanceOverdueAlert, GrievanceRouting, GrievanceState,
)
from audits.models.history import StateChange, Subject
from audits.models.intake import FilingState, GrievanceFiling
from audits.models.referrals import Referral, ReferralOutcome, ServiceKind
from audits.models.remediation import (
    ActionStatus, CorrectiveAction, OverdueAlert, RemediationDeadlines, VerificationMethod,
)
from audits.models.suggestions import SuggestionDecision

__all__ = [
    "ActionStatus", "Assignment", "Audit", "AuditStandard", "AuditType", "Channel", "ClockStage", "CorrectiveAction",
    "EvidenceFile", "FilingState", "Finding", "FindingStatus", "Grievance", "GrievanceClock", "GrievanceOverdueAlert",
    "GrievanceFiling", "GrievanceRouting", "GrievanceState", "OverdueAlert", "Party", "Referral", "ReferralOutcome",
    "RemediationDeadlines", "ServiceKind", "Severity", "Share", "StateChange", "Subject", "SuggestionDecision",
    "VerificationMethod",
]
