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


class ShareChange(BaseMutation):
    """Share, or stop sharing, an audit or a stand-alone finding with a company. A subclass names its subject
    (`subject_type`, taken as the argument `<subject>Id` described by `subject_description`) and whether it revokes;
    the four mutations are one operation."""

    subject_type = ""
    subject_description = ""
    revokes = False

    class Meta:
        abstract = True

    @classmethod
    def __init_subclass_with_meta__(cls, **options):
        company_id = graphene.ID(required=True, description="ID of a company that has assigned your firm (a Party).")
        subject_id = graphene.ID(required=True, description=cls.subject_description)
        cls.share = graphene.Field(
            ShareType, description="The revoked share." if cls.revokes else "The share, when the mutation succeeded."
        )
        # sorted: graphene lists the arguments of an `Arguments` class alphabetically, so the schema keeps its order
        super().__init_subclass_with_meta__(
            permissions=(Permission.MANAGE_AUDITS,), error_type_class=AuditError,
            arguments=dict(sorted({"company_id": company_id, f"{cls.subject_type.lower()}_id": subject_id}.items())),
            **options,
        )

    @classmethod
    def perform(cls, info, viewer, company_id, **subject_ids):
        subject = cls.subject_type.lower()
        field = f"{subject}_id"
        target = {subject: lookup(viewer, cls.subject_type, subject_ids[field], field)}
        party = lookup(viewer, "Party", company_id, "company_id")
        if cls.revokes:
            return cls(share=services.revoke_share(viewer, party, **target), errors=[])
        company = services.client_company(viewer, party.pk, "company_id")
        return cls(share=services.share(viewer, company, **target), errors=[])


class AuditShare(ShareChange):
    """Share one of your audits, with its findings, with a company that assigned your firm. Logged."""

    subject_type, subject_description = "Audit", "ID of your audit."


class AuditShareRevoke(ShareChange):
    """Stop sharing an audit with a company: from now on the company does not see it or its findings. Logged."""

    subject_type, subject_description, revokes = "Audit", "ID of your audit.", True


class FindingShare(ShareChange):
    """Share one of your stand-alone (desk-review) findings with a company that assigned your firm. Logged."""

    subject_type, subject_description = "Finding", "ID of your stand-alone finding."


class FindingShareRevoke(ShareChange):
    """Stop sharing a stand-alone finding with a company. Logged."""

    subject_type, subject_description, revokes = "Finding", "ID of your stand-alone finding.", True
