"""Cones: the part of the network a node can influence, or be influenced by.

The downstream cone of a set of nodes X is every node reachable from X along
links that carry a positive share (X included); only those nodes' scores can
change when the own risk of X changes. The upstream cone of v is every node
from which v is reachable; only those nodes can contribute to v's score.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx
import numpy as np
import scipy.sparse as sp

from graph.risk.prepared import PreparedNetwork


def _as_nodes(nodes: Iterable[int] | np.ndarray, n_nodes: int) -> np.ndarray:
    array = nodes if isinstance(nodes, np.ndarray) else np.fromiter(nodes, dtype=np.int64)
    array = np.unique(array.astype(np.int64, copy=False))
    if array.size and (array[0] < 0 or array[-1] >= n_nodes):
        raise ValueError(f"node indices must lie in [0, {n_nodes})")
    return array


def reachable(adjacency: sp.csr_array, start: np.ndarray) -> np.ndarray:
    """Sorted nodes reachable from `start` (included); row i of `adjacency` lists i's successors.

    Level-synchronous breadth-first search: F₀ = start, F_{k+1} = succ(F_k) minus visited.
    """
    visited = np.zeros(adjacency.shape[0], dtype=bool)
    visited[start] = True
    frontier = start
    while frontier.size:
        successors = np.unique(adjacency[frontier].indices)
        frontier = successors[~visited[successors]]
        visited[frontier] = True
    return np.flatnonzero(visited)


def downstream_cone(prepared: PreparedNetwork, nodes: Iterable[int] | np.ndarray) -> np.ndarray:
    """Sorted nodes whose scores can depend on the own risk of `nodes` (those nodes included)."""
    return reachable(prepared.shares_out, _as_nodes(nodes, prepared.n_nodes))


def upstream_cone(prepared: PreparedNetwork, nodes: Iterable[int] | np.ndarray) -> np.ndarray:
    """Sorted nodes whose own risk can reach `nodes` (those nodes included)."""
    return reachable(prepared.shares, _as_nodes(nodes, prepared.n_nodes))


def cone_digraph(prepared: PreparedNetwork, nodes: np.ndarray) -> nx.DiGraph:
    """networkx view of the links among `nodes` only, with attribute `share` = s_uv.

    Meant for small cones; never call it on a whole large network.
    """
    nodes = _as_nodes(nodes, prepared.n_nodes)
    links = prepared.shares[nodes][:, nodes].tocoo()
    graph = nx.DiGraph()
    graph.add_nodes_from(nodes.tolist())
    graph.add_edges_from(
        (int(u), int(v), {"share": float(s)})
        for u, v, s in zip(nodes[links.col], nodes[links.row], links.data, strict=True)
    )
    return graph
