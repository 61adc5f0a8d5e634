"""Computing, storing and explaining a company's risk scores (the engine itself is graph/risk/).

A full computation assembles own risk for every node, propagates it and stores every score. An incremental one
(after new evidence at a few sites) loads their downstream cone and its inputs only, takes the stored own risk and
scores, recomputes own risk at the changed sites only and propagates through the cone only.
"""

from dataclasses import dataclass
from datetime import date

import numpy as np
from django.db import transaction
from django.utils import timezone

from graph import risk
from graph.services import risk_graph
from graph.services.risk_cone import load_cone
from graph.services.risk_graph import COMPANY_NODE, TenantGraph, load_tenant_graph
from graph.services.risk_store import store_company_score, store_site_scores, stored_arrays

DIMENSIONS = {"child_labour": risk.CHILD_LABOUR, "forced_labour": risk.FORCED_LABOUR}


@dataclass
class RiskRun:
    """What one computation did."""

    company_id: int
    nodes: int
    links: int
    recomputed: int
    iterations: int
    incremental: bool


@transaction.atomic
def compute_risk(company, changed_site_ids=None, methodology=risk.DEFAULT_METHODOLOGY, as_of: date | None = None) -> RiskRun:
    """Recompute the company's scores: only the cone of `changed_site_ids` when given and possible, else all.

    An incremental run loads only the cone and its inputs (graph/services/risk_cone.py) when it can, else the whole
    graph; `nodes` and `links` of the run count what was loaded."""
    cone = None if changed_site_ids is None else load_cone(company, changed_site_ids, as_of)
    graph = cone.graph if cone else load_tenant_graph(company, as_of)
    prepared = cone.prepared if cone else risk.prepare(graph.network)
    computed_at = timezone.now()
    if changed_site_ids is not None:
        previous, own, inherent, known = cone.stored if cone else stored_arrays(graph)
        changed = [graph.node_of(s) for s in changed_site_ids]
        incremental = known.all() and all(node is not None for node in changed)
    else:
        incremental = False
    if incremental:
        # a cone holds only the changed sites' inputs: the others' inflow is read back from their stored own risk
        previous_own = own.copy() if cone else None
        fresh = fresh_own(graph, methodology, as_of, site_ids=changed_site_ids)
        for node in changed:
            inherent[node], own[node] = fresh[0][node], fresh[1][node]
        result = risk.propagate_incremental(prepared, previous, own, changed, methodology, previous_own)
        nodes = result.recomputed
    else:
        inherent, own = fresh_own(graph, methodology, as_of)
        result = risk.propagate(prepared, own, methodology)
        nodes = np.arange(graph.network.n_nodes)
    store(graph, nodes, result.scores, own, inherent, methodology, computed_at)
    return RiskRun(company.pk, graph.network.n_nodes, len(graph.network.upstream), len(nodes), result.iterations, incremental)


def fresh_own(graph: TenantGraph, methodology, as_of, site_ids=None) -> tuple[np.ndarray, np.ndarray]:
    """(inherent, own) for the given sites (default: every node; the company node has neither)."""
    inherent = risk_graph.inherent_array(graph, methodology, site_ids)
    own = risk.own_risk(inherent, risk_graph.evidence_array(graph, methodology, as_of, site_ids))
    return inherent, own


def store(graph, nodes, scores, own, inherent, methodology, computed_at) -> None:
    values = np.hstack([scores, own, inherent])
    site_nodes = nodes[nodes != COMPANY_NODE]
    store_site_scores(graph.company_id, graph.site_ids[site_nodes - 1], values[site_nodes], methodology, computed_at)
    if COMPANY_NODE in nodes:
        store_company_score(graph.company_id, values[COMPANY_NODE], methodology, computed_at)


def prepared_with_own(company) -> tuple[TenantGraph, risk.PreparedNetwork, np.ndarray, np.ndarray]:
    """The network and the stored own risk and scores, as the last computation saw them."""
    graph = load_tenant_graph(company)
    scores, own, _inherent, _known = stored_arrays(graph)
    return graph, risk.prepare(graph.network), own, scores


def explain(company, site_id: int | None, dimension: str, top: int = 5):
    """The engine's explanation of a node's score, with nodes mapped back to site IDs (None: the company)."""
    graph, prepared, own, _scores = prepared_with_own(company)
    node = graph.node_of(site_id)
    if node is None:
        return graph, None
    explanation = risk.explain(prepared, own, node, DIMENSIONS[dimension], risk.DEFAULT_METHODOLOGY, top_sources=top)
    return graph, explanation


def exposure(company, site_id: int, dimension: str):
    """Every node downstream of a site with its exposure to it (contribution to its score)."""
    graph, prepared, own, scores = prepared_with_own(company)
    node = graph.node_of(site_id)
    if node is None:
        return graph, None
    return graph, risk.exposure(prepared, scores, own, node, DIMENSIONS[dimension], risk.DEFAULT_METHODOLOGY)
