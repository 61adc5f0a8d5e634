"""Step 8 of the worked example of docs/methodology.md (section 10): the Brand's forced-labour score down to its causes.
Keep the two in sync; the network, evidence and listings are those of test_risk_worked_example.py."""

import math

import pytest
from test_risk_worked_example import AS_OF, BRAND, FARM_A, FARM_B, FINDING, GRIEVANCE, INDEX, MILL, NETWORK, M, own

from graph.risk import FORCED_LABOUR, explain, prepare, propagate
from graph.risk.aggregates import cause_kind, grouped, grouped_sources, score_parts, through_direct_suppliers
from graph.risk.attribution import attribute, evidence_causes, inherent_causes

SITES = {FARM_A: ("CI", ["Cocoa"], "farm", None), FARM_B: ("GH", ["Cocoa"], "farm", None),
         MILL: ("GH", [], "facility", 0.5), BRAND: ("FR", [], "facility", None)}
EVIDENCE = {FARM_B: [(GRIEVANCE, "grievance")], MILL: [(FINDING, "finding")]}


def attributions():
    found = {}
    for node, (country, goods, kind, migrant_share) in SITES.items():
        causes = inherent_causes(country, goods, kind, migrant_share, INDEX, M, FORCED_LABOUR, "2022")
        causes += evidence_causes(EVIDENCE.get(node, []), FORCED_LABOUR, AS_OF, M)
        found[node] = attribute(causes, own()[node, FORCED_LABOUR])
    return found


def test_step_8_the_mill_own_risk_by_log_share():
    mill = attributions()[MILL]
    # λ_finding = −ln(1 − 0.45) = 0.597837, λ_migrants = −ln(1 − 0.15) = 0.162519
    assert [(t.kind, t.probability) for t in mill.terms] == [("evidence", 0.45), ("attribute", pytest.approx(0.15))]
    contributions = [mill.contribution(t) for t in mill.terms]
    assert contributions == [pytest.approx(0.418683, abs=1e-6), pytest.approx(0.113817, abs=1e-6)]
    assert math.fsum(contributions) == pytest.approx(0.5325, abs=1e-15)


def test_step_8_the_brand_score_by_cause_kind_source_and_country():
    prepared = prepare(NETWORK)
    explanation = explain(prepared, own(), BRAND, FORCED_LABOUR, M, top_sources=4)
    parts = score_parts(explanation.cone, explanation.contributions, attributions())
    assert sorted((p.node, p.term.kind, round(p.value, 6)) for p in parts) == [
        (FARM_A, "listing", 0.107712), (FARM_B, "evidence", 0.047872),
        (MILL, "attribute", 0.091053), (MILL, "evidence", 0.334947)]
    assert grouped(parts, cause_kind) == {"inherent": pytest.approx(0.198765, abs=1e-6),
                                          "evidence": pytest.approx(0.382819, abs=1e-6)}
    assert grouped_sources(explanation.cone, explanation.contributions, lambda node: node) == {FARM_A: pytest.approx(0.107712), FARM_B: pytest.approx(0.047872),
                                      MILL: pytest.approx(0.426)}
    by_country = grouped(parts, lambda part: (SITES[part.node][0],))
    assert by_country == {"CI": pytest.approx(0.107712), "GH": pytest.approx(0.473872)}
    scores = propagate(prepared, own(), M).scores[:, FORCED_LABOUR]
    direct = through_direct_suppliers(prepared, own()[:, FORCED_LABOUR], scores, MILL, M.attenuation)
    assert direct == {("own", MILL): 0.5325, ("supplier", FARM_A): pytest.approx(0.13464),
                      ("supplier", FARM_B): pytest.approx(0.05984)}
