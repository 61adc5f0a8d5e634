"""Incremental propagation: re-solve only the downstream cone of the nodes whose own risk changed.

Let C be the downstream cone of the changed nodes. A node outside C has no path
from a changed node, so its score is unchanged. Inside C the system
R_C = o_C + g_C ⊙ (S_CC R_C + S_CĈ R_Ĉ) has the scores R_Ĉ of the rest of the
network as fixed inputs, which gives a smaller system of the same form:

    R_C = b + g_C ⊙ (S_CC R_C),    b = o_C + g_C ⊙ (S_CĈ R_Ĉ),    g = α (1 − o).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from graph.risk.cones import downstream_cone
from graph.risk.methodology import Methodology
from graph.risk.own import as_risk_array
from graph.risk.prepared import PreparedNetwork
from graph.risk.propagation import PropagationResult, upstream_gain
from graph.risk.solver import jacobi_per_dimension


@dataclass(frozen=True, eq=False)
class IncrementalResult(PropagationResult):
    recomputed: np.ndarray  # the cone: the only nodes whose scores may differ from before


def propagate_incremental(
    prepared: PreparedNetwork,
    previous_scores: np.ndarray,
    new_own: np.ndarray,
    changed_nodes: Iterable[int] | np.ndarray,
    methodology: Methodology,
) -> IncrementalResult:
    """Scores for `new_own`, given the converged scores for an own risk that differs only at
    `changed_nodes` (same network, same methodology). Equal to a full `propagate`."""
    new_own = as_risk_array(new_own, prepared.n_nodes)
    previous_scores = as_risk_array(previous_scores, prepared.n_nodes, "previous scores")
    cone = downstream_cone(prepared, changed_nodes)
    inputs = prepared.shares[cone]  # every input link of every cone node
    inside = inputs[:, cone]
    inflow_from_outside = inputs @ previous_scores - inside @ previous_scores[cone]
    gain = upstream_gain(new_own[cone], methodology)
    solved = jacobi_per_dimension(
        inside,
        constant=new_own[cone] + gain * inflow_from_outside,
        gain=gain,
        start=previous_scores[cone],
        tolerance=methodology.tolerance,
        max_iterations=methodology.max_iterations,
    )
    scores = previous_scores.copy()
    scores[cone] = solved.values
    return IncrementalResult(
        scores, solved.iterations, solved.residual,
        converged=solved.residual <= methodology.tolerance,
        recomputed=cone,
    )
