"""Who works with whom: a company assigns an audit firm to a site; an audit firm shares its work with a company."""

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q

from backend.models import Organization, OrganizationKind


class PartyQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """Your own organization, every audit firm (a public directory), and the organizations you work with:
        the companies that assigned you, the workers' organizations whose grievances were routed to you."""
        org = viewer.organization
        visible = Q(pk=org.pk) | Q(kind=OrganizationKind.AUDIT_FIRM)
        visible |= Q(pk__in=Assignment.objects.filter(audit_firm=org).values("company_id"))
        if org.kind == OrganizationKind.COMPANY:
            routings = apps.get_model("audits", "GrievanceRouting").objects.filter(company=org)
            visible |= Q(pk__in=routings.values("grievance__filed_by_id"))
        return self.filter(visible)


class Party(Organization):
    """An organization as the audits app shows it to others (name and kind only)."""

    objects = PartyQuerySet.as_manager()

    class Meta:
        proxy = True


class AssignmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)

    def owned_by(self, organization):
        """The assignments a company made: only it may revoke them."""
        return self.filter(company=organization)

    def held_by(self, audit_firm):
        """The assignments naming an audit firm."""
        return self.filter(audit_firm=audit_firm)

    def visible_to(self, viewer):
        """The company that made the assignment and the audit firm it names."""
        org = viewer.organization
        return self.filter(Q(company=org) | Q(audit_firm=org))


class Assignment(models.Model):
    """A company assigns an audit firm to one site of its network; the firm then sees that site (a SiteGrant)."""

    company = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="audit_assignments_made")
    audit_firm = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="audit_assignments")
    site = models.ForeignKey("graph.Site", on_delete=models.PROTECT, related_name="audit_assignments")
    site_grant = models.OneToOneField("graph.SiteGrant", on_delete=models.SET_NULL, null=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "audit_firm", "site"], condition=Q(revoked_at__isnull=True),
                name="assignment_unique_active",
            ),
        ]


class ShareQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)

    def owned_by(self, organization):
        """The shares an audit firm granted: only it may revoke them."""
        return self.filter(audit_firm=organization)

    def visible_to(self, viewer):
        """The audit firm that shares and the company it shares with (revoked shares included, as a log)."""
        org = viewer.organization
        return self.filter(Q(company=org) | Q(audit_firm=org))


class Share(models.Model):
    """An audit (with its findings) or a stand-alone finding shared by its audit firm with a company.

    Exactly one of `audit` and `finding` is set. Revoking sets `revoked_at`; the row stays as the log.
    """

    audit_firm = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    company = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="audit_shares_received")
    audit = models.ForeignKey("audits.Audit", on_delete=models.CASCADE, null=True, blank=True, related_name="shares")
    finding = models.ForeignKey("audits.Finding", on_delete=models.CASCADE, null=True, blank=True, related_name="shares")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ShareQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(audit__isnull=False, finding__isnull=True) | Q(audit__isnull=True, finding__isnull=False),
                name="share_audit_xor_finding",
            ),
            models.UniqueConstraint(
                fields=["audit", "company"], condition=Q(revoked_at__isnull=True, audit__isnull=False),
                name="share_unique_active_audit",
            ),
            models.UniqueConstraint(
                fields=["finding", "company"], condition=Q(revoked_at__isnull=True, finding__isnull=False),
                name="share_unique_active_finding",
            ),
        ]
