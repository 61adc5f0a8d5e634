"""GraphQL types of audits, findings, grievances, remediation and referrals.

A grievance's reporter is resolved for the filing organization only (`GrievanceType.reporter`); every other
field of every type here is free of it. Relations resolve through the per-request loaders (dataloaders.py).
"""

from audits.graphql.types.audits import AssignmentType, AuditType, EvidenceFileType, FindingType, ShareType
from audits.graphql.types.common import CategoryInfoType, HistoryEntryType, PartyType
from audits.graphql.types.grievances import GrievanceReporterType, GrievanceType
from audits.graphql.types.remediation import CorrectiveActionType, OverdueAlertType, ReferralTimesType, ReferralType

__all__ = [
    "AssignmentType", "AuditType", "CategoryInfoType", "CorrectiveActionType", "EvidenceFileType", "FindingType",
    "GrievanceReporterType", "GrievanceType", "HistoryEntryType", "OverdueAlertType", "PartyType", "ReferralTimesType",
    "ReferralType", "ShareType",
]
