"""Sort inputs of the supply-network lists and the ORM expressions behind each sort field."""

from django.db.models import F, OuterRef, Subquery

from backend.graphql.connections import sorting_input
from backend.tenancy import visible
from graph.graphql.enums import SiteSortField, SupplierSortField, SupplyLinkSortField
from graph.models import NetworkSite, RiskScore

SiteSortingInput = sorting_input("SiteSortingInput", SiteSortField)
SupplierSortingInput = sorting_input("SupplierSortingInput", SupplierSortField)
SupplyLinkSortingInput = sorting_input("SupplyLinkSortingInput", SupplyLinkSortField)

SITE_SORT_FIELDS = {
    "name": [F("name")],
    "country": [F("country"), F("name")],
    "tier": [F("viewer_tier")],
    "created_at": [F("created_at")],
    "child_labour_risk": [F("viewer_child_labour")],
    "forced_labour_risk": [F("viewer_forced_labour")],
}
SUPPLIER_SORT_FIELDS = {"name": [F("name")], "country": [F("country"), F("name")], "created_at": [F("created_at")]}
SUPPLY_LINK_SORT_FIELDS = {"share": [F("share")], "created_at": [F("created_at")]}


def annotate_viewer_fields(queryset, viewer):
    """Annotate each site with the viewer's tier and risk scores for it (null outside the network), to sort by."""
    tier = visible(NetworkSite, viewer).filter(site=OuterRef("pk")).values("tier")[:1]
    scores = visible(RiskScore, viewer).filter(site=OuterRef("pk"))
    return queryset.annotate(
        viewer_tier=Subquery(tier),
        viewer_child_labour=Subquery(scores.values("child_labour")[:1]),
        viewer_forced_labour=Subquery(scores.values("forced_labour")[:1]),
    )
