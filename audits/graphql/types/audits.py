"""Types of assignments, shares, audits, findings and their evidence files."""

import graphene
from django.urls import reverse
from graphql_relay import to_global_id

from audits.graphql import dataloaders as loaders
from audits.graphql.enums import AuditKindEnum, AuditStandardEnum, FindingCategoryEnum, FindingStatusEnum, SeverityEnum
from audits.graphql.suggestions import suggestions_field
from audits.graphql.types.common import CategoryResolvers, PartyType, history_field
from audits.models import Assignment, Audit, EvidenceFile, Finding, Share, Subject
from backend.graphql.list_bounds import PagedList
from backend.graphql.loaders import load
from backend.graphql.types import ScopedObjectType
from graph.graphql.risk.enums import RiskDimension
from graph.graphql.types import SiteType


ACTION_TYPE = "audits.graphql.types.remediation.CorrectiveActionType"


class AssignmentType(ScopedObjectType):
    """An audit firm assigned by a company to one site of its network."""

    class Meta:
        model = Assignment
        name = "AuditAssignment"
        fields = ("created_at", "revoked_at")

    company = graphene.Field(PartyType, required=True, description="The company that made the assignment.")
    audit_firm = graphene.Field(PartyType, required=True, description="The audit firm assigned.")
    site = graphene.Field(SiteType, description="The site; null when it is no longer visible to you.")
    active = graphene.Boolean(required=True, description="False once revoked.")
    created_at = graphene.DateTime(required=True, description="When the assignment was made.")
    revoked_at = graphene.DateTime(description="When it was revoked; null while active.")
    history = history_field("assignment")

    def resolve_company(root, info):
        return load(info, loaders.CompanyOf, root)

    def resolve_audit_firm(root, info):
        return load(info, loaders.AuditFirmOf, root)

    def resolve_site(root, info):
        return load(info, loaders.SiteOf, root)

    def resolve_active(root, info):
        return root.revoked_at is None

    def resolve_history(root, info):
        return load(info, loaders.HISTORY[Subject.ASSIGNMENT], root)


class ShareType(ScopedObjectType):
    """An audit (with its findings) or a stand-alone finding shared by its audit firm with a company."""

    class Meta:
        model = Share
        name = "Share"
        fields = ("granted_at", "revoked_at")

    company = graphene.Field(PartyType, required=True, description="The company it is shared with.")
    audit_firm = graphene.Field(PartyType, required=True, description="The audit firm that shares it.")
    audit = graphene.Field(lambda: AuditType, description="The audit shared (null for a stand-alone finding).")
    finding = graphene.Field(lambda: FindingType, description="The stand-alone finding shared (null for an audit).")
    active = graphene.Boolean(required=True, description="False once revoked.")
    granted_at = graphene.DateTime(required=True, description="When it was shared.")
    revoked_at = graphene.DateTime(description="When sharing stopped; null while active.")
    history = history_field("share")

    def resolve_company(root, info):
        return load(info, loaders.CompanyOf, root)

    def resolve_audit_firm(root, info):
        return load(info, loaders.AuditFirmOf, root)

    def resolve_audit(root, info):
        return load(info, loaders.AuditOf, root) if root.audit_id else None

    def resolve_finding(root, info):
        return load(info, loaders.FindingOf, root) if root.finding_id else None

    def resolve_active(root, info):
        return root.revoked_at is None

    def resolve_history(root, info):
        return load(info, loaders.HISTORY[Subject.SHARE], root)


class AuditType(ScopedObjectType):
    """A social audit of one site, owned by its audit firm and seen by the companies it is shared with."""

    class Meta:
        model = Audit
        name = "Audit"
        fields = ("start_date", "end_date", "lead_auditor", "report_reference", "created_at", "updated_at")

    site = graphene.Field(SiteType, description="The site audited; null when it is no longer visible to you.")
    audit_firm = graphene.Field(PartyType, required=True, description="The audit firm that carried it out.")
    standard = graphene.Field(AuditStandardEnum, required=True, description="The standard followed.")
    audit_type = graphene.Field(AuditKindEnum, required=True, description="Announced, semi-announced or unannounced.")
    start_date = graphene.Date(required=True, description="First day on site.")
    end_date = graphene.Date(description="Last day on site.")
    lead_auditor = graphene.String(required=True, description="Name of the lead auditor (may be empty).")
    report_reference = graphene.String(required=True, description="Reference of the audit report (may be empty).")
    created_at = graphene.DateTime(required=True, description="When the audit was recorded.")
    updated_at = graphene.DateTime(required=True, description="When it last changed.")
    findings = PagedList(
        graphene.NonNull(lambda: FindingType), required=True,
        description="The audit's findings (`findings(auditId: …)` pages through all of them).",
    )
    shares = PagedList(
        graphene.NonNull(ShareType), required=True,
        description="Shares of the audit: all of them for the audit firm, your own for a company.",
    )
    history = history_field("audit")

    def resolve_site(root, info):
        return load(info, loaders.SiteOf, root)

    def resolve_audit_firm(root, info):
        return load(info, loaders.AuditFirmOf, root)

    def resolve_findings(root, info):
        return load(info, loaders.FindingsOfAudit, root)

    def resolve_shares(root, info):
        return load(info, loaders.SharesOfAudit, root)

    def resolve_history(root, info):
        return load(info, loaders.HISTORY[Subject.AUDIT], root)


class EvidenceFileType(ScopedObjectType):
    """A document or photo supporting a finding or proving a corrective action (stored under a random name)."""

    class Meta:
        model = EvidenceFile
        name = "EvidenceFile"
        fields = ("original_name", "content_type", "size", "uploaded_at")

    original_name = graphene.String(required=True, description="File name as uploaded.")
    content_type = graphene.String(required=True, description="Type detected from the file's bytes.")
    size = graphene.Int(required=True, description="Size in bytes.")
    uploaded_at = graphene.DateTime(required=True, description="When it was uploaded.")
    download_url = graphene.String(
        required=True,
        description="Absolute URL of the file's download: GET it with the same bearer token (or session) to receive "
                    "it as an attachment under its original name, with its content type.",
    )

    def resolve_download_url(root, info):
        path = reverse("audits:evidence-download", args=[to_global_id("EvidenceFile", root.pk)])
        return info.context.build_absolute_uri(path)


class FindingType(CategoryResolvers, ScopedObjectType):
    """A non-compliance found in an audit or in a desk review, owned by the audit firm."""

    class Meta:
        model = Finding
        name = "Finding"
        fields = ("description", "found_on", "created_at", "updated_at")

    category = graphene.Field(FindingCategoryEnum, required=True, description="Category of the finding.")
    category_label = graphene.String(required=True, description="The category's name.")
    dimensions = graphene.List(
        graphene.NonNull(RiskDimension), required=True,
        description="Risk dimensions the category evidences (none for the other labour standards).",
    )
    audit = graphene.Field(AuditType, description="The audit it was found in; null for a desk-review finding.")
    site = graphene.Field(SiteType, description="The site; null when it is no longer visible to you.")
    audit_firm = graphene.Field(PartyType, required=True, description="The audit firm that made the finding.")
    severity = graphene.Field(SeverityEnum, required=True, description="Critical, major, minor or observation.")
    description = graphene.String(required=True, description="What was found.")
    found_on = graphene.Date(required=True, description="When it was found (the audit's last day by default).")
    status = graphene.Field(FindingStatusEnum, required=True, description="Open or closed.")
    created_at = graphene.DateTime(required=True, description="When it was recorded.")
    updated_at = graphene.DateTime(required=True, description="When it last changed.")
    corrective_actions = PagedList(
        graphene.NonNull(ACTION_TYPE), required=True,
        description="Corrective actions for it that are visible to you.",
    )
    evidence_files = PagedList(graphene.NonNull(EvidenceFileType), required=True, description="Supporting files.")
    shares = PagedList(
        graphene.NonNull(ShareType), required=True,
        description="Shares of this stand-alone finding: all for the audit firm, your own for a company.",
    )
    history = history_field("finding")
    suggestions = suggestions_field("finding")

    def resolve_audit(root, info):
        return load(info, loaders.AuditOf, root) if root.audit_id else None

    def resolve_site(root, info):
        return load(info, loaders.SiteOf, root)

    def resolve_audit_firm(root, info):
        return load(info, loaders.AuditFirmOf, root)

    def resolve_corrective_actions(root, info):
        return load(info, loaders.ActionsOfFinding, root)

    def resolve_evidence_files(root, info):
        return load(info, loaders.EvidenceOfFinding, root)

    def resolve_shares(root, info):
        return load(info, loaders.SharesOfFinding, root)

    def resolve_history(root, info):
        return load(info, loaders.HISTORY[Subject.FINDING], root)
