"""Exposure: the reverse of an explanation — how much of one risky site reaches each customer.

Source x contributes c_v = o_x · M_vx to the score of node v, M = (I − D W)⁻¹.
Column x of M is z = M e_x, the solution of z = e_x + D W z, which is zero
outside the downstream cone of x, so it is solved on that cone only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graph.risk.cones import downstream_cone
from graph.risk.dimensions import DIMENSIONS
from graph.risk.methodology import Methodology
from graph.risk.own import as_risk_array
from graph.risk.prepared import PreparedNetwork
from graph.risk.propagation import upstream_gain
from graph.risk.solver import jacobi


@dataclass(frozen=True, eq=False)
class Exposure:
    source: int
    dimension: int
    nodes: np.ndarray  # the downstream cone of source, sorted (source included)
    contribution: np.ndarray  # c_v = o_x M_vx for each of `nodes`
    fraction_of_score: np.ndarray  # c_v / R_v (0 where R_v = 0)


def exposure(
    prepared: PreparedNetwork,
    scores: np.ndarray,
    own: np.ndarray,
    source_node: int,
    dimension: int,
    methodology: Methodology,
) -> Exposure:
    """Contribution of `source_node` to each node downstream of it, and its part of their scores."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"dimension must be one of {DIMENSIONS}, got {dimension}")
    own_d = as_risk_array(own, prepared.n_nodes)[:, dimension]
    scores_d = as_risk_array(scores, prepared.n_nodes, "scores")[:, dimension]
    cone = downstream_cone(prepared, [source_node])
    unit = (cone == source_node).astype(np.float64)
    column = jacobi(
        prepared.shares[cone][:, cone],
        constant=unit,
        gain=upstream_gain(own_d[cone], methodology),
        start=unit,
        tolerance=methodology.tolerance,
        max_iterations=methodology.max_iterations,
    ).values
    contribution = own_d[source_node] * column
    share_of_score = np.divide(
        contribution, scores_d[cone], out=np.zeros(len(cone)), where=scores_d[cone] > 0.0
    )
    return Exposure(source_node, dimension, cone, contribution, share_of_score)
