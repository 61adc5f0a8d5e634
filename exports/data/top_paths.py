"""The heaviest single path into every node of a network at once, for the risk register's "top path" column.

A path x → … → v carries the term of v's score that graph/risk/explanation.py lists for it:

    w(x → … → v) = o_x · Π_e α s_e · Π_{y after x} (1 − o_y)

and extending a path to v's customer t multiplies it by α s_vt (1 − o_t), a factor ≤ 1. So with link costs
−ln(α s_uv (1 − o_v)) ≥ 0 and a virtual source joined to each x at cost −ln o_x, the heaviest path into v is the
cheapest path from the virtual source to v: one Dijkstra over the whole network per dimension, instead of one
explanation per node. The register's path is the single heaviest one; the explanation of a node lists the heaviest
paths of its largest sources, which start with this one unless the heaviest single path comes from a source
outside them.
"""

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra


@dataclass(frozen=True)
class HeaviestPaths:
    """For each node: the weight of its heaviest path (0: none, the node and its suppliers have no own risk) and
    the predecessor of each node on it (`virtual` where the path starts)."""

    weight: np.ndarray
    predecessors: np.ndarray
    virtual: int

    def path(self, node: int) -> tuple[int, ...]:
        """The nodes of the heaviest path into `node`, source first; () when it has none."""
        if self.weight[node] <= 0.0:
            return ()
        nodes = [node]
        while (previous := int(self.predecessors[nodes[-1]])) != self.virtual:
            nodes.append(previous)
        return tuple(reversed(nodes))


def heaviest_paths(shares: sp.csr_array, own: np.ndarray, attenuation: float) -> HeaviestPaths:
    """Heaviest paths in one dimension; `shares` is S (S[v, u] = s_uv, rows downstream), `own` the own risk o."""
    n = len(own)
    links = shares.tocoo()
    downstream, upstream = links.row, links.col
    factor = attenuation * links.data * (1.0 - own[downstream])
    links = factor > 0.0  # a link of factor 0 carries nothing; its cost would be infinite
    sources = np.flatnonzero(own > 0.0)
    rows = np.concatenate([upstream[links], np.full(len(sources), n)])
    columns = np.concatenate([downstream[links], sources])
    costs = np.concatenate([-np.log(factor[links]), -np.log(own[sources])])
    # a cost of 0 (a certain source) stays an edge: csgraph keeps the explicit zeros of a sparse matrix
    graph = sp.csr_array((costs, (rows, columns)), shape=(n + 1, n + 1))
    distance, predecessors = dijkstra(graph, directed=True, indices=n, return_predecessors=True)
    weight = np.where(np.isfinite(distance[:n]), np.exp(-distance[:n]), 0.0)
    return HeaviestPaths(weight, predecessors[:n], n)
