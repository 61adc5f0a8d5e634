"""A network compiled once into the sparse matrices every computation reuses."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

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
