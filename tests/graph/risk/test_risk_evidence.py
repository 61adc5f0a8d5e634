import datetime

import numpy as np
import pytest

from graph.risk import (
    CHILD_LABOUR,
    DEFAULT_METHODOLOGY,
    FORCED_LABOUR,
    Evidence,
    evidence_risk,
    evidence_weight,
    own_risk,
)

M = DEFAULT_METHODOLOGY
TODAY = datetime.date(2026, 3, 1)


def finding(severity="critical", dimensions=(FORCED_LABOUR,), status="open", days_old=0,
            remediation="none", node=0):
    return Evidence(node, "finding", frozenset(dimensions), severity, status,
                    TODAY - datetime.timedelta(days=days_old), remediation)


def grievance(status, dimensions=(CHILD_LABOUR,), days_old=0, remediation="none", node=0, outcome=None):
    return Evidence(node, "grievance", frozenset(dimensions), None, status,
                    TODAY - datetime.timedelta(days=days_old), remediation, outcome)


@pytest.mark.parametrize(("severity", "weight"),
                         [("critical", 0.9), ("major", 0.6), ("minor", 0.3), ("observation", 0.1)])
def test_fresh_open_finding_weight_is_its_severity_weight(severity, weight):
    assert evidence_weight(finding(severity), TODAY, M) == pytest.approx(weight)


@pytest.mark.parametrize(
    ("status", "weight"),
    [("received", 0.15), ("acknowledged", 0.15), ("under_investigation", 0.3),
     ("substantiated", 0.8), ("not_substantiated", 0.0), ("remediated", 0.2)],
)
def test_grievance_weight_is_its_status_weight(status, weight):
    assert evidence_weight(grievance(status), TODAY, M) == pytest.approx(weight)


@pytest.mark.parametrize(("outcome", "remediation", "weight"),
                         [("not_substantiated", "none", 0.0), ("remediated", "none", 0.2),
                          ("remediated", "done", 0.1), ("remediated", "verified", 0.0)])
def test_a_closed_grievance_keeps_the_weight_of_the_outcome_it_was_closed_with(outcome, remediation, weight):
    closed = grievance("closed", outcome=outcome, remediation=remediation)
    assert evidence_weight(closed, TODAY, M) == pytest.approx(weight)
    assert evidence_weight(closed, TODAY, M) == evidence_weight(grievance(outcome, remediation=remediation), TODAY, M)


def test_weight_halves_at_the_half_life():
    fresh = evidence_weight(finding(days_old=0), TODAY, M)
    assert evidence_weight(finding(days_old=365), TODAY, M) == pytest.approx(fresh / 2)
    assert evidence_weight(finding(days_old=730), TODAY, M) == pytest.approx(fresh / 4)


def test_evidence_dated_in_the_future_counts_as_fresh():
    assert evidence_weight(finding(days_old=-30), TODAY, M) == pytest.approx(0.9)


def test_remediation_halves_then_removes_the_weight():
    assert evidence_weight(finding(remediation="done"), TODAY, M) == pytest.approx(0.45)
    assert evidence_weight(finding(remediation="verified"), TODAY, M) == 0.0


def test_closed_finding_carries_no_weight():
    assert evidence_weight(finding(status="closed"), TODAY, M) == 0.0


def test_critical_forced_labour_finding_leaves_child_labour_unchanged():
    risk = evidence_risk([finding("critical", [FORCED_LABOUR], node=1)], 3, TODAY, M)
    expected = np.zeros((3, 2))
    expected[1, FORCED_LABOUR] = 0.9
    np.testing.assert_allclose(risk, expected)


def test_verified_remediation_removes_the_evidence():
    risk = evidence_risk([finding(remediation="verified")], 1, TODAY, M)
    np.testing.assert_array_equal(risk, np.zeros((1, 2)))


def test_evidence_at_one_node_combines_by_noisy_or_per_dimension():
    items = [
        finding("major", [CHILD_LABOUR, FORCED_LABOUR]),  # 0.6 on both
        grievance("substantiated", [CHILD_LABOUR]),  # 0.8 on child labour
        finding("minor", [FORCED_LABOUR], days_old=365),  # 0.15 on forced labour
    ]
    risk = evidence_risk(items, 1, TODAY, M)
    np.testing.assert_allclose(risk, [[1 - 0.4 * 0.2, 1 - 0.4 * 0.85]])


def test_own_risk_is_noisy_or_of_inherent_and_evidence():
    inherent = np.array([[0.62, 0.6], [0.0, 0.15]])
    evidence = np.array([[0.0, 0.9], [0.5, 0.0]])
    np.testing.assert_allclose(own_risk(inherent, evidence),
                               [[0.62, 1 - 0.4 * 0.1], [0.5, 0.15]])


@pytest.mark.parametrize(
    "make",
    [lambda: finding(severity=None), lambda: finding(dimensions=()),
     lambda: finding(dimensions=(2,)), lambda: finding(remediation="partial"),
     lambda: Evidence(0, "rumour", frozenset({0}), None, "open", TODAY),
     lambda: grievance("closed"), lambda: grievance("closed", outcome="closed"),
     lambda: grievance("substantiated", outcome="remediated")],
)
def test_malformed_evidence_is_rejected(make):
    with pytest.raises(ValueError):
        make()


def test_unknown_severity_or_status_is_rejected():
    with pytest.raises(ValueError, match="finding severity"):
        evidence_weight(finding(severity="catastrophic"), TODAY, M)
    with pytest.raises(ValueError, match="grievance status"):
        evidence_weight(grievance("lost"), TODAY, M)
    with pytest.raises(ValueError, match="outcome of a closed grievance 'lost'"):
        evidence_weight(grievance("closed", outcome="lost"), TODAY, M)
    with pytest.raises(ValueError, match="node 5"):
        evidence_risk([finding(node=5)], 2, TODAY, M)
