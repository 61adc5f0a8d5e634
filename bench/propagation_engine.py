"""Benchmark of the pure-Python risk engine (graph.risk) against a bare scipy floor.

Run:  .venv/bin/python bench/propagation_engine.py --sizes 100000:500000,1000000:5000000

Reported per size:
  engine full      SupplyNetwork validation + prepare + propagate, from raw arrays to scores
  engine peak mem  peak tracemalloc-traced memory (numpy buffers included) during one extra,
                   untimed engine run, above what was traced before it; excludes the inputs
  floor            scipy_floor: csr from coo, then r ← o + (1 − o)(W r) with r of shape (n, 2)
  floor/dim        scipy_floor_per_dimension: the same iteration, one vector per dimension
  incremental      propagate_incremental after one farm's own risk changes
  explanation      explain() for one brand (the most downstream tier, largest upstream cone)
Every timing is the best of --repeats runs. The machine may be shared, so the 1-minute
load average is printed too; the process's max RSS is printed at the end.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np
import scipy.sparse as sp

# The project root, so that the script runs from anywhere.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph.risk import (
    DEFAULT_METHODOLOGY,
    FORCED_LABOUR,
    SupplyNetwork,
    explain,
    prepare,
    propagate,
    propagate_incremental,
    upstream_cone,
)

T = TypeVar("T")

# Tiers, upstream to downstream, with their fraction of all nodes.
TIER_FRACTIONS = (0.55, 0.20, 0.12, 0.06, 0.05, 0.02)
FARM, COLLECTOR, PROCESSOR, TRADER, MANUFACTURER, BRAND = range(6)
# (upstream tier, downstream tier, fraction of all links). Trader → trader links close cycles.
TRANSITIONS = (
    (FARM, COLLECTOR, 0.30),
    (COLLECTOR, PROCESSOR, 0.20),
    (PROCESSOR, TRADER, 0.18),
    (TRADER, MANUFACTURER, 0.14),
    (MANUFACTURER, BRAND, 0.10),
    (FARM, PROCESSOR, 0.04),
    (PROCESSOR, MANUFACTURER, 0.03),
    (TRADER, TRADER, 0.01),
)
NODES_PER_SHED = 2000  # a sourcing region; only brands buy across regions


def tier_bounds(n_nodes: int) -> np.ndarray:
    """Start of each tier in the tier-ordered numbering, plus n_nodes at the end."""
    bounds = np.concatenate([[0], np.round(np.cumsum(TIER_FRACTIONS) * n_nodes)]).astype(np.int64)
    bounds[-1] = n_nodes
    return bounds


def _links_between(rng: np.random.Generator, bounds: np.ndarray, n_sheds: int,
                   upstream_tier: int, downstream_tier: int, n_links: int
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Random links between two tiers, inside one shed unless the buyer is a brand."""
    up_start, up_size = bounds[upstream_tier], bounds[upstream_tier + 1] - bounds[upstream_tier]
    down_start = bounds[downstream_tier]
    down_size = bounds[downstream_tier + 1] - down_start
    upstream_offset = rng.integers(0, up_size, n_links)
    if downstream_tier == BRAND:
        downstream_offset = rng.integers(0, down_size, n_links)
    else:
        # Tiers are split into n_sheds equal runs; pick a buyer in the seller's run.
        shed = upstream_offset * n_sheds // up_size
        shed_start = shed * down_size // n_sheds
        shed_size = np.maximum((shed + 1) * down_size // n_sheds - shed_start, 1)
        downstream_offset = shed_start + rng.integers(0, shed_size)
    if upstream_tier == downstream_tier:  # no self-loops: move to the next node in the tier
        same = downstream_offset == upstream_offset
        downstream_offset[same] = (downstream_offset[same] + 1) % down_size
    return up_start + upstream_offset, down_start + downstream_offset


def synthetic_network(n_nodes: int, n_links: int, seed: int) -> tuple[SupplyNetwork, np.ndarray]:
    """Tiered supply-chain-like network and the tier of each node.

    Farms → collectors → processors → traders → manufacturers → brands, plus tier-skipping
    links and trader → trader links (cycles). Sourcing is regional except at the brand tier.
    Shares are random and sum to 1 over each node's inputs. Node ids are shuffled, so the
    numbering has no tier locality, as with database ids.
    """
    rng = np.random.default_rng(seed)
    bounds = tier_bounds(n_nodes)
    n_sheds = max(1, n_nodes // NODES_PER_SHED)
    counts = np.round(np.array([t[2] for t in TRANSITIONS]) * n_links).astype(np.int64)
    counts[0] += n_links - counts.sum()
    pairs = [_links_between(rng, bounds, n_sheds, a, b, k)
             for (a, b, _), k in zip(TRANSITIONS, counts, strict=True)]
    relabel = rng.permutation(n_nodes)
    upstream = relabel[np.concatenate([p[0] for p in pairs])]
    downstream = relabel[np.concatenate([p[1] for p in pairs])]
    raw = rng.exponential(size=n_links)
    share = raw / np.bincount(downstream, weights=raw, minlength=n_nodes)[downstream]
    tiers = np.empty(n_nodes, dtype=np.int64)
    tiers[relabel] = np.repeat(np.arange(len(TIER_FRACTIONS)), np.diff(bounds))
    return SupplyNetwork(n_nodes, upstream, downstream, np.minimum(share, 1.0)), tiers


def synthetic_own(n_nodes: int, seed: int) -> np.ndarray:
    """Own risk for both dimensions: mostly low, a long tail of risky sites (Beta(0.5, 8))."""
    return np.random.default_rng(seed).beta(0.5, 8.0, size=(n_nodes, 2))


def scipy_floor(network: SupplyNetwork, own: np.ndarray, alpha: float,
                tolerance: float = 1e-10) -> np.ndarray:
    """Bare minimum: W from coo, then r ← o + (1 − o)(W r) on the (n, 2) array until converged."""
    n = network.n_nodes
    w = sp.coo_array((alpha * network.share, (network.downstream, network.upstream)),
                     shape=(n, n)).tocsr()
    r = own
    while True:
        next_r = own + (1.0 - own) * (w @ r)
        if np.max(np.abs(next_r - r)) <= tolerance:
            return next_r
        r = next_r


def scipy_floor_per_dimension(network: SupplyNetwork, own: np.ndarray, alpha: float,
                              tolerance: float = 1e-10) -> np.ndarray:
    """`scipy_floor` iterating each dimension as its own contiguous vector, serially."""
    n = network.n_nodes
    w = sp.coo_array((alpha * network.share, (network.downstream, network.upstream)),
                     shape=(n, n)).tocsr()
    columns = []
    for o in (np.ascontiguousarray(own[:, d]) for d in range(own.shape[1])):
        r = o
        while True:
            next_r = o + (1.0 - o) * (w @ r)
            if np.max(np.abs(next_r - r)) <= tolerance:
                break
            r = next_r
        columns.append(next_r)
    return np.column_stack(columns)


def timed(function: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    result = function()
    return result, time.perf_counter() - start


def best_of(repeats: int, function: Callable[[], T]) -> tuple[T, float]:
    runs = [timed(function) for _ in range(repeats)]
    return runs[-1][0], min(seconds for _, seconds in runs)


def engine_full(network: SupplyNetwork, own: np.ndarray) -> np.ndarray:
    """What the service does on a full recompute: validate, prepare, propagate."""
    validated = SupplyNetwork(network.n_nodes, network.upstream, network.downstream,
                              network.share)
    return propagate(prepare(validated), own, DEFAULT_METHODOLOGY).scores


def peak_traced_bytes(function: Callable[[], object]) -> int:
    tracemalloc.start()
    baseline, _ = tracemalloc.get_traced_memory()
    function()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak - baseline


@dataclass(frozen=True)
class EngineBench:
    """Measurements for one network size (seconds and bytes)."""

    n_nodes: int
    n_links: int
    sweeps: int
    engine_seconds: float
    engine_peak_bytes: int
    floor_seconds: float
    floor_per_dimension_seconds: float
    engine_floor_difference: float
    incremental_seconds: float
    incremental_cone: int
    incremental_difference: float
    explanation_seconds: float
    explanation_upstream_cone: int
    explanation_coverage: float  # fraction of the score covered by the listed paths


def measure_engine(n_nodes: int, n_links: int, seed: int = 7, repeats: int = 3) -> EngineBench:
    """Time the engine on one synthetic network; every timing is the best of `repeats`."""
    network, tiers = synthetic_network(n_nodes, n_links, seed)
    own = synthetic_own(n_nodes, seed + 1)
    alpha = DEFAULT_METHODOLOGY.attenuation

    scores, engine_seconds = best_of(repeats, lambda: engine_full(network, own))
    peak = peak_traced_bytes(lambda: engine_full(network, own))
    floor_scores, floor_seconds = best_of(repeats, lambda: scipy_floor(network, own, alpha))
    _, per_dim_seconds = best_of(repeats, lambda: scipy_floor_per_dimension(network, own, alpha))

    prepared = prepare(network)
    _ = prepared.shares_out  # warm the cached transpose, as a long-lived service would
    full = propagate(prepared, own, DEFAULT_METHODOLOGY)
    rng = np.random.default_rng(seed + 2)
    farm = int(rng.choice(np.flatnonzero(tiers == FARM)))
    new_own = own.copy()
    new_own[farm] = np.minimum(new_own[farm] + 0.5, 1.0)
    incremental, incremental_seconds = best_of(
        repeats, lambda: propagate_incremental(prepared, full.scores, new_own, [farm],
                                               DEFAULT_METHODOLOGY))
    recomputed = propagate(prepared, new_own, DEFAULT_METHODOLOGY).scores

    brand = int(rng.choice(np.flatnonzero(tiers == BRAND)))
    explanation, explain_seconds = best_of(
        repeats, lambda: explain(prepared, own, brand, FORCED_LABOUR, DEFAULT_METHODOLOGY))

    return EngineBench(
        n_nodes=n_nodes,
        n_links=n_links,
        sweeps=full.iterations,
        engine_seconds=engine_seconds,
        engine_peak_bytes=peak,
        floor_seconds=floor_seconds,
        floor_per_dimension_seconds=per_dim_seconds,
        engine_floor_difference=float(np.max(np.abs(scores - floor_scores))),
        incremental_seconds=incremental_seconds,
        incremental_cone=len(incremental.recomputed),
        incremental_difference=float(np.max(np.abs(incremental.scores - recomputed))),
        explanation_seconds=explain_seconds,
        explanation_upstream_cone=len(upstream_cone(prepared, [brand])),
        explanation_coverage=1.0 - explanation.remainder / explanation.score,
    )


def run_engine_bench(n_nodes: int, n_links: int, seed: int = 7, repeats: int = 3) -> EngineBench:
    """Measure one network size and print the results."""
    load = os.getloadavg()[0]
    b = measure_engine(n_nodes, n_links, seed, repeats)
    print(f"== {b.n_nodes:,} nodes / {b.n_links:,} links "
          f"({b.sweeps} Jacobi sweeps; 1-min load average {load:.2f} before the run)")
    print(f"engine full recompute   {b.engine_seconds * 1e3:9.1f} ms")
    print(f"engine peak memory      {b.engine_peak_bytes / 2**20:9.1f} MiB (tracemalloc)")
    print(f"scipy floor (n,2)       {b.floor_seconds * 1e3:9.1f} ms   "
          f"engine/floor = {b.engine_seconds / b.floor_seconds:.2f}")
    print(f"scipy floor per dim     {b.floor_per_dimension_seconds * 1e3:9.1f} ms   "
          f"engine/floor = {b.engine_seconds / b.floor_per_dimension_seconds:.2f}")
    print(f"max |engine − floor|    {b.engine_floor_difference:9.1e}")
    print(f"incremental, 1 farm     {b.incremental_seconds * 1e3:9.1f} ms   "
          f"cone {b.incremental_cone:,} nodes, max |incr − full| {b.incremental_difference:.1e}")
    print(f"explanation, 1 brand    {b.explanation_seconds * 1e3:9.1f} ms   "
          f"upstream cone {b.explanation_upstream_cone:,} nodes, "
          f"listed paths cover {b.explanation_coverage:.1%} of the score")
    return b


def parse_sizes(text: str) -> list[tuple[int, int]]:
    """'100000:500000,1000000:5000000' → [(100000, 500000), (1000000, 5000000)]."""
    return [tuple(int(x) for x in size.split(":")) for size in text.split(",")]  # type: ignore[misc]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=parse_sizes, default=parse_sizes("100000:500000"),
                        help="comma-separated nodes:links pairs")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    for n_nodes, n_links in args.sizes:
        run_engine_bench(n_nodes, n_links, args.seed, args.repeats)
    max_rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process max RSS (whole run, inputs and floors included): {max_rss_mib:.0f} MiB")


if __name__ == "__main__":
    main()
