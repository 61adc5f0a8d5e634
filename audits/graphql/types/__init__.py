"""GraphQL types of audits, findings, grievances, remediation and referrals.

A grievance's reporter is resolved for the filing organization only (`GrievanceType.reporter`); every other
field of every type here is free of it. Relations resolve through the per-request loaders (dataloaders.py).
"""

from audits.graphql.types.audits import AssignmentType, AuditType, EvidenceFileType, FindingType, ShareType
from audits.graphql.types.common import CategoryInfoType, HistoryEntryType, PartyType
from audits.graphql.types.deadlines import GrievanceClockType, RemediationDeadlinesType
from audits.graphql.types.grievances import GrievanceOverdueAlertType, GrievanceReporterType, GrievanceType
from audits.graphql.types.kpis import DurationsType, GrievanceKpisType
from audits.graphql.types.remediation import CorrectiveActionType, OverdueAlertType, ReferralTimesType, ReferralType

__all__ = [
    "AssignmentType", "AuditType", "CategoryInfoType", "CorrectiveActionType", "DurationsType", "EvidenceFileType",
    "FindingType", "GrievanceClockType", "GrievanceKpisType", "GrievanceOverdueAlertType", "GrievanceReporterType",
    "GrievanceType", "HistoryEntryType", "OverdueAlertType", "PartyType", "ReferralTimesType", "ReferralType",
    "RemediationDeadlinesType", "ShareType",
]
