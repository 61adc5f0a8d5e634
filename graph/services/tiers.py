"""Tiers: a site's tier is its shortest number of links to the company, derived from the graph."""

from collections import defaultdict

from django.db.models import Q
from django.utils import timezone

from graph.models import NetworkSite, SupplyLink


def active_links(company, on=None):
    """The company's links valid on a date (today by default)."""
    return valid_on(SupplyLink.objects.owned_by(company), on)


def valid_on(links, on=None):
    """The links valid on a date (today by default): valid_from ≤ day ≤ valid_to, open ends allowed."""
    day = on or timezone.localdate()
    return links.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))


def tiers_from_edges(edges) -> dict[int, int]:
    """Breadth-first search from the company (downstream None) up the links: tier(site) = shortest distance."""
    suppliers_of = defaultdict(list)
    for upstream, downstream in edges:
        suppliers_of[downstream].append(upstream)
    tiers: dict[int, int] = {}
    frontier, tier = [None], 0
    while frontier:
        tier += 1
        next_frontier = []
        for node in frontier:
            for upstream in suppliers_of.get(node, ()):
                if upstream not in tiers:
                    tiers[upstream] = tier
                    next_frontier.append(upstream)
        frontier = next_frontier
    return tiers


def refresh_tiers(company) -> None:
    """Recompute and store every tier of the company's network in a few set-based updates (one per tier)."""
    tiers = tiers_from_edges(active_links(company).values_list("upstream_id", "downstream_id"))
    by_tier = defaultdict(list)
    for site_id, tier in tiers.items():
        by_tier[tier].append(site_id)
    entries = NetworkSite.objects.owned_by(company)
    entries.exclude(site_id__in=list(tiers)).exclude(tier=None).update(tier=None)
    for tier, site_ids in by_tier.items():
        entries.filter(site_id__in=site_ids).exclude(tier=tier).update(tier=tier)
