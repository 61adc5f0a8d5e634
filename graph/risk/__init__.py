"""Tributary risk engine: child-labour and forced-labour risk over a supply network.

Pure Python over numpy, scipy and networkx; no Django. The model is documented
in docs/methodology.md; each module's docstring states its part of it.
"""

from graph.risk.combine import noisy_or, noisy_or_arrays
from graph.risk.cones import cone_digraph, downstream_cone, upstream_cone
from graph.risk.dimensions import CHILD_LABOUR, DIMENSION_NAMES, DIMENSIONS, FORCED_LABOUR
from graph.risk.evidence import Evidence, evidence_risk, evidence_weight
from graph.risk.explanation import Explanation, PathContribution, SourceContribution, explain
from graph.risk.exposure import Exposure, exposure
from graph.risk.incremental import IncrementalResult, propagate_incremental
from graph.risk.inherent import (
    DolIndex,
    DolListing,
    InherentOverride,
    apply_override,
    inherent_risk,
)
from graph.risk.methodology import (
    DEFAULT_METHODOLOGY,
    METHODOLOGIES,
    Methodology,
    band,
    band_ranks,
    bands,
    get_methodology,
)
from graph.risk.network import SupplyNetwork, influence_matrix, normalized_shares
from graph.risk.own import own_risk
from graph.risk.prepared import PreparedNetwork, prepare
from graph.risk.propagation import PropagationResult, propagate

__all__ = [
    "CHILD_LABOUR",
    "DEFAULT_METHODOLOGY",
    "DIMENSIONS",
    "DIMENSION_NAMES",
    "FORCED_LABOUR",
    "METHODOLOGIES",
    "DolIndex",
    "DolListing",
    "Evidence",
    "Explanation",
    "Exposure",
    "IncrementalResult",
    "InherentOverride",
    "Methodology",
    "PathContribution",
    "PreparedNetwork",
    "PropagationResult",
    "SourceContribution",
    "SupplyNetwork",
    "apply_override",
    "band",
    "band_ranks",
    "bands",
    "cone_digraph",
    "downstream_cone",
    "evidence_risk",
    "evidence_weight",
    "explain",
    "exposure",
    "get_methodology",
    "influence_matrix",
    "inherent_risk",
    "noisy_or",
    "noisy_or_arrays",
    "normalized_shares",
    "own_risk",
    "prepare",
    "propagate",
    "propagate_incremental",
    "upstream_cone",
]
