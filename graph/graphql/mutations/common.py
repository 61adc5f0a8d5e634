"""Lookups shared by the supply-network mutations."""

from backend.errors import field_error
from backend.graphql.ids import get_visible
from graph.graphql.enums import GraphErrorCode
from backend.graphql.errors import error_type
from graph.models import Commodity, Site, Supplier

GraphError = error_type("GraphError", GraphErrorCode, "supply-network")


def commodities_by_code(codes, field: str = "commodities") -> list[Commodity]:
    """The commodities named by their codes; INVALID naming the unknown codes."""
    wanted = [code.strip().lower() for code in codes or []]
    found = {c.code: c for c in Commodity.objects.filter(code__in=wanted)}
    unknown = [code for code in wanted if code not in found]
    if unknown:
        raise field_error(field, f"Unknown commodity code(s): {', '.join(unknown)}. See the `commodities` query.", "invalid")
    return [found[code] for code in wanted]


def visible_site(viewer, global_id, field: str) -> Site:
    return get_visible(Site, viewer, global_id, "Site", field)


def visible_supplier(viewer, global_id, field: str) -> Supplier:
    return get_visible(Supplier, viewer, global_id, "Supplier", field)
