"""Risk through the API: scores on sites, suppliers and the company; exposure; portfolio; regions; history."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from graphql_relay import to_global_id

from backend.tenancy import Viewer
from factories import add_link, add_site
from graph import services
from graph.services.risk import compute_risk

EXPOSURE = "query($id: ID!) { exposure(siteId: $id, dimension: FORCED_LABOUR) { site { name } isCompany contribution fractionOfScore } }"
PORTFOLIO = "{ portfolioRisk(dimension: FORCED_LABOUR) { byBand { key sites } byCountry { key sites maxScore } byTier { key sites } byCommodity { key sites } } }"
REGIONS = "{ riskRegions(dimension: FORCED_LABOUR, first: 5) { country subdivision sites exposedSites maxScore } }"
HISTORY = "query($id: ID) { riskHistory(nodeId: $id) { forcedLabour band computedAt } }"
SUPPLIER_RISK = "{ suppliers(first: 10) { edges { node { name risk { forcedLabour childLabour band } } } } }"
RISKY_SITES = """query($first: Int!) { sites(first: $first, riskBand: ["high", "severe"], sortBy: {field: FORCED_LABOUR_RISK, direction: DESC}) {
  totalCount edges { node { name supplier { name risk { band } } risk { forcedLabour band } } } } }"""


@pytest.fixture
def scored_network(analyst, company):
    """A Turkmen farm and gin (DOL: cotton, forced labour) and a low-risk US gin, into a Bangladeshi mill."""
    viewer = Viewer.of(analyst)
    operator = services.register_supplier(viewer, {"name": "Gin Operator", "country": "TM"})
    farm = add_site(analyst, "TM farm", country="TM", kind="farm", subdivision="TM-L")
    gin = add_site(analyst, "TM gin", country="TM", subdivision="TM-L", supplier=operator)
    us_gin = add_site(analyst, "US gin", country="US", subdivision="US-TX")
    mill = add_site(analyst, "BD mill", country="BD", subdivision="BD-C")
    add_link(analyst, farm, gin, share=1)
    add_link(analyst, gin, mill, share=0.5)
    add_link(analyst, us_gin, mill, share=0.5)
    add_link(analyst, mill, None, share=1)
    compute_risk(company)
    return {"farm": farm, "gin": gin, "us_gin": us_gin, "mill": mill}


def test_exposure_lists_everyone_downstream_of_a_risky_farm(api, analyst, scored_network):
    rows = api(analyst).data(EXPOSURE, {"id": to_global_id("Site", scored_network["farm"].pk)})["exposure"]
    names = [row["site"]["name"] if row["site"] else "company" for row in rows]
    assert sorted(names) == ["BD mill", "TM gin", "company"]
    assert all(0 < row["contribution"] and 0 < row["fractionOfScore"] <= 1 for row in rows)
    assert [row["isCompany"] for row in rows].count(True) == 1


def test_portfolio_and_regions_rank_turkmenistan_first(api, analyst, scored_network):
    client = api(analyst)
    portfolio = client.data(PORTFOLIO)["portfolioRisk"]
    assert sum(bucket["sites"] for bucket in portfolio["byBand"]) == 4
    assert portfolio["byCountry"][0]["key"] == "TM"
    assert {bucket["key"] for bucket in portfolio["byTier"]} == {"1", "2", "3"}
    regions = client.data(REGIONS)["riskRegions"]
    assert (regions[0]["country"], regions[0]["subdivision"], regions[0]["sites"]) == ("TM", "TM-L", 2)


def test_history_records_each_change(api, analyst, company, scored_network):
    gin = scored_network["gin"]
    client = api(analyst)
    assert len(client.data(HISTORY, {"id": to_global_id("Site", gin.pk)})["riskHistory"]) == 1
    services.update_site(Viewer.of(analyst), gin, {"migrant_share": 0.9})
    compute_risk(company)
    history = client.data(HISTORY, {"id": to_global_id("Site", gin.pk)})["riskHistory"]
    assert len(history) == 2 and history[0]["forcedLabour"] > history[1]["forcedLabour"]
    assert len(client.data(HISTORY, {"id": None})["riskHistory"]) == 2


def test_supplier_risk_is_the_worst_of_its_sites(api, analyst, scored_network):
    edges = api(analyst).data(SUPPLIER_RISK)["suppliers"]["edges"]
    operator = next(e["node"] for e in edges if e["node"]["name"] == "Gin Operator")
    gin_score = api(analyst).data("query($id: ID!) { site(id: $id) { risk { forcedLabour } } }",
                                  {"id": to_global_id("Site", scored_network["gin"].pk)})["site"]["risk"]["forcedLabour"]
    assert operator["risk"]["forcedLabour"] == pytest.approx(gin_score)


def test_risk_filter_sort_and_constant_query_count(api, analyst, scored_network):
    client = api(analyst)
    with CaptureQueriesContext(connection) as one:
        client.data(RISKY_SITES, {"first": 1})
    with CaptureQueriesContext(connection) as many:
        data = client.data(RISKY_SITES, {"first": 100})["sites"]
    assert len(one) == len(many)
    scores = [edge["node"]["risk"]["forcedLabour"] for edge in data["edges"]]
    assert scores == sorted(scores, reverse=True) and "US gin" not in str(data)
    assert all(edge["node"]["risk"]["band"] in ("HIGH", "SEVERE") for edge in data["edges"])


def test_company_viewer_reads_risk_but_audit_firm_cannot(api, viewer_user, audit_firm, make_user, scored_network):
    assert api(viewer_user).data("{ companyRisk { band } }")["companyRisk"]["band"]
    result = api(make_user(audit_firm))("{ portfolioRisk(dimension: CHILD_LABOUR) { byBand { key } } }")
    assert result["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
