"""Grievances filed by workers' organizations and routed to the companies that source from the site.

The reporter's identity and contact are kept only as ciphertext (audits/crypto.py) in `reporter_ciphertext`;
no other column, history entry or log line holds them.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from audits.taxonomy import Category
from audits.models.organization_settings import OwnSettingsQuerySet
from backend.models import Organization


class Channel(models.TextChoices):
    HOTLINE = "hotline", "Hotline"
    IN_PERSON = "in_person", "In person"
    APP = "app", "Mobile app"
    UNION = "union", "Trade union"
    OTHER = "other", "Other channel"


class GrievanceState(models.TextChoices):
    RECEIVED = "received", "Received"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    UNDER_INVESTIGATION = "under_investigation", "Under investigation"
    SUBSTANTIATED = "substantiated", "Substantiated"
    NOT_SUBSTANTIATED = "not_substantiated", "Not substantiated"
    REMEDIATED = "remediated", "Remediated"
    CLOSED = "closed", "Closed"


class GrievanceQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """The filing workers' organization, and every company the grievance is routed to."""
        org = viewer.organization
        routed = GrievanceRouting.objects.filter(company=org).values("grievance_id")
        return self.filter(Q(filed_by=org) | Q(pk__in=routed))


class Grievance(models.Model):
    """A complaint about a site, filed by a workers' organization on behalf of workers."""

    filed_by = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="grievances_filed")
    site = models.ForeignKey("graph.Site", on_delete=models.PROTECT, related_name="grievances")
    channel = models.CharField(max_length=12, choices=Channel.choices)
    category = models.CharField(max_length=40, choices=Category.choices)
    description = models.TextField()
    events_on = models.DateField(null=True, blank=True, help_text="When the events happened (or began).")
    workers_affected = models.PositiveIntegerField(null=True, blank=True)
    children_involved = models.BooleanField(default=False)
    state = models.CharField(max_length=20, choices=GrievanceState.choices, default=GrievanceState.RECEIVED)
    reporter_ciphertext = models.TextField(blank=True, help_text="Encrypted reporter identity and contact.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    received_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = GrievanceQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["site", "state"])]

    def __repr__(self) -> str:
        return f"<Grievance {self.pk} {self.state}>"


class GrievanceRoutingQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """A company sees its own routings only: who else sources from the site is nobody else's business."""
        return self.filter(company=viewer.organization)


class GrievanceRouting(models.Model):
    """A grievance delivered to one company whose network holds the site (at filing, or when it joins later)."""

    grievance = models.ForeignKey(Grievance, on_delete=models.CASCADE, related_name="routings")
    company = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="grievance_routings")
    routed_at = models.DateTimeField(auto_now_add=True)
    at_filing = models.BooleanField(default=True, help_text="False when the company added the site later.")

    objects = GrievanceRoutingQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["grievance", "company"], name="grievance_routing_unique")]


# The clock of a grievance mechanism when an organization has set none: acknowledge within a week, conclude within
# two months of receipt (docs/methodology.md §13 says where these come from).
DEFAULT_ACKNOWLEDGE_DAYS = 7
DEFAULT_CONCLUDE_DAYS = 60
MAX_CLOCK_DAYS = 730


class GrievanceClock(models.Model):
    """How many days after receipt an organization's handling acknowledges and concludes a grievance: a company's
    clock measures its own handling of the grievances routed to it, a workers' organization's the grievances it
    filed. Without a row the defaults above apply."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="grievance_clock")
    acknowledge_days = models.PositiveSmallIntegerField(
        default=DEFAULT_ACKNOWLEDGE_DAYS, validators=[MinValueValidator(1), MaxValueValidator(MAX_CLOCK_DAYS)])
    conclude_days = models.PositiveSmallIntegerField(
        default=DEFAULT_CONCLUDE_DAYS, validators=[MinValueValidator(1), MaxValueValidator(MAX_CLOCK_DAYS)])
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = OwnSettingsQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(acknowledge_days__gte=1) & Q(conclude_days__gte=models.F("acknowledge_days")),
                                   name="grievance_clock_acknowledge_before_conclude"),
        ]


class ClockStage(models.TextChoices):
    ACKNOWLEDGE = "acknowledge", "Not acknowledged in time"
    CONCLUDE = "conclude", "Not concluded in time"


class GrievanceOverdueAlert(models.Model):
    """An overdue grievance was flagged on `day` (and the organizations whose clock it overran e-mailed); one per
    case and day, whichever of its organizations it is overdue for."""

    grievance = models.ForeignKey(Grievance, on_delete=models.CASCADE, related_name="overdue_alerts")
    day = models.DateField()
    stage = models.CharField(max_length=12, choices=ClockStage.choices)
    emailed_to = models.TextField(blank=True, help_text="The addresses e-mailed, one a line.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["day", "id"]
        constraints = [models.UniqueConstraint(fields=["grievance", "day"], name="grievance_alert_once_per_day")]
