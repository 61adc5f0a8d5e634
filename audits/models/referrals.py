"""Referrals of people identified at risk to protection services, and when they happened."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from backend.models import Organization


class ServiceKind(models.TextChoices):
    LABOUR_INSPECTORATE = "labour_inspectorate", "Labour inspectorate"
    CHILD_PROTECTION = "child_protection", "Child protection services"
    SHELTER = "shelter", "Shelter"
    LEGAL_AID = "legal_aid", "Legal aid"
    POLICE = "police", "Police"


class ReferralOutcome(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted by the service"
    SUPPORTED = "supported", "Person(s) supported"
    DECLINED = "declined", "Declined by the service"
    NO_RESPONSE = "no_response", "No response"


class ReferralQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """Only the organization that made the referral sees it."""
        return self.filter(organization=viewer.organization)


class Referral(models.Model):
    """People identified at a site (possibly through a grievance or a finding) referred to a protection service.

    Holds no personal data: a count of people and whether children are among them.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="referrals")
    site = models.ForeignKey("graph.Site", on_delete=models.PROTECT, related_name="referrals")
    grievance = models.ForeignKey("audits.Grievance", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    finding = models.ForeignKey("audits.Finding", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    service = models.CharField(max_length=20, choices=ServiceKind.choices)
    service_name = models.CharField(max_length=200, help_text="The service referred to, e.g. a district office.")
    persons = models.PositiveIntegerField(default=1)
    children_involved = models.BooleanField(default=False)
    identified_at = models.DateTimeField()
    referred_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=ReferralOutcome.choices, default=ReferralOutcome.PENDING)
    outcome_note = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-identified_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(referred_at__isnull=True) | Q(referred_at__gte=models.F("identified_at")),
                name="referral_after_identification",
            ),
            models.CheckConstraint(condition=Q(persons__gte=1), name="referral_at_least_one_person"),
        ]
