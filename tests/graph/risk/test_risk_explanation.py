import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from risk_reference import Case, cases, path_term, paths_into, reference_path_weights

from graph.risk import (
    CHILD_LABOUR,
    DEFAULT_METHODOLOGY,
    FORCED_LABOUR,
    SupplyNetwork,
    explain,
    exposure,
    prepare,
    propagate,
)

M = DEFAULT_METHODOLOGY
TOLERANCE = 1e-9


def prepared_case(case):
    return prepare(SupplyNetwork(case.n_nodes, *case.arrays()))


@given(cases(max_nodes=7, max_links=18), st.data())
def test_source_contributions_add_up_to_the_score(case, data):
    node = data.draw(st.integers(0, case.n_nodes - 1))
    dimension = data.draw(st.sampled_from((CHILD_LABOUR, FORCED_LABOUR)))
    prepared = prepared_case(case)
    scores = propagate(prepared, case.own, M).scores
    explanation = explain(prepared, case.own, node, dimension, M, top_sources=case.n_nodes)

    assert explanation.score == pytest.approx(scores[node, dimension], abs=TOLERANCE)
    assert sum(s.contribution for s in explanation.sources) == pytest.approx(
        explanation.score, abs=TOLERANCE)
    column = reference_path_weights(case, dimension)[node]
    for source in explanation.sources:
        assert source.contribution == pytest.approx(
            case.own[source.node, dimension] * column[source.node], abs=TOLERANCE)


@given(cases(max_nodes=7, max_links=18), st.data())
def test_listed_paths_plus_remainder_is_the_score(case, data):
    node = data.draw(st.integers(0, case.n_nodes - 1))
    dimension = data.draw(st.sampled_from((CHILD_LABOUR, FORCED_LABOUR)))
    explanation = explain(prepared_case(case), case.own, node, dimension, M,
                          top_sources=data.draw(st.integers(1, 4)),
                          paths_per_source=data.draw(st.integers(1, 3)))

    listed = sum(p.contribution for p in explanation.paths)
    # remainder = score − listed, so adding it back gives the score up to one rounding of the subtraction
    assert listed + explanation.remainder == pytest.approx(explanation.score, rel=1e-12, abs=1e-300)
    assert explanation.remainder >= -TOLERANCE
    for path in explanation.paths:
        assert path.nodes[-1] == node
        assert path.contribution == pytest.approx(
            path_term(case, list(path.nodes), list(path.shares), dimension), abs=1e-15)
    contributions = [p.contribution for p in explanation.paths]
    assert contributions == sorted(contributions, reverse=True)


@given(cases(max_nodes=6, max_links=10, acyclic=True), st.data())
def test_on_a_dag_all_paths_leave_no_remainder(case, data):
    node = data.draw(st.integers(0, case.n_nodes - 1))
    explanation = explain(prepared_case(case), case.own, node, CHILD_LABOUR, M,
                          top_sources=case.n_nodes, paths_per_source=10_000)
    # Parallel links are one edge in the explanation, so compare per node sequence.
    expected: dict[tuple[int, ...], float] = {}
    for nodes, shares in paths_into(case, node):
        term = path_term(case, nodes, shares, CHILD_LABOUR)
        if term > 0:
            expected[tuple(nodes)] = expected.get(tuple(nodes), 0.0) + term
    found = {p.nodes: p.contribution for p in explanation.paths}
    # The solver stops once a sweep changes nothing by more than its tolerance, so a path whose whole term is
    # below it (a share of 1e-38, say) may be left out, and terms near the smallest float may round to zero in
    # one computation and not the other; every other path must be listed, each with its term.
    significant = {nodes for nodes, term in expected.items() if term > TOLERANCE}
    assert significant <= found.keys()
    for nodes, contribution in found.items():
        assert contribution == pytest.approx(expected.get(nodes, 0.0), abs=1e-12)
    assert explanation.remainder == pytest.approx(0.0, abs=TOLERANCE)


@given(cases(max_nodes=7, max_links=18), st.data())
def test_exposure_is_the_column_of_path_weights(case, data):
    source = data.draw(st.integers(0, case.n_nodes - 1))
    dimension = data.draw(st.sampled_from((CHILD_LABOUR, FORCED_LABOUR)))
    prepared = prepared_case(case)
    scores = propagate(prepared, case.own, M).scores
    result = exposure(prepared, scores, case.own, source, dimension, M)

    expected = case.own[source, dimension] * reference_path_weights(case, dimension)[:, source]
    reached = np.flatnonzero(expected > 0)
    assert set(reached.tolist()) <= set(result.nodes.tolist())
    np.testing.assert_allclose(result.contribution, expected[result.nodes], atol=TOLERANCE)
    assert np.all(result.contribution <= scores[result.nodes, dimension] + TOLERANCE)


def test_invalid_dimension_or_node_is_rejected():
    case = Case(2, ((0, 1, 1.0),), np.array([[0.5, 0.5], [0.0, 0.0]]))
    prepared = prepared_case(case)
    with pytest.raises(ValueError):
        explain(prepared, case.own, 1, 2, M)
    with pytest.raises(ValueError):
        explain(prepared, case.own, 9, CHILD_LABOUR, M)
