"""A score explained down to its causes through the API, on PostgreSQL: own-risk terms, the score by aggregate in
words, the display threshold, a fixed number of queries, and nothing for a company that does not hold the site."""

import datetime
import math

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from graphql_relay import to_global_id

from audits.services import grievances
from backend.models import OrganizationKind, Role
from backend.tenancy import Viewer
from factories import add_link, add_site, commodity
from graph.services.risk import compute_risk

BREAKDOWN = "lines { key label contribution fractionOfScore description site { name } termKind } unlisted unlistedFraction unlistedDescription"
TERMS = """ownRisk currentOwnRisk unlisted description terms { kind probability contribution fractionOfOwnRisk description
  dolListing { good country childLabor forcedLabor forcedChildLabor derived edition } country attribute attributeValue
  overrideValue evidence { kind id category severity status outcome observedOn ageDays baseWeight decay remediation remediationFactor } }"""
EXPLAIN = f"""query($id: ID, $threshold: Float) {{ riskExplanation(nodeId: $id, dimension: FORCED_LABOUR, top: 5, threshold: $threshold) {{
  score remainder threshold summary causeSummary paths {{ contribution fractionOfScore }}
  sources {{ site {{ name }} contribution fractionOfScore terms {{ {TERMS} }} }}
  ownRisk {{ {TERMS} }}
  byCause {{ {BREAKDOWN} }} byCauseKind {{ {BREAKDOWN} }} byCountry {{ {BREAKDOWN} }} byCommodity {{ {BREAKDOWN} }}
  byTier {{ {BREAKDOWN} }} bySource {{ {BREAKDOWN} }} byDirectSupplier {{ {BREAKDOWN} }} }} }}"""
AGGREGATES = ("byCause", "byCauseKind", "byCountry", "byCommodity", "byTier", "bySource", "byDirectSupplier")


def with_commodities(site, *codes):
    site.commodities.set([commodity(code) for code in codes])
    return site


@pytest.fixture
def cotton_network(analyst, company, make_org, make_user):
    """Chinese cotton (DOL: child, forced and forced child labour) spun in Jiangsu, woven into Bangladeshi garments
    (DOL: child and forced labour) where a debt-bondage grievance was substantiated; a small US gin feeds the mill."""
    farm = with_commodities(add_site(analyst, "Xinjiang Cotton Farm", country="CN", subdivision="CN-XJ", kind="farm"),
                            "cotton")
    mill = with_commodities(add_site(analyst, "Shree Spinning Mills 13", country="CN", subdivision="CN-JS",
                                     migrant_share=0.4), "cotton-lint", "yarn")
    us_gin = with_commodities(add_site(analyst, "Texas Gin", country="US", subdivision="US-TX"), "cotton-lint")
    factory = with_commodities(add_site(analyst, "Dhaka Garments", country="BD", subdivision="BD-C"), "garments")
    add_link(analyst, farm, mill, share=1)
    add_link(analyst, mill, factory, share=0.8)
    add_link(analyst, us_gin, factory, share=0.2)
    add_link(analyst, factory, None, share=1)
    workers = make_user(make_org("Dhaka Workers", OrganizationKind.WORKERS_ORG), Role.ANALYST)
    grievance = grievances.file_grievance(Viewer.of(workers), factory, {
        "channel": "hotline", "category": "debt_bondage", "description": "Recruitment fees deducted from pay"})
    for step in (grievances.acknowledge, grievances.investigate):
        step(Viewer.of(analyst), grievance)
    grievances.conclude(Viewer.of(analyst), grievance, substantiated=True)
    compute_risk(company)
    return {"farm": farm, "mill": mill, "us_gin": us_gin, "factory": factory, "grievance": grievance}


def adds_up(breakdown, score):
    return math.fsum(line["contribution"] for line in breakdown["lines"]) + breakdown["unlisted"] == pytest.approx(score)


def test_the_company_score_reads_as_causes_in_words(api, analyst, cotton_network):
    # given the cotton network, when the company's forced-labour score is explained
    explanation = api(analyst).data(EXPLAIN, {"id": None})["riskExplanation"]
    score = explanation["score"]
    # then every aggregate adds up to the score, each line at or above the 1 % default threshold
    assert explanation["threshold"] == 0.01
    for name in AGGREGATES:
        assert adds_up(explanation[name], score), name
        assert all(line["fractionOfScore"] >= 0.01 for line in explanation[name]["lines"]), name
    causes = [line["description"] for line in explanation["byCause"]["lines"]]
    assert causes[0].endswith("of the score comes from a substantiated grievance (debt_bondage) at Dhaka Garments (BD-C).")
    assert explanation["byCause"]["lines"][0]["site"]["name"] == "Dhaka Garments"
    assert any(c.endswith("from Garments in Bangladesh (DOL: child labour, forced labour).") for c in causes)
    assert any(c.endswith("from Cotton in China (DOL: child labour, forced labour, forced child labour).") for c in causes)
    assert explanation["causeSummary"].startswith(
        f"{explanation['byCause']['lines'][0]['fractionOfScore']:.0%} of the forced-labour risk of your company comes "
        "from a substantiated grievance (debt_bondage) at Dhaka Garments (BD-C), ")
    kinds = {line["key"]: line["contribution"] for line in explanation["byCauseKind"]["lines"]}
    assert set(kinds) == {"INHERENT", "EVIDENCE"} and kinds["EVIDENCE"] > kinds["INHERENT"] > 0
    countries = [line["key"] for line in explanation["byCountry"]["lines"]]
    assert countries == ["BD", "CN"]
    assert [line["label"] for line in explanation["byTier"]["lines"]] == ["tier 1", "tier 2"]
    assert explanation["byDirectSupplier"]["lines"][0]["site"]["name"] == "Dhaka Garments"


def test_the_mill_own_risk_is_split_into_its_listing_baseline_and_migrant_share(api, analyst, cotton_network):
    # given the spinning mill, when its score is explained
    mill = to_global_id("Site", cotton_network["mill"].pk)
    own = api(analyst).data(EXPLAIN, {"id": mill, "threshold": 0.0})["riskExplanation"]["ownRisk"]
    # then its own risk is the Cotton and Thread/Yarn listings, China's baseline and its migrant share, adding up
    by_kind = {}
    for term in own["terms"]:
        by_kind.setdefault(term["kind"], []).append(term)
    assert set(by_kind) == {"DOL_LISTING", "COUNTRY_BASELINE", "SITE_ATTRIBUTE"}
    listings = {term["dolListing"]["good"]: term["dolListing"] for term in by_kind["DOL_LISTING"]}
    assert listings["Thread/Yarn"] == {
        "good": "Thread/Yarn", "country": "CN", "childLabor": False, "forcedLabor": True, "forcedChildLabor": False,
        "derived": False, "edition": "2022"}
    assert listings["Cotton"]["forcedChildLabor"] and by_kind["DOL_LISTING"][0]["dolListing"]["good"] == "Cotton"
    (migrants,) = by_kind["SITE_ATTRIBUTE"]
    assert migrants["attributeValue"] == pytest.approx(0.4)
    assert migrants["probability"] == pytest.approx(0.3 * 0.4)
    assert math.fsum(t["contribution"] for t in own["terms"]) + own["unlisted"] == pytest.approx(own["ownRisk"], abs=1e-12)
    assert own["currentOwnRisk"] == pytest.approx(own["ownRisk"])
    assert own["description"].startswith(f"Own risk {own['ownRisk']:.2f} of Shree Spinning Mills 13 (CN-JS): ")
    causes = api(analyst).data(EXPLAIN, {"id": mill})["riskExplanation"]["byCause"]["lines"]
    assert any(line["description"].endswith("of the score comes from Thread/Yarn in China (DOL: forced labour).")
               and line["termKind"] == "DOL_LISTING" for line in causes)


def test_the_grievance_term_shows_its_weight_factors(api, analyst, cotton_network):
    factory = to_global_id("Site", cotton_network["factory"].pk)
    own = api(analyst).data(EXPLAIN, {"id": factory})["riskExplanation"]["ownRisk"]
    evidence = next(term for term in own["terms"] if term["kind"] == "EVIDENCE")
    assert evidence["evidence"]["id"] == to_global_id("Grievance", cotton_network["grievance"].pk)
    assert (evidence["evidence"]["status"], evidence["evidence"]["category"]) == ("substantiated", "debt_bondage")
    assert evidence["probability"] == pytest.approx(
        evidence["evidence"]["baseWeight"] * evidence["evidence"]["decay"] * evidence["evidence"]["remediationFactor"])


def test_a_high_threshold_lists_less_and_says_how_much_is_unlisted(api, analyst, cotton_network):
    explanation = api(analyst).data(EXPLAIN, {"id": None, "threshold": 0.3})["riskExplanation"]
    for name in AGGREGATES:
        assert all(line["fractionOfScore"] >= 0.3 for line in explanation[name]["lines"])
        assert adds_up(explanation[name], explanation["score"])
    assert all(path["fractionOfScore"] >= 0.3 for path in explanation["paths"])
    assert explanation["byCause"]["unlisted"] > 0
    assert explanation["byCause"]["unlistedDescription"].endswith("of the score comes from groups too small to list (each under 30%).")
    bad = api(analyst)(EXPLAIN, {"id": None, "threshold": 1.5})
    assert bad["errors"][0]["extensions"]["code"] == "OUT_OF_RANGE" and "threshold" in bad["errors"][0]["message"]


def test_the_query_count_does_not_grow_with_the_network(api, analyst, company, cotton_network, django_assert_num_queries):
    # given the explanation's queries on the small network
    client = api(analyst)
    with CaptureQueriesContext(connection) as small:
        client.data(EXPLAIN, {"id": None})
    # when six more farms with their own terms join it
    upstream = cotton_network["farm"]
    for n in range(6):
        extra = with_commodities(add_site(analyst, f"Jiangsu Farm {n}", country="CN", kind="farm", migrant_share=0.1),
                                 "cotton")
        add_link(analyst, extra, upstream, share=None)
    compute_risk(company)
    # then explaining it takes exactly as many queries, and lists the new sources
    with django_assert_num_queries(len(small)):
        explanation = client.data(EXPLAIN, {"id": None, "threshold": 0.0})["riskExplanation"]
    sources = {line["site"]["name"] for line in explanation["bySource"]["lines"]}
    assert sources == {"Dhaka Garments", "Shree Spinning Mills 13", "Xinjiang Cotton Farm"} | {
        f"Jiangsu Farm {n}" for n in range(6)}, "the Texas gin's own risk is 0: it makes no part of the score"


def test_viewers_of_other_organizations_get_nothing(api, other_analyst, audit_firm, make_user, cotton_network):
    mill = to_global_id("Site", cotton_network["mill"].pk)
    denied = api(make_user(audit_firm))(EXPLAIN, {"id": mill})
    assert denied["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    foreign = api(other_analyst)(EXPLAIN, {"id": mill})
    assert foreign["data"] is None and "Shree" not in str(foreign) and "Cotton" not in str(foreign)
    assert foreign["errors"][0]["extensions"]["code"] == "NOT_FOUND"


SHARED_GIN = "CN2019067X1K87E"


def test_a_finding_shared_with_one_company_is_no_term_of_the_other_companys_explanation(
        api, analyst, other_analyst, company, other_company, make_org, make_user):
    # given one gin in two companies' networks, and a critical finding there shared with company A only
    from audits.services import assignments, audits

    gin_a = add_site(analyst, "Gin", country="CN", os_id=SHARED_GIN)
    gin_b = add_site(other_analyst, "Gin (B's name)", country="CN", os_id=SHARED_GIN)
    assert gin_a.pk == gin_b.pk
    add_link(analyst, gin_a, None, share=1)
    add_link(other_analyst, gin_b, None, share=1)
    firm = make_user(make_org("Audit Firm", OrganizationKind.AUDIT_FIRM), Role.ANALYST)
    assignments.assign(Viewer.of(analyst), gin_a, firm.organization)
    finding = audits.create_finding(Viewer.of(firm), {
        "category": "retention_of_identity_documents", "severity": "critical", "description": "Passports held",
        "found_on": datetime.date.today()}, site=gin_a)
    assignments.share(Viewer.of(firm), company, finding=finding)
    compute_risk(company)
    compute_risk(other_company)
    gin = to_global_id("Site", gin_a.pk)
    # when each company explains the gin's forced-labour score
    seen_by_a = api(analyst).data(EXPLAIN, {"id": gin, "threshold": 0.0})["riskExplanation"]
    seen_by_b = api(other_analyst).data(EXPLAIN, {"id": gin, "threshold": 0.0})["riskExplanation"]
    # then A reads the finding as a term, and B reads neither the term nor anything of it
    evidence_a = [t["evidence"] for t in seen_by_a["ownRisk"]["terms"] if t["kind"] == "EVIDENCE"]
    assert [e["id"] for e in evidence_a] == [to_global_id("Finding", finding.pk)]
    assert all(t["kind"] != "EVIDENCE" for t in seen_by_b["ownRisk"]["terms"])
    assert "retention_of_identity_documents" not in str(seen_by_b) and to_global_id("Finding", finding.pk) not in str(seen_by_b)
    assert [line["key"] for line in seen_by_b["byCauseKind"]["lines"]] == ["INHERENT"]
    assert {line["key"] for line in seen_by_a["byCauseKind"]["lines"]} == {"INHERENT", "EVIDENCE"}
