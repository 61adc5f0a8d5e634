import datetime
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from risk_reference import Case, brute_force_scores, cases, reference_influence, unit_floats

from graph.risk import (
    DEFAULT_METHODOLOGY,
    Evidence,
    Methodology,
    SupplyNetwork,
    evidence_risk,
    own_risk,
    prepare,
    propagate,
)

M = DEFAULT_METHODOLOGY
TOLERANCE = 1e-9
TODAY = datetime.date(2026, 3, 1)


def scores_of(case: Case, own=None, methodology=M) -> np.ndarray:
    network = SupplyNetwork(case.n_nodes, *case.arrays())
    result = propagate(network, case.own if own is None else own, methodology)
    assert result.converged
    return result.scores


def test_chain_example():
    # 0 → 1 → 2, full shares: R1 = 1 − 0.9 (1 − 0.8·0.5) = 0.46, R2 = 0.8 · 0.46 = 0.368.
    case = Case(3, ((0, 1, 1.0), (1, 2, math.nan)), np.array([[0.5, 0], [0.1, 0], [0, 0]]))
    np.testing.assert_allclose(scores_of(case)[:, 0], [0.5, 0.46, 0.368])


def test_two_node_cycle_has_closed_form():
    # R0 = a + (1 − a) α R1 and R1 = (1 − 0) α R0 with full shares both ways.
    a, alpha = 0.5, 0.8
    case = Case(2, ((0, 1, 1.0), (1, 0, 1.0)), np.array([[a, a], [0.0, 0.0]]))
    r0 = a / (1 - (1 - a) * alpha * alpha)
    np.testing.assert_allclose(scores_of(case), [[r0, r0], [alpha * r0, alpha * r0]])


@given(cases())
def test_scores_lie_between_own_risk_and_one(case):
    scores = scores_of(case)
    assert np.all(scores <= 1.0)
    assert np.all(scores >= case.own - TOLERANCE)


@given(cases(acyclic=True))
def test_dag_scores_equal_the_sum_over_all_paths(case):
    np.testing.assert_allclose(scores_of(case), brute_force_scores(case), atol=TOLERANCE)


@given(cases(max_nodes=8, max_links=24))
def test_cyclic_networks_converge_to_the_fixed_point(case):
    result = propagate(SupplyNetwork(case.n_nodes, *case.arrays()), case.own, M)
    assert result.converged and result.residual <= M.tolerance
    w = reference_influence(case)
    r, o = result.scores, case.own
    np.testing.assert_allclose(r, o + (1 - o) * (w @ r), atol=TOLERANCE)


@given(cases(), st.data())
def test_result_is_independent_of_node_labels_and_link_order(case, data):
    relabel = data.draw(st.permutations(range(case.n_nodes)))
    order = data.draw(st.permutations(range(len(case.links))))
    links = tuple((relabel[u], relabel[v], s) for u, v, s in (case.links[i] for i in order))
    own = np.empty_like(case.own)
    own[relabel] = case.own
    relabelled = scores_of(Case(case.n_nodes, links, own))
    np.testing.assert_allclose(relabelled[relabel], scores_of(case), atol=TOLERANCE)


@st.composite
def evidence_lists(draw, n_nodes):
    severities = ("critical", "major", "minor", "observation")
    return draw(st.lists(st.builds(
        Evidence,
        node=st.integers(0, n_nodes - 1),
        kind=st.just("finding"),
        dimensions=st.sets(st.sampled_from((0, 1)), min_size=1).map(frozenset),
        severity=st.sampled_from(severities),
        status=st.just("open"),
        observed_on=st.dates(datetime.date(2020, 1, 1), TODAY),
        remediation=st.sampled_from(("none", "done")),
    ), max_size=6))


@given(cases(), st.data())
def test_more_evidence_never_lowers_any_score(case, data):
    evidence = data.draw(evidence_lists(case.n_nodes))
    extra = data.draw(evidence_lists(case.n_nodes))
    before = own_risk(case.own, evidence_risk(evidence, case.n_nodes, TODAY, M))
    after = own_risk(case.own, evidence_risk(evidence + extra, case.n_nodes, TODAY, M))
    assert np.all(scores_of(case, after) >= scores_of(case, before) - TOLERANCE)


@given(cases(), st.data())
def test_verified_remediation_never_raises_any_score(case, data):
    evidence = data.draw(evidence_lists(case.n_nodes))
    remediated = {data.draw(st.integers(0, len(evidence))) for _ in range(3)}
    after_evidence = [
        Evidence(e.node, e.kind, e.dimensions, e.severity, e.status, e.observed_on, "verified")
        if i in remediated else e
        for i, e in enumerate(evidence)
    ]
    before = own_risk(case.own, evidence_risk(evidence, case.n_nodes, TODAY, M))
    after = own_risk(case.own, evidence_risk(after_evidence, case.n_nodes, TODAY, M))
    assert np.all(scores_of(case, after) <= scores_of(case, before) + TOLERANCE)


@given(cases(), st.data())
def test_raising_own_risk_anywhere_never_lowers_any_score(case, data):
    raised = np.maximum(case.own, data.draw(
        st.lists(st.tuples(unit_floats, unit_floats), min_size=case.n_nodes,
                 max_size=case.n_nodes).map(np.array)))
    assert np.all(scores_of(case, raised) >= scores_of(case) - TOLERANCE)


def test_attenuation_comes_from_the_methodology():
    case = Case(2, ((0, 1, 1.0),), np.array([[1.0, 1.0], [0.0, 0.0]]))
    half = Methodology(version="test", attenuation=0.5)
    np.testing.assert_allclose(scores_of(case, methodology=half)[1], [0.5, 0.5])


def test_prepared_network_is_reusable_and_validates_own_risk():
    prepared = prepare(SupplyNetwork(2, np.array([0]), np.array([1]), np.array([1.0])))
    first = propagate(prepared, np.array([[1.0, 0.0], [0.0, 0.0]]), M).scores
    second = propagate(prepared, np.array([[0.0, 1.0], [0.0, 0.0]]), M).scores
    np.testing.assert_allclose(first[1], [0.8, 0.0])
    np.testing.assert_allclose(second[1], [0.0, 0.8])
    with pytest.raises(ValueError, match="shape"):
        propagate(prepared, np.zeros((3, 2)), M)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        propagate(prepared, np.full((2, 2), np.nan), M)


def test_iteration_limit_is_reported_as_not_converged():
    case = Case(2, ((0, 1, 1.0), (1, 0, 1.0)), np.array([[0.5, 0.5], [0.0, 0.0]]))
    capped = Methodology(version="capped", max_iterations=2)
    result = propagate(SupplyNetwork(2, *case.arrays()), case.own, capped)
    assert result.iterations == 2 and not result.converged
