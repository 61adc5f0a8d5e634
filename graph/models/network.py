"""The supply network: a shared registry of suppliers and sites, and each company's own view of it.

Sites and suppliers are real-world entities kept once, so that an audit or a grievance about a factory can
reach every buyer of it. Everything a company says about its own chain (which sites it sources from, its
links, volumes, internal codes, derived tiers) lives in rows owned by that company and is never visible to
another one. Visibility is decided by each queryset's `visible_to(viewer)`, the single tenancy chokepoint
(see backend/tenancy.py).

A registry entry is public when it is marked so or carries a public-registry identifier (an LEI for a supplier,
an Open Supply Hub ID for a site): everyone sees it, and its identifiers are unique in the registry. Any other
entry is seen only by those the rules below grant it to, so its DUNS and country + tax id are unique among the
public entries and among one registrant's, never across the registry: a global UNIQUE index would let anyone
learn, by a refused insert, that another organization's hidden entry holds an identifier.
"""

from django.db import models
from django.db.models import Q

from backend.models import Organization, OrganizationKind


class SiteKind(models.TextChoices):
    FACILITY = "facility", "Facility"
    FARM = "farm", "Farm"


class EvidenceLevel(models.TextChoices):
    DOCUMENTED = "documented", "Documented (contracts, invoices, traceability records)"
    DECLARED = "declared", "Declared by the supplier"
    INFERRED = "inferred", "Inferred (trade data, sourcing region)"


class ReferenceQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """Reference data is the same for everyone."""
        return self


class CompanyOwnedQuerySet(models.QuerySet):
    def owned_by(self, company):
        """What a company says about its own chain is that company's."""
        return self.filter(company=company)

    def visible_to(self, viewer):
        """What a company says about its own chain: only that company sees it."""
        return self.owned_by(viewer.organization)


class Commodity(models.Model):
    """A traded good from the shipped reference list, with its HS code and its DOL list good names."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    hs_code = models.CharField(max_length=12, help_text="Harmonized System heading, e.g. 5201 for raw cotton.")
    sector = models.CharField(max_length=20)
    dol_goods = models.JSONField(default=list, help_text="Names of this good on the US DOL List of Goods.")

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "commodities"

    def __str__(self) -> str:
        return self.name


PUBLIC_SUPPLIER = Q(is_public=True) | Q(lei__isnull=False)
PUBLIC_SITE = Q(is_public=True) | Q(os_id__isnull=False)


class SupplierQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """Suppliers in the viewer's network, registered by it, operating a site it sees, or public (marked or LEI)."""
        org = viewer.organization
        visible = PUBLIC_SUPPLIER | Q(registered_by=org)
        visible |= Q(pk__in=NetworkSupplier.objects.filter(company=org).values("supplier_id"))
        visible |= Q(pk__in=Site.objects.visible_to(viewer).filter(supplier__isnull=False).values("supplier_id"))
        return self.filter(visible)


class Supplier(models.Model):
    """A legal entity that operates sites."""

    name = models.CharField(max_length=300)
    country = models.CharField(max_length=2)
    tax_id = models.CharField(max_length=50, null=True, blank=True)
    lei = models.CharField(max_length=20, null=True, blank=True, unique=True, help_text="Legal Entity Identifier")
    duns = models.CharField(max_length=9, null=True, blank=True, db_index=True)
    is_public = models.BooleanField(default=False)
    registered_by = models.ForeignKey(Organization, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SupplierQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["country", "tax_id"], name="supplier_tax_id")]
        constraints = [
            models.UniqueConstraint(fields=["duns"], condition=PUBLIC_SUPPLIER, name="supplier_unique_public_duns"),
            models.UniqueConstraint(fields=["registered_by", "duns"], name="supplier_unique_duns_per_registrant"),
            models.UniqueConstraint(
                fields=["country", "tax_id"], condition=PUBLIC_SUPPLIER, name="supplier_unique_public_tax_id"
            ),
            models.UniqueConstraint(
                fields=["registered_by", "country", "tax_id"], name="supplier_unique_tax_id_per_registrant"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SiteQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """Sites in the viewer's network, granted to it, registered by it, or public (OS ID or marked)."""
        org = viewer.organization
        visible = PUBLIC_SITE | Q(registered_by=org)
        if org.kind == OrganizationKind.COMPANY:
            visible |= Q(pk__in=NetworkSite.objects.filter(company=org).values("site_id"))
        visible |= Q(pk__in=SiteGrant.objects.active().filter(organization=org).values("site_id"))
        return self.filter(visible)


class Site(models.Model):
    """A facility or a farm: the place where people work."""

    name = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=SiteKind.choices, default=SiteKind.FACILITY)
    address = models.CharField(max_length=500, blank=True)
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2")
    subdivision = models.CharField(max_length=6, blank=True, help_text="ISO 3166-2, e.g. IN-TN")
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    os_id = models.CharField(max_length=15, null=True, blank=True, unique=True, help_text="Open Supply Hub ID")
    workers = models.PositiveIntegerField(null=True, blank=True)
    migrant_share = models.FloatField(null=True, blank=True, help_text="Share of migrant workers, 0–1")
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, null=True, blank=True, related_name="sites")
    commodities = models.ManyToManyField(Commodity, blank=True, related_name="sites")
    is_public = models.BooleanField(default=False)
    registered_by = models.ForeignKey(Organization, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SiteQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["country", "subdivision"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(migrant_share__isnull=True) | Q(migrant_share__gte=0, migrant_share__lte=1),
                name="site_migrant_share_in_unit_interval",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class NetworkSite(models.Model):
    """A site in a company's network, with the company's own reference and the derived tier."""

    company = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="network_sites")
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="network_entries")
    internal_ref = models.CharField(max_length=100, null=True, blank=True)
    tier = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Shortest number of links to the company; derived, never typed in."
    )
    added_at = models.DateTimeField(auto_now_add=True)
    extra = models.JSONField(
        default=dict, blank=True,
        help_text="What the company's files said of the site beyond the registry's attributes (sector, facility "
                  "type, other columns): column → the distinct values given, in the order first given.",
    )

    objects = CompanyOwnedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["company", "site"], name="network_site_unique"),
            models.UniqueConstraint(fields=["company", "internal_ref"], name="network_site_unique_ref"),
        ]
        indexes = [models.Index(fields=["company", "tier"])]


class NetworkSiteAlias(models.Model):
    """Another reference under which the company imported a site of its network: a site keeps every reference it
    was known by (a reference is either a site's `internal_ref` or one alias, never both), so that each file
    naming the site its own way finds it again."""

    company = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    ref = models.CharField(max_length=100)
    added_at = models.DateTimeField(auto_now_add=True)

    objects = CompanyOwnedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["company", "ref"], name="network_site_alias_unique_ref")]


class NetworkSupplier(models.Model):
    """A supplier in a company's network, with the company's own reference."""

    company = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="network_suppliers")
    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="network_entries")
    internal_ref = models.CharField(max_length=100, null=True, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    objects = CompanyOwnedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["company", "supplier"], name="network_supplier_unique"),
            models.UniqueConstraint(fields=["company", "internal_ref"], name="network_supplier_unique_ref"),
        ]


class SiteGrantQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class SiteGrant(models.Model):
    """Access to one registry site granted to another organization (e.g. an audit firm's assignment)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="site_grants")
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="grants")
    granted_by = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=200, blank=True)
    granted_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = SiteGrantQuerySet.as_manager()


class SupplyLink(models.Model):
    """Upstream site → downstream site (or → the company itself, when downstream is empty), for one commodity."""

    company = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="supply_links")
    upstream = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="outgoing_links")
    downstream = models.ForeignKey(Site, on_delete=models.PROTECT, null=True, blank=True, related_name="incoming_links")
    commodity = models.ForeignKey(Commodity, on_delete=models.PROTECT, related_name="+")
    share = models.DecimalField(
        max_digits=7, decimal_places=6, null=True, blank=True,
        help_text="Share of the downstream node's input of this commodity carried by this link, 0–1.",
    )
    volume = models.DecimalField(max_digits=18, decimal_places=3, null=True, blank=True)
    volume_unit = models.CharField(max_length=20, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    evidence_level = models.CharField(max_length=12, choices=EvidenceLevel.choices, default=EvidenceLevel.DECLARED)
    external_ref = models.CharField(max_length=100, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CompanyOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["company", "downstream"]),
            models.Index(fields=["company", "upstream"]),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(upstream=models.F("downstream")), name="link_not_self_loop"),
            models.CheckConstraint(
                condition=Q(share__isnull=True) | Q(share__gte=0, share__lte=1), name="link_share_in_unit_interval"
            ),
            models.UniqueConstraint(fields=["company", "external_ref"], name="link_unique_external_ref"),
        ]
