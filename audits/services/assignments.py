"""Assigning audit firms to sites, and audit firms sharing their audits and findings with companies."""

from django.utils import timezone

from audits.models import Assignment, Party, Share, Subject
from audits.services.history import record
from audits.services.risk import schedule_risk_recompute
from backend.errors import field_error
from backend.models import OrganizationKind
from backend.tenancy import Viewer, owned, visible
from graph.models import NetworkSite, SiteGrant


def assign(viewer: Viewer, site, audit_firm) -> Assignment:
    """A company assigns an audit firm to a site of its network: the firm is granted that site and no other."""
    if not visible(NetworkSite, viewer).filter(site=site).exists():
        raise field_error("site_id", "The site is not in your network; add it before assigning an audit firm.", "not_in_network")
    if audit_firm.kind != OrganizationKind.AUDIT_FIRM:
        raise field_error("audit_firm_id", "Only an audit firm can be assigned to a site.", "invalid")
    if owned(Assignment, viewer).active().filter(audit_firm=audit_firm, site=site).exists():
        raise field_error("site_id", "This audit firm is already assigned to this site.", "unique")
    grant = SiteGrant.objects.create(
        organization=audit_firm, site=site, granted_by=viewer.organization, reason="Audit assignment"
    )
    assignment = Assignment.objects.create(
        company=viewer.organization, audit_firm=audit_firm, site=site, site_grant=grant, created_by=viewer.user
    )
    record(Subject.ASSIGNMENT, assignment, "", "active", viewer)
    return assignment


def revoke_assignment(viewer: Viewer, assignment: Assignment) -> Assignment:
    """End an assignment: the firm loses the site grant (its own audits stay its own)."""
    if assignment.company_id != viewer.organization.pk:
        raise field_error("id", "Only the company that made an assignment can revoke it.", "not_found")
    if assignment.revoked_at is not None:
        raise field_error(None, "The assignment is already revoked.", "illegal_transition")
    now = timezone.now()
    Assignment.objects.filter(pk=assignment.pk).update(revoked_at=now)
    SiteGrant.objects.filter(pk=assignment.site_grant_id, revoked_at__isnull=True).update(revoked_at=now)
    assignment.revoked_at = now
    record(Subject.ASSIGNMENT, assignment, "active", "revoked", viewer)
    return assignment


def client_company(viewer: Viewer, company_pk: int, field: str) -> Party:
    """A company the audit firm works for (one that has assigned it a site, now or before); else NOT_FOUND."""
    company = visible(Party, viewer).filter(pk=company_pk, kind=OrganizationKind.COMPANY).first()
    if company is None:
        raise field_error(field, "No such company among the companies that assigned you.", "not_found")
    return company


def share(viewer: Viewer, company, audit=None, finding=None) -> Share:
    """Share an audit (with its findings) or a stand-alone finding with a company; logged."""
    target = {"audit": audit} if audit is not None else {"finding": finding}
    if finding is not None and finding.audit_id is not None:
        raise field_error("finding_id", "This finding belongs to an audit: share the audit instead.", "invalid")
    if Share.objects.active().filter(company=company, **target).exists():
        raise field_error("company_id", "It is already shared with this company.", "unique")
    grant = Share.objects.create(audit_firm=viewer.organization, company=company, granted_by=viewer.user, **target)
    record(Subject.SHARE, grant, "", "active", viewer)
    schedule_risk_recompute([(audit or finding).site_id])  # the company may now count these findings
    return grant


def revoke_share(viewer: Viewer, company, audit=None, finding=None) -> Share:
    """Stop sharing; the company no longer sees the audit or finding. Logged."""
    target = {"audit": audit} if audit is not None else {"finding": finding}
    grant = owned(Share, viewer).active().filter(company=company, **target).first()
    if grant is None:
        raise field_error("company_id", "It is not shared with this company.", "not_found")
    grant.revoked_at = timezone.now()
    grant.save(update_fields=["revoked_at"])
    record(Subject.SHARE, grant, "active", "revoked", viewer)
    schedule_risk_recompute([(audit or finding).site_id])
    return grant
