"""Types of corrective actions, their overdue alerts, referrals and the referral-time report."""

import graphene
from django.utils import timezone
from graphene_django import DjangoObjectType

from audits.graphql import dataloaders as loaders
from audits.graphql.enums import (
    ActionStatusEnum, InterventionTypeEnum, ReferralOutcomeEnum, ServiceKindEnum, VerificationMethodEnum,
)
from audits.graphql.types.audits import AuditType, EvidenceFileType, FindingType
from audits.graphql.types.common import PartyType, history_field, viewer_org_id
from audits.graphql.types.grievances import GrievanceType
from audits.models import CorrectiveAction, OverdueAlert, Referral, Subject
from audits.models.remediation import PENDING_STATUSES
from audits.services.common import days_between
from backend.graphql.list_bounds import PagedList
from backend.graphql.loaders import load
from backend.graphql.types import ScopedObjectType
from graph.graphql.types import SiteType


class OverdueAlertType(DjangoObjectType):
    """A day on which an overdue action was flagged and its owner e-mailed."""

    class Meta:
        model = OverdueAlert
        name = "OverdueAlert"
        fields = ("day", "created_at")

    day = graphene.Date(required=True, description="The day it was flagged.")
    created_at = graphene.DateTime(required=True, description="When the alert was raised.")


class CorrectiveActionType(ScopedObjectType):
    """What will be done about a finding or a grievance, by whom and by when."""

    class Meta:
        model = CorrectiveAction
        name = "CorrectiveAction"
        fields = (
            "title", "description", "root_cause", "preventive_action", "due_on", "completion_note", "verification_note",
            "created_at", "updated_at",
        )

    finding = graphene.Field(FindingType, description="The finding it remedies (null for a grievance's action).")
    grievance = graphene.Field(GrievanceType, description="The grievance it remedies (null for a finding's action).")
    organization = graphene.Field(PartyType, required=True, description="The organization that owns the action.")
    title = graphene.String(required=True, description="What will be done, in a line.")
    description = graphene.String(required=True, description="Details (may be empty).")
    root_cause = graphene.String(required=True, description="Why the non-compliance happened (may be empty).")
    preventive_action = graphene.String(required=True, description="What keeps it from happening again (may be empty).")
    verification_method = graphene.Field(
        VerificationMethodEnum, description="How it is to be verified (as planned) or was verified; null if not said.")
    intervention_type = graphene.Field(
        InterventionTypeEnum, description="What kind of remedy it is; null when not classified.")
    verification_audit = graphene.Field(
        AuditType, description="The follow-up audit that verified it; null otherwise or when not visible to you.")
    owner = graphene.String(description="Username of the person responsible; null unless of your organization.")
    due_on = graphene.Date(required=True, description="When it must be done.")
    status = graphene.Field(ActionStatusEnum, required=True, description="Where it is in its lifecycle.")
    is_overdue = graphene.Boolean(required=True, description="Open or in progress after its due date.")
    completion_note = graphene.String(required=True, description="Evidence of completion, in words.")
    verification_note = graphene.String(required=True, description="The verifier's note (may be empty).")
    created_at = graphene.DateTime(required=True, description="When it was planned.")
    updated_at = graphene.DateTime(required=True, description="When it last changed.")
    overdue_alerts = PagedList(
        graphene.NonNull(OverdueAlertType), required=True, description="Days it was flagged as overdue, oldest first."
    )
    evidence_files = PagedList(graphene.NonNull(EvidenceFileType), required=True, description="Files proving it.")
    history = history_field("corrective action")

    def resolve_finding(root, info):
        return load(info, loaders.FindingOf, root) if root.finding_id else None

    def resolve_grievance(root, info):
        return load(info, loaders.GrievanceOf, root) if root.grievance_id else None

    def resolve_organization(root, info):
        return load(info, loaders.OrganizationOf, root)

    def resolve_verification_method(root, info):
        return root.verification_method or None

    def resolve_intervention_type(root, info):
        return root.intervention_type or None

    def resolve_verification_audit(root, info):
        return load(info, loaders.VerificationAuditOf, root) if root.verification_audit_id else None

    def resolve_owner(root, info):
        if root.organization_id != viewer_org_id(info):
            return None
        owner = load(info, loaders.OwnerOf, root)
        return owner.username if owner else None

    def resolve_is_overdue(root, info):
        return root.status in PENDING_STATUSES and root.due_on < timezone.localdate()

    def resolve_overdue_alerts(root, info):
        return load(info, loaders.AlertsOfAction, root)

    def resolve_evidence_files(root, info):
        return load(info, loaders.EvidenceOfAction, root)

    def resolve_history(root, info):
        return load(info, loaders.HISTORY[Subject.ACTION], root)


class ReferralType(ScopedObjectType):
    """People identified at risk at a site, referred to a protection service (no personal data is kept)."""

    class Meta:
        model = Referral
        name = "Referral"
        fields = (
            "service_name", "persons", "children_involved", "identified_at", "referred_at", "outcome_note",
            "created_at", "updated_at",
        )

    site = graphene.Field(SiteType, description="The site; null when it is no longer visible to you.")
    grievance = graphene.Field(GrievanceType, description="The grievance that led to it, if any and visible.")
    finding = graphene.Field(FindingType, description="The finding that led to it, if any and visible.")
    service = graphene.Field(ServiceKindEnum, required=True, description="Kind of protection service.")
    service_name = graphene.String(required=True, description="The service referred to (to whom).")
    persons = graphene.Int(required=True, description="Number of people referred.")
    children_involved = graphene.Boolean(required=True, description="Whether children are among them.")
    identified_at = graphene.DateTime(required=True, description="When the people were identified as at risk.")
    referred_at = graphene.DateTime(description="When they were referred; null while not yet referred.")
    days_to_referral = graphene.Float(description="Days from identification to referral; null while not referred.")
    outcome = graphene.Field(ReferralOutcomeEnum, required=True, description="What came of it.")
    outcome_note = graphene.String(required=True, description="Details of the outcome (may be empty).")
    created_at = graphene.DateTime(required=True, description="When it was recorded.")
    updated_at = graphene.DateTime(required=True, description="When it last changed.")
    history = history_field("referral")

    def resolve_site(root, info):
        return load(info, loaders.SiteOf, root)

    def resolve_grievance(root, info):
        return load(info, loaders.GrievanceOf, root) if root.grievance_id else None

    def resolve_finding(root, info):
        return load(info, loaders.FindingOf, root) if root.finding_id else None

    def resolve_days_to_referral(root, info):
        if root.referred_at is None:
            return None
        return round(days_between(root.identified_at, root.referred_at), 4)

    def resolve_history(root, info):
        return load(info, loaders.HISTORY[Subject.REFERRAL], root)


class ReferralTimesType(graphene.ObjectType):
    """Time from identification to referral for one group of referrals (only referrals already made count)."""

    class Meta:
        name = "ReferralTimes"

    key = graphene.String(required=True, description="Group key: the organization's ID number or the country code.")
    label = graphene.String(required=True, description="The organization's name or the country code.")
    referrals = graphene.Int(required=True, description="Number of referrals in the group.")
    median_days = graphene.Float(required=True, description="Median days from identification to referral.")
    p90_days = graphene.Float(
        required=True, description="90th percentile of days from identification to referral (linear interpolation)."
    )
