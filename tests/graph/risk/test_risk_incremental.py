import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from risk_reference import cases, unit_floats

from graph.risk import (
    DEFAULT_METHODOLOGY, SupplyNetwork, downstream_cone, normalized_shares, prepare, propagate, propagate_incremental,
)
from graph.risk.prepared import prepare_normalized

M = DEFAULT_METHODOLOGY


@given(cases(max_nodes=8, max_links=20), st.data())
def test_incremental_equals_full_recompute(case, data):
    prepared = prepare(SupplyNetwork(case.n_nodes, *case.arrays()))
    previous = propagate(prepared, case.own, M).scores
    changed = data.draw(st.sets(st.integers(0, case.n_nodes - 1), max_size=3))
    new_own = case.own.copy()
    for node in changed:
        new_own[node] = data.draw(st.tuples(unit_floats, unit_floats))

    incremental = propagate_incremental(prepared, previous, new_own, changed, M)
    full = propagate(prepared, new_own, M).scores

    assert incremental.converged
    np.testing.assert_allclose(incremental.scores, full, atol=1e-9)
    untouched = np.setdiff1d(np.arange(case.n_nodes), incremental.recomputed)
    np.testing.assert_array_equal(incremental.scores[untouched], previous[untouched])
    assert set(changed) <= set(incremental.recomputed.tolist())


def test_only_the_downstream_cone_is_recomputed():
    # 0 → 1 → 2 and 3 → 2; changing node 1 recomputes 1 and 2 only.
    net = SupplyNetwork(4, np.array([0, 1, 3]), np.array([1, 2, 2]), np.array([1.0, 0.5, 0.5]))
    prepared = prepare(net)
    own = np.full((4, 2), 0.1)
    previous = propagate(prepared, own, M).scores
    new_own = own.copy()
    new_own[1] = [0.9, 0.0]
    result = propagate_incremental(prepared, previous, new_own, [1], M)
    assert result.recomputed.tolist() == [1, 2]
    np.testing.assert_allclose(result.scores, propagate(prepared, new_own, M).scores, atol=1e-12)


def test_no_changed_nodes_returns_the_previous_scores():
    prepared = prepare(SupplyNetwork(2, np.array([0]), np.array([1]), np.array([1.0])))
    own = np.array([[0.5, 0.2], [0.1, 0.0]])
    previous = propagate(prepared, own, M).scores
    result = propagate_incremental(prepared, previous, own, [], M)
    np.testing.assert_array_equal(result.scores, previous)
    assert result.recomputed.size == 0


@given(cases(max_nodes=8, max_links=20), st.data())
def test_a_part_with_the_changed_inputs_and_the_links_among_the_cone_gives_the_full_result(case, data):
    # given a converged network and new own risk at a few nodes
    network = SupplyNetwork(case.n_nodes, *case.arrays())
    prepared = prepare(network)
    previous = propagate(prepared, case.own, M).scores
    changed = sorted(data.draw(st.sets(st.integers(0, case.n_nodes - 1), min_size=1, max_size=3)))
    new_own = case.own.copy()
    for node in changed:
        new_own[node] = data.draw(st.tuples(unit_floats, unit_floats))

    # when only the links out of the cone and into the changed nodes are kept, with shares normalised over all
    cone = downstream_cone(prepared, changed)
    normalized = normalized_shares(network)
    kept = np.isin(network.upstream, cone) | np.isin(network.downstream, changed)
    part = SupplyNetwork(case.n_nodes, network.upstream[kept], network.downstream[kept], normalized[kept])
    result = propagate_incremental(prepare_normalized(part, normalized[kept]), previous, new_own, changed, M,
                                   previous_own=case.own)

    # then the other cone nodes' inflow, read back from their scores, gives the full recompute
    assert result.converged
    np.testing.assert_allclose(result.scores, propagate(prepared, new_own, M).scores, atol=1e-9)
    assert set(result.recomputed.tolist()) <= set(cone.tolist())
