"""Resolvers of the audits queries: tenant-scoped querysets, single objects and the referral report."""

from django.core.exceptions import ValidationError

from audits.models import Assignment, Audit, CorrectiveAction, Finding, Grievance, Party, Referral
from audits.services.referrals import referral_times
from backend.graphql.ids import get_visible
from backend.models import OrganizationKind
from backend.tenancy import visible

SINGLE = {
    "Audit": Audit, "Finding": Finding, "Grievance": Grievance, "CorrectiveAction": CorrectiveAction,
    "Referral": Referral, "AuditAssignment": Assignment,
}


def resolve_list(model, viewer):
    return visible(model, viewer)


def resolve_audit_firms(viewer):
    return visible(Party, viewer).filter(kind=OrganizationKind.AUDIT_FIRM)


def resolve_single(type_name: str, viewer, global_id: str):
    """One visible object, or null for a missing, foreign or malformed ID (no existence oracle)."""
    try:
        return get_visible(SINGLE[type_name], viewer, global_id, type_name, "id")
    except ValidationError:
        return None


def resolve_referral_times(viewer, group_by):
    return referral_times(viewer, getattr(group_by, "value", group_by))
