import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import given
from risk_reference import cases, reference_influence, reference_shares

from graph.risk import (
    DEFAULT_METHODOLOGY,
    SupplyNetwork,
    cone_digraph,
    downstream_cone,
    influence_matrix,
    normalized_shares,
    prepare,
    upstream_cone,
)

NAN = math.nan


def network(n, links):
    upstream, downstream, share = zip(*links, strict=True) if links else ((), (), ())
    return SupplyNetwork(n, np.array(upstream, dtype=int), np.array(downstream, dtype=int),
                         np.array(share, dtype=float))


@pytest.mark.parametrize(
    ("links", "expected"),
    [
        ([(0, 3, 0.6), (1, 3, NAN), (2, 3, NAN)], [0.6, 0.2, 0.2]),  # leftover split
        ([(0, 3, NAN), (1, 3, NAN)], [0.5, 0.5]),  # nothing known: equal split
        ([(0, 3, 0.9), (1, 3, 0.6)], [0.6, 0.4]),  # over-full: scaled to sum 1
        ([(0, 3, 1.0), (1, 3, 0.5), (2, 3, NAN)], [2 / 3, 1 / 3, 0.0]),  # nothing left over
        ([(0, 3, 0.3), (1, 3, 0.2)], [0.3, 0.2]),  # under-full known shares are kept
    ],
)
def test_normalized_shares_examples(links, expected):
    np.testing.assert_allclose(normalized_shares(network(4, links)), expected)


@given(cases())
def test_normalized_shares_follow_the_two_step_rule(case):
    shares = normalized_shares(SupplyNetwork(case.n_nodes, *case.arrays()))
    np.testing.assert_allclose(shares, reference_shares(case), atol=1e-12)
    incoming = np.bincount(np.array([v for _, v, _ in case.links], dtype=int), weights=shares,
                           minlength=case.n_nodes) if case.links else np.zeros(case.n_nodes)
    assert np.all(incoming <= 1.0 + 1e-12)


def test_influence_matrix_sums_parallel_links():
    w = influence_matrix(network(2, [(0, 1, 0.3), (0, 1, 0.3)]), DEFAULT_METHODOLOGY)
    assert w[1, 0] == pytest.approx(0.8 * 0.6)
    assert w.nnz == 1


@given(cases())
def test_influence_matrix_matches_reference(case):
    w = influence_matrix(SupplyNetwork(case.n_nodes, *case.arrays()), DEFAULT_METHODOLOGY)
    np.testing.assert_allclose(w.toarray(), reference_influence(case), atol=1e-12)


@pytest.mark.parametrize(
    ("links", "message"),
    [
        ([(0, 5, 0.5)], "outside"),
        ([(-1, 1, 0.5)], "outside"),
        ([(1, 1, 0.5)], "self-loop"),
        ([(0, 1, 1.5)], "share 1.5"),
        ([(0, 1, -0.1)], "share -0.1"),
        ([(0, 1, math.inf)], "share inf"),
    ],
)
def test_invalid_links_are_rejected_with_a_clear_message(links, message):
    with pytest.raises(ValueError, match=message):
        network(3, links)


def test_mismatched_or_non_integer_arrays_are_rejected():
    with pytest.raises(ValueError, match="equal lengths"):
        SupplyNetwork(3, np.array([0, 1]), np.array([1]), np.array([0.5, 0.5]))
    with pytest.raises(ValueError, match="integer"):
        SupplyNetwork(3, np.array([0.0]), np.array([1.0]), np.array([0.5]))


def test_network_copies_and_freezes_its_arrays():
    upstream = np.array([0, 1])
    net = SupplyNetwork(3, upstream, np.array([1, 2]), np.array([0.5, NAN]))
    upstream[0] = 2
    assert net.upstream[0] == 0
    with pytest.raises(ValueError):
        net.share[0] = 0.1


def positive_share_digraph(case):
    shares = reference_shares(case)
    graph = nx.DiGraph()
    graph.add_nodes_from(range(case.n_nodes))
    graph.add_edges_from((u, v) for (u, v, _), s in zip(case.links, shares, strict=True) if s > 0)
    return graph


@given(cases())
def test_cones_match_networkx_reachability(case):
    prepared = prepare(SupplyNetwork(case.n_nodes, *case.arrays()))
    graph = positive_share_digraph(case)
    for node in range(case.n_nodes):
        assert downstream_cone(prepared, [node]).tolist() == sorted(
            nx.descendants(graph, node) | {node})
        assert upstream_cone(prepared, [node]).tolist() == sorted(
            nx.ancestors(graph, node) | {node})


def test_cone_digraph_holds_only_the_requested_nodes():
    net = network(4, [(0, 1, 0.5), (1, 2, NAN), (2, 3, 0.25), (0, 1, 0.25)])
    graph = cone_digraph(prepare(net), np.array([0, 1, 2]))
    assert sorted(graph.nodes) == [0, 1, 2]
    assert sorted(graph.edges) == [(0, 1), (1, 2)]
    assert graph.edges[0, 1]["share"] == pytest.approx(0.75)
