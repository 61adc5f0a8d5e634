"""Alerts on evidence (audits/services/alerts.py) and region watches (graph/services/region_watch.py), on
PostgreSQL: a serious case deep in the network alerts every company holding the site, once, with the path; nobody
else hears of it, nor of evidence that is not theirs to see; a watch alerts on new lesser evidence it matches."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from graphql_relay import to_global_id

from audits.services import assignments, audits, grievances
from backend.models import OrganizationKind, Role
from backend.tenancy import Viewer
from factories import add_link, add_site
from graph.models import AlertKind, RiskAlert
from graph.services.region_watch import set_region_watch
from graph.services.risk_jobs import recompute

GIN_OS_ID = "IN2019067X1K87E"
EVIDENCE_ALERTS = """{ riskAlerts(first: 10, kind: EVIDENCE) { totalCount edges { node {
  kind summary evidenceKind evidenceId dimension path { name } site { name } } } } }"""
WATCH = """mutation($countries: [String!], $subdivisions: [String!], $commodities: [String!]) {
  regionWatchSet(countries: $countries, subdivisions: $subdivisions, commodities: $commodities) {
    watch { countries subdivisions commodities } errors { field code } } }"""


@pytest.fixture
def deep(make_org, make_user):
    """A public gin five tiers up company A's chain; company C buys from the gin directly; company B does not hold
    it. Audit firm F is assigned to the gin by A; workers' organization W can see it (it is public)."""
    users = {key: make_user(make_org(name, kind), Role.ANALYST) for key, name, kind in (
        ("a", "Company A", OrganizationKind.COMPANY), ("b", "Company B", OrganizationKind.COMPANY),
        ("c", "Company C", OrganizationKind.COMPANY), ("f", "Audit Firm F", OrganizationKind.AUDIT_FIRM),
        ("w", "Workers W", OrganizationKind.WORKERS_ORG))}
    chain = [add_site(users["a"], "Gin", os_id=GIN_OS_ID)] + [add_site(users["a"], f"Tier {n}") for n in (4, 3, 2, 1)]
    for upstream, downstream in zip(chain, chain[1:]):
        add_link(users["a"], upstream, downstream, share=0.5)
    add_link(users["a"], chain[-1], None, share=0.5)
    gin_of_c = add_site(users["c"], "Gin (C's name)", os_id=GIN_OS_ID)
    add_link(users["c"], gin_of_c, None, share=0.3)
    add_site(users["b"], "B's own mill")
    assignments.assign(Viewer.of(users["a"]), chain[0], users["f"].organization)
    for key in "abc":
        recompute(users[key].organization.pk, full=True)
    return users, chain


def recompute_all(users) -> None:
    for key in "abc":
        recompute(users[key].organization.pk)


def finding(users, gin, severity: str, share_with=("a", "c")):
    f = Viewer.of(users["f"])
    created = audits.create_finding(f, {"category": "retention_of_identity_documents", "severity": severity,
                                        "description": "Passports held in the office safe",
                                        "found_on": datetime.date(2026, 11, 2)}, site=gin)
    for key in share_with:
        assignments.share(f, users[key].organization, finding=created)
    return created


def alerts_of(user, kind=None):
    rows = RiskAlert.objects.filter(company=user.organization)
    return list(rows.filter(kind=kind) if kind else rows.exclude(kind=AlertKind.BAND_RISE))


def test_a_deep_critical_finding_alerts_each_company_holding_the_site_once_with_its_path(deep, api):
    users, chain = deep
    created = finding(users, chain[0], "critical")
    recompute_all(users)
    recompute_all(users)
    for key in "abc":
        recompute(users[key].organization.pk, full=True)
    a_alerts, c_alerts = alerts_of(users["a"]), alerts_of(users["c"])
    assert [(x.kind, x.evidence_id) for x in a_alerts] == [(AlertKind.EVIDENCE, created.pk)]
    assert [(x.kind, x.evidence_id) for x in c_alerts] == [(AlertKind.EVIDENCE, created.pk)]
    assert alerts_of(users["b"]) == [] and alerts_of(users["f"]) == []
    assert a_alerts[0].path == [site.pk for site in chain]
    node = api(users["a"]).data(EVIDENCE_ALERTS)["riskAlerts"]["edges"][0]["node"]
    assert node == {
        "kind": "EVIDENCE", "summary": "Critical finding: Retention of identity documents at Gin",
        "evidenceKind": "FINDING", "evidenceId": to_global_id("Finding", created.pk), "dimension": None,
        "path": [{"name": "Gin"}, {"name": "Tier 4"}, {"name": "Tier 3"}, {"name": "Tier 2"}, {"name": "Tier 1"}],
        "site": {"name": "Gin"},
    }
    assert api(users["b"]).data(EVIDENCE_ALERTS)["riskAlerts"]["totalCount"] == 0


def test_a_finding_not_shared_with_a_company_alerts_only_those_it_is_shared_with(deep):
    users, chain = deep
    finding(users, chain[0], "major", share_with=("a",))
    recompute_all(users)
    assert len(alerts_of(users["a"], AlertKind.EVIDENCE)) == 1
    assert alerts_of(users["c"]) == [], "C must not learn of an audit finding F did not share with it"


def test_a_minor_finding_alerts_only_a_company_whose_watch_matches_and_only_if_newer_than_the_watch(deep):
    users, chain = deep
    old = finding(users, chain[0], "minor")
    set_region_watch(Viewer.of(users["c"]), ["IN"], [], ["cotton"])
    set_region_watch(Viewer.of(users["a"]), ["BD"], [], [])
    new = finding(users, chain[0], "observation")
    recompute_all(users)
    assert alerts_of(users["a"]) == [], "A watches Bangladesh only, and a minor finding is no evidence alert"
    watched = alerts_of(users["c"])
    assert [(x.kind, x.evidence_id) for x in watched] == [(AlertKind.REGION_EVIDENCE, new.pk)]
    assert old.pk not in {x.evidence_id for x in watched}, "evidence from before the watch was set is not new to it"


def test_a_substantiated_grievance_alerts_every_company_it_is_routed_to(deep):
    users, chain = deep
    w, a = Viewer.of(users["w"]), Viewer.of(users["a"])
    grievance = grievances.file_grievance(w, chain[0], {
        "channel": "hotline", "category": "debt_bondage", "description": "Fees deducted from every month's pay"})
    recompute_all(users)
    assert alerts_of(users["a"]) == [], "a grievance only received is not yet a substantiated case"
    grievances.acknowledge(a, grievance)
    grievances.investigate(a, grievance)
    grievances.conclude(a, grievance, substantiated=True)
    recompute_all(users)
    for key in "ac":
        assert [(x.kind, x.evidence_kind, x.evidence_id) for x in alerts_of(users[key])] == [
            (AlertKind.EVIDENCE, "grievance", grievance.pk)]
    assert alerts_of(users["b"]) == []


def test_region_watch_is_validated_set_by_analysts_and_read_only_by_its_company(deep, api, make_user):
    users, _chain = deep
    client = api(users["a"])
    bad = client.data(WATCH, {"countries": ["Narnia"], "subdivisions": [], "commodities": []})["regionWatchSet"]
    assert bad["errors"] == [{"field": "countries", "code": "INVALID_COUNTRY"}]
    bad = client.data(WATCH, {"countries": [], "subdivisions": ["IN-XX"], "commodities": ["unobtainium"]})
    assert bad["regionWatchSet"]["errors"][0]["field"] == "subdivisions"
    good = client.data(WATCH, {"countries": ["in", "IN"], "subdivisions": ["IN-TN"], "commodities": ["Cotton"]})
    assert good["regionWatchSet"] == {
        "watch": {"countries": ["IN"], "subdivisions": ["IN-TN"], "commodities": ["cotton"]}, "errors": []}
    viewer = make_user(users["a"].organization, Role.VIEWER)
    denied = api(viewer)(WATCH, {"countries": ["BD"]})
    assert denied["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    assert api(viewer).data("{ regionWatch { countries } }")["regionWatch"] == {"countries": ["IN"]}
    assert api(users["b"]).data("{ regionWatch { countries } }")["regionWatch"] is None


def test_a_page_of_evidence_alerts_costs_the_same_queries_as_one_alert(deep, api, django_assert_num_queries):
    users, chain = deep
    finding(users, chain[0], "critical", share_with=("a",))
    recompute_all(users)
    client = api(users["a"])
    with CaptureQueriesContext(connection) as one_alert:
        assert len(client.data(EVIDENCE_ALERTS)["riskAlerts"]["edges"]) == 1
    for _ in range(3):
        finding(users, chain[0], "critical", share_with=("a",))
    recompute_all(users)
    with django_assert_num_queries(len(one_alert)):
        edges = client.data(EVIDENCE_ALERTS)["riskAlerts"]["edges"]
    assert len(edges) == 4 and all(len(edge["node"]["path"]) == 5 for edge in edges)


def test_a_watched_region_whose_band_rises_alerts_once(deep):
    """Given A watches Portugal, where its network holds one mill of little inherent risk, when critical findings
    there raise the band of Portugal's worst site, then A gets one REGION_BAND alert per dimension that rose (forced
    labour here), and further runs raise none."""
    users, _chain = deep
    a = Viewer.of(users["a"])
    mill = add_site(users["a"], "Porto mill", country="PT")
    add_link(users["a"], mill, None, share=0.2)
    assignments.assign(a, mill, users["f"].organization)
    set_region_watch(a, ["PT"], [], [])
    recompute(users["a"].organization.pk, full=True)
    for _ in range(3):
        finding(users, mill, "critical", share_with=("a",))
    recompute_all(users)
    recompute(users["a"].organization.pk, full=True)
    rises = alerts_of(users["a"], AlertKind.REGION_BAND)
    assert [(x.dimension, x.from_band) for x in rises] == [("forced_labour", "low")]
    assert rises[0].summary == f"Forced-labour risk in PT rose from low to {rises[0].to_band}"
