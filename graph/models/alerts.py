"""What a company is alerted to, and the regions and goods it watches.

An alert is one of a few kinds, each deduplicated by what identifies it:
- a band rise: a node's band rose in one dimension (once per rise: staying in the band raises nothing new);
- evidence: a serious finding or a substantiated grievance at a site of the company's network, at any tier;
- region evidence: new evidence at a site of the company's network in a region or of a commodity it watches;
- region band: the band of a watched region (that of its worst site in the company's network) rose in one dimension;
- DOL listing: a new edition of the DOL list names a good the company sources from a country for the first time.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from backend.models import Organization
from graph.models.network import CompanyOwnedQuerySet, Site
from graph.models.risk import BAND_CHOICES, DIMENSION_CHOICES


class AlertKind(models.TextChoices):
    BAND_RISE = "band_rise", "A node's band rose"
    EVIDENCE = "evidence", "Serious evidence in the network"
    REGION_EVIDENCE = "region_evidence", "New evidence in a watched region or commodity"
    REGION_BAND = "region_band", "A watched region's band rose"
    DOL_LISTING = "dol_listing", "A new DOL listing for a good sourced from a country"


class EvidenceKind(models.TextChoices):
    FINDING = "finding", "Audit finding"
    GRIEVANCE = "grievance", "Grievance"
    DOL_LISTING = "dol_listing", "DOL listing"


class RiskAlert(models.Model):
    """Something a company must hear of: a band rise, or a piece of evidence (see the module's list of kinds)."""

    company = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=AlertKind.choices, default=AlertKind.BAND_RISE,
                            db_default=AlertKind.BAND_RISE)  # the risk store inserts band rises in SQL, without it
    site = models.ForeignKey(Site, on_delete=models.CASCADE, null=True, related_name="+")
    dimension = models.CharField(max_length=15, choices=DIMENSION_CHOICES, null=True)
    from_band = models.CharField(max_length=10, choices=BAND_CHOICES, null=True)
    to_band = models.CharField(max_length=10, choices=BAND_CHOICES, null=True)
    score = models.FloatField(null=True)
    rise_of = models.DateTimeField(null=True, help_text="Band rises: computed_at of the score the band rose from.")
    evidence_kind = models.CharField(max_length=20, choices=EvidenceKind.choices, null=True)
    evidence_id = models.BigIntegerField(null=True, help_text="The finding, grievance or DOL listing alerted about.")
    path = models.JSONField(null=True, help_text="Evidence: the sites from the evidence's site down to the company.")
    summary = models.CharField(max_length=300, blank=True, db_default="")
    watch = models.ForeignKey("graph.RegionWatch", on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    objects = CompanyOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["company", "site", "dimension", "to_band", "rise_of"], name="risk_alert_once_per_rise"),
            # one alert per piece of evidence and company, whichever kind raised it first
            models.UniqueConstraint(fields=["company", "evidence_kind", "evidence_id"],
                                    condition=Q(evidence_id__isnull=False), name="risk_alert_once_per_evidence"),
        ]


class RegionWatch(models.Model):
    """What a company watches: countries, ISO 3166-2 subdivisions and commodities (any of them may be empty).

    A site matches when it is in one of the countries or subdivisions (or either list is empty) and supplies
    one of the commodities (or the list is empty); a watch with all three lists empty watches nothing."""

    company = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="+")
    countries = models.JSONField(default=list, blank=True)
    subdivisions = models.JSONField(default=list, blank=True)
    commodities = models.JSONField(default=list, blank=True, help_text="Commodity codes.")
    region_bands = models.JSONField(default=dict, blank=True,
                                    help_text='Last band seen per watched region and dimension: {"IN-TN|forced_labour": "high"}.')
    updated_at = models.DateTimeField(default=timezone.now,
                                      help_text="When the company last set it: evidence recorded since then is new to it.")

    objects = CompanyOwnedQuerySet.as_manager()

    @property
    def watches_anything(self) -> bool:
        return bool(self.countries or self.subdivisions or self.commodities)
