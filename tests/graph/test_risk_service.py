"""The risk service on the database: full and incremental runs, evidence, overrides, alerts, history, reference data."""

import datetime

import pytest
from graphql_relay import to_global_id

from factories import add_link, add_site
from graph.models import DolListing, InherentOverride, RiskAlert, RiskHistory, RiskScore, SupplyLink
from graph.services.evidence_feed import SiteEvidence, register_evidence_provider
from graph.services.risk import compute_risk

SYNTHETIC_EVIDENCE: list[SiteEvidence] = []
register_evidence_provider(lambda site_ids, company: [e for e in SYNTHETIC_EVIDENCE if e.site_id in set(site_ids)])

ALERTS = "{ riskAlerts(first: 10, acknowledged: false) { totalCount edges { node { id dimension fromBand toBand site { name } } } } }"
ACKNOWLEDGE = "mutation($id: ID!) { riskAlertAcknowledge(id: $id) { alert { acknowledgedAt } errors { code } } }"
OVERRIDE = """mutation($site: ID!, $value: Float) {
  inherentRiskOverrideSet(siteId: $site, dimension: FORCED_LABOUR, value: $value, reason: "Field visit found no migrants") { errors { field code } }
}"""


@pytest.fixture
def evidence():
    SYNTHETIC_EVIDENCE.clear()
    yield SYNTHETIC_EVIDENCE
    SYNTHETIC_EVIDENCE.clear()


@pytest.fixture
def chain_in_turkmenistan(analyst):
    """farm (TM, cotton: DOL child + forced labour) → gin (TM) → mill (BD) → the company."""
    farm = add_site(analyst, "Farm", country="TM", kind="farm")
    gin = add_site(analyst, "Gin", country="TM")
    mill = add_site(analyst, "Mill", country="BD")
    add_link(analyst, farm, gin, share=0.6)
    add_link(analyst, gin, mill, share=0.5)
    add_link(analyst, mill, None, share=0.4)
    return farm, gin, mill


def scores(company):
    return {row.site_id: (row.child_labour, row.forced_labour) for row in RiskScore.objects.filter(company=company)}


def critical_forced_finding(site, remediation="none"):
    return SiteEvidence(site_id=site.pk, kind="finding", dimensions=frozenset({1}), severity="critical", status="open",
                        observed_on=datetime.date.today(), remediation=remediation)


def test_full_run_scores_every_node_and_the_company(company, chain_in_turkmenistan):
    run = compute_risk(company)
    stored = scores(company)
    assert run.nodes == 4 and set(stored) == {site.pk for site in chain_in_turkmenistan} | {None}
    farm, gin, mill = chain_in_turkmenistan
    assert stored[farm.pk][1] > 0.5, "Turkmen cotton is on the DOL list for forced labour"
    assert 0 < stored[None][1] < stored[mill.pk][1] <= 1


def test_rerun_without_change_adds_no_history(company, chain_in_turkmenistan):
    compute_risk(company)
    count = RiskHistory.objects.count()
    compute_risk(company)
    assert RiskHistory.objects.count() == count


def test_critical_forced_labour_evidence_raises_forced_downstream_only(company, chain_in_turkmenistan, evidence):
    farm, gin, mill = chain_in_turkmenistan
    compute_risk(company)
    before = scores(company)
    evidence.append(critical_forced_finding(gin))
    compute_risk(company, changed_site_ids=[gin.pk])
    after = scores(company)
    for node in (gin.pk, mill.pk, None):
        assert after[node][1] > before[node][1] + 1e-6
        assert after[node][0] == pytest.approx(before[node][0], abs=1e-12)
    assert after[farm.pk] == pytest.approx(before[farm.pk])

    evidence[:] = [critical_forced_finding(gin, remediation="verified")]
    compute_risk(company, changed_site_ids=[gin.pk])
    restored = scores(company)
    for node, values in before.items():
        assert restored[node] == pytest.approx(values, abs=1e-12)


def test_incremental_equals_full(company, chain_in_turkmenistan, evidence):
    farm, gin, mill = chain_in_turkmenistan
    compute_risk(company)
    evidence.append(critical_forced_finding(farm))
    incremental = compute_risk(company, changed_site_ids=[farm.pk])
    after_incremental = scores(company)
    full = compute_risk(company)
    assert incremental.incremental and not full.incremental
    for node, values in scores(company).items():
        assert after_incremental[node] == pytest.approx(values, abs=1e-9)


def test_band_rise_alerts_once_and_can_be_acknowledged(api, analyst, company, chain_in_turkmenistan, evidence):
    farm, gin, mill = chain_in_turkmenistan
    compute_risk(company)
    assert RiskAlert.objects.count() == 0
    evidence.extend([critical_forced_finding(mill), critical_forced_finding(gin)])
    compute_risk(company)
    compute_risk(company)
    raised = RiskAlert.objects.filter(site=mill, dimension="forced_labour")
    assert raised.count() == 1
    client = api(analyst)
    alerts = client.data(ALERTS)["riskAlerts"]
    alert_id = next(e["node"]["id"] for e in alerts["edges"] if e["node"]["site"] and e["node"]["site"]["name"] == "Mill")
    assert client.data(ACKNOWLEDGE, {"id": alert_id})["riskAlertAcknowledge"]["alert"]["acknowledgedAt"]
    assert client.data(ALERTS)["riskAlerts"]["totalCount"] == alerts["totalCount"] - 1


def test_override_replaces_inherent_and_is_logged(api, analyst, company, chain_in_turkmenistan):
    farm, gin, mill = chain_in_turkmenistan
    compute_risk(company)
    before = scores(company)[gin.pk][1]
    result = api(analyst).data(OVERRIDE, {"site": to_global_id("Site", gin.pk), "value": 0.0})
    assert result["inherentRiskOverrideSet"]["errors"] == []
    override = InherentOverride.objects.get()
    assert (override.created_by, override.value, override.revoked_at) == (analyst, 0.0, None)
    compute_risk(company)
    assert scores(company)[gin.pk][1] < before
    api(analyst).data(OVERRIDE, {"site": to_global_id("Site", gin.pk), "value": None})
    compute_risk(company)
    assert scores(company)[gin.pk][1] == pytest.approx(before)
    assert InherentOverride.objects.count() == 1 and InherentOverride.objects.get().revoked_at is not None


def test_override_value_outside_unit_interval_is_refused(api, analyst, company, chain_in_turkmenistan):
    gin = chain_in_turkmenistan[1]
    result = api(analyst).data(OVERRIDE, {"site": to_global_id("Site", gin.pk), "value": 1.5})
    assert result["inherentRiskOverrideSet"]["errors"][0]["code"] == "OUT_OF_RANGE"
    assert InherentOverride.objects.count() == 0


def test_shipped_dol_list_is_loaded(db):
    assert DolListing.objects.filter(edition="2022").count() == 467  # one row per good × country, as shipped
    cotton_tm = DolListing.objects.get(good="Cotton", country="TM")
    assert cotton_tm.child_labor and cotton_tm.forced_labor


def test_official_dol_xlsx_layout_loads_as_a_new_edition(tmp_path, db):
    from django.core.management import call_command
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Country", "Good", "Child Labor", "Forced Labor"])
    sheet.append(["Burma", "Rubies", "X", "X"])
    sheet.append(["Kyrgyz Republic", "Cotton", "X", ""])
    sheet.append(["Côte d'Ivoire", "Cocoa", "X", "X"])
    path = tmp_path / "dol_list_2024.xlsx"
    workbook.save(path)
    call_command("load_reference", "dol", str(path))
    loaded = {(r.country, r.good): (r.child_labor, r.forced_labor) for r in DolListing.objects.filter(edition="2024")}
    assert loaded == {("MM", "Rubies"): (True, True), ("KG", "Cotton"): (True, False), ("CI", "Cocoa"): (True, True)}


def test_dol_file_with_unknown_country_is_refused_and_changes_nothing(tmp_path, db):
    from django.core.management import CommandError, call_command

    path = tmp_path / "dol_2025.csv"
    path.write_text("good,country_name,child_labor,forced_labor\nCotton,Atlantis,1,0\n")
    with pytest.raises(CommandError, match="line 2: unknown country 'Atlantis'"):
        call_command("load_reference", "dol", str(path))
    assert not DolListing.objects.filter(edition="2025").exists()


def test_array_loading_on_postgres_matches_the_orm(postgres, company, chain_in_turkmenistan):
    from graph.services.risk_graph import load_link_arrays

    upstream, downstream, share = load_link_arrays(company)
    rows = sorted(SupplyLink.objects.filter(company=company).values_list("upstream_id", "downstream_id", "share"))
    decoded = sorted(zip(upstream.tolist(), downstream.tolist(), share.tolist()))
    assert decoded == [(u, d or 0, float(s)) for u, d, s in rows]


def test_profile_grouped_inherent_risk_equals_the_formula_per_site(analyst, company):
    from graph import risk
    from graph.services.risk_graph import dol_index, inherent_array, load_tenant_graph

    sites = [add_site(analyst, f"S{i}", country=c, kind=k, migrant_share=m)
             for i, (c, k, m) in enumerate([("TM", "farm", None), ("TM", "facility", 0.4), ("US", "farm", 0.1),
                                            ("CI", "facility", None), ("TM", "farm", None)])]
    for site in sites:
        add_link(analyst, site, None, share=0.1)
    graph = load_tenant_graph(company)
    inherent = inherent_array(graph, risk.DEFAULT_METHODOLOGY)
    index = dol_index()
    for site in sites:
        goods = [g for c in site.commodities.all() for g in c.dol_goods]
        expected = risk.inherent_risk(site.country, goods, site.kind, site.migrant_share, index, risk.DEFAULT_METHODOLOGY)
        assert tuple(inherent[graph.node_of(site.pk)]) == pytest.approx(expected)
    assert tuple(inherent[0]) == (0.0, 0.0)
