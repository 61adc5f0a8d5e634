"""Propagated risk: a site's own risk combined with the risk flowing in from its suppliers.

Per dimension, with own risk o, normalised shares s and attenuation α:

    R_v = 1 − (1 − o_v)(1 − U_v),      U_v = Σ_{u → v} α s_uv R_u.

Expanding the product gives R_v = o_v + (1 − o_v) U_v, i.e. the linear system

    R = o + D W R,   D = diag(1 − o),   W[v, u] = α s_uv,   so   R = (I − D W)⁻¹ o,

whose Neumann series Σ_k (D W)^k o is a sum over every path x → … → v:

    R_v = Σ_paths o_x · Π_{links e} α s_e · Π_{nodes y after x, v included} (1 − o_y).

Each row of W sums to at most α < 1, so the series converges on cyclic networks
too, R stays in [0, 1], and R is non-decreasing in o: more evidence never
lowers a score and remediation never raises one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graph.risk.methodology import Methodology
from graph.risk.network import SupplyNetwork
from graph.risk.own import as_risk_array
from graph.risk.prepared import PreparedNetwork, prepare
from graph.risk.solver import jacobi_per_dimension


@dataclass(frozen=True, eq=False)
class PropagationResult:
    scores: np.ndarray  # (n_nodes, 2): child labour, forced labour
    iterations: int
    residual: float  # max change in the last Jacobi sweep
    converged: bool


def as_prepared(network: SupplyNetwork | PreparedNetwork) -> PreparedNetwork:
    """The prepared form of `network`, preparing it if needed."""
    return network if isinstance(network, PreparedNetwork) else prepare(network)


def upstream_gain(own: np.ndarray, methodology: Methodology) -> np.ndarray:
    """g = α (1 − o): how much of the share-weighted upstream risk each node takes on."""
    return methodology.attenuation * (1.0 - own)


def propagate(
    network: SupplyNetwork | PreparedNetwork, own: np.ndarray, methodology: Methodology
) -> PropagationResult:
    """Solve R = o + (1 − o) ⊙ α S R by Jacobi iteration R_{k+1} = o + α (1 − o) ⊙ (S R_k).

    Starting from R₀ = o the iterates rise monotonically to the solution; after k
    sweeps every path of at most k links is accounted for, so a DAG of depth k
    is solved exactly in k + 1 sweeps.
    """
    prepared = as_prepared(network)
    own = as_risk_array(own, prepared.n_nodes)
    solved = jacobi_per_dimension(
        prepared.shares,
        constant=own,
        gain=upstream_gain(own, methodology),
        start=own,
        tolerance=methodology.tolerance,
        max_iterations=methodology.max_iterations,
    )
    return PropagationResult(
        solved.values, solved.iterations, solved.residual,
        converged=solved.residual <= methodology.tolerance,
    )
