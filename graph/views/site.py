"""The site page (`/dashboard/sites/<id>/`), the company's page (`/dashboard/company/`) and the supplier page
(`/dashboard/suppliers/<id>/`).

A site's page: both scores with their bands, the explanation of one dimension (the `riskExplanation` query's
resolver: its sources, the paths from them and, when the engine gives them, the terms of each source's own risk),
the picture of its upstream network with the explanation's paths drawn bold, the sections other apps add (audits:
findings, corrective actions, grievances) and the score's history. A site the viewer may not see is not found; a
site it sees but does not source from has no score, and the page says so.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy
from graphql_relay import to_global_id

from backend.pages import page
from backend.permissions import Permission
from backend.tenancy import visible
from graph import services
from graph.graphql.risk import resolvers as risk
from graph.graphql.risk.types import DISPLAY_THRESHOLD
from graph.models import NetworkSite, RiskHistory, RiskScore, Site, Supplier
from graph.views.charts import trend_chart
from graph.views.common import DIMENSIONS, dimension_of
from graph.views.network_picture import NodeFacts, draw_network
from graph.views.sections import sections_of
from graph.views.world_map import country_name

PICTURE_DEPTH = 4  # tiers upstream of the site the picture reaches
PICTURE_SITES = 60  # sites the picture draws at most, nearest first
HISTORY_SHOWN = 20
EXPLANATION_SOURCES = 5


def place_of(site: Site) -> str:
    return site.subdivision or site.country


def explanation_of(viewer, site: Site | None, dimension: str) -> dict | None:
    """The `riskExplanation` of the site (None: the company) in one dimension; None when the site is not in the
    viewer's network."""
    node_id = to_global_id("Site", site.pk) if site else None
    try:
        return risk.resolve_explanation(viewer, node_id, dimension, EXPLANATION_SOURCES, DISPLAY_THRESHOLD)
    except ValidationError:
        return None


BREAKDOWN_TITLES = {"by_country": gettext_lazy("By country"), "by_commodity": gettext_lazy("By commodity"),
                    "by_tier": gettext_lazy("By tier")}


def breakdowns_of(explanation: dict | None) -> list[tuple[str, dict]]:
    """The explanation's score by country, commodity and tier (when the engine gives them), titled."""
    if explanation is None:
        return []
    return [(title, explanation[name]) for name, title in BREAKDOWN_TITLES.items() if name in explanation]


def explained_links(explanation: dict | None) -> set[tuple[int, int]]:
    """(upstream, downstream) site pairs on the explanation's paths (the company, None, is never drawn here)."""
    if explanation is None:
        return set()
    pairs = set()
    for path in explanation["paths"]:
        ids = [site.pk if site else None for site in path["sites"]]
        pairs |= {(u, d) for u, d in zip(ids, ids[1:]) if u is not None and d is not None}
    return pairs


def upstream_picture(viewer, site: Site, highlighted: set[tuple[int, int]]):
    """The picture of the site's suppliers up to PICTURE_DEPTH tiers: one query per tier walked and two for the
    drawn sites' names and scores."""
    cone = services.walk(viewer.organization, site.pk, PICTURE_DEPTH, "upstream")
    nearest = sorted(cone.distances.items(), key=lambda item: (item[1], item[0]))
    distances = dict(nearest[:PICTURE_SITES])
    ids = [site.pk, *distances]
    sites = visible(Site, viewer).in_bulk(ids)
    bands = dict(visible(RiskScore, viewer).filter(site_id__in=ids).values_list("site_id", "band"))
    facts = {pk: NodeFacts(s.name, place_of(s), bands.get(pk, "")) for pk, s in sites.items()}
    distances = {pk: d for pk, d in distances.items() if pk in facts}
    links = [(link.upstream_id, link.downstream_id) for link in cone.links if link.downstream_id is not None]
    truncated = cone.truncated or len(nearest) > len(distances)
    return draw_network(site.pk, distances, links, facts, highlighted, truncated)


@dataclass(frozen=True)
class SiteFacts:
    """What the page says of the site beside its scores: its place, tier and the company's reference."""

    country_name: str
    tier: int | None
    internal_ref: str | None
    in_network: bool


@page(Permission.READ_NETWORK)
def site_page(request, site_id: int):
    viewer = request.viewer
    site = get_object_or_404(visible(Site.objects.select_related("supplier"), viewer), pk=site_id)
    dimension = dimension_of(request)
    entry = visible(NetworkSite, viewer).filter(site=site).first()
    score = visible(RiskScore, viewer).filter(site=site).first()
    explained = node_context(viewer, site, score if entry else None, dimension)
    context = {
        **explained,
        "site": site,
        "facts": SiteFacts(country_name(site.country), entry.tier if entry else None,
                           entry.internal_ref if entry else None, entry is not None),
        "picture": upstream_picture(viewer, site, explained_links(explained["explanation"])) if entry else None,
        "sections": sections_of("site", request, site),
    }
    return TemplateResponse(request, "graph/site.html", context)


def node_context(viewer, site: Site | None, score, dimension: str) -> dict:
    """What a node's page shows of its score (site None: the company): the score, its explanation in one dimension
    (none without a score) and its history."""
    explanation = explanation_of(viewer, site, dimension) if score else None
    history = list(visible(RiskHistory, viewer).filter(site=site).order_by("-computed_at", "-id")[:HISTORY_SHOWN])
    return {
        "score": score,
        "dimension": dimension,
        "dimension_label": DIMENSIONS[dimension],
        "dimensions": DIMENSIONS,
        "explanation": explanation,
        "breakdowns": breakdowns_of(explanation),
        "history": history,
        "trend": trend_chart(list(reversed(history))),
    }


@page(Permission.READ_NETWORK)
def company_page(request):
    """`/dashboard/company/`: the company's own scores, their explanation (by cause, source, country, commodity,
    tier) and history: what the dashboard's score cards open."""
    viewer = request.viewer
    context = node_context(viewer, None, risk.resolve_company_risk(viewer), dimension_of(request))
    return TemplateResponse(request, "graph/company.html", context)


@dataclass(frozen=True)
class SupplierSite:
    site: Site
    score: RiskScore | None


@page(Permission.READ_NETWORK)
def supplier_page(request, supplier_id: int):
    """A supplier and its sites in the viewer's network, riskiest first, each linking to its site page."""
    viewer = request.viewer
    supplier = get_object_or_404(visible(Supplier, viewer), pk=supplier_id)
    in_network = visible(NetworkSite, viewer).values("site_id")
    sites = list(visible(Site, viewer).filter(supplier=supplier, pk__in=in_network))
    scores = {s.site_id: s for s in visible(RiskScore, viewer).filter(site_id__in=[site.pk for site in sites])}
    rows = sorted((SupplierSite(site, scores.get(site.pk)) for site in sites),
                  key=lambda row: (-(row.score.forced_labour if row.score else -1), row.site.name))
    scored = [row.score for row in rows if row.score]
    context = {
        "supplier": supplier,
        "country_name": country_name(supplier.country),
        "rows": rows,
        "worst_forced": max(scored, key=lambda s: s.forced_labour, default=None),
        "worst_child": max(scored, key=lambda s: s.child_labour, default=None),
    }
    return TemplateResponse(request, "graph/supplier.html", context)
