"""Resolvers of the risk queries: explanations, exposure, portfolio, regions, history."""

from collections import defaultdict

from backend.errors import field_error
from backend.graphql.ids import get_visible
from backend.graphql.loaders import mark_peers
from backend.tenancy import visible
from graph.graphql.risk.explanations import breakdown_rows, cause_summary, nodes_named, own_terms
from graph.graphql.risk.types import BAND_ORDER, MAX_TOP
from graph.models import NetworkSite, RiskHistory, RiskScore, Site
from graph.risk import DEFAULT_METHODOLOGY, band
from graph.services import risk as risk_service
from graph.services.explanations import explain_causes

MAX_ROWS = 100


def optional_site(viewer, global_id, field: str):
    """The visible site behind an ID, or None (your company) when no ID is given."""
    return get_visible(Site, viewer, global_id, "Site", field) if global_id else None


def check_rows(first: int) -> int:
    if not 1 <= first <= MAX_ROWS:
        raise field_error("first", f"first must be between 1 and {MAX_ROWS}, got {first}.", "out_of_range")
    return first


def sites_by_id(viewer, site_ids):
    sites = visible(Site, viewer).in_bulk([s for s in site_ids if s is not None])
    mark_peers(sites.values())
    return sites


def resolve_explanation(viewer, node_id, dimension, top, threshold):
    if not 1 <= top <= MAX_TOP:
        raise field_error("top", f"top must be between 1 and {MAX_TOP}, got {top}.", "out_of_range")
    if not 0.0 <= threshold <= 1.0:
        raise field_error("threshold", f"threshold must be between 0 and 1, got {threshold}.", "out_of_range")
    site = optional_site(viewer, node_id, "node_id")
    caused = explain_causes(viewer.organization, site.pk if site else None, dimension, top, threshold)
    if caused is None:
        raise field_error("node_id", "This site is not in your network, so it has no score to explain.", "not_found")
    graph, explanation = caused.graph, caused.explanation
    node_sites = [graph.site_of(n) for path in explanation.paths for n in path.nodes]
    node_sites += [graph.site_of(n) for n in [s.node for s in explanation.sources] + sorted(nodes_named(caused))]
    sites = sites_by_id(viewer, node_sites)

    def site_of_node(node):
        return sites.get(graph.site_of(node))

    breakdowns = breakdown_rows(caused, site_of_node)
    paths = [
        {
            "sites": [site_of_node(n) for n in path.nodes], "shares": list(path.shares),
            "contribution": path.contribution, "fraction_of_score": path.fraction_of_score,
            "description": describe_path([site_of_node(n) for n in path.nodes], path.shares, path.fraction_of_score),
        }
        for path in explanation.paths
    ]
    return {
        "site": site, "dimension": dimension, "score": explanation.score, "remainder": explanation.remainder,
        "methodology_version": DEFAULT_METHODOLOGY.version, "paths": paths, "threshold": threshold,
        "summary": paths[0]["description"] if paths else "No upstream source contributes to this score.",
        "sources": [
            {"site": site_of_node(s.node), "own": s.own, "contribution": s.contribution,
             "fraction_of_score": s.fraction_of_score, "terms": own_terms(caused, s.node, site_of_node(s.node))}
            for s in explanation.sources
        ],
        "own_risk": own_terms(caused, explanation.node, site),
        **breakdowns,
        "cause_summary": cause_summary(breakdowns, dimension, site),
    }


def describe_path(sites, shares, fraction) -> str:
    """e.g. '42% of the score: Farm X (TM-L) supplies 30% of Gin Y (TM-L), which supplies 40% of your company.'"""
    def name(site):
        return "your company" if site is None else f"{site.name} ({site.subdivision or site.country})"

    if len(sites) == 1:
        return f"{fraction:.0%} of the score: the own risk of {name(sites[0])}."
    steps = [f"{name(sites[0])} supplies {shares[0]:.0%} of {name(sites[1])}'s input"]
    steps += [f"which supplies {share:.0%} of {name(site)}'s input" for share, site in zip(shares[1:], sites[2:])]
    return f"{fraction:.0%} of the score: " + ", ".join(steps) + "."


def resolve_exposure(viewer, site_id, dimension, first):
    site = get_visible(Site, viewer, site_id, "Site", "site_id")
    graph, result = risk_service.exposure(viewer.organization, site.pk, dimension)
    if result is None:
        raise field_error("site_id", "This site is not in your network.", "not_found")
    order = sorted(range(len(result.nodes)), key=lambda i: -result.contribution[i])
    rows = [(graph.site_of(int(result.nodes[i])), result.contribution[i], result.fraction_of_score[i])
            for i in order if int(result.nodes[i]) != graph.node_of(site.pk)][: check_rows(first)]
    sites = sites_by_id(viewer, [r[0] for r in rows])
    return [{"site": sites.get(s), "is_company": s is None, "contribution": float(c), "fraction_of_score": float(f)}
            for s, c, f in rows]


def site_scores(viewer, dimension):
    """(site, score) rows of the viewer's network for one dimension, with site attributes."""
    scores = visible(RiskScore, viewer).filter(site__isnull=False).select_related("site")
    return [(row.site, getattr(row, dimension)) for row in scores]


def bucket(key, values):
    high = band_index("high")
    return {"key": str(key), "sites": len(values), "mean_score": sum(values) / len(values), "max_score": max(values),
            "severe_or_high": sum(1 for v in values if band_index(band(v, DEFAULT_METHODOLOGY)) >= high)}


def band_index(name: str) -> int:
    return BAND_ORDER.index(name)


def resolve_portfolio(viewer, dimension):
    rows = site_scores(viewer, dimension)
    tiers = dict(visible(NetworkSite, viewer).values_list("site_id", "tier"))
    commodities = defaultdict(list)
    for site_id, code in Site.commodities.through.objects.filter(site_id__in=[s.pk for s, _ in rows]).values_list(
        "site_id", "commodity__code"
    ):
        commodities[site_id].append(code)
    groups = {"by_band": defaultdict(list), "by_country": defaultdict(list), "by_commodity": defaultdict(list), "by_tier": defaultdict(list)}
    for site, score in rows:
        groups["by_band"][band(score, DEFAULT_METHODOLOGY)].append(score)
        groups["by_country"][site.country].append(score)
        groups["by_tier"][tiers.get(site.pk) if tiers.get(site.pk) is not None else "unconnected"].append(score)
        for code in commodities.get(site.pk, []):
            groups["by_commodity"][code].append(score)
    result = {"dimension": dimension}
    for name, grouped in groups.items():
        result[name] = sorted((bucket(k, v) for k, v in grouped.items()), key=lambda b: (-b["max_score"], b["key"]))
    result["by_band"].sort(key=lambda b: band_index(b["key"]))
    result["by_tier"].sort(key=lambda b: (b["key"] == "unconnected", int(b["key"]) if b["key"].isdigit() else 0))
    return result


def resolve_regions(viewer, dimension, first):
    grouped = defaultdict(list)
    for site, score in site_scores(viewer, dimension):
        grouped[(site.country, site.subdivision)].append(score)
    high = band_index("high")
    regions = [
        {"country": country, "subdivision": subdivision, "sites": len(values), "max_score": max(values),
         "mean_score": sum(values) / len(values),
         "exposed_sites": sum(1 for v in values if band_index(band(v, DEFAULT_METHODOLOGY)) >= high)}
        for (country, subdivision), values in grouped.items()
    ]
    regions.sort(key=lambda r: (-r["max_score"], -r["exposed_sites"], r["country"], r["subdivision"]))
    return regions[: check_rows(first)]


def resolve_history(viewer, node_id, first):
    site = optional_site(viewer, node_id, "node_id")
    history = visible(RiskHistory, viewer).filter(site=site).order_by("-computed_at", "-id")[: check_rows(first)]
    return list(history)


def resolve_company_risk(viewer):
    return visible(RiskScore, viewer).filter(site__isnull=True).first()
