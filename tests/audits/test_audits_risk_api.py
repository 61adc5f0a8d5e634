"""Through the API only: an auditor's critical finding of retained identity documents, shared with the company,
raises the forced-labour risk of its site and of everything downstream, leaves child-labour risk as it was, and
the verified remediation brings every score back."""

import pytest
from graphql_relay import to_global_id

from factories import add_link, add_site
from graph.services.risk import compute_risk
from support.audits_world import gid

ASSIGN = """mutation($firm: ID!, $site: ID!) { auditAssignmentCreate(auditFirmId: $firm, siteId: $site) {
  errors { field code message } } }"""
AUDIT = """mutation($site: ID!) { auditCreate(siteId: $site, input: {standard: SMETA, auditType: UNANNOUNCED,
  startDate: "2026-11-02", endDate: "2026-11-04"}) { audit { id } errors { field code message } } }"""
FINDING = """mutation($audit: ID!) { findingCreate(auditId: $audit, input: {category: RETENTION_OF_IDENTITY_DOCUMENTS,
  severity: CRITICAL, description: "Passports of 23 workers held by the HR office"}) {
  finding { id } errors { field code message } } }"""
SHARE = """mutation($audit: ID!, $company: ID!) { auditShare(auditId: $audit, companyId: $company) {
  errors { field code message } } }"""
ACTION = """mutation($finding: ID!) { correctiveActionCreate(input: {findingId: $finding, title: "Return the passports",
  dueOn: "2026-12-31"}) { correctiveAction { id } errors { field code message } } }"""
START = "mutation($id: ID!) { correctiveActionStart(id: $id) { errors { code } } }"
COMPLETE = 'mutation($id: ID!) { correctiveActionComplete(id: $id, note: "Lockers installed") { errors { code } } }'
VERIFY = 'mutation($id: ID!) { correctiveActionVerify(id: $id, note: "Seen on site") { errors { code } } }'
SCORES = """query($mill: ID!, $factory: ID!, $farm: ID!) {
  mill: site(id: $mill) { risk { childLabour forcedLabour } }
  factory: site(id: $factory) { risk { childLabour forcedLabour } }
  farm: site(id: $farm) { risk { childLabour forcedLabour } }
  companyRisk { childLabour forcedLabour } }"""


def run(client, query, variables, key):
    """A mutation that must succeed; returns its payload."""
    payload = client.data(query, variables)[key]
    assert payload["errors"] == [], payload["errors"]
    return payload


def scores(client, ids) -> dict:
    data = client.data(SCORES, ids)
    return {name: (value["risk"] if name != "companyRisk" else value) for name, value in data.items()}


@pytest.fixture
def chain(people):
    """Company A's cotton: an Indian farm → the mill (public, OS ID) → a garment factory → A."""
    a = people.users["a"]
    farm = add_site(a, "Cotton farm", country="IN", kind="farm")
    mill = add_site(a, "Mill", country="BD", os_id="BD2020001ABCDE0")
    factory = add_site(a, "Garment factory", country="BD")
    add_link(a, farm, mill, share=0.6)
    add_link(a, mill, factory, share=0.8)
    add_link(a, factory, None, share=1.0)
    compute_risk(people.orgs["a"])
    return {"mill": gid("Site", mill), "factory": gid("Site", factory), "farm": gid("Site", farm)}


def test_a_critical_identity_documents_finding_raises_forced_labour_downstream_until_its_remediation_is_verified(
    api, people, chain, django_capture_on_commit_callbacks
):
    company, firm = api(people.users["a"]), api(people.users["f"])
    before = scores(company, chain)
    with django_capture_on_commit_callbacks(execute=True):
        # given the mill assigned to audit firm F, which finds passports retained and shares the audit with A
        run(company, ASSIGN, {"firm": people.ids["org_f"], "site": chain["mill"]}, "auditAssignmentCreate")
        audit = run(firm, AUDIT, {"site": chain["mill"]}, "auditCreate")["audit"]["id"]
        finding = run(firm, FINDING, {"audit": audit}, "findingCreate")["finding"]["id"]
        run(firm, SHARE, {"audit": audit, "company": to_global_id("Party", people.orgs["a"].pk)}, "auditShare")
    raised = scores(company, chain)
    # then forced-labour risk rises at the mill and at every node downstream of it, the farm upstream keeps its
    # scores, and no child-labour score moves
    for node in ("mill", "factory", "companyRisk"):
        assert raised[node]["forcedLabour"] > before[node]["forcedLabour"] + 0.1, node
        assert raised[node]["childLabour"] == pytest.approx(before[node]["childLabour"], abs=1e-12), node
    assert raised["farm"] == before["farm"]
    # when A's corrective action is done and F verifies it
    with django_capture_on_commit_callbacks(execute=True):
        action = run(company, ACTION, {"finding": finding}, "correctiveActionCreate")["correctiveAction"]["id"]
        run(company, START, {"id": action}, "correctiveActionStart")
        run(company, COMPLETE, {"id": action}, "correctiveActionComplete")
    halfway = scores(company, chain)
    assert before["mill"]["forcedLabour"] < halfway["mill"]["forcedLabour"] < raised["mill"]["forcedLabour"]
    with django_capture_on_commit_callbacks(execute=True):
        run(firm, VERIFY, {"id": action}, "correctiveActionVerify")
    # then every score is back where it was
    restored = scores(company, chain)
    for node, values in before.items():
        assert restored[node] == pytest.approx(values, abs=1e-9), node
