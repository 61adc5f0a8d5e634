"""Risk reference data and results: the DOL list, a company's overrides, scores with history (alerts: alerts.py)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from backend.models import Organization
from graph.models.network import CompanyOwnedQuerySet, ReferenceQuerySet, Site

DIMENSION_CHOICES = [("child_labour", "Child labour"), ("forced_labour", "Forced labour")]
BAND_CHOICES = [("low", "Low"), ("medium", "Medium"), ("high", "High"), ("severe", "Severe")]


class DolListing(models.Model):
    """One good × country row of the US DOL List of Goods Produced by Child Labor or Forced Labor."""

    edition = models.CharField(max_length=20)
    good = models.CharField(max_length=120)
    country = models.CharField(max_length=2)
    child_labor = models.BooleanField(default=False)
    forced_labor = models.BooleanField(default=False)
    forced_child_labor = models.BooleanField(default=False)
    derived = models.BooleanField(default=False)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["edition", "good", "country"], name="dol_listing_unique")]


class InherentOverride(models.Model):
    """A company's own inherent-risk value for a site, replacing the computed one, with who, when and why.

    Rows are never edited: a new override supersedes the previous one, and revoking sets `revoked_at`, so the
    log of decisions stays complete.
    """

    company = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    dimension = models.CharField(max_length=15, choices=DIMENSION_CHOICES)
    value = models.FloatField()
    reason = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = CompanyOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(value__gte=0, value__lte=1), name="override_value_in_unit_interval")
        ]


# Scores and their history are derived data written in bulk (a million rows per run): their foreign keys are
# kept by Django's cascades rather than by database triggers, which would otherwise dominate the write time, and
# they carry no index beyond the ones their reads need (each index is written once per row and run).
DERIVED = {"on_delete": models.CASCADE, "related_name": "+", "db_constraint": False}


class RiskScore(models.Model):
    """The latest propagated and own risk of one node of a company's network (site None: the company).

    Only the keys are indexed, so that rewriting a score changes no indexed column: on PostgreSQL the table keeps
    half of each page free (migration 0006), and a full recomputation updates rows in place, indexes untouched.
    """

    company = models.ForeignKey(Organization, db_index=False, **DERIVED)  # led by the (company, site) key
    site = models.ForeignKey(Site, null=True, **DERIVED)
    child_labour = models.FloatField()
    forced_labour = models.FloatField()
    own_child_labour = models.FloatField()
    own_forced_labour = models.FloatField()
    inherent_child_labour = models.FloatField(default=0)
    inherent_forced_labour = models.FloatField(default=0)
    band = models.CharField(max_length=10, choices=BAND_CHOICES)
    child_labour_band = models.CharField(max_length=10, choices=BAND_CHOICES)
    forced_labour_band = models.CharField(max_length=10, choices=BAND_CHOICES)
    methodology_version = models.CharField(max_length=20)
    computed_at = models.DateTimeField()

    objects = CompanyOwnedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["company", "site"], name="risk_score_unique_site"),
            models.UniqueConstraint(fields=["company"], condition=Q(site__isnull=True), name="risk_score_unique_company"),
        ]


class RiskHistory(models.Model):
    """A node's scores each time a computation changed them: the trend.

    Read by site (a site has a few rows per company and run), so the site is the one index besides the key.
    """

    company = models.ForeignKey(Organization, db_index=False, **DERIVED)
    site = models.ForeignKey(Site, null=True, **DERIVED)
    child_labour = models.FloatField()
    forced_labour = models.FloatField()
    band = models.CharField(max_length=10, choices=BAND_CHOICES)
    methodology_version = models.CharField(max_length=20)
    computed_at = models.DateTimeField()

    objects = CompanyOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["computed_at", "id"]


WHOLE_NETWORK = 0  # the site_id of a PendingRecompute row that asks for the company's whole network


class PendingRecompute(models.Model):
    """A change waiting for a company's next recomputation: a site whose risk inputs changed, or the whole network.

    The set of a company's rows is the debounce: many changes in a short while are taken by one computation,
    which deletes the rows it read, so no change arriving while it runs is lost (it stays for the next one),
    whichever process or worker records it. A site may have several rows: a unique (company, site) would make a
    change wait, on the index, for a running computation that took the same site to commit.
    """

    company = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    site_id = models.BigIntegerField(help_text="The changed site (no foreign key: it may be deleted since); 0: all.")
    created_at = models.DateTimeField(auto_now_add=True)
