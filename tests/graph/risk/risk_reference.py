"""Hypothesis strategies and slow, obviously-correct reference implementations for the risk tests.

The references are written from the model's definitions, independently of graph.risk:
share normalisation as the literal two-step rule, propagated risk as an explicit sum
over enumerated paths, and M = (I − D W)⁻¹ as a dense matrix inverse.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

ALPHA = 0.8
unit_floats = st.floats(0.0, 1.0, allow_nan=False)
# Edge values are drawn often: unknown, zero (a link that carries nothing) and full.
shares_or_unknown = st.one_of(st.sampled_from((math.nan, 0.0, 1.0)), unit_floats)


@dataclass(frozen=True)
class Case:
    """A small random network as plain Python data, plus own risk."""

    n_nodes: int
    links: tuple[tuple[int, int, float], ...]  # (upstream, downstream, share or NaN)
    own: np.ndarray  # (n_nodes, 2)

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        upstream = np.array([u for u, _, _ in self.links], dtype=np.int64)
        downstream = np.array([v for _, v, _ in self.links], dtype=np.int64)
        share = np.array([s for _, _, s in self.links], dtype=np.float64)
        return upstream, downstream, share


@st.composite
def cases(draw: st.DrawFn, max_nodes: int = 7, max_links: int = 14,
          acyclic: bool = False) -> Case:
    """Random network; if `acyclic`, links go up a random ranking of the nodes (a DAG)."""
    n = draw(st.integers(1, max_nodes))
    links: list[tuple[int, int, float]] = []
    if n > 1:
        rank = draw(st.permutations(range(n)))
        pairs = draw(st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda p: p[0] != p[1]),
            max_size=max_links,
        ))
        for a, b in pairs:
            u, v = (rank[min(a, b)], rank[max(a, b)]) if acyclic else (a, b)
            links.append((u, v, draw(shares_or_unknown)))
    own = draw(arrays(np.float64, (n, 2), elements=unit_floats))
    return Case(n, tuple(links), own)


def reference_shares(case: Case) -> list[float]:
    """The normalisation rule applied literally, node by node."""
    shares = [s for _, _, s in case.links]
    for v in range(case.n_nodes):
        incoming = [i for i, (_, w, _) in enumerate(case.links) if w == v]
        known = [i for i in incoming if not math.isnan(shares[i])]
        unknown = [i for i in incoming if math.isnan(shares[i])]
        leftover = max(0.0, 1.0 - sum(shares[i] for i in known))
        for i in unknown:
            shares[i] = leftover / len(unknown)
        total = sum(shares[i] for i in incoming)
        if total > 1.0:
            for i in incoming:
                shares[i] /= total
    return shares


def reference_influence(case: Case, alpha: float = ALPHA) -> np.ndarray:
    """Dense W with W[v, u] = Σ_{links u → v} α s_uv."""
    w = np.zeros((case.n_nodes, case.n_nodes))
    for (u, v, _), s in zip(case.links, reference_shares(case), strict=True):
        w[v, u] += alpha * s
    return w


def reference_path_weights(case: Case, dimension: int, alpha: float = ALPHA) -> np.ndarray:
    """Dense M = (I − D W)⁻¹ for one dimension: M[v, x] = total weight of the paths x → v."""
    d = np.diag(1.0 - case.own[:, dimension])
    return np.linalg.inv(np.eye(case.n_nodes) - d @ reference_influence(case, alpha))


def paths_into(case: Case, target: int) -> list[tuple[list[int], list[float]]]:
    """Every path ending at `target` in an acyclic case, as (nodes, normalised link shares);
    parallel links are distinct paths. The trivial path [target] is included."""
    shares = reference_shares(case)
    found: list[tuple[list[int], list[float]]] = [([target], [])]
    for i, (u, v, _) in enumerate(case.links):
        if v == target:
            for nodes, path_shares in paths_into(case, u):
                found.append(([*nodes, target], [*path_shares, shares[i]]))
    return found


def path_term(case: Case, nodes: list[int], shares: list[float], dimension: int,
              alpha: float = ALPHA) -> float:
    """o_x · Π α s_e · Π_{y after x} (1 − o_y)."""
    term = case.own[nodes[0], dimension]
    for share, node in zip(shares, nodes[1:], strict=True):
        term *= alpha * share * (1.0 - case.own[node, dimension])
    return float(term)


def brute_force_scores(case: Case, alpha: float = ALPHA) -> np.ndarray:
    """R_v = Σ over all paths into v of the path term, for an acyclic case."""
    scores = np.zeros((case.n_nodes, 2))
    for v in range(case.n_nodes):
        for nodes, shares in paths_into(case, v):
            for dimension in (0, 1):
                scores[v, dimension] += path_term(case, nodes, shares, dimension, alpha)
    return scores
