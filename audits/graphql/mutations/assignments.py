"""auditAssignmentCreate, auditAssignmentRevoke, auditShare, auditShareRevoke, findingShare, findingShareRevoke."""

import graphene

from audits.graphql.mutations.common import AuditError, lookup
from audits.graphql.types import AssignmentType, ShareType
from audits.models import Assignment
from audits.services import assignments as services
from backend.graphql.ids import get_visible
from backend.graphql.mutations import BaseMutation
from backend.permissions import Permission


class AuditAssignmentCreate(BaseMutation):
    """Assign an audit firm to a site of your network: the firm then sees that site, and nothing else of yours."""

    assignment = graphene.Field(AssignmentType, description="The assignment, when the mutation succeeded.")

    class Arguments:
        site_id = graphene.ID(required=True, description="ID of a site in your network.")
        audit_firm_id = graphene.ID(required=True, description="ID of the audit firm (a Party, see `auditFirms`).")

    class Meta:
        permissions = (Permission.ASSIGN_AUDITS,)
        error_type_class = AuditError

    @classmethod
    def perform(cls, info, viewer, site_id, audit_firm_id):
        site = lookup(viewer, "Site", site_id, "site_id")
        firm = lookup(viewer, "Party", audit_firm_id, "audit_firm_id")
        return cls(assignment=services.assign(viewer, site, firm), errors=[])


class AuditAssignmentRevoke(BaseMutation):
    """Revoke an assignment: the audit firm no longer sees the site (its audits stay its own)."""

    assignment = graphene.Field(AssignmentType, description="The revoked assignment.")

    class Arguments:
        id = graphene.ID(required=True, description="ID of the assignment.")

    class Meta:
        permissions = (Permission.ASSIGN_AUDITS,)
        error_type_class = AuditError

    @classmethod
    def perform(cls, info, viewer, id):
        assignment = get_visible(Assignment, viewer, id, "AuditAssignment", "id")
        return cls(assignment=services.revoke_assignment(viewer, assignment), errors=[])


class ShareArguments:
    company_id = graphene.ID(required=True, description="ID of a company that has assigned your firm (a Party).")


class AuditShare(BaseMutation):
    """Share one of your audits, with its findings, with a company that assigned your firm. Logged."""

    share = graphene.Field(ShareType, description="The share, when the mutation succeeded.")

    class Arguments(ShareArguments):
        audit_id = graphene.ID(required=True, description="ID of your audit.")

    class Meta:
        permissions = (Permission.MANAGE_AUDITS,)
        error_type_class = AuditError

    @classmethod
    def perform(cls, info, viewer, audit_id, company_id):
        audit = lookup(viewer, "Audit", audit_id, "audit_id")
        company = services.client_company(viewer, lookup(viewer, "Party", company_id, "company_id").pk, "company_id")
        return cls(share=services.share(viewer, company, audit=audit), errors=[])


class AuditShareRevoke(BaseMutation):
    """Stop sharing an audit with a company: from now on the company does not see it or its findings. Logged."""

    share = graphene.Field(ShareType, description="The revoked share.")

    class Arguments(ShareArguments):
        audit_id = graphene.ID(required=True, description="ID of your audit.")

    class Meta:
        permissions = (Permission.MANAGE_AUDITS,)
        error_type_class = AuditError

    @classmethod
    def perform(cls, info, viewer, audit_id, company_id):
        audit = lookup(viewer, "Audit", audit_id, "audit_id")
        company = lookup(viewer, "Party", company_id, "company_id")
        return cls(share=services.revoke_share(viewer, company, audit=audit), errors=[])


class FindingShare(BaseMutation):
    """Share one of your stand-alone (desk-review) findings with a company that assigned your firm. Logged."""

    share = graphene.Field(ShareType, description="The share, when the mutation succeeded.")

    class Arguments(ShareArguments):
        finding_id = graphene.ID(required=True, description="ID of your stand-alone finding.")

    class Meta:
        permissions = (Permission.MANAGE_AUDITS,)
        error_type_class = AuditError

    @classmethod
    def perform(cls, info, viewer, finding_id, company_id):
        finding = lookup(viewer, "Finding", finding_id, "finding_id")
        company = services.client_company(viewer, lookup(viewer, "Party", company_id, "company_id").pk, "company_id")
        return cls(share=services.share(viewer, company, finding=finding), errors=[])


class FindingShareRevoke(BaseMutation):
    """Stop sharing a stand-alone finding with a company. Logged."""

    share = graphene.Field(ShareType, description="The revoked share.")

    class Arguments(ShareArguments):
        finding_id = graphene.ID(required=True, description="ID of your stand-alone finding.")

    class Meta:
        permissions = (Permission.MANAGE_AUDITS,)
        error_type_class = AuditError

    @classmethod
    def perform(cls, info, viewer, finding_id, company_id):
        finding = lookup(viewer, "Finding", finding_id, "finding_id")
        company = lookup(viewer, "Party", company_id, "company_id")
        return cls(share=services.revoke_share(viewer, company, finding=finding), errors=[])
