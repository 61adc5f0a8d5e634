"""Company B's token can read and change nothing of company A, through any root query field or mutation.

The probes below are checked against the schema's root fields: a new field without a probe fails the test,
so nothing can escape it.
"""

import importlib.util
from pathlib import Path

import pytest
from graphql_relay import to_global_id

from backend.schema import schema
from factories import add_link, add_site
from graph import services
from graph.models import (
    AlertKind, InherentOverride, NetworkSite, NetworkSupplier, RegionWatch, RiskAlert, RiskScore, Site, Supplier, SupplyLink,
)
from graph.services.risk import compute_risk
from backend.tenancy import Viewer
from django.utils import timezone

SECRET = "A-SECRET"


@pytest.fixture
def company_a_network(analyst):
    """Company A's private network: a supplier, two sites, links; every name carries SECRET."""
    viewer = Viewer.of(analyst)
    supplier = services.register_supplier(viewer, {"name": f"{SECRET} supplier", "country": "IN", "tax_id": "T1"},
                                          internal_ref=f"{SECRET}-SUP")
    farm = add_site(analyst, f"{SECRET} farm", kind="farm", internal_ref=f"{SECRET}-FARM")
    gin = add_site(analyst, f"{SECRET} gin", supplier=supplier)
    link = add_link(analyst, farm, gin, share=0.5)
    to_company = add_link(analyst, gin, None, share=0.5)
    compute_risk(analyst.organization)
    alert = RiskAlert.objects.create(company=analyst.organization, site=gin, dimension="child_labour", from_band="low",
                                     to_band="high", score=0.6, rise_of=timezone.now())
    RiskAlert.objects.create(company=analyst.organization, kind=AlertKind.EVIDENCE, site=farm, evidence_kind="finding",
                             evidence_id=1, path=[farm.pk, gin.pk], summary=f"Critical finding at {SECRET} farm")
    RegionWatch.objects.create(company=analyst.organization, countries=["IN"], commodities=["cotton"])
    return {
        "alert": to_global_id("RiskAlert", alert.pk),
        "site": to_global_id("Site", gin.pk), "farm": to_global_id("Site", farm.pk),
        "supplier": to_global_id("Supplier", supplier.pk), "link": to_global_id("SupplyLink", link.pk),
        "link_to_company": to_global_id("SupplyLink", to_company.pk),
    }


QUERY_PROBES = {
    "me": "{ me { username organization { name } } }",
    "node": "query($site: ID!) { node(id: $site) { id ... on Site { name } } }",
    "commodities": "{ commodities(first: 100) { edges { node { code } } } }",
    "sites": "{ sites(first: 100) { totalCount edges { node { id name internalRef tier linksIn { id } linksOut { id } supplier { name } } } } }",
    "suppliers": "{ suppliers(first: 100) { totalCount edges { node { id name internalRef sites { name } } } } }",
    "supplyLinks": "{ supplyLinks(first: 100) { totalCount edges { node { id upstream { name } } } } }",
    "site": "query($site: ID!) { site(id: $site) { name } }",
    "supplier": "query($supplier: ID!) { supplier(id: $supplier) { name } }",
    "upstream": "query($site: ID!) { upstream(siteId: $site, depth: 5) { sites { site { name } } links { id } } }",
    "downstream": "query($farm: ID!) { downstream(siteId: $farm, depth: 5) { sites { site { name } } links { id } } }",
    "paths": "query($farm: ID!) { paths(fromId: $farm) { sites { name } } }",
    "companyRisk": "{ companyRisk { childLabour forcedLabour } }",
    "riskExplanation": "query($site: ID!) { riskExplanation(nodeId: $site, dimension: FORCED_LABOUR) { score summary sources { site { name } } paths { description } } }",
    "exposure": "query($farm: ID!) { exposure(siteId: $farm, dimension: CHILD_LABOUR) { site { name } contribution } }",
    "portfolioRisk": "{ portfolioRisk(dimension: CHILD_LABOUR) { byCountry { key sites } byTier { key sites } } }",
    "riskRegions": "{ riskRegions(dimension: CHILD_LABOUR) { country subdivision sites } }",
    "riskHistory": "query($site: ID!) { riskHistory(nodeId: $site) { childLabour computedAt } }",
    "riskAlerts": "{ riskAlerts(first: 100) { totalCount edges { node { id site { name } } } } }",
    "regionWatch": "{ regionWatch { countries subdivisions commodities } }",
}

MUTATION_PROBES = {
    "supplierCreate": ('mutation { supplierCreate(input: {name: "Mine", country: "IN", taxId: "T2"}) { supplier { name internalRef } errors { code } } }', None),
    "supplierUpdate": ('mutation($supplier: ID!) { supplierUpdate(id: $supplier, input: {name: "Hijacked"}) { errors { code } } }', "NOT_FOUND"),
    "supplierDelete": ("mutation($supplier: ID!) { supplierDelete(id: $supplier) { errors { code } } }", "NOT_FOUND"),
    "siteCreate": ('mutation { siteCreate(input: {name: "Mine", country: "IN"}) { site { name } errors { code } } }', None),
    "siteUpdate": ('mutation($site: ID!) { siteUpdate(id: $site, input: {name: "Hijacked"}) { errors { code } } }', "NOT_FOUND"),
    "siteDelete": ("mutation($site: ID!) { siteDelete(id: $site) { errors { code } } }", "NOT_FOUND"),
    "supplyLinkCreate": ('mutation($site: ID!) { supplyLinkCreate(input: {upstreamId: $site, commodity: "cotton"}) { errors { code } } }', "NOT_FOUND"),
    "supplyLinkUpdate": ("mutation($link: ID!) { supplyLinkUpdate(id: $link, input: {share: 0.1}) { errors { code } } }", "NOT_FOUND"),
    "supplyLinkDelete": ("mutation($link: ID!) { supplyLinkDelete(id: $link) { errors { code } } }", "NOT_FOUND"),
    "riskAlertAcknowledge": ("mutation($alert: ID!) { riskAlertAcknowledge(id: $alert) { errors { code } } }", "NOT_FOUND"),
    "inherentRiskOverrideSet": ('mutation($site: ID!) { inherentRiskOverrideSet(siteId: $site, dimension: CHILD_LABOUR, value: 0, reason: "hijack attempt here") { errors { code } } }', "NOT_FOUND"),
    "riskRecompute": ("mutation { riskRecompute { queued errors { code } } }", None),
    "regionWatchSet": ('mutation { regionWatchSet(countries: ["IN"]) { watch { countries } errors { code } } }', None),
}


def company_a_rows(company):
    """Everything company A owns or registered, to compare before and after B's attempts."""
    return (
        list(Site.objects.filter(registered_by=company).order_by("pk").values()),
        list(Supplier.objects.filter(registered_by=company).order_by("pk").values()),
        list(SupplyLink.objects.filter(company=company).order_by("pk").values()),
        list(NetworkSite.objects.filter(company=company).order_by("pk").values()),
        list(NetworkSupplier.objects.filter(company=company).order_by("pk").values()),
        list(RiskScore.objects.filter(company=company).order_by("pk").values()),
        list(RiskAlert.objects.filter(company=company).order_by("pk").values()),
        list(InherentOverride.objects.filter(company=company).order_by("pk").values()),
        list(RegionWatch.objects.filter(company=company).order_by("pk").values()),
    )


def used_variables(query: str, ids: dict) -> dict:
    return {name: value for name, value in ids.items() if f"${name}" in query}


def other_apps_probes() -> tuple[set, set]:
    """Root fields probed by other apps' tenancy tests: tests/<app>/<app>_probes.py defines QUERY_PROBES and
    MUTATION_PROBES, run against that app's own fixtures (e.g. tests/audits/test_audits_tenancy.py)."""
    queries, mutations = set(), set()
    for path in sorted(Path(__file__).resolve().parents[1].glob("*/*_probes.py")):
        spec = importlib.util.spec_from_file_location(f"probes_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        queries |= set(module.QUERY_PROBES)
        mutations |= set(module.MUTATION_PROBES)
    return queries, mutations


def test_every_root_field_has_a_probe():
    query_fields = set(schema.graphql_schema.query_type.fields)
    mutation_fields = set(schema.graphql_schema.mutation_type.fields)
    other_queries, other_mutations = other_apps_probes()
    probed_queries, probed_mutations = set(QUERY_PROBES) | other_queries, set(MUTATION_PROBES) | other_mutations
    assert query_fields <= probed_queries, f"add tenancy probes for {query_fields - probed_queries}"
    assert mutation_fields <= probed_mutations, f"add tenancy probes for {mutation_fields - probed_mutations}"


@pytest.mark.parametrize("field", sorted(QUERY_PROBES))
def test_company_b_reads_nothing_of_company_a(api, other_analyst, company_a_network, field):
    result = api(other_analyst)(QUERY_PROBES[field], used_variables(QUERY_PROBES[field], company_a_network))
    assert SECRET not in str(result)
    for private_id in (company_a_network["link"], company_a_network["link_to_company"]):
        assert private_id not in str(result)


def test_the_probes_do_see_company_a_data_as_company_a(api, analyst, company_a_network):
    """The read probes are able to fail: run as A, they do return A's secrets."""
    client = api(analyst)
    seen = [f for f, q in QUERY_PROBES.items() if SECRET in str(client(q, used_variables(q, company_a_network)))]
    assert {"sites", "suppliers", "supplyLinks", "site", "supplier", "upstream", "downstream", "paths", "node",
            "riskExplanation", "exposure", "riskAlerts"} <= set(seen)


@pytest.mark.parametrize("field", sorted(MUTATION_PROBES))
def test_company_b_changes_nothing_of_company_a(api, other_analyst, company, company_a_network, field):
    before = company_a_rows(company)
    query, expected_code = MUTATION_PROBES[field]
    result = api(other_analyst)(query, used_variables(query, company_a_network))
    assert company_a_rows(company) == before
    assert SECRET not in str(result)
    if expected_code:
        assert result["data"][field]["errors"][0]["code"] == expected_code


def test_visible_scopes_once_per_viewer_and_again_after_any_change(analyst, other_analyst, company_a_network):
    from backend.tenancy import visible

    a, b = Viewer.of(analyst), Viewer.of(other_analyst)
    scoped = visible(Site, a)
    # the queryset visible() made for a viewer comes back as it is for that viewer ...
    assert visible(scoped, a) is scoped
    # ... but another viewer, or a narrowed copy, is scoped again by that viewer's rule
    assert SECRET not in str(list(visible(scoped, b).values_list("name", flat=True)))
    narrowed = scoped.filter(name__contains=SECRET)
    assert visible(narrowed, b) is not narrowed
    assert list(visible(narrowed, b)) == []
    assert sorted(visible(narrowed, a).values_list("name", flat=True)) == [f"{SECRET} farm", f"{SECRET} gin"]
