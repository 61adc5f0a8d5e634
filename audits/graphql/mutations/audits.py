"""auditCreate, auditUpdate, findingCreate, findingUpdate, findingClose."""

import graphene

from audits.graphql.enums import AuditKindEnum, AuditStandardEnum, FindingCategoryEnum, SeverityEnum
from audits.graphql.mutations.common import AuditError, lookup, optional
from audits.graphql.suggestions import suggested_categories_argument
from audits.graphql.types import AuditType, FindingType
from audits.services import audits as services
from audits.services.suggestions import record_decision
from backend.graphql.inputs import given_fields
from backend.graphql.mutations import BaseMutation
from backend.permissions import Permission


class AuditInput(graphene.InputObjectType):
    """The details of an audit."""

    standard = AuditStandardEnum(description="Standard followed (required on create).")
    audit_type = AuditKindEnum(description="Announced, semi-announced or unannounced (required on create).")
    start_date = graphene.Date(description="First day on site (required on create).")
    end_date = graphene.Date(description="Last day on site (not before startDate).")
    lead_auditor = graphene.String(description="Name of the lead auditor (at most 200 characters).")
    report_reference = graphene.String(description="Reference of the audit report (at most 100 characters).")


def audit_data(input) -> dict:
    return given_fields(input)


class AuditCreate(BaseMutation):
    """Record an audit of a site your audit firm is assigned to."""

    audit = graphene.Field(AuditType, description="The audit, when the mutation succeeded.")

    class Arguments:
        site_id = graphene.ID(required=True, description="ID of a site your firm is assigned to.")
        input = AuditInput(required=True, description="The audit's details.")

    class Meta:
        permissions = (Permission.MANAGE_AUDITS,)
        error_type_class = AuditError

    @classmethod
    def perform(cls, info, viewer, site_id, input):
        site = lookup(viewer, "Site", site_id, "site_id")
        return cls(audit=services.create_audit(viewer, site, audit_data(input)), errors=[])


class AuditUpdate(BaseMutation):
    """Change one of your audits."""

    audit = graphene.Field(AuditType, description="The audit after the change.")

    class Arguments:
        id = graphene.ID(required=True, description="ID of the audit.")
        input = AuditInput(required=True, description="Fields to change; fields left out stay as they are.")

    class Meta:
        permissions = (Permission.MANAGE_AUDITS,)
        error_type_class = AuditError

    @classmethod
    def perform(cls, info, viewer, id, input):
        audit = lookup(viewer, "Audit", id, "id")
        return cls(audit=services.update_audit(viewer, audit, audit_data(input)), errors=[])


class FindingInput(graphene.InputObjectType):
    """The details of a finding."""

    category = FindingCategoryEnum(description="Category from the taxonomy (required on create).")
    severity = SeverityEnum(description="Critical, major, minor or observation (required on create).")
    description = graphene.String(description="What was found (required on create, at most 10,000 characters).")
    found_on = graphene.Date(
        description="When it was found; defaults to the audit's last (or first) day; required without an audit."
    )


class FindingCreate(BaseMutation):
    """Record a finding of one of your audits, or a stand-alone desk-review finding about a site you are assigned to."""

    finding = graphene.Field(FindingType, description="The finding, when the mutation succeeded.")

    class Arguments:
        audit_id = graphene.ID(description="ID of your audit the finding belongs to (or give siteId).")
        site_id = graphene.ID(description="ID of the site, for a stand-alone finding (when there is no audit).")
        input = FindingInput(required=True, description="The finding's details.")
        suggested_categories = suggested_categories_argument()

    class Meta:
        permissions = (Permission.MANAGE_AUDITS,)
        error_type_class = AuditError

    @classmethod
    def perform(cls, info, viewer, input, audit_id=None, site_id=None, suggested_categories=None):
        audit = optional(viewer, "Audit", audit_id, "audit_id")
        site = optional(viewer, "Site", site_id, "site_id") if audit is None else None
        data = audit_data(input)
        finding = services.create_finding(viewer, data, audit=audit, site=site)
        record_decision(viewer, finding, suggested_categories)
        return cls(finding=finding, errors=[])


class FindingUpdate(BaseMutation):
    """Correct one of your open findings."""

    finding = graphene.Field(FindingType, description="The finding after the change.")

    class Arguments:
        id = graphene.ID(required=True, description="ID of the finding.")
        input = FindingInput(required=True, description="Fields to change; fields left out stay as they are.")
        suggested_categories = suggested_categories_argument()

    class Meta:
        permissions = (Permission.MANAGE_AUDITS,)
        error_type_class = AuditError

    @classmethod
    def perform(cls, info, viewer, id, input, suggested_categories=None):
        finding = lookup(viewer, "Finding", id, "id")
        finding = services.update_finding(viewer, finding, audit_data(input))
        record_decision(viewer, finding, suggested_categories)
        return cls(finding=finding, errors=[])


class FindingClose(BaseMutation):
    """Close one of your findings (open → closed); refused while corrective actions are not verified."""

    finding = graphene.Field(FindingType, description="The closed finding.")

    class Arguments:
        id = graphene.ID(required=True, description="ID of the finding.")

    class Meta:
        permissions = (Permission.MANAGE_AUDITS,)
        error_type_class = AuditError

    @classmethod
    def perform(cls, info, viewer, id):
        finding = lookup(viewer, "Finding", id, "id")
        return cls(finding=services.close_finding(viewer, finding), errors=[])
