"""Jacobi iteration for the linear fixed points x = c + g ⊙ (A x) used throughout the engine."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from graph.risk.dimensions import DIMENSIONS


@dataclass(frozen=True, eq=False)
class FixedPoint:
    values: np.ndarray
    iterations: int
    residual: float  # max |x_k − x_{k−1}| of the last iteration


def jacobi(
    matrix: sp.csr_array,
    constant: np.ndarray,
    gain: np.ndarray | float,
    start: np.ndarray,
    tolerance: float,
    max_iterations: int,
) -> FixedPoint:
    """Solve x = c + g ⊙ (A x) by x_{k+1} = c + g ⊙ (A x_k) until max |x_{k+1} − x_k| ≤ tolerance.

    If ρ = max_i g_i Σ_j A_ij < 1 the map is a contraction in the max norm, so the
    iteration converges from any start and the error after stopping is at most
    ρ / (1 − ρ) · tolerance.
    """
    x = start
    residual = float("inf")
    iterations = 0
    while iterations < max_iterations and residual > tolerance:
        next_x = constant + gain * (matrix @ x)
        residual = float(np.max(np.abs(next_x - x), initial=0.0))
        x = next_x
        iterations += 1
    return FixedPoint(x, iterations, residual)


def jacobi_per_dimension(
    matrix: sp.csr_array,
    constant: np.ndarray,
    gain: np.ndarray,
    start: np.ndarray,
    tolerance: float,
    max_iterations: int,
) -> FixedPoint:
    """`jacobi` on each column of (n, 2) arrays; the two dimensions run on two threads.

    The dimensions are independent systems sharing A. Solving them as separate
    contiguous vectors is faster than one (n, 2) product, because scipy's
    sparse × vector kernel is several times quicker than its multi-column kernel
    and releases the GIL, so the two solves run in parallel.
    """

    def solve(dimension: int) -> FixedPoint:
        return jacobi(
            matrix,
            np.ascontiguousarray(constant[:, dimension]),
            np.ascontiguousarray(gain[:, dimension]),
            np.ascontiguousarray(start[:, dimension]),
            tolerance,
            max_iterations,
        )

    with ThreadPoolExecutor(max_workers=len(DIMENSIONS)) as pool:
        solved = list(pool.map(solve, DIMENSIONS))
    return FixedPoint(
        np.column_stack([s.values for s in solved]),
        max(s.iterations for s in solved),
        max(s.residual for s in solved),
    )
