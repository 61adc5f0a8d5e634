"""Resolvers of the audits queries: tenant-scoped querysets, the referral report, the deadlines and the KPIs."""

from audits.graphql.types import GrievanceClockType, RemediationDeadlinesType
from audits.models import Party
from audits.services.clocks import clock_of
from audits.services.kpis import KpiFilter, grievance_kpis
from audits.services.referrals import referral_times
from audits.services.remediation import due_days
from backend.graphql.inputs import plain
from backend.models import OrganizationKind
from backend.tenancy import visible


def resolve_list(model, viewer):
    return visible(model, viewer)


def resolve_audit_firms(viewer):
    return visible(Party, viewer).filter(kind=OrganizationKind.AUDIT_FIRM)


def resolve_referral_times(viewer, group_by):
    return referral_times(viewer, plain(group_by))


def resolve_grievance_clock(viewer):
    clock = clock_of(viewer)
    return GrievanceClockType(acknowledge_days=clock.acknowledge_days, conclude_days=clock.conclude_days,
                              is_default=clock.is_default)


def resolve_remediation_deadlines(viewer):
    return RemediationDeadlinesType.of(due_days(viewer))


def resolve_grievance_kpis(viewer, received_from=None, received_to=None, country=None, group_by="all"):
    scope = KpiFilter(received_from=received_from, received_to=received_to,
                      country=country.upper() if country else None, group_by=plain(group_by))
    return grievance_kpis(viewer, scope)
