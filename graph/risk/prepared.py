"""A network compiled once into the sparse matrices every computation reuses."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import scipy.sparse as sp

from graph.risk.network import SupplyNetwork, share_matrix


@dataclass(frozen=True, eq=False)
class PreparedNetwork:
    """`shares` is S (rows = downstream nodes, S[v, u] = s_uv); the methodology is not baked in,
    so one prepared network serves every methodology version."""

    network: SupplyNetwork
    shares: sp.csr_array

    @property
    def n_nodes(self) -> int:
        return self.network.n_nodes

    @cached_property
    def shares_out(self) -> sp.csr_array:
        """Sᵀ in CSR form: row u lists u's customers. Built on first use (cones, exposure)."""
        return self.shares.T.tocsr()


def prepare(network: SupplyNetwork) -> PreparedNetwork:
    """Normalise shares and build S once."""
    return PreparedNetwork(network, share_matrix(network))


def prepare_normalized(network: SupplyNetwork, normalized: np.ndarray) -> PreparedNetwork:
    """S from shares already normalised, one per link: for a part of a larger network, where a node's shares were
    normalised over inputs that are not all in the part (graph/services/risk_cone.py)."""
    n = network.n_nodes
    matrix = sp.coo_array((np.asarray(normalized, dtype=np.float64), (network.downstream, network.upstream)),
                          shape=(n, n)).tocsr()
    matrix.eliminate_zeros()
    return PreparedNetwork(network, matrix)
