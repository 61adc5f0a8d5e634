"""Corrective actions for findings and grievances, and the overdue alerts about them."""

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import F, Q

from audits.models.organization_settings import OwnSettingsQuerySet
from audits.taxonomy import InterventionType
from backend.models import Organization


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done (awaiting verification)"
    VERIFIED = "verified", "Verified"
    REJECTED = "rejected", "Rejected by the verifier"


PENDING_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class VerificationMethod(models.TextChoices):
    """How a corrective action plan (Sedex/SMETA, RBA) says the action will be, or was, verified."""

    DESK_REVIEW = "desk_review", "Desk review of the evidence"
    FOLLOW_UP_AUDIT = "follow_up_audit", "Follow-up audit at the site"


class CorrectiveActionQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """The owning organization; the audit firm of the finding; and, for actions the audit firm itself owns,
        the companies the finding is shared with (a company's own plan stays private from other companies)."""
        org = viewer.organization
        shared_findings = apps.get_model("audits", "Finding").objects.visible_to(viewer).values("pk")
        return self.filter(
            Q(organization=org)
            | Q(finding__audit_firm=org)
            | Q(finding_id__in=shared_findings, organization_id=F("finding__audit_firm_id"))
        )

    def overdue(self, today):
        return self.filter(status__in=PENDING_STATUSES, due_on__lt=today)


class CorrectiveAction(models.Model):
    """What will be done about a finding or a grievance, by whom and by when. Exactly one parent is set."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="corrective_actions")
    finding = models.ForeignKey(
        "audits.Finding", on_delete=models.CASCADE, null=True, blank=True, related_name="corrective_actions"
    )
    grievance = models.ForeignKey(
        "audits.Grievance", on_delete=models.CASCADE, null=True, blank=True, related_name="corrective_actions"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="corrective_actions")
    due_on = models.DateField()
    status = models.CharField(max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    root_cause = models.TextField(blank=True, help_text="Why the non-compliance happened (the CAP's root cause).")
    preventive_action = models.TextField(blank=True, help_text="What keeps it from happening again.")
    verification_method = models.CharField(max_length=16, choices=VerificationMethod.choices, blank=True)
    intervention_type = models.CharField(
        max_length=32, choices=InterventionType.choices, blank=True,
        help_text="What kind of remedy the action is (audits/taxonomy.py); blank: not classified.",
    )
    verification_audit = models.ForeignKey(
        "audits.Audit", on_delete=models.PROTECT, null=True, blank=True, related_name="verified_actions",
        help_text="The follow-up audit that verified the action.",
    )
    completion_note = models.TextField(blank=True, help_text="Evidence of completion, in words.")
    verification_note = models.TextField(blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CorrectiveActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(finding__isnull=False, grievance__isnull=True) | Q(finding__isnull=True, grievance__isnull=False),
                name="action_finding_xor_grievance",
            ),
            models.CheckConstraint(
                condition=Q(verification_audit__isnull=True) | Q(verification_method=VerificationMethod.FOLLOW_UP_AUDIT),
                name="action_verification_audit_is_a_follow_up",
            ),
        ]

    @property
    def site_id(self):
        parent = self.finding if self.finding_id else self.grievance
        return parent.site_id


class OverdueAlert(models.Model):
    """An overdue action was flagged (and its owner e-mailed) on `day`; unique per action and day."""

    action = models.ForeignKey(CorrectiveAction, on_delete=models.CASCADE, related_name="overdue_alerts")
    day = models.DateField()
    emailed_to = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["day", "id"]
        constraints = [models.UniqueConstraint(fields=["action", "day"], name="overdue_alert_once_per_day")]


# Days from a finding to the due date of its corrective actions when the plan gives none and the organization has
# set none: RBA asks for priority findings within 7 days and a CAP within 14; SMETA allows longer for minor
# non-compliances (docs/methodology.md §13).
DEFAULT_DUE_DAYS = {"critical": 7, "major": 14, "minor": 30, "observation": 90}
MAX_DUE_DAYS = 365


class RemediationDeadlines(models.Model):
    """An organization's default due dates of corrective actions on findings, in days after the finding, by its
    severity. Without a row DEFAULT_DUE_DAYS apply."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="remediation_deadlines")
    critical_days = models.PositiveSmallIntegerField(default=DEFAULT_DUE_DAYS["critical"])
    major_days = models.PositiveSmallIntegerField(default=DEFAULT_DUE_DAYS["major"])
    minor_days = models.PositiveSmallIntegerField(default=DEFAULT_DUE_DAYS["minor"])
    observation_days = models.PositiveSmallIntegerField(default=DEFAULT_DUE_DAYS["observation"])
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = OwnSettingsQuerySet.as_manager()

    def days_for(self, severity: str) -> int:
        return getattr(self, f"{severity}_days")
