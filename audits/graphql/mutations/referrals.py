"""referralCreate, referralUpdate."""

import graphene

from audits.graphql.enums import ReferralOutcomeEnum, ServiceKindEnum
from audits.graphql.mutations.common import AuditError, lookup, optional
from audits.graphql.types import ReferralType
from audits.services import referrals as services
from backend.graphql.inputs import given_fields
from backend.graphql.mutations import BaseMutation
from backend.permissions import Permission


class ReferralInput(graphene.InputObjectType):
    """A referral to a protection service."""

    service = ServiceKindEnum(description="Kind of protection service (required on create).")
    service_name = graphene.String(description="The service referred to, e.g. a district office (required on create).")
    persons = graphene.Int(description="Number of people referred (≥ 1, default 1). No personal data is kept.")
    children_involved = graphene.Boolean(description="Whether children are among them.")
    identified_at = graphene.DateTime(description="When the people were identified as at risk (required on create).")
    referred_at = graphene.DateTime(description="When they were referred (not before identifiedAt).")
    outcome = ReferralOutcomeEnum(description="What came of it (default pending).")
    outcome_note = graphene.String(description="Details of the outcome (at most 10,000 characters).")


class ReferralCreate(BaseMutation):
    """Record a referral of people identified at a site to a protection service."""

    referral = graphene.Field(ReferralType, description="The referral, when the mutation succeeded.")

    class Arguments:
        site_id = graphene.ID(required=True, description="ID of the site where the people were identified.")
        grievance_id = graphene.ID(description="ID of the grievance that led to it, if any.")
        finding_id = graphene.ID(description="ID of the finding that led to it, if any.")
        input = ReferralInput(required=True, description="The referral.")

    class Meta:
        permissions = (Permission.MAKE_REFERRALS,)
        error_type_class = AuditError

    @classmethod
    def perform(cls, info, viewer, site_id, input, grievance_id=None, finding_id=None):
        site = lookup(viewer, "Site", site_id, "site_id")
        grievance = optional(viewer, "Grievance", grievance_id, "grievance_id")
        finding = optional(viewer, "Finding", finding_id, "finding_id")
        referral = services.create_referral(viewer, site, given_fields(input), grievance=grievance, finding=finding)
        return cls(referral=referral, errors=[])


class ReferralUpdate(BaseMutation):
    """Record when a referral was made and what came of it (outcome changes are kept in its history)."""

    referral = graphene.Field(ReferralType, description="The referral after the change.")

    class Arguments:
        id = graphene.ID(required=True, description="ID of the referral.")
        input = ReferralInput(required=True, description="Fields to change; fields left out stay as they are.")

    class Meta:
        permissions = (Permission.MAKE_REFERRALS,)
        error_type_class = AuditError

    @classmethod
    def perform(cls, info, viewer, id, input):
        referral = lookup(viewer, "Referral", id, "id")
        return cls(referral=services.update_referral(viewer, referral, given_fields(input)), errors=[])
