"""Resolvers of the supply-network queries: tenant-scoped querysets and network walks."""

from backend.errors import field_error
from backend.graphql.ids import get_visible, visible_or_none
from backend.graphql.loaders import mark_peers
from backend.tenancy import visible
from graph import services
from graph.graphql.sorters import annotate_viewer_fields
from graph.models import Site, Supplier, SupplyLink
from graph.services.traversal import MAX_DEPTH, MAX_PATHS


def resolve_sites(viewer):
    return visible(annotate_viewer_fields(Site.objects.all(), viewer), viewer)


def resolve_site(viewer, global_id):
    return visible_or_none(Site, viewer, global_id, "Site")


def resolve_supplier(viewer, global_id):
    return visible_or_none(Supplier, viewer, global_id, "Supplier")


def check_depth(depth: int) -> int:
    if not 1 <= depth <= MAX_DEPTH:
        raise field_error("depth", f"depth must be between 1 and {MAX_DEPTH}, got {depth}.", "out_of_range")
    return depth


def resolve_cone(viewer, site_global_id, depth, direction):
    """Walk up or down from a site of your network (or, when no site is given, from your company)."""
    root_id = None
    if site_global_id:
        root_id = get_visible(Site, viewer, site_global_id, "Site", "site_id").pk
    cone = services.walk(viewer.organization, root_id, check_depth(depth), direction)
    sites = visible(Site, viewer).in_bulk(list(cone.distances))
    mark_peers(sites.values())
    mark_peers(cone.links)
    ordered = sorted(cone.distances.items(), key=lambda item: (item[1], item[0]))
    return {
        "sites": [{"site": sites[pk], "distance": distance} for pk, distance in ordered if pk in sites],
        "links": cone.links,
        "truncated": cone.truncated,
    }


def resolve_paths(viewer, from_id, to_id, limit):
    """Paths from an upstream site to a downstream site, or to your company when `to_id` is null."""
    if not 1 <= limit <= MAX_PATHS:
        raise field_error("limit", f"limit must be between 1 and {MAX_PATHS}, got {limit}.", "out_of_range")
    start = get_visible(Site, viewer, from_id, "Site", "from_id")
    end = get_visible(Site, viewer, to_id, "Site", "to_id").pk if to_id else None
    paths = services.find_paths(viewer.organization, start.pk, end, limit)
    site_ids = {start.pk} | {link.downstream_id for links in paths for link in links if link.downstream_id}
    sites = visible(Site, viewer).in_bulk(site_ids)
    mark_peers(sites.values())
    mark_peers([link for links in paths for link in links])
    return [
        {
            "links": links,
            "sites": [sites[start.pk]] + [sites[link.downstream_id] for link in links if link.downstream_id],
            "reaches_company": links[-1].downstream_id is None,
        }
        for links in paths
    ]


def resolve_supply_links(viewer):
    return visible(SupplyLink.objects.select_related("commodity"), viewer)
