"""The base class, error type and lookups shared by the supply-network mutations (risk's included)."""

from backend.errors import field_error
from backend.graphql.errors import error_type
from backend.graphql.ids import get_visible
from backend.graphql.mutations import BaseMutation
from backend.permissions import Permission
from graph.graphql.enums import GraphErrorCode
from graph.models import Commodity, Site, Supplier

GraphError = error_type("GraphError", GraphErrorCode, "supply-network")


class NetworkMutation(BaseMutation):
    """A mutation of your supply network: it needs MANAGE_NETWORK and reports its problems as `GraphError`s."""

    class Meta:
        abstract = True

    @classmethod
    def __init_subclass_with_meta__(cls, **options):
        super().__init_subclass_with_meta__(
            permissions=(Permission.MANAGE_NETWORK,), error_type_class=GraphError, **options
        )


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
