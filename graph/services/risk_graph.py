"""A company's network as the risk engine sees it: node 0 is the company, nodes 1… its sites.

Loading is set-based: on PostgreSQL the links come out of one binary COPY, decoded by numpy in one call (no
Python object per link); elsewhere through a plain values query. Own risk is assembled from inherent risk (DOL
list × site attributes, or the company's override) and evidence (the evidence feed).
"""

import io
from dataclasses import dataclass
from datetime import date

import numpy as np
from django.db import connection

from backend.models import Organization
from django.utils import timezone

from graph import risk
from graph.models import Commodity, DolListing, InherentOverride, NetworkSite, Site
from graph.services.evidence_feed import collect_evidence
from graph.services.reference import current_edition
from graph.services.tiers import active_links

COMPANY_NODE = 0
COPY_TUPLE = np.dtype([("fields", ">i2"), ("l1", ">i4"), ("upstream", ">i8"), ("l2", ">i4"), ("downstream", ">i8"),
                       ("l3", ">i4"), ("share", ">f8")])
COPY_HEADER_BYTES = 19


@dataclass
class TenantGraph:
    """The engine's arrays for one company, and the mapping between site IDs and node indices."""

    company_id: int
    site_ids: np.ndarray  # site_ids[i - 1] is node i
    network: risk.SupplyNetwork

    def node_of(self, site_id: int | None) -> int | None:
        """Node index of a site (None: the company itself); None when the site is not in the network."""
        if site_id is None:
            return COMPANY_NODE
        position = int(np.searchsorted(self.site_ids, site_id))
        if position < len(self.site_ids) and self.site_ids[position] == site_id:
            return position + 1
        return None

    def site_of(self, node: int) -> int | None:
        return None if node == COMPANY_NODE else int(self.site_ids[node - 1])


def load_link_arrays(company, on: date | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(upstream site id, downstream site id or 0 for the company, share or NaN) of the active links."""
    links = active_links(company, on).order_by()
    if connection.vendor == "postgresql":
        return copy_link_arrays(links)
    rows = np.array(list(links.values_list("upstream_id", "downstream_id", "share")), dtype=object).reshape(-1, 3)
    upstream = rows[:, 0].astype(np.int64)
    downstream = np.array([0 if d is None else d for d in rows[:, 1]], dtype=np.int64)
    share = np.array([np.nan if s is None else float(s) for s in rows[:, 2]], dtype=np.float64)
    return upstream, downstream, share


def copy_link_arrays(links) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Binary COPY of (upstream, downstream, share) with no NULLs, so every tuple has the same 38 bytes."""
    projected = links.values("upstream_id", "downstream_id", "share")
    sql, params = projected.query.sql_with_params()
    query = f"SELECT upstream_id::int8, COALESCE(downstream_id, 0)::int8, COALESCE(share::float8, 'NaN') FROM ({sql}) AS links"
    buffer = io.BytesIO()
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY ({query}) TO STDOUT (FORMAT BINARY)", params) as copy:
            for block in copy:
                buffer.write(block)
    payload = buffer.getbuffer()[COPY_HEADER_BYTES:-2]  # header, and the int16 -1 trailer
    tuples = np.frombuffer(payload, dtype=COPY_TUPLE)
    return tuples["upstream"].astype(np.int64), tuples["downstream"].astype(np.int64), tuples["share"].astype(np.float64)


def load_tenant_graph(company, on: date | None = None) -> TenantGraph:
    """The company's sites and active links as engine arrays; links to sites outside the network are dropped."""
    site_ids = np.array(sorted(NetworkSite.objects.filter(company=company).values_list("site_id", flat=True)), dtype=np.int64)
    upstream_ids, downstream_ids, share = load_link_arrays(company, on)
    lookup = np.concatenate([[0], site_ids])
    graph = TenantGraph(company.pk, site_ids, None)
    upstream = nodes_of(lookup, upstream_ids)
    downstream = np.where(downstream_ids == 0, COMPANY_NODE, nodes_of(lookup, downstream_ids))
    keep = (upstream > 0) & (downstream >= 0) & (upstream != downstream)
    graph.network = risk.SupplyNetwork(len(site_ids) + 1, upstream[keep], downstream[keep], share[keep])
    return graph


def nodes_of(lookup: np.ndarray, site_ids: np.ndarray) -> np.ndarray:
    """Node index of each site ID (lookup[0] is the company placeholder); −1 where not in the network."""
    position = np.searchsorted(lookup[1:], site_ids) + 1
    position = np.minimum(position, len(lookup) - 1)
    return np.where(lookup[position] == site_ids, position, -1)


def dol_index() -> risk.DolIndex:
    """The newest DOL edition as the engine's index."""
    rows = DolListing.objects.filter(edition=current_edition())
    return risk.DolIndex.from_listings(
        risk.DolListing(good=r.good, country_iso2=r.country, child_labor=r.child_labor, forced_labor=r.forced_labor,
                        forced_child_labor=r.forced_child_labor, derived=r.derived)
        for r in rows
    )


def network_site_ids(graph: TenantGraph):
    """The company's site IDs as a subquery (so a million IDs never travel as a parameter list)."""
    return NetworkSite.objects.filter(company_id=graph.company_id).values_list("site_id", flat=True)


def inherent_array(graph: TenantGraph, methodology: risk.Methodology, site_ids=None) -> np.ndarray:
    """(n, 2) inherent risk: DOL list × commodities × site attributes, then the company's overrides.

    Only the given sites (default: all) are computed; the others stay 0. Sites that share country, goods, kind
    and migrant share share one evaluation of the formula.
    """
    chosen = network_site_ids(graph) if site_ids is None else list(site_ids)
    index = dol_index()
    dol_goods = dict(Commodity.objects.values_list("pk", "dol_goods"))
    goods_of: dict[int, set] = {}
    for site_id, commodity_id in Site.commodities.through.objects.filter(site_id__in=chosen).values_list("site_id", "commodity_id"):
        goods_of.setdefault(site_id, set()).update(dol_goods[commodity_id] or ())
    inherent = np.zeros((graph.network.n_nodes, 2))
    memo: dict[tuple, tuple[float, float]] = {}
    attributes = Site.objects.filter(pk__in=chosen).values_list("pk", "country", "kind", "migrant_share")
    for site_id, country, kind, migrant_share in attributes.iterator(chunk_size=20_000):
        key = (country, frozenset(goods_of.get(site_id, ())), kind, migrant_share)
        if key not in memo:
            memo[key] = risk.inherent_risk(country, key[1], kind, migrant_share, index, methodology)
        node = graph.node_of(site_id)
        if node is not None:
            inherent[node] = memo[key]
    wanted = None if site_ids is None else set(site_ids)
    for override in active_overrides(graph.company_id):
        node = graph.node_of(override.site_id)
        if node is not None and (wanted is None or override.site_id in wanted):
            inherent[node, 0 if override.dimension == "child_labour" else 1] = override.value
    return inherent


def active_overrides(company_id: int) -> list[InherentOverride]:
    """The newest unrevoked override per (site, dimension)."""
    newest = {}
    for override in InherentOverride.objects.filter(company_id=company_id, revoked_at__isnull=True).order_by("created_at", "id"):
        newest[(override.site_id, override.dimension)] = override
    return list(newest.values())


def evidence_array(graph: TenantGraph, methodology: risk.Methodology, as_of: date | None = None, site_ids=None) -> np.ndarray:
    """(n, 2) evidence risk of the given sites (default: all) from the evidence feed."""
    chosen = network_site_ids(graph) if site_ids is None else list(site_ids)
    items = [
        risk.Evidence(node=graph.node_of(e.site_id), kind=e.kind, dimensions=e.dimensions, severity=e.severity,
                      status=e.status, observed_on=e.observed_on, remediation=e.remediation)
        for e in collect_evidence(chosen, Organization.objects.get(pk=graph.company_id))
        if graph.node_of(e.site_id) is not None
    ]
    return risk.evidence_risk(items, graph.network.n_nodes, as_of or timezone.localdate(), methodology)
