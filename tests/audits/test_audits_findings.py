"""Audits and findings through the API: assignment, audit, finding, sharing, remediation, closing; and what an
audit firm can see of a company's network."""


import pytest

from factories import add_link, add_site
from support.audits_world import gid

ASSIGN = """mutation($site: ID!, $firm: ID!) { auditAssignmentCreate(siteId: $site, auditFirmId: $firm) {
  assignment { id active company { name } auditFirm { name } site { name } } errors { field code message } } }"""
REVOKE_ASSIGNMENT = """mutation($id: ID!) { auditAssignmentRevoke(id: $id) { assignment { active } errors { field code } } }"""
AUDIT_CREATE = """mutation($site: ID!, $input: AuditInput!) { auditCreate(siteId: $site, input: $input) {
  audit { id standard auditType startDate endDate site { name } } errors { field code message } } }"""
FINDING_CREATE = """mutation($audit: ID, $site: ID, $input: FindingInput!) {
  findingCreate(auditId: $audit, siteId: $site, input: $input) {
    finding { id status foundOn category categoryLabel dimensions severity audit { id } }
    errors { field code message } } }"""
SHARE = """mutation($audit: ID!, $company: ID!) { auditShare(auditId: $audit, companyId: $company) {
  share { active company { name } } errors { field code } } }"""
SHARE_REVOKE = """mutation($audit: ID!, $company: ID!) { auditShareRevoke(auditId: $audit, companyId: $company) {
  share { active revokedAt history { fromState toState } } errors { field code } } }"""
FINDING_SHARE = """mutation($finding: ID!, $company: ID!) { findingShare(findingId: $finding, companyId: $company) {
  share { active } errors { field code } } }"""
FINDING_CLOSE = """mutation($id: ID!) { findingClose(id: $id) { finding { status } errors { field code message } } }"""
ACTION_CREATE = """mutation($input: CorrectiveActionInput!) { correctiveActionCreate(input: $input) {
  correctiveAction { id status owner isOverdue } errors { field code message } } }"""
ACTION_START = """mutation($id: ID!) { correctiveActionStart(id: $id) { correctiveAction { status } errors { field code } } }"""
ACTION_COMPLETE = """mutation($id: ID!, $note: String!) { correctiveActionComplete(id: $id, note: $note) {
  correctiveAction { status completionNote } errors { field code } } }"""
ACTION_VERIFY = """mutation($id: ID!) { correctiveActionVerify(id: $id) { correctiveAction { status } errors { field code message } } }"""
AUDITS = "{ audits(first: 10) { totalCount edges { node { id findings { id description } } } } }"
FINDINGS = "{ findings(first: 10) { totalCount edges { node { id description } } } }"
AUDIT = "query($id: ID!) { audit(id: $id) { id } }"
FINDING_HISTORY = """query($id: ID!) { finding(id: $id) { status history { fromState toState actor actorKind actorOrganization } } }"""
SITES = "{ sites(first: 100) { edges { node { id name linksIn { id } linksOut { id } internalRef tier } } } }"
SITE = "query($id: ID!) { site(id: $id) { name } }"
LINKS = "{ supplyLinks(first: 10) { totalCount } }"
UPSTREAM = "{ upstream(depth: 3) { sites { site { name } } } }"

SMETA = {"standard": "SMETA", "auditType": "UNANNOUNCED", "startDate": "2026-03-02", "endDate": "2026-03-04"}
BONDAGE = {"category": "DEBT_BONDAGE", "severity": "CRITICAL", "description": "Workers repay recruitment fees."}


def mutate(client, query, variables, field):
    """The payload of a mutation that must not raise a top-level error."""
    return client.data(query, variables)[field]


@pytest.fixture
def assigned(people, api):
    """A assigns F, through the API, to its private mill; the mill supplies A via a link."""
    mill = add_site(people.users["a"], "Private Mill")
    add_link(people.users["a"], mill, None, share=0.5)
    payload = mutate(api(people.users["a"]), ASSIGN, {"site": gid("Site", mill), "firm": people.ids["org_f"]},
                     "auditAssignmentCreate")
    assert payload["errors"] == []
    people.objects["mill"] = mill
    people.ids["assignment"] = payload["assignment"]["id"]
    return people


def test_finding_lifecycle_through_the_api(api, assigned):
    w = assigned
    firm, company = api(w.users["f"]), api(w.users["a"])
    mill = gid("Site", w.objects["mill"])

    # Given an audit of the assigned site with one finding
    audit = mutate(firm, AUDIT_CREATE, {"site": mill, "input": SMETA}, "auditCreate")
    assert audit["errors"] == [] and audit["audit"]["site"]["name"] == "Private Mill"
    audit_id = audit["audit"]["id"]
    finding = mutate(firm, FINDING_CREATE, {"audit": audit_id, "input": BONDAGE}, "findingCreate")
    assert finding["errors"] == []
    finding = finding["finding"]
    assert finding["status"] == "OPEN" and finding["foundOn"] == "2026-03-04"
    assert finding["categoryLabel"] == "Debt bondage" and finding["dimensions"] == ["FORCED_LABOUR"]

    # Then the company does not see the unshared audit or its finding
    assert company.data(AUDITS)["audits"]["totalCount"] == 0
    assert company.data(FINDINGS)["findings"]["totalCount"] == 0
    assert company.data(AUDIT, {"id": audit_id})["audit"] is None

    # When the firm shares it, the company sees it
    assert mutate(firm, SHARE, {"audit": audit_id, "company": w.ids["org_a"]}, "auditShare")["errors"] == []
    audits = company.data(AUDITS)["audits"]
    assert audits["totalCount"] == 1 and audits["edges"][0]["node"]["findings"][0]["id"] == finding["id"]

    # The company plans, starts and completes a corrective action
    action = mutate(company, ACTION_CREATE, {"input": {"findingId": finding["id"], "title": "Repay all fees",
                                                        "dueOn": "2026-12-31"}}, "correctiveActionCreate")
    assert action["errors"] == [] and action["correctiveAction"]["owner"] == "company-a-analyst"
    action_id = action["correctiveAction"]["id"]
    assert mutate(company, ACTION_START, {"id": action_id}, "correctiveActionStart")["correctiveAction"]["status"] == "IN_PROGRESS"
    done = mutate(company, ACTION_COMPLETE, {"id": action_id, "note": "Receipts for 40 workers"}, "correctiveActionComplete")
    assert done["correctiveAction"] == {"status": "DONE", "completionNote": "Receipts for 40 workers"}

    # The finding cannot be closed before the action is verified
    refused = mutate(firm, FINDING_CLOSE, {"id": finding["id"]}, "findingClose")
    assert refused["errors"][0]["code"] == "ACTIONS_PENDING" and refused["finding"] is None

    # The auditor verifies its last action, which closes the finding (issue 16); closing it again is illegal
    verified = mutate(firm, ACTION_VERIFY, {"id": action_id}, "correctiveActionVerify")
    assert verified["errors"] == [] and verified["correctiveAction"]["status"] == "VERIFIED"
    again = mutate(firm, FINDING_CLOSE, {"id": finding["id"]}, "findingClose")
    assert again["errors"][0]["code"] == "ILLEGAL_TRANSITION" and again["errors"][0]["field"] is None

    # Every state change is in the history: the firm sees who, the company sees which kind of organization
    history = firm.data(FINDING_HISTORY, {"id": finding["id"]})["finding"]["history"]
    assert [(h["fromState"], h["toState"]) for h in history] == [("", "open"), ("open", "closed")]
    assert history[1]["actor"] == "audit-firm-f-analyst" and history[1]["actorOrganization"] == "Audit Firm F"
    seen_by_company = company.data(FINDING_HISTORY, {"id": finding["id"]})["finding"]["history"]
    assert seen_by_company[1] == {"fromState": "open", "toState": "closed", "actor": None,
                                  "actorKind": "audit_firm", "actorOrganization": None}

    # Revoking the share hides the audit again, and the revocation is logged
    revoked = mutate(firm, SHARE_REVOKE, {"audit": audit_id, "company": w.ids["org_a"]}, "auditShareRevoke")
    assert revoked["share"]["active"] is False
    assert [h["toState"] for h in revoked["share"]["history"]] == ["active", "revoked"]
    assert company.data(AUDITS)["audits"]["totalCount"] == 0
    assert company.data(FINDINGS)["findings"]["totalCount"] == 0


def test_illegal_action_transitions_are_refused(api, full_world):
    w = full_world
    company, firm = api(w.users["a"]), api(w.users["f"])
    action = w.ids["finding_action"]
    # open → done skips in_progress; open → verified skips everything
    assert mutate(company, ACTION_COMPLETE, {"id": action, "note": "x"}, "correctiveActionComplete")["errors"][0]["code"] == "ILLEGAL_TRANSITION"
    assert mutate(firm, ACTION_VERIFY, {"id": action}, "correctiveActionVerify")["errors"][0]["code"] == "ILLEGAL_TRANSITION"
    mutate(company, ACTION_START, {"id": action}, "correctiveActionStart")
    mutate(company, ACTION_COMPLETE, {"id": action, "note": "done"}, "correctiveActionComplete")
    # The owner never verifies their own action (four eyes); a colleague may
    own = mutate(company, ACTION_VERIFY, {"id": action}, "correctiveActionVerify")
    assert own["errors"][0]["code"] == "NOT_EDITABLE" and own["correctiveAction"] is None
    colleague = mutate(api(w.users["a_admin"]), ACTION_VERIFY, {"id": action}, "correctiveActionVerify")
    assert colleague["correctiveAction"]["status"] == "VERIFIED"


def test_an_auditor_sees_only_its_assigned_sites_and_none_of_the_links(api, assigned):
    w = assigned
    farm = add_site(w.users["a"], "A's other farm")
    add_link(w.users["a"], farm, w.objects["mill"], share=1)
    firm = api(w.users["f"])
    sites = [edge["node"] for edge in firm.data(SITES)["sites"]["edges"]]
    assert [s["name"] for s in sites] == ["Private Mill"]
    assert sites[0]["linksIn"] == [] and sites[0]["linksOut"] == [] and sites[0]["internalRef"] is None
    assert firm.data(SITE, {"id": gid("Site", farm)})["site"] is None
    for query in (LINKS, UPSTREAM):
        assert firm(query)["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"

    # After the company revokes the assignment the firm loses the site, and cannot audit it
    revoked = mutate(api(w.users["a"]), REVOKE_ASSIGNMENT, {"id": w.ids["assignment"]}, "auditAssignmentRevoke")
    assert revoked == {"assignment": {"active": False}, "errors": []}
    assert firm.data(SITES)["sites"]["edges"] == []
    refused = mutate(firm, AUDIT_CREATE, {"site": gid("Site", w.objects["mill"]), "input": SMETA}, "auditCreate")
    assert refused["errors"][0] == {"field": "siteId", "code": "NOT_FOUND", "message": refused["errors"][0]["message"]}


def test_an_auditor_cannot_audit_a_public_site_it_is_not_assigned_to(api, world):
    firm_g = api(world.users["g"])
    refused = mutate(firm_g, AUDIT_CREATE, {"site": world.ids["mill"], "input": SMETA}, "auditCreate")
    assert refused["errors"][0]["field"] == "siteId" and refused["errors"][0]["code"] == "NOT_ASSIGNED"
    desk = mutate(firm_g, FINDING_CREATE, {"site": world.ids["mill"], "input": {**BONDAGE, "foundOn": "2026-01-01"}},
                  "findingCreate")
    assert desk["errors"][0]["code"] == "NOT_ASSIGNED"


def test_assigning_needs_the_site_in_the_network_and_an_audit_firm(api, world):
    company_b = api(world.users["b"])
    outside = mutate(company_b, ASSIGN, {"site": world.ids["mill"], "firm": world.ids["org_f"]}, "auditAssignmentCreate")
    assert outside["errors"][0]["field"] == "siteId" and outside["errors"][0]["code"] == "NOT_IN_NETWORK"
    company_a = api(world.users["a"])
    twice = mutate(company_a, ASSIGN, {"site": world.ids["mill"], "firm": world.ids["org_f"]}, "auditAssignmentCreate")
    assert twice["errors"][0]["code"] == "UNIQUE"
    not_a_firm = mutate(company_a, ASSIGN, {"site": world.ids["mill"], "firm": world.ids["org_w"]}, "auditAssignmentCreate")
    assert not_a_firm["errors"][0]["field"] == "auditFirmId" and not_a_firm["errors"][0]["code"] == "NOT_FOUND"


def test_a_desk_finding_is_shared_on_its_own_and_only_with_a_client(api, full_world):
    w = full_world
    firm, company = api(w.users["f"]), api(w.users["a"])
    before = company.data(FINDINGS)["findings"]
    assert w.ids["desk"] not in str(before)
    not_client = mutate(firm, FINDING_SHARE, {"finding": w.ids["desk"], "company": w.ids["org_b"]}, "findingShare")
    assert not_client["errors"][0] == {"field": "companyId", "code": "NOT_FOUND"}
    audit_finding = mutate(firm, FINDING_SHARE, {"finding": w.ids["finding"], "company": w.ids["org_a"]}, "findingShare")
    assert audit_finding["errors"][0] == {"field": "findingId", "code": "INVALID"}
    assert mutate(firm, FINDING_SHARE, {"finding": w.ids["desk"], "company": w.ids["org_a"]}, "findingShare")["errors"] == []
    assert w.ids["desk"] in str(company.data(FINDINGS)["findings"])


@pytest.mark.parametrize(
    "site_or_audit, payload, field, code",
    [
        ("audit", {"severity": "MINOR", "category": "WAGES", "description": "  "}, "description", "REQUIRED"),
        ("audit", {**BONDAGE, "foundOn": "2999-01-01"}, "foundOn", "OUT_OF_RANGE"),
        ("site", BONDAGE, "foundOn", "REQUIRED"),
        ("audit", {**BONDAGE, "description": "x" * 10_001}, "description", "TOO_LONG"),
    ],
)
def test_bad_finding_input_gets_a_typed_error_and_creates_nothing(api, full_world, site_or_audit, payload, field, code):
    from audits.models import Finding

    before = Finding.objects.count()
    variables = {"audit": full_world.ids["audit"]} if site_or_audit == "audit" else {"site": full_world.ids["mill"]}
    result = mutate(api(full_world.users["f"]), FINDING_CREATE, {**variables, "input": payload}, "findingCreate")
    assert (result["errors"][0]["field"], result["errors"][0]["code"]) == (field, code)
    assert Finding.objects.count() == before


def test_bad_audit_dates_are_refused(api, world):
    result = mutate(api(world.users["f"]), AUDIT_CREATE,
                    {"site": world.ids["mill"], "input": {**SMETA, "endDate": "2026-03-01"}}, "auditCreate")
    assert result["errors"][0]["field"] == "endDate" and result["errors"][0]["code"] == "OUT_OF_RANGE"


def test_an_assignment_is_logged(api, world):
    query = "query($id: ID!) { auditAssignment(id: $id) { history { toState actor actorOrganization } } }"
    history = api(world.users["a"]).data(query, {"id": world.ids["assignment"]})["auditAssignment"]["history"]
    assert history == [{"toState": "active", "actor": "company-a-analyst", "actorOrganization": "Company A"}]
