"""Resolvers of the audits queries: tenant-scoped querysets and the referral report."""

from audits.models import Party
from audits.services.referrals import referral_times
from backend.graphql.inputs import plain
from backend.models import OrganizationKind
from backend.tenancy import visible


def resolve_list(model, viewer):
    return visible(model, viewer)


def resolve_audit_firms(viewer):
    return visible(Party, viewer).filter(kind=OrganizationKind.AUDIT_FIRM)


def resolve_referral_times(viewer, group_by):
    return referral_times(viewer, plain(group_by))
