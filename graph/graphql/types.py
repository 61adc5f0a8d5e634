"""GraphQL types of the supply network."""

import graphene

from backend.graphql.list_bounds import BoundedList, PagedList
from backend.graphql.loaders import load
from backend.graphql.types import ScopedObjectType
from graph.graphql import dataloaders as loaders
from graph.graphql.enums import EvidenceLevelEnum, SiteKindEnum
from graph.graphql.risk.types import REFERENCE_COMMODITIES, RiskType
from graph.models import Commodity, Site, Supplier, SupplyLink
from graph.services.traversal import MAX_CONE_LINKS, MAX_CONE_SIZE, MAX_DEPTH


class CommodityType(ScopedObjectType):
    """A traded good from the reference list."""

    class Meta:
        model = Commodity
        name = "Commodity"
        fields = ("code", "name", "hs_code", "sector")

    code = graphene.String(required=True, description="Short stable code, e.g. `cotton`.")
    name = graphene.String(required=True, description="Display name.")
    hs_code = graphene.String(required=True, description="Harmonized System heading, e.g. 5201.")
    sector = graphene.String(required=True, description="Agriculture, Manufacturing or Mining.")
    dol_goods = graphene.List(
        graphene.NonNull(graphene.String), required=True, description="Names of this good on the US DOL List of Goods."
    )


class SupplierType(ScopedObjectType):
    """A legal entity that operates sites (a registry entry shared between organizations)."""

    class Meta:
        model = Supplier
        name = "Supplier"
        fields = ("name", "country", "tax_id", "lei", "duns", "is_public", "created_at", "updated_at")

    name = graphene.String(required=True, description="Legal name.")
    country = graphene.String(required=True, description="Country of registration, ISO 3166-1 alpha-2.")
    tax_id = graphene.String(description="Tax identifier in its country.")
    lei = graphene.String(description="Legal Entity Identifier (20 characters).")
    duns = graphene.String(description="D-U-N-S number (9 digits).")
    is_public = graphene.Boolean(required=True, description="Whether the entry is public in the registry.")
    created_at = graphene.DateTime(required=True, description="When the entry was registered.")
    updated_at = graphene.DateTime(required=True, description="When the registry entry last changed.")
    internal_ref = graphene.String(description="Your own reference for this supplier (null when not in your network).")
    in_network = graphene.Boolean(required=True, description="Whether the supplier is in your network.")
    sites = PagedList(
        graphene.NonNull(lambda: SiteType), required=True,
        description="Sites it operates that are visible to you, by name.",
    )
    risk = graphene.Field(RiskType, description="The worst scores of its sites in your network (null until computed).")

    def resolve_risk(root, info):
        return load(info, loaders.RiskOfSupplier, root)

    def resolve_internal_ref(root, info):
        entry = load(info, loaders.NetworkEntryOfSupplier, root)
        return entry.internal_ref if entry else None

    def resolve_in_network(root, info):
        return load(info, loaders.NetworkEntryOfSupplier, root) is not None

    def resolve_sites(root, info):
        return load(info, loaders.SitesOfSupplier, root)


class SiteType(ScopedObjectType):
    """A facility or a farm (a registry entry shared between organizations)."""

    class Meta:
        model = Site
        name = "Site"
        fields = (
            "name", "address", "country", "subdivision", "latitude", "longitude", "os_id", "workers",
            "migrant_share", "is_public", "created_at", "updated_at",
        )

    name = graphene.String(required=True, description="Name of the site.")
    kind = graphene.Field(SiteKindEnum, required=True, description="Facility or farm.")
    address = graphene.String(required=True, description="Street address (may be empty).")
    country = graphene.String(required=True, description="ISO 3166-1 alpha-2 country code.")
    subdivision = graphene.String(required=True, description="ISO 3166-2 subdivision code (may be empty).")
    latitude = graphene.Float(description="Latitude in degrees, WGS 84.")
    longitude = graphene.Float(description="Longitude in degrees, WGS 84.")
    os_id = graphene.String(description="Open Supply Hub ID.")
    workers = graphene.Int(description="Number of workers.")
    migrant_share = graphene.Float(description="Share of migrant workers, 0–1.")
    is_public = graphene.Boolean(required=True, description="Whether the entry is public in the registry.")
    created_at = graphene.DateTime(required=True, description="When the entry was registered.")
    updated_at = graphene.DateTime(required=True, description="When the registry entry last changed.")
    supplier = graphene.Field(SupplierType, description="The legal entity operating the site, when known and visible.")
    commodities = BoundedList(
        graphene.NonNull(CommodityType), REFERENCE_COMMODITIES, required=True,
        description="Commodities handled at the site (at most all of the reference list).",
    )
    in_network = graphene.Boolean(required=True, description="Whether the site is in your network.")
    internal_ref = graphene.String(description="Your own reference for this site.")
    extra_data = graphene.JSONString(
        description="What your files said of this site beyond its registry attributes (Open Supply Hub's sector, "
        "product type, facility type…): a JSON object, column → the distinct values given; null outside your network."
    )
    tier = graphene.Int(
        description="Shortest number of supply links from this site to your company (1 = direct supplier); null "
        "when it is not connected to you. Derived from the graph."
    )
    links_in = PagedList(
        graphene.NonNull(lambda: SupplyLinkType), required=True,
        description="Your links delivering into this site, oldest first (all of them: `upstream(siteId: …, depth: 1)`).",
    )
    risk = graphene.Field(RiskType, description="Your risk scores for this site (null until computed or outside your network).")
    links_out = PagedList(
        graphene.NonNull(lambda: SupplyLinkType), required=True,
        description="Your links leaving this site, oldest first (all of them: `downstream(siteId: …, depth: 1)`).",
    )

    def resolve_supplier(root, info):
        return load(info, loaders.SupplierOfSite, root)

    def resolve_commodities(root, info):
        return load(info, loaders.CommoditiesOfSite, root)

    def resolve_in_network(root, info):
        return load(info, loaders.NetworkEntryOfSite, root) is not None

    def resolve_internal_ref(root, info):
        entry = load(info, loaders.NetworkEntryOfSite, root)
        return entry.internal_ref if entry else None

    def resolve_extra_data(root, info):
        entry = load(info, loaders.NetworkEntryOfSite, root)
        return entry.extra if entry else None

    def resolve_tier(root, info):
        entry = load(info, loaders.NetworkEntryOfSite, root)
        return entry.tier if entry else None

    def resolve_risk(root, info):
        return load(info, loaders.RiskOfSite, root)

    def resolve_links_in(root, info):
        return load(info, loaders.LinksIntoSite, root)

    def resolve_links_out(root, info):
        return load(info, loaders.LinksFromSite, root)


class SupplyLinkType(ScopedObjectType):
    """Upstream site → downstream site (or → your company) for one commodity; yours alone."""

    class Meta:
        model = SupplyLink
        name = "SupplyLink"
        fields = ("volume_unit", "valid_from", "valid_to", "external_ref", "created_at", "updated_at")

    upstream = graphene.Field(SiteType, required=True, description="The supplying site.")
    downstream = graphene.Field(SiteType, description="The receiving site; null when it delivers to your company.")
    to_company = graphene.Boolean(required=True, description="True when the link delivers to your company itself.")
    commodity = graphene.Field(CommodityType, required=True, description="What flows along the link.")
    share = graphene.Float(description="Share of the downstream node's input of this commodity, 0–1.")
    volume = graphene.Float(description="Volume per year, in `volumeUnit`.")
    volume_unit = graphene.String(required=True, description="Unit of `volume` (e.g. t, kg, pieces).")
    valid_from = graphene.Date(description="First day the link is valid.")
    valid_to = graphene.Date(description="Last day the link is valid.")
    evidence_level = graphene.Field(EvidenceLevelEnum, required=True, description="How the link is known.")
    external_ref = graphene.String(description="Your own reference for the link (unique among your links).")
    created_at = graphene.DateTime(required=True, description="When the link was created.")
    updated_at = graphene.DateTime(required=True, description="When the link last changed.")

    def resolve_upstream(root, info):
        return load(info, loaders.UpstreamSiteOfLink, root)

    def resolve_downstream(root, info):
        return load(info, loaders.DownstreamSiteOfLink, root)

    def resolve_to_company(root, info):
        return root.downstream_id is None

    def resolve_share(root, info):
        return None if root.share is None else float(root.share)

    def resolve_volume(root, info):
        return None if root.volume is None else float(root.volume)


class ConeSiteType(graphene.ObjectType):
    """A site reached by a walk, with its distance from the start."""

    class Meta:
        name = "ConeSite"

    site = graphene.Field(SiteType, required=True, description="The site reached.")
    distance = graphene.Int(required=True, description="Number of links from the start of the walk.")


class NetworkConeType(graphene.ObjectType):
    """The part of your network reached by walking up or down from one node."""

    class Meta:
        name = "NetworkCone"

    sites = BoundedList(
        graphene.NonNull(ConeSiteType), MAX_CONE_SIZE, required=True,
        description=f"Sites reached, nearest first (at most {MAX_CONE_SIZE:,}).",
    )
    links = BoundedList(
        graphene.NonNull(SupplyLinkType), MAX_CONE_LINKS, required=True,
        description=f"The links walked (at most {MAX_CONE_LINKS:,}).",
    )
    truncated = graphene.Boolean(
        required=True,
        description=f"True when the walk stopped at a size limit ({MAX_CONE_SIZE:,} sites or {MAX_CONE_LINKS:,} links).",
    )


class SupplyPathType(graphene.ObjectType):
    """One path through your network, upstream first."""

    class Meta:
        name = "SupplyPath"

    links = BoundedList(
        graphene.NonNull(SupplyLinkType), MAX_DEPTH, required=True,
        description=f"Links along the path (at most {MAX_DEPTH}).",
    )
    sites = BoundedList(
        graphene.NonNull(SiteType), MAX_DEPTH + 1, required=True,
        description=f"Sites along the path, upstream first (at most {MAX_DEPTH + 1}).",
    )
    reaches_company = graphene.Boolean(required=True, description="True when the path ends at your company.")
