"""The supply network's queries and mutations, composed into the root schema in backend/schema.py."""

import graphene

from backend.graphql.connections import FilteredConnectionField
from backend.graphql.errors import as_graphql_error
from backend.graphql.list_bounds import BoundedList
from backend.graphql.permissions import permission_required, require_viewer
from backend.permissions import Permission
from backend.tenancy import visible
from graph.graphql import resolvers
from graph.graphql.filters import CommodityFilter, SiteFilter, SupplierFilter, SupplyLinkFilter
from graph.graphql.mutations.links import SupplyLinkCreate, SupplyLinkDelete, SupplyLinkUpdate
from graph.graphql.mutations.sites import SiteCreate, SiteDelete, SiteUpdate
from graph.graphql.mutations.suppliers import SupplierCreate, SupplierDelete, SupplierUpdate
from graph.graphql.risk.schema import RiskMutations, RiskQueries
from graph.graphql.sorters import (
    SITE_SORT_FIELDS,
    SUPPLIER_SORT_FIELDS,
    SUPPLY_LINK_SORT_FIELDS,
    SiteSortingInput,
    SupplierSortingInput,
    SupplyLinkSortingInput,
)
from graph.graphql.types import CommodityType, NetworkConeType, SiteType, SupplierType, SupplyLinkType, SupplyPathType
from graph.models import Commodity
from graph.services.traversal import MAX_PATHS


class GraphQueries(RiskQueries, graphene.ObjectType):
    commodities = FilteredConnectionField(CommodityType, filterset_class=CommodityFilter)
    sites = FilteredConnectionField(
        SiteType, filterset_class=SiteFilter, sort_input=SiteSortingInput, sort_fields=SITE_SORT_FIELDS,
        description="Sites visible to you: your network, sites granted to you and public registry sites "
        "(first or last required, at most 100).",
    )
    suppliers = FilteredConnectionField(
        SupplierType, filterset_class=SupplierFilter, sort_input=SupplierSortingInput, sort_fields=SUPPLIER_SORT_FIELDS,
        description="Suppliers visible to you (first or last required, at most 100).",
    )
    supply_links = FilteredConnectionField(
        SupplyLinkType, filterset_class=SupplyLinkFilter, sort_input=SupplyLinkSortingInput,
        sort_fields=SUPPLY_LINK_SORT_FIELDS,
        description="Your company's supply links (first or last required, at most 100).",
    )
    site = graphene.Field(SiteType, id=graphene.ID(required=True, description="Site ID."), description="One site; null when it does not exist or is not visible to you.")
    supplier = graphene.Field(SupplierType, id=graphene.ID(required=True, description="Supplier ID."), description="One supplier; null when it does not exist or is not visible to you.")
    upstream = graphene.Field(
        NetworkConeType, required=True,
        site_id=graphene.ID(description="Site to start from; left out: your company (the whole network)."),
        depth=graphene.Int(default_value=3, description="How many tiers to walk, 1–10."),
        description="Everything that supplies a node of your network, up to `depth` tiers (at most 5000 sites).",
    )
    downstream = graphene.Field(
        NetworkConeType, required=True,
        site_id=graphene.ID(required=True, description="Site to start from."),
        depth=graphene.Int(default_value=3, description="How many tiers to walk, 1–10."),
        description="Every site of your network a site delivers to, directly or not, up to `depth` tiers.",
    )
    paths = BoundedList(
        graphene.NonNull(SupplyPathType), MAX_PATHS, arguments=("limit",), required=True,
        from_id=graphene.ID(required=True, description="Upstream site where the paths start."),
        to_id=graphene.ID(description="Downstream site where they end; left out: your company."),
        limit=graphene.Int(default_value=10, description=f"At most this many paths, 1–{MAX_PATHS}, shortest first."),
        description="The paths through your network from one site to another (or to your company).",
    )

    @staticmethod
    def resolve_commodities(root, info, **kwargs):
        return visible(Commodity, require_viewer(info))

    @staticmethod
    def resolve_sites(root, info, **kwargs):
        return resolvers.resolve_sites(require_viewer(info))

    @staticmethod
    def resolve_suppliers(root, info, **kwargs):
        return visible(SupplierType._meta.model, require_viewer(info))

    @staticmethod
    @permission_required(Permission.READ_NETWORK)
    def resolve_supply_links(root, info, **kwargs):
        return resolvers.resolve_supply_links(require_viewer(info))

    @staticmethod
    def resolve_site(root, info, id):
        return resolvers.resolve_site(require_viewer(info), id)

    @staticmethod
    def resolve_supplier(root, info, id):
        return resolvers.resolve_supplier(require_viewer(info), id)

    @staticmethod
    @permission_required(Permission.READ_NETWORK)
    @as_graphql_error
    def resolve_upstream(root, info, depth, site_id=None):
        return resolvers.resolve_cone(require_viewer(info), site_id, depth, "upstream")

    @staticmethod
    @permission_required(Permission.READ_NETWORK)
    @as_graphql_error
    def resolve_downstream(root, info, site_id, depth):
        return resolvers.resolve_cone(require_viewer(info), site_id, depth, "downstream")

    @staticmethod
    @permission_required(Permission.READ_NETWORK)
    @as_graphql_error
    def resolve_paths(root, info, from_id, limit, to_id=None):
        return resolvers.resolve_paths(require_viewer(info), from_id, to_id, limit)


class GraphMutations(RiskMutations, graphene.ObjectType):
    supplier_create = SupplierCreate.Field(description=SupplierCreate.__doc__)
    supplier_update = SupplierUpdate.Field(description=SupplierUpdate.__doc__)
    supplier_delete = SupplierDelete.Field(description=SupplierDelete.__doc__)
    site_create = SiteCreate.Field(description=SiteCreate.__doc__)
    site_update = SiteUpdate.Field(description=SiteUpdate.__doc__)
    site_delete = SiteDelete.Field(description=SiteDelete.__doc__)
    supply_link_create = SupplyLinkCreate.Field(description=SupplyLinkCreate.__doc__)
    supply_link_update = SupplyLinkUpdate.Field(description=SupplyLinkUpdate.__doc__)
    supply_link_delete = SupplyLinkDelete.Field(description=SupplyLinkDelete.__doc__)
