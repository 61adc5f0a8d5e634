"""Own risk: everything known about a site itself, before looking at its suppliers."""

from __future__ import annotations

import numpy as np

from graph.risk.combine import noisy_or_arrays
from graph.risk.dimensions import DIMENSIONS


def own_risk(inherent: np.ndarray, evidence: np.ndarray) -> np.ndarray:
    """o = 1 − (1 − inherent)(1 − evidence), elementwise over (n, 2) arrays."""
    return noisy_or_arrays(inherent, evidence)


def as_risk_array(values: np.ndarray, n_nodes: int, name: str = "own risk") -> np.ndarray:
    """`values` as a float (n_nodes, 2) array, rejecting wrong shapes and values outside [0, 1]."""
    array = np.asarray(values, dtype=np.float64)
    if array.shape != (n_nodes, len(DIMENSIONS)):
        raise ValueError(f"{name} must have shape ({n_nodes}, 2), got {array.shape}")
    if not (np.all(array >= 0.0) and np.all(array <= 1.0)):  # also rejects NaN
        raise ValueError(f"{name} values must lie in [0, 1]")
    return array
