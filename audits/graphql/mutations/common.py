"""The error type and the lookups shared by the audits mutations (every lookup goes through visible())."""

from audits.graphql.enums import AuditErrorCode
from audits.models import Audit, CorrectiveAction, Finding, Grievance, Party, Referral
from backend.graphql.errors import error_type
from backend.graphql.ids import get_visible
from graph.models import Site

AuditError = error_type("AuditError", AuditErrorCode, "audits, grievances, remediation or referrals")

MODELS = {
    "Site": Site, "Party": Party, "Audit": Audit, "Finding": Finding, "Grievance": Grievance,
    "CorrectiveAction": CorrectiveAction, "Referral": Referral,
}


def lookup(viewer, type_name: str, global_id: str, field: str, queryset=None):
    """The visible object of `type_name` behind a global ID; NOT_FOUND on `field` otherwise."""
    return get_visible(MODELS[type_name], viewer, global_id or "", type_name, field, queryset=queryset)


def optional(viewer, type_name: str, global_id: str | None, field: str):
    return lookup(viewer, type_name, global_id, field) if global_id else None
