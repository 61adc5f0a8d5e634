"""The evidence feed of the risk engine, the taxonomy, and query counts of the audits lists."""

import base64
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audits.models import EvidenceFile
from audits.services import assignments, audits, grievances, remediation
from audits.taxonomy import Category, dimensions_of
from factories import add_link
from graph.models import NetworkSite
from graph.services.evidence_feed import collect_evidence

CATEGORIES = "{ findingCategories { code label group dimensions } }"


def evidence_of(site, company):
    return sorted(collect_evidence([site.pk], company), key=lambda e: (e.kind, e.observed_on))


def test_findings_and_grievances_reach_the_risk_engine_with_their_remediation(full_world):
    w = full_world
    mill = w.objects["mill"]
    found = evidence_of(mill, w.orgs["a"])
    assert [(e.kind, e.dimensions, e.severity, e.status, e.observed_on, e.remediation) for e in found] == [
        ("finding", frozenset({1}), "critical", "open", datetime.date(2026, 3, 4), "none"),  # debt bondage, audit end
        ("grievance", frozenset({1}), None, "acknowledged", w.objects["grievance"].received_at.date(), "none"),
    ]
    # A whole network's sites may come as a queryset of IDs (used as a subquery)
    network = NetworkSite.objects.filter(company=w.orgs["a"]).values_list("site_id", flat=True)
    assert sorted(collect_evidence(network, w.orgs["a"]), key=lambda e: (e.kind, e.observed_on)) == found
    # A done action makes the finding "done"; verified by the auditor, "verified"
    action = w.objects["finding_action"]
    remediation.start(w.viewer("a"), action)
    remediation.complete(w.viewer("a"), action, "Fees repaid")
    assert [e.remediation for e in evidence_of(mill, w.orgs["a"]) if e.severity == "critical"] == ["done"]
    remediation.verify(w.viewer("f"), action)
    assert [e.remediation for e in evidence_of(mill, w.orgs["a"]) if e.severity == "critical"] == ["verified"]


def test_unshared_findings_move_no_company_score_until_shared(full_world):
    w = full_world
    mill, desk = w.objects["mill"], w.objects["desk"]
    assert all(e.observed_on != desk.found_on for e in evidence_of(mill, w.orgs["a"]))
    assignments.share(w.viewer("f"), w.orgs["a"], finding=desk)
    shared = [e for e in evidence_of(mill, w.orgs["a"]) if e.observed_on == desk.found_on]
    assert [(e.kind, e.dimensions, e.severity) for e in shared] == [("finding", frozenset({0}), "major")]


def test_categories_evidencing_no_dimension_are_left_out(world):
    grievances.file_grievance(world.viewer("w"), world.objects["mill"],
                              {"channel": "union", "category": "freedom_of_association", "description": "Union busting"})
    assert evidence_of(world.objects["mill"], world.orgs["a"]) == []


def test_the_taxonomy_maps_categories_to_dimensions(api, people):
    rows = api(people.users["w"]).data(CATEGORIES)["findingCategories"]
    by_code = {row["code"]: row for row in rows}
    assert len(rows) == 20
    assert sum(1 for row in rows if row["group"] == "forced_labour") == 11
    assert by_code["RETENTION_OF_IDENTITY_DOCUMENTS"]["label"] == "Retention of identity documents"
    assert by_code["ABUSE_OF_VULNERABILITY"]["label"] == "Abuse of vulnerability"
    assert by_code["WORST_FORMS_CHILD_LABOUR"]["dimensions"] == ["CHILD_LABOUR", "FORCED_LABOUR"]
    assert by_code["BELOW_MINIMUM_AGE"]["dimensions"] == ["CHILD_LABOUR"]
    assert by_code["WAGES"]["dimensions"] == []
    assert dimensions_of(Category.EXCESSIVE_OVERTIME) == frozenset({1})


GRIEVANCES_PAGE = """query($first: Int!) { grievances(first: $first) { totalCount edges { node {
  id state category dimensions site { name supplier { name } } filedBy { name } reporter { name }
  correctiveActions { title owner overdueAlerts { day } history { toState } }
  history { toState actor actorOrganization } } } } }"""
FINDINGS_PAGE = """query($first: Int!) { findings(first: $first, sortBy: {field: SEVERITY}) { totalCount edges { node {
  id severity audit { standard auditFirm { name } shares { company { name } } } site { name } auditFirm { name }
  correctiveActions { title finding { id } } evidenceFiles { originalName } shares { active } history { toState } } } } }"""


@pytest.fixture
def many(world):
    """Twenty grievances (each with an action) and twenty findings about the mill."""
    w = world
    audit = audits.create_audit(w.viewer("f"), w.objects["mill"], {"standard": "rba", "audit_type": "announced",
                                                                   "start_date": datetime.date(2026, 1, 1)})
    from audits.services.assignments import share

    share(w.viewer("f"), w.orgs["a"], audit=audit)
    for index in range(20):
        grievance = grievances.file_grievance(w.viewer("w"), w.objects["mill"], {
            "channel": "app", "category": "isolation", "description": f"G{index}"}, reporter={"name": f"R{index}"})
        grievances.acknowledge(w.viewer("a"), grievance)
        remediation.create_action(w.viewer("a"), {"title": f"T{index}", "due_on": datetime.date(2026, 1, 1)},
                                  grievance=grievance)
        audits.create_finding(w.viewer("f"), {"category": "isolation", "severity": "minor", "description": f"F{index}"},
                              audit=audit)
    return w


def count_queries(client, query, first) -> int:
    with CaptureQueriesContext(connection) as captured:
        client.data(query, {"first": first})
    return len(captured)


@pytest.mark.parametrize("query, member", [(GRIEVANCES_PAGE, "a"), (GRIEVANCES_PAGE, "w"), (FINDINGS_PAGE, "a"),
                                           (FINDINGS_PAGE, "f")])
def test_list_queries_do_not_grow_with_the_page(api, many, query, member, django_assert_max_num_queries):
    client = api(many.users[member])
    small, large = count_queries(client, query, 2), count_queries(client, query, 20)
    assert small == large, f"{small} queries for 2 rows but {large} for 20"
    with django_assert_max_num_queries(20):
        client.data(query, {"first": 20})


UPLOAD = """mutation($finding: ID, $action: ID, $name: String!, $content: String!) {
  evidenceFileAdd(findingId: $finding, correctiveActionId: $action, fileName: $name, contentBase64: $content) {
    evidenceFile { originalName contentType size } errors { field code } } }"""
FINDING_FILES = "query($id: ID!) { finding(id: $id) { evidenceFiles { originalName contentType } } }"
PDF = base64.b64encode(b"%PDF-1.4\n%test\n").decode()
PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n0000").decode()


def test_evidence_files_are_checked_by_their_bytes_and_stored_under_a_random_name(api, full_world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    w = full_world
    firm = api(w.users["f"])
    stored = firm.data(UPLOAD, {"finding": w.ids["finding"], "name": "payslips.pdf", "content": PDF})["evidenceFileAdd"]
    assert stored == {"evidenceFile": {"originalName": "payslips.pdf", "contentType": "application/pdf", "size": 15},
                      "errors": []}
    assert EvidenceFile.objects.get().file.name.startswith("audits/evidence/")
    assert "payslips" not in EvidenceFile.objects.get().file.name
    shared = api(w.users["a"]).data(FINDING_FILES, {"id": w.ids["finding"]})["finding"]["evidenceFiles"]
    assert shared == [{"originalName": "payslips.pdf", "contentType": "application/pdf"}]

    disguised = firm.data(UPLOAD, {"finding": w.ids["finding"], "name": "photo.pdf", "content": PNG})["evidenceFileAdd"]
    assert disguised["errors"] == [{"field": "contentBase64", "code": "INVALID_FILE"}]
    script = firm.data(UPLOAD, {"finding": w.ids["finding"], "name": "run.exe", "content": PDF})["evidenceFileAdd"]
    assert script["errors"] == [{"field": "fileName", "code": "INVALID_FILE"}]
    not_base64 = firm.data(UPLOAD, {"finding": w.ids["finding"], "name": "a.pdf", "content": "%%%"})["evidenceFileAdd"]
    assert not_base64["errors"] == [{"field": "contentBase64", "code": "INVALID_FILE"}]
    # A company the finding is shared with cannot add to the firm's finding; it can to its own action
    company = api(w.users["a"])
    foreign = company.data(UPLOAD, {"finding": w.ids["finding"], "name": "a.pdf", "content": PDF})["evidenceFileAdd"]
    assert foreign["errors"] == [{"field": "id", "code": "NOT_EDITABLE"}]
    own = company.data(UPLOAD, {"action": w.ids["action"], "name": "receipt.png", "content": PNG})["evidenceFileAdd"]
    assert own["errors"] == [] and EvidenceFile.objects.count() == 2


def test_a_new_finding_recomputes_the_risk_of_the_companies_sourcing_from_the_site(world, django_capture_on_commit_callbacks):
    from graph.models import RiskScore

    mill = world.objects["mill"]
    add_link(world.users["a"], mill, None, share=0.5)
    with django_capture_on_commit_callbacks(execute=True):
        finding = audits.create_finding(world.viewer("f"), {"category": "debt_bondage", "severity": "critical",
                                                            "description": "Bonded", "found_on": timezone.localdate()}, site=mill)
    unshared = RiskScore.objects.get(company=world.orgs["a"], site=mill)
    with django_capture_on_commit_callbacks(execute=True):
        assignments.share(world.viewer("f"), world.orgs["a"], finding=finding)
    score = RiskScore.objects.get(company=world.orgs["a"], site=mill)
    assert score.own_forced_labour > 0.5 and score.own_child_labour < score.own_forced_labour
    assert score.own_forced_labour > unshared.own_forced_labour
