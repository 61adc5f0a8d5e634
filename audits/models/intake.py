"""A grievance as a workers' organization files it through the intake pages: a draft while it is written, then
a filing that waits for its site to be found, or the grievance it became.

A workers' organization often knows a factory only by name and address, and cannot see the companies' private
sites. So the filing keeps the site as the filer described it; the server matches that description against every
registry site (audits/services/intake.py) and files the grievance about the site it found, which routes it to the
companies that source from it. The filer follows the filing by its reference and never learns which site or
companies it reached. The reporter is kept only as ciphertext, as on a grievance.
"""

from django.conf import settings
from django.db import models

from audits.models.grievances import Channel
from audits.taxonomy import Category
from backend.models import Organization


class FilingState(models.TextChoices):
    DRAFT = "draft", "Draft"
    WAITING = "waiting", "Sent, site not found yet"
    FILED = "filed", "Filed"


class GrievanceFilingQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """The workers' organization that files it, alone: a company sees the grievance, never the filing."""
        return self.filter(filed_by=viewer.organization)

    def owned_by(self, organization):
        return self.filter(filed_by=organization)


class GrievanceFiling(models.Model):
    """One grievance being filed: the site as described, the facts, and once found the grievance it became."""

    reference = models.CharField(max_length=16, unique=True, help_text="The case reference the filer is given.")
    filed_by = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="grievance_filings")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    state = models.CharField(max_length=8, choices=FilingState.choices, default=FilingState.DRAFT)
    site_name = models.CharField(max_length=300, blank=True)
    site_address = models.CharField(max_length=500, blank=True)
    site_country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2")
    site_os_id = models.CharField(max_length=15, blank=True, help_text="Open Supply Hub ID")
    chosen_site = models.ForeignKey(
        "graph.Site", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text="A site visible to the filer that they picked from the suggestions.")
    channel = models.CharField(max_length=12, choices=Channel.choices, blank=True)
    category = models.CharField(max_length=40, choices=Category.choices, blank=True)
    description = models.TextField(blank=True)
    events_on = models.DateField(null=True, blank=True)
    workers_affected = models.PositiveIntegerField(null=True, blank=True)
    children_involved = models.BooleanField(default=False)
    reporter_ciphertext = models.TextField(blank=True, help_text="Encrypted reporter identity and contact.")
    suggested = models.JSONField(default=list, blank=True, help_text="Categories suggested to the filer, best first.")
    grievance = models.OneToOneField(
        "audits.Grievance", on_delete=models.SET_NULL, null=True, blank=True, related_name="filing")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = GrievanceFilingQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state"], name="grievance_filing_state")]

    def __repr__(self) -> str:
        return f"<GrievanceFiling {self.reference} {self.state}>"
