"""The worked example of docs/methodology.md, step by step. Keep the two in sync."""

import datetime

import numpy as np
import pytest

from graph.risk import (
    CHILD_LABOUR,
    DEFAULT_METHODOLOGY,
    FORCED_LABOUR,
    DolIndex,
    DolListing,
    Evidence,
    SupplyNetwork,
    bands,
    evidence_risk,
    explain,
    exposure,
    inherent_risk,
    normalized_shares,
    own_risk,
    prepare,
    propagate,
    propagate_incremental,
)

M = DEFAULT_METHODOLOGY
AS_OF = datetime.date(2026, 3, 1)
FARM_A, FARM_B, MILL, BRAND = range(4)

INDEX = DolIndex.from_listings([
    DolListing("Cocoa", "CI", child_labor=True, forced_labor=True),
    DolListing("Cocoa", "GH", child_labor=True),
])
NETWORK = SupplyNetwork(
    4,
    upstream=np.array([FARM_A, FARM_B, MILL]),
    downstream=np.array([MILL, MILL, BRAND]),
    share=np.array([0.6, np.nan, np.nan]),
)
GRIEVANCE = Evidence(FARM_B, "grievance", frozenset({FORCED_LABOUR}), None, "substantiated",
                     AS_OF - datetime.timedelta(days=365))
FINDING = Evidence(MILL, "finding", frozenset({FORCED_LABOUR}), "critical", "open", AS_OF,
                   remediation="done")


def inherent() -> np.ndarray:
    return np.array([
        inherent_risk("CI", ["Cocoa"], "farm", None, INDEX, M),
        inherent_risk("GH", ["Cocoa"], "farm", None, INDEX, M),
        inherent_risk("GH", [], "facility", 0.5, INDEX, M),
        inherent_risk("FR", [], "facility", None, INDEX, M),
    ])


def own(finding: Evidence = FINDING) -> np.ndarray:
    return own_risk(inherent(), evidence_risk([GRIEVANCE, finding], 4, AS_OF, M))


def test_step_1_inherent_risk():
    np.testing.assert_allclose(inherent(), [[0.62, 0.6], [0.62, 0.0], [0.05, 0.15], [0, 0]])


def test_step_2_evidence_and_own_risk():
    np.testing.assert_allclose(evidence_risk([GRIEVANCE, FINDING], 4, AS_OF, M),
                               [[0, 0], [0, 0.4], [0, 0.45], [0, 0]])
    np.testing.assert_allclose(own(), [[0.62, 0.6], [0.62, 0.4], [0.05, 0.5325], [0, 0]])


def test_step_3_shares():
    np.testing.assert_allclose(normalized_shares(NETWORK), [0.6, 0.4, 1.0])


def test_step_4_propagated_scores_and_bands():
    result = propagate(NETWORK, own(), M)
    np.testing.assert_allclose(
        result.scores,
        [[0.62, 0.6], [0.62, 0.4], [0.5212, 0.72698], [0.41696, 0.581584]], atol=1e-12)
    assert bands(result.scores[BRAND], M).tolist() == ["medium", "high"]


def test_step_5_explanation_of_the_brand():
    explanation = explain(prepare(NETWORK), own(), BRAND, FORCED_LABOUR, M)
    assert explanation.score == pytest.approx(0.581584)
    assert [p.nodes for p in explanation.paths] == [
        (MILL, BRAND), (FARM_A, MILL, BRAND), (FARM_B, MILL, BRAND)]
    assert [p.contribution for p in explanation.paths] == pytest.approx(
        [0.426, 0.107712, 0.047872])
    assert explanation.remainder == pytest.approx(0.0, abs=1e-12)


def test_step_6_exposure_to_farm_a():
    prepared = prepare(NETWORK)
    scores = propagate(prepared, own(), M).scores
    result = exposure(prepared, scores, own(), FARM_A, FORCED_LABOUR, M)
    assert result.nodes.tolist() == [FARM_A, MILL, BRAND]
    np.testing.assert_allclose(result.contribution, [0.6, 0.13464, 0.107712])


def test_step_7_verified_remediation_at_the_mill():
    prepared = prepare(NETWORK)
    before = propagate(prepared, own(), M).scores
    verified = Evidence(MILL, "finding", frozenset({FORCED_LABOUR}), "critical", "open", AS_OF,
                        remediation="verified")
    after = propagate_incremental(prepared, before, own(verified), [MILL], M)
    assert after.recomputed.tolist() == [MILL, BRAND]
    np.testing.assert_allclose(after.scores[:, FORCED_LABOUR], [0.6, 0.4, 0.5036, 0.40288])
    np.testing.assert_array_equal(after.scores[:, CHILD_LABOUR], before[:, CHILD_LABOUR])
    assert bands(after.scores[BRAND], M).tolist() == ["medium", "medium"]
