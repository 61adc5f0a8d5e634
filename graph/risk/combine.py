"""Noisy-OR: the one rule used to combine independent risk signals.

If each signal i alone makes abuse present with probability p_i, and the
signals are independent, abuse is absent only if every signal fails:
P = 1 − Π_i (1 − p_i). The result never falls below the largest input and
never exceeds 1, and adding a signal can only raise it.
"""

from __future__ import annotations

import numpy as np


def noisy_or(*probabilities: float) -> float:
    """1 − Π_i (1 − p_i); 0 for no inputs."""
    survival = 1.0
    for p in probabilities:
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"probabilities must lie in [0, 1], got {p}")
        survival *= 1.0 - p
    return 1.0 - survival


def noisy_or_arrays(*arrays: np.ndarray) -> np.ndarray:
    """Elementwise 1 − Π_i (1 − A_i) over arrays of one broadcastable shape."""
    survival = np.ones(np.broadcast_shapes(*(np.shape(a) for a in arrays)))
    for array in arrays:
        array = np.asarray(array, dtype=float)
        if array.size and not (np.all(array >= 0.0) and np.all(array <= 1.0)):
            raise ValueError("probabilities must lie in [0, 1]")
        survival = survival * (1.0 - array)
    return 1.0 - survival
