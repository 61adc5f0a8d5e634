"""Explanations: which sources, along which paths, make up one node's score.

With M = (I − D W)⁻¹ the score is R_v = Σ_x o_x M_vx, so source x contributes

    c_x = o_x · M_vx,       Σ_x c_x = R_v.

Row v of M is y = Mᵀ e_v, the solution of y = e_v + (D W)ᵀ y; y_x is the total
weight Σ_paths Π α s_e Π (1 − o_y) of the paths x → v. It is zero outside the
upstream cone of v, so the system is solved on that cone only.

A single path's term o_x Π α s_e Π (1 − o_y) is one term of the path sum, so
listed paths never add up to more than the score; what they leave out is the
remainder, R_v = Σ listed paths + remainder with remainder ≥ 0. Sources and paths
below a display threshold (a fraction of the score) are not listed: they are in the
remainder too. Every contribution c_x of the cone is kept, for the aggregates
(aggregates.py) that split them further by the terms of each own risk.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import islice, pairwise

import networkx as nx
import numpy as np
import scipy.sparse as sp

from graph.risk.cones import cone_digraph, downstream_cone, upstream_cone
from graph.risk.dimensions import DIMENSIONS
from graph.risk.methodology import Methodology
from graph.risk.own import as_risk_array
from graph.risk.prepared import PreparedNetwork
from graph.risk.solver import jacobi


@dataclass(frozen=True)
class SourceContribution:
    node: int
    own: float  # o_x
    contribution: float  # c_x = o_x M_vx
    fraction_of_score: float


@dataclass(frozen=True)
class PathContribution:
    nodes: tuple[int, ...]  # source first, explained node last
    shares: tuple[float, ...]  # normalised share s_e of each link along the path
    contribution: float  # o_x Π α s_e Π (1 − o_y)
    fraction_of_score: float


@dataclass(frozen=True, eq=False)
class Explanation:
    node: int
    dimension: int
    score: float
    sources: tuple[SourceContribution, ...]  # largest contributions first
    paths: tuple[PathContribution, ...]  # largest contributions first
    remainder: float  # score − Σ path contributions: paths not listed, and cycles
    cone: np.ndarray  # the upstream cone of the node (node indices, sorted)
    contributions: np.ndarray  # c_x for each node of the cone; Σ = score


def fraction(part: float, whole: float) -> float:
    """part / whole, and 0 for a zero score."""
    return part / whole if whole > 0.0 else 0.0


def path_weights_to(
    local_shares: sp.csr_array, own: np.ndarray, target: int, methodology: Methodology
) -> np.ndarray:
    """Row `target` of M on a cone: y = Mᵀ e_t solves y = e_t + (D W)ᵀ y,
    where (D W)[v, u] = (1 − o_v) α s_uv."""
    gain = methodology.attenuation * (1.0 - own)
    transposed = (sp.diags_array(gain) @ local_shares).T.tocsr()
    unit = np.zeros(len(own))
    unit[target] = 1.0
    return jacobi(
        transposed, constant=unit, gain=1.0, start=unit,
        tolerance=methodology.tolerance, max_iterations=methodology.max_iterations,
    ).values


def path_contribution(
    nodes: tuple[int, ...], shares: tuple[float, ...], own: np.ndarray, alpha: float
) -> float:
    """o_x · Π_e α s_e · Π_{y after x} (1 − o_y) for the path x = nodes[0] → … → nodes[-1]."""
    weight = float(own[nodes[0]])
    for share, node in zip(shares, nodes[1:], strict=True):
        weight *= alpha * share * (1.0 - float(own[node]))
    return weight


def weighted_digraph(prepared: PreparedNetwork, nodes: np.ndarray, own: np.ndarray,
                     alpha: float) -> nx.DiGraph:
    """Links among `nodes` with cost −log(α s_uv (1 − o_v)), so that the cheapest path is the
    heaviest path; links of weight 0 are left out since no path through them contributes."""
    graph = cone_digraph(prepared, nodes)
    for u, v, data in list(graph.edges(data=True)):
        factor = alpha * data["share"] * (1.0 - float(own[v]))
        if factor > 0.0:
            data["cost"] = -math.log(factor)
        else:
            graph.remove_edge(u, v)
    return graph


def dominant_paths(
    graph: nx.DiGraph, source: int, target: int, limit: int
) -> list[tuple[tuple[int, ...], tuple[float, ...]]]:
    """Up to `limit` simple paths source → target, heaviest first (Yen's k shortest paths)."""
    if source == target:
        return [((source,), ())]
    try:
        found = list(islice(nx.shortest_simple_paths(graph, source, target, weight="cost"), limit))
    except nx.NetworkXNoPath:
        return []
    return [
        (tuple(path), tuple(graph.edges[u, v]["share"] for u, v in pairwise(path)))
        for path in found
    ]


def source_contributions(
    prepared: PreparedNetwork, own: np.ndarray, node: int, methodology: Methodology
) -> tuple[np.ndarray, np.ndarray]:
    """The upstream cone of `node` and, for each x in it, c_x = o_x M_vx."""
    cone = upstream_cone(prepared, [node])
    weights = path_weights_to(
        prepared.shares[cone][:, cone], own[cone], int(np.searchsorted(cone, node)), methodology
    )
    return cone, own[cone] * weights


def heaviest_paths(
    prepared: PreparedNetwork,
    own: np.ndarray,
    upstream_of_node: np.ndarray,
    source: int,
    node: int,
    methodology: Methodology,
    limit: int,
) -> list[tuple[tuple[int, ...], tuple[float, ...], float]]:
    """(nodes, shares, contribution) of the heaviest paths source → node.

    The search runs on the corridor of the pair: nodes downstream of the source that
    are also upstream of `node`, which are exactly the nodes on some source → node path.
    """
    corridor = np.intersect1d(
        downstream_cone(prepared, [source]), upstream_of_node, assume_unique=True
    )
    alpha = methodology.attenuation
    graph = weighted_digraph(prepared, corridor, own, alpha)
    return [
        (nodes, shares, path_contribution(nodes, shares, own, alpha))
        for nodes, shares in dominant_paths(graph, source, node, limit)
    ]


def explain(
    prepared: PreparedNetwork,
    own: np.ndarray,
    node: int,
    dimension: int,
    methodology: Methodology,
    *,
    top_sources: int = 5,
    paths_per_source: int = 3,
    threshold: float = 0.0,
) -> Explanation:
    """The `top_sources` largest contributions c_x to R_node and, for each, its heaviest paths; a source or path
    is listed only if it makes at least `threshold` of the score (and more than nothing)."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"dimension must be one of {DIMENSIONS}, got {dimension}")
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"threshold must lie in [0, 1], got {threshold}")
    node = int(node)
    own_d = as_risk_array(own, prepared.n_nodes)[:, dimension]
    cone, contributions = source_contributions(prepared, own_d, node, methodology)
    score = float(contributions.sum())

    floor = threshold * score
    top = [i for i in np.argsort(-contributions, kind="stable")[:top_sources]
           if contributions[i] > 0.0 and contributions[i] >= floor]
    sources = tuple(
        SourceContribution(int(cone[i]), float(own_d[cone[i]]), float(contributions[i]),
                           fraction(float(contributions[i]), score))
        for i in top
    )
    paths = sorted(
        (
            PathContribution(nodes, shares, weight, fraction(weight, score))
            for source in sources
            for nodes, shares, weight in heaviest_paths(
                prepared, own_d, cone, source.node, node, methodology, paths_per_source
            )
            # a product of tiny shares can underflow to nothing: such a path contributes nothing
            if weight > 0.0 and weight >= floor
        ),
        key=lambda path: path.contribution,
        reverse=True,
    )
    return Explanation(
        node=node,
        dimension=dimension,
        score=score,
        sources=sources,
        paths=tuple(paths),
        remainder=score - sum(path.contribution for path in paths),
        cone=cone,
        contributions=contributions,
    )
