"""Incremental propagation: re-solve only the downstream cone of the nodes whose own risk changed.

Let C be the downstream cone of the changed nodes. A node outside C has no path
from a changed node, so its score is unchanged. Inside C the system
R_C = o_C + g_C ⊙ (S_CC R_C + S_CĈ R_Ĉ) has the scores R_Ĉ of the rest of the
network as fixed inputs, which gives a smaller system of the same form:

    R_C = b + g_C ⊙ (S_CC R_C),    b = o_C + g_C ⊙ (S_CĈ R_Ĉ),    g = α (1 − o).

At a cone node whose own risk did not change, the inflow from outside F = S_CĈ R_Ĉ can also be read back from its
converged score, so a caller holding only part of a large network (graph/services/risk_cone.py) needs the inputs
of the changed nodes and the links among the cone, not every input of every cone node.
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
    previous_own: np.ndarray | None = None,
) -> IncrementalResult:
    """Scores for `new_own`, given the converged scores for an own risk that differs only at
    `changed_nodes` (same network, same methodology). Equal to a full `propagate`.

    With `previous_own` (the own risk those scores were computed from), `prepared` may be a part of the network
    holding only the changed nodes' inputs and the links among the cone: the inflow from outside the cone into
    every other cone node is then read back from its previous score (`inflow_read_back`)."""
    new_own = as_risk_array(new_own, prepared.n_nodes)
    previous_scores = as_risk_array(previous_scores, prepared.n_nodes, "previous scores")
    cone = downstream_cone(prepared, changed_nodes)
    inputs = prepared.shares[cone]  # every input link of every cone node
    inside = inputs[:, cone]
    inside_inflow = inside @ previous_scores[cone]
    inflow_from_outside = inputs @ previous_scores - inside_inflow
    if previous_own is not None:
        previous_own = as_risk_array(previous_own, prepared.n_nodes, "previous own risk")
        unchanged = ~np.isin(cone, np.asarray(list(changed_nodes), dtype=np.int64))
        inflow_from_outside[unchanged] = inflow_read_back(
            previous_scores[cone][unchanged], previous_own[cone][unchanged], inside_inflow[unchanged], methodology)
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


def inflow_read_back(scores: np.ndarray, own: np.ndarray, inside_inflow: np.ndarray,
                     methodology: Methodology) -> np.ndarray:
    """What flowed into cone nodes from outside the cone, read back from their converged scores:

        R = o + g (S_CC R_C + F)   ⇒   F = (R − o) / g − S_CC R_C,    g = α (1 − o),

    0 where g = 0 (own risk 1: the score is 1 whatever flows in). The new score R' = R + g' S_CC (R'_C − R_C)
    at an unchanged node (g' = g) then carries the previous score's error, never more: F's rounding is scaled back
    by g."""
    gain = upstream_gain(own, methodology)
    upstream = np.divide(scores - own, gain, out=np.zeros_like(scores), where=gain > 0)
    return np.where(gain > 0, upstream - inside_inflow, 0.0)
