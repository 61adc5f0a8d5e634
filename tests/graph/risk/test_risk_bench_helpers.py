import numpy as np

from bench.propagation_engine import (
    BRAND,
    FARM,
    scipy_floor,
    scipy_floor_per_dimension,
    synthetic_network,
    synthetic_own,
)
from graph.risk import DEFAULT_METHODOLOGY, prepare, propagate


def test_synthetic_network_is_valid_and_tiered():
    network, tiers = synthetic_network(5000, 25000, seed=1)
    assert network.n_links == 25000
    assert not np.any(tiers[network.upstream] == BRAND)
    assert not np.any(tiers[network.downstream] == FARM)
    incoming = np.bincount(network.downstream, weights=network.share, minlength=5000)
    assert np.all(incoming <= 1.0 + 1e-12)


def test_engine_agrees_with_both_floors():
    network, _ = synthetic_network(5000, 25000, seed=2)
    own = synthetic_own(5000, seed=3)
    engine = propagate(prepare(network), own, DEFAULT_METHODOLOGY).scores
    alpha = DEFAULT_METHODOLOGY.attenuation
    np.testing.assert_allclose(scipy_floor(network, own, alpha), engine, atol=1e-9)
    np.testing.assert_allclose(scipy_floor_per_dimension(network, own, alpha), engine, atol=1e-9)
