"""Audits and findings: the audit firm's work, shared with companies by explicit grants."""

import os
import uuid

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q

from audits.taxonomy import Category
from backend.models import Organization


class AuditStandard(models.TextChoices):
    SMETA = "smeta", "SMETA (Sedex Members Ethical Trade Audit)"
    AMFORI_BSCI = "amfori_bsci", "amfori BSCI"
    SA8000 = "sa8000", "SA8000"
    RBA = "rba", "RBA (Responsible Business Alliance)"
    SLCP = "slcp", "SLCP (Social & Labor Convergence Program)"
    INTERNAL = "internal", "Internal standard"
    OTHER = "other", "Other standard"


class AuditType(models.TextChoices):
    ANNOUNCED = "announced", "Announced"
    SEMI_ANNOUNCED = "semi_announced", "Semi-announced"
    UNANNOUNCED = "unannounced", "Unannounced"


class Severity(models.TextChoices):
    CRITICAL = "critical", "Critical"
    MAJOR = "major", "Major"
    MINOR = "minor", "Minor"
    OBSERVATION = "observation", "Observation"


class FindingStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


def shared_with(org, field: str):
    """Q: rows reachable through an active share with `org` (`field` is the share's audit_id or finding_id)."""
    shares = apps.get_model("audits", "Share").objects.active()
    return shares.filter(company=org, **{f"{field}__isnull": False}).values(field)


class AuditQuerySet(models.QuerySet):
    def owned_by(self, organization):
        """An audit firm's own audits: only it may change them."""
        return self.filter(audit_firm=organization)

    def visible_to(self, viewer):
        """The audit firm's own audits, and the audits shared with the viewer's company."""
        org = viewer.organization
        return self.filter(Q(audit_firm=org) | Q(pk__in=shared_with(org, "audit_id")))


class Audit(models.Model):
    """A social audit of one site by an audit firm."""

    audit_firm = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="audits")
    site = models.ForeignKey("graph.Site", on_delete=models.PROTECT, related_name="audits")
    standard = models.CharField(max_length=20, choices=AuditStandard.choices)
    audit_type = models.CharField(max_length=20, choices=AuditType.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    lead_auditor = models.CharField(max_length=200, blank=True)
    report_reference = models.CharField(max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")), name="audit_end_after_start"
            ),
        ]


class FindingQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """The audit firm's own findings; for a company, those of shared audits and shared stand-alone findings."""
        org = viewer.organization
        return self.filter(
            Q(audit_firm=org) | Q(audit_id__in=shared_with(org, "audit_id")) | Q(pk__in=shared_with(org, "finding_id"))
        )


class Finding(models.Model):
    """A non-compliance observed in an audit, or on its own (a desk review by the audit firm)."""

    audit_firm = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="findings")
    audit = models.ForeignKey(Audit, on_delete=models.PROTECT, null=True, blank=True, related_name="findings")
    site = models.ForeignKey("graph.Site", on_delete=models.PROTECT, related_name="findings",
                             db_index=False)  # indexed by (site, status)
    category = models.CharField(max_length=40, choices=Category.choices)
    severity = models.CharField(max_length=12, choices=Severity.choices)
    description = models.TextField()
    found_on = models.DateField(help_text="When the finding was made (defaults to the audit's end or start).")
    status = models.CharField(max_length=10, choices=FindingStatus.choices, default=FindingStatus.OPEN)
    # Imports write findings by the hundred thousand: who created one needs no index or trigger (SET_NULL is Django's).
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
                                   db_index=False, db_constraint=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["-found_on", "-id"]
        indexes = [models.Index(fields=["site", "status"])]


def evidence_path(instance, filename: str) -> str:
    """Stored under a random name; the original name is kept in the row only."""
    extension = os.path.splitext(filename)[1].lower()
    return f"audits/evidence/{uuid.uuid4().hex}{extension}"


class EvidenceFileQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """Evidence follows what it documents: a visible finding or a visible corrective action."""
        actions = apps.get_model("audits", "CorrectiveAction").objects.visible_to(viewer)
        return self.filter(Q(finding__in=Finding.objects.visible_to(viewer)) | Q(action__in=actions))


class EvidenceFile(models.Model):
    """A document or photo supporting a finding, or proving a corrective action was carried out."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence_files")
    action = models.ForeignKey(
        "audits.CorrectiveAction", on_delete=models.CASCADE, null=True, blank=True, related_name="evidence_files"
    )
    file = models.FileField(upload_to=evidence_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = EvidenceFileQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(finding__isnull=False, action__isnull=True) | Q(finding__isnull=True, action__isnull=False),
                name="evidence_finding_xor_action",
            ),
        ]
