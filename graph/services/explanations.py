"""A score explained down to its causes: the engine's paths, each source's own risk split into its terms, and the
score by cause, cause kind, country, commodity, tier, source site and direct supplier (graph/risk/attribution.py and
aggregates.py state the formulas).

The terms are read from the data as it is now (evidence weighed as of today) and share out the own risk the last
computation stored, so that they add up to the stored scores. A fixed number of queries, whatever the network's
size: the graph and stored scores, then the facts of the sources (sites, their commodities, tiers), the DOL edition,
the overrides and the evidence feed.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

from django.db.models.expressions import RawSQL
from django.utils import timezone

from graph import risk
from graph.models import Commodity, NetworkSite, Site, SiteKind
from graph.risk import aggregates
from graph.risk.aggregates import Breakdown, ScorePart
from graph.risk.attribution import (
    OverrideCause,
    OwnRiskAttribution,
    TermShares,
    attribute,
    evidence_causes,
    inherent_causes,
    term_shares,
)
from graph.risk.inherent import normalize_good
from graph.services import risk as risk_service
from graph.services.evidence_feed import collect_evidence
from graph.services.reference import current_edition
from graph.services.risk_graph import COMPANY_NODE, TenantGraph, active_overrides, dol_index, network_site_ids

MAX_LINES = 20  # lines a breakdown lists at most
MAX_TERMS = 10  # terms an own risk lists at most
NO_COMMODITY = ""
UNCONNECTED = "unconnected"
BREAKDOWNS = ("by_cause", "by_cause_kind", "by_country", "by_commodity", "by_tier", "by_source", "by_direct_supplier")


@dataclass(frozen=True)
class SiteFacts:
    """What the attribution needs of a source site: its inherent inputs, commodities and tier."""

    country: str
    kind: str
    migrant_share: float | None
    commodities: dict[str, tuple[str, ...]] = field(default_factory=dict)  # code → its DOL goods, normalised, by code
    tier: int | None = None


@dataclass(frozen=True)
class CausedExplanation:
    """An explanation with the terms of every source's own risk and the score by aggregate."""

    graph: TenantGraph
    explanation: risk.Explanation
    threshold: float
    attributions: dict[int, OwnRiskAttribution]  # node → its own risk's terms (every source with c_x > 0)
    facts: dict[int, SiteFacts]  # node → its site's facts
    commodity_names: dict[str, str]
    breakdowns: dict[str, Breakdown]  # BREAKDOWNS → the score's breakdown

    def terms_of(self, node: int) -> Breakdown:
        """The own risk of `node` by term, above the threshold (of that own risk)."""
        attribution = self.attributions.get(node) or attribute([], 0.0)
        return aggregates.listed_terms(attribution, self.threshold, MAX_TERMS)


def explain_causes(company, site_id: int | None, dimension: str, top: int, threshold: float) -> CausedExplanation | None:
    """The explanation of a node's score (None: the site is not in the company's network)."""
    graph, prepared, own, scores = risk_service.prepared_with_own(company)
    node = graph.node_of(site_id)
    if node is None:
        return None
    d = risk_service.DIMENSIONS[dimension]
    methodology = risk.DEFAULT_METHODOLOGY
    explanation = risk.explain(prepared, own, node, d, methodology, top_sources=top, threshold=threshold)
    sources = [int(n) for n, c in zip(explanation.cone, explanation.contributions, strict=True) if c > 0.0]
    sources = sorted((set(sources) | {node}) - {COMPANY_NODE})
    facts, commodity_names = source_facts(graph, sources)
    attributions = own_attributions(company, graph, sources, facts, own[:, d], d, methodology)
    parts = aggregates.score_parts(explanation.cone, explanation.contributions, attributions)
    by_term = {
        "by_cause": aggregates.cause, "by_cause_kind": aggregates.cause_kind,
        "by_commodity": lambda part: commodities_of(part, facts[part.node]),
    }
    totals = {name: aggregates.grouped(parts, keys_of) for name, keys_of in by_term.items()}
    # a source's parts add up to its contribution, so groupings by a fact of the source need no parts
    by_node = {
        "by_source": lambda node: node, "by_country": lambda node: facts[node].country,
        "by_tier": lambda node: UNCONNECTED if facts[node].tier is None else facts[node].tier,
    }
    totals |= {name: aggregates.grouped_sources(explanation.cone, explanation.contributions, key_of)
               for name, key_of in by_node.items()}
    breakdowns = {name: aggregates.breakdown(found, explanation.score, threshold, MAX_LINES)
                  for name, found in totals.items()}
    direct = aggregates.through_direct_suppliers(prepared, own[:, d], scores[:, d], node, methodology.attenuation)
    breakdowns["by_direct_supplier"] = aggregates.breakdown(direct, explanation.score, threshold, MAX_LINES)
    return CausedExplanation(graph, explanation, threshold, attributions, facts, commodity_names, breakdowns)


def commodities_of(part: ScorePart, facts: SiteFacts) -> tuple[str, ...]:
    """A DOL listing's part goes to the site's commodities that are that good; any other part to all the site's
    commodities (NO_COMMODITY when it handles none)."""
    codes = tuple(facts.commodities)
    if part.term is not None and part.term.kind == "listing":
        good = normalize_good(part.term.cause.listing.good)
        codes = tuple(code for code, goods in facts.commodities.items() if good in goods) or codes
    return codes or (NO_COMMODITY,)


def site_filter(graph: TenantGraph, site_ids: list[int]):
    """The sites as a queryset of IDs, for `site_id__in=` (a subquery) and the evidence providers: the network's
    when they are most of it, else the IDs bound as one array parameter (a list binds, and Django checks, one
    parameter per ID, which for a cone of 50k sites costs seconds)."""
    if 2 * len(site_ids) >= len(graph.site_ids):  # most of the network: reading all of it is cheaper
        return network_site_ids(graph)
    ids = RawSQL("SELECT unnest(%s::bigint[])", [[int(pk) for pk in site_ids]])
    return Site.objects.filter(pk__in=ids).values_list("pk", flat=True)


def source_facts(graph: TenantGraph, nodes: list[int]) -> tuple[dict[int, SiteFacts], dict[str, str]]:
    """Facts of the sites at these nodes, and the names of their commodities by code (four queries)."""
    wanted = {graph.site_of(n): n for n in nodes}
    chosen = site_filter(graph, list(wanted))
    reference = {pk: (code, name, tuple(normalize_good(g) for g in goods or []))
                 for pk, code, name, goods in Commodity.objects.values_list("pk", "code", "name", "dol_goods")}
    commodities: dict[int, dict[str, tuple[str, ...]]] = defaultdict(dict)
    names = {}
    for site_id, commodity_id in Site.commodities.through.objects.filter(site_id__in=chosen).values_list(
        "site_id", "commodity_id"
    ).order_by("site_id", "commodity_id"):
        if site_id in wanted:
            code, names_of, goods = reference[commodity_id]
            commodities[site_id][code] = goods
            names[code] = names_of
    tiers = dict(NetworkSite.objects.filter(company_id=graph.company_id, site_id__in=chosen).values_list("site_id", "tier"))
    facts = {
        wanted[pk]: SiteFacts(country, kind, migrant_share, commodities.get(pk, {}), tiers.get(pk))
        for pk, country, kind, migrant_share in Site.objects.filter(pk__in=chosen).values_list(
            "pk", "country", "kind", "migrant_share"
        ).order_by()
        if pk in wanted
    }
    return facts, names


def own_attributions(
    company, graph: TenantGraph, nodes: list[int], facts: dict[int, SiteFacts], own, dimension: int, methodology
) -> dict[int, OwnRiskAttribution]:
    """Each node's stored own risk shared among its inherent and evidence terms (attribution.attribute)."""
    index, edition, today = dol_index(), current_edition() or "", timezone.localdate()
    overrides = {
        graph.node_of(o.site_id): o.value for o in active_overrides(graph.company_id)
        if (o.dimension == "child_labour") == (dimension == risk.CHILD_LABOUR)
    }
    evidence = defaultdict(list)
    for item in collect_evidence(site_filter(graph, [graph.site_of(n) for n in nodes]), company):
        node = graph.node_of(item.site_id)
        if node in facts:
            engine_item = risk.Evidence(node=node, kind=item.kind, dimensions=item.dimensions, severity=item.severity,
                                        status=item.status, observed_on=item.observed_on,
                                        remediation=item.remediation, outcome=item.outcome)
            evidence[node].append((engine_item, item))

    @cache  # sites share profiles (country, goods, kind, migrant share): a million sites have a few thousand
    def profile_terms(country, goods, kind, migrant_share) -> tuple[list, TermShares]:
        causes = inherent_causes(country, goods, kind, migrant_share, index, methodology, dimension, edition)
        return causes, term_shares(causes)

    attributions = {}
    for node in nodes:
        site = facts[node]
        if node in overrides:
            inherent, shares = [(OverrideCause(overrides[node]), overrides[node])], None
        else:
            goods = tuple(sorted({good for goods in site.commodities.values() for good in goods}))
            inherent, shares = profile_terms(site.country, goods, "farm" if site.kind == SiteKind.FARM else "facility",
                                             site.migrant_share)
        if node in evidence or shares is None:  # its own causes: its shares are its own too
            shares = term_shares(inherent + evidence_causes(evidence[node], dimension, today, methodology))
        attributions[node] = OwnRiskAttribution(float(own[node]), shares)
    return attributions

