"""The supply network as flat arrays: link i carries goods from upstream[i] to downstream[i].

Nodes are the integers 0 … n_nodes − 1 (the caller maps database ids to them).
share[i] is the fraction of the downstream node's input that link i carries,
NaN when unknown. All operations are vectorised over links so that networks of
millions of links are handled without Python loops.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from graph.risk.methodology import Methodology


def _read_only(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


def _first(mask: np.ndarray) -> int:
    return int(np.flatnonzero(mask)[0])


@dataclass(frozen=True, eq=False)
class SupplyNetwork:
    """Validated, immutable link arrays (copied on construction)."""

    n_nodes: int
    upstream: np.ndarray
    downstream: np.ndarray
    share: np.ndarray

    def __post_init__(self) -> None:
        if int(self.n_nodes) != self.n_nodes or self.n_nodes < 0:
            raise ValueError(f"n_nodes must be a non-negative integer, got {self.n_nodes}")
        object.__setattr__(self, "n_nodes", int(self.n_nodes))
        upstream, downstream = np.asarray(self.upstream), np.asarray(self.downstream)
        share = np.asarray(self.share, dtype=np.float64)
        if not (upstream.ndim == downstream.ndim == share.ndim == 1):
            raise ValueError("upstream, downstream and share must be one-dimensional arrays")
        if not (len(upstream) == len(downstream) == len(share)):
            raise ValueError(
                "upstream, downstream and share must have equal lengths, got "
                f"{len(upstream)}, {len(downstream)} and {len(share)}"
            )
        index_dtype = np.int32 if self.n_nodes <= np.iinfo(np.int32).max else np.int64
        for name, ends in (("upstream", upstream), ("downstream", downstream)):
            if ends.size and not np.issubdtype(ends.dtype, np.integer):
                raise ValueError(f"{name} must hold integer node indices, got dtype {ends.dtype}")
            if ends.size and (ends.min() < 0 or ends.max() >= self.n_nodes):
                i = _first((ends < 0) | (ends >= self.n_nodes))
                raise ValueError(
                    f"link {i}: {name} node {ends[i]} is outside [0, {self.n_nodes})"
                )
        if np.any(upstream == downstream):
            i = _first(upstream == downstream)
            raise ValueError(f"link {i} is a self-loop on node {upstream[i]}")
        known = share[~np.isnan(share)]
        if known.size and (known.min() < 0.0 or known.max() > 1.0):
            i = _first((share < 0.0) | (share > 1.0))
            raise ValueError(
                f"link {i}: share {share[i]} is outside [0, 1] (use NaN for an unknown share)"
            )
        # Node indices are stored in 32 bits when they fit: half the memory, and scipy's
        # sparse matrices use 32-bit indices at these sizes anyway.
        object.__setattr__(self, "upstream", _read_only(upstream.astype(index_dtype)))
        object.__setattr__(self, "downstream", _read_only(downstream.astype(index_dtype)))
        object.__setattr__(self, "share", _read_only(share.copy()))

    @property
    def n_links(self) -> int:
        return len(self.upstream)


def normalized_shares(network: SupplyNetwork) -> np.ndarray:
    """Per-link share s_uv with unknowns filled in and each node's inputs capped at 1.

    Rule, for a downstream node v with known shares summing to K_v and k_v unknown links:
      1. each unknown link gets an equal part of what the known ones leave: max(0, 1 − K_v) / k_v;
      2. if v's shares now sum to more than 1, all of them are divided by that sum.
    The sum after step 1 exceeds 1 only when K_v > 1, and then the unknowns got 0, so:
        known    s_uv ← s_uv / max(1, K_v)
        unknown  s_uv ← max(0, 1 − K_v) / k_v
    """
    n, downstream, share = network.n_nodes, network.downstream, network.share
    unknown = np.isnan(share)
    known_total = np.bincount(downstream, weights=np.where(unknown, 0.0, share), minlength=n)
    unknown_count = np.bincount(downstream[unknown], minlength=n)
    return normalize(share, known_total[downstream], unknown_count[downstream])


def normalize(share: np.ndarray, known_total: np.ndarray, unknown_count: np.ndarray) -> np.ndarray:
    """`normalized_shares` for links given with their downstream node's K_v and k_v (which may count inputs
    that are not among these links)."""
    unknown = np.isnan(share)
    normalized = share / np.maximum(known_total, 1.0)
    leftover_each = np.maximum(1.0 - known_total, 0.0) / np.maximum(unknown_count, 1)
    normalized[unknown] = leftover_each[unknown]
    return normalized


def share_matrix(network: SupplyNetwork) -> sp.csr_array:
    """S with S[v, u] = Σ s_uv over links u → v (parallel links summed, zeros dropped)."""
    n = network.n_nodes
    matrix = sp.coo_array(
        (normalized_shares(network), (network.downstream, network.upstream)), shape=(n, n)
    ).tocsr()
    matrix.eliminate_zeros()
    return matrix


def influence_matrix(network: SupplyNetwork, methodology: Methodology) -> sp.csr_array:
    """W = α · S: W[v, u] = α · s_uv, the weight of u's risk in v's upstream risk."""
    return methodology.attenuation * share_matrix(network)
