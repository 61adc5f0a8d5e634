"""Disclosure statements and reports through the API and the shell: the company writes its sections and its
approval, generates a disclosure report (PDF or workbook) and downloads it; another company neither sees its text
nor learns its report exists; viewers, audit firms and workers' organizations are refused; bad input names its
field."""

import datetime

import pytest
from django.core.management import call_command
from disclosure_probes import MUTATION_PROBES, QUERY_PROBES
from graphql_relay import to_global_id
from report_helpers import pdf_text
from test_disclosure_reports import YEAR, disclosure_world
from test_report_jobs import download

from exports.models import DisclosureNarrative, DisclosureStatement, ReportJob
from support.audits_world import SECRET

VARIABLES = {"from": "2026-01-01", "to": "2026-12-31"}
STATEMENT = """query($from: Date!, $to: Date!) { disclosureStatement(framework: UK_MSA, periodFrom: $from, periodTo: $to) {
  title approvedBy approvedOn signedBy sections { code heading narrative } } }"""
SET_NARRATIVE = """mutation($from: Date!, $to: Date!, $section: String!, $text: String!) {
  disclosureNarrativeSet(framework: UK_MSA, periodFrom: $from, periodTo: $to, section: $section, text: $text) {
  statement { sections { code narrative } } errors { field code message } } }"""
SET_APPROVAL = """mutation($from: Date!, $to: Date!, $by: String, $on: Date, $director: String) {
  disclosureApprovalSet(framework: UK_MSA, periodFrom: $from, periodTo: $to, approvedBy: $by, approvedOn: $on,
  signedBy: $director) { statement { approvedBy approvedOn signedBy } errors { field code message } } }"""
GENERATE = """mutation($kind: ReportKind!, $framework: DisclosureFramework, $commodity: String) {
  reportGenerate(kind: $kind, framework: $framework, commodity: $commodity, periodFrom: "2026-01-01",
  periodTo: "2026-12-31") { job { id status framework commodity downloadUrl } errors { field code message } } }"""


@pytest.fixture
def world(make_org, make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = disclosure_world(make_org, make_user)
    statement = DisclosureStatement.objects.get(organization=world.orgs["a"])
    DisclosureNarrative.objects.create(statement=statement, section="f_training", text=f"{SECRET} training plan")
    return world


def sections(statement: dict) -> dict:
    return {section["code"]: section["narrative"] for section in statement["sections"]}


def test_the_company_writes_a_section_and_reads_it_back(api, world):
    client = api(world.users["a"])
    written = client.data(SET_NARRATIVE, {**VARIABLES, "section": "d_risk", "text": "We mapped tier 2 mills."})
    assert written["disclosureNarrativeSet"]["errors"] == []
    statement = client.data(STATEMENT, VARIABLES)["disclosureStatement"]
    assert sections(statement)["d_risk"] == "We mapped tier 2 mills."
    assert statement["approvedBy"] == "Board of Company A" and statement["signedBy"] == "J. Director"
    assert [s["code"] for s in statement["sections"]][:2] == ["a_structure", "b_policies"]


def test_empty_text_removes_the_section(api, world):
    result = api(world.users["a"]).data(SET_NARRATIVE, {**VARIABLES, "section": "b_policies", "text": "  "})
    assert sections(result["disclosureNarrativeSet"]["statement"])["b_policies"] is None


@pytest.mark.parametrize(("variables", "field"), [
    ({"section": "z_unknown", "text": "x"}, "section"),
    ({"section": "d_risk", "text": "x" * 20_001}, "text"),
    ({"section": "d_risk", "text": "x", "to": "2025-01-01"}, "periodTo"),
])
def test_bad_input_names_its_field_and_changes_nothing(api, world, variables, field):
    before = DisclosureNarrative.objects.count()
    result = api(world.users["a"]).data(SET_NARRATIVE, {**VARIABLES, **variables})["disclosureNarrativeSet"]
    assert result["errors"][0]["field"] == field and result["errors"][0]["code"] == "INVALID"
    assert DisclosureNarrative.objects.count() == before


def test_an_approval_date_without_its_approver_is_refused(api, world):
    result = api(world.users["a_admin"]).data(SET_APPROVAL, {**VARIABLES, "by": "", "on": "2027-01-10"})
    assert result["disclosureApprovalSet"]["errors"][0]["field"] == "approvedBy"


def test_an_admin_records_the_approval(api, world):
    result = api(world.users["a_admin"]).data(SET_APPROVAL, {**VARIABLES, "by": "Board", "on": "2027-01-10",
                                                             "director": "K. Signer"})["disclosureApprovalSet"]
    assert result["errors"] == [] and result["statement"]["signedBy"] == "K. Signer"


@pytest.mark.parametrize("who", ["a_viewer", "f", "w"])
def test_viewers_audit_firms_and_workers_organizations_may_not_write(api, world, who):
    result = api(world.users[who])(SET_NARRATIVE, {**VARIABLES, "section": "d_risk", "text": "x"})
    assert result["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    assert not DisclosureNarrative.objects.filter(section="d_risk").exists()


def test_an_analyst_may_not_record_the_approval(api, world):
    result = api(world.users["a"])(SET_APPROVAL, {**VARIABLES, "by": "Me"})
    assert result["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    assert DisclosureStatement.objects.get(organization=world.orgs["a"]).approved_by == "Board of Company A"


@pytest.mark.parametrize("who", ["a_viewer", "f", "w"])
def test_viewers_audit_firms_and_workers_organizations_may_not_read(api, world, who):
    result = api(world.users[who])(STATEMENT, VARIABLES)
    assert result["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"


@pytest.mark.parametrize("field", sorted(QUERY_PROBES))
def test_another_company_reads_nothing_of_the_statement(api, world, field):
    assert SECRET not in str(api(world.users["c"])(QUERY_PROBES[field]))
    assert SECRET in str(api(world.users["a"])(QUERY_PROBES[field]))


@pytest.mark.parametrize("field", sorted(MUTATION_PROBES))
def test_another_company_writes_its_own_statement_only(api, world, field):
    query, _ = MUTATION_PROBES[field]
    result = api(world.users["c_admin"]).data(query)[field]
    assert result["errors"] == [] and SECRET not in str(result)
    a = DisclosureStatement.objects.get(organization=world.orgs["a"])
    assert a.approved_by == "Board of Company A" and a.narratives.filter(text__contains=SECRET).exists()
    assert not a.narratives.filter(text__contains="B's own").exists()


@pytest.fixture
def generate(api, world, django_capture_on_commit_callbacks):
    def generate(variables: dict) -> dict:
        with django_capture_on_commit_callbacks(execute=True):
            return api(world.users["a"]).data(GENERATE, variables)["reportGenerate"]
    return generate


def test_a_disclosure_report_is_generated_and_downloaded_by_its_company_only(world, generate):
    # given A's UK MSA report, generated by the task after the commit
    generated = generate({"kind": "DISCLOSURE", "framework": "UK_MSA"})
    assert generated["errors"] == [] and generated["job"]["framework"] == "UK_MSA"
    job_id = ReportJob.objects.get().pk
    # when A downloads it, and C asks for it and for a job that does not exist
    response = download(world.users["a"], to_global_id("ReportJob", job_id))
    foreign = download(world.users["c"], to_global_id("ReportJob", job_id))
    absent = download(world.users["c"], to_global_id("ReportJob", job_id + 1000))
    # then A gets the PDF with its text, C the same 404 for both
    content = b"".join(response.streaming_content)
    assert response["Content-Type"] == "application/pdf" and "Modern slavery statement" in pdf_text(content)
    assert "disclosure-UK_MSA-report-2026-01-01-2026-12-31.pdf" in response["Content-Disposition"]
    assert foreign.status_code == absent.status_code == 404
    assert foreign.json() == absent.json() | {"errors": foreign.json()["errors"]}
    assert foreign.json()["errors"][0]["code"] == absent.json()["errors"][0]["code"] == "NOT_FOUND"


def test_the_workbook_downloads_as_xlsx(world, generate):
    generated = generate({"kind": "DISCLOSURE_WORKBOOK", "framework": "CA_S211"})
    assert generated["errors"] == []
    response = download(world.users["a"], generated["job"]["id"])
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert b"".join(response.streaming_content).startswith(b"PK")


@pytest.mark.parametrize(("variables", "field"), [
    ({"kind": "DISCLOSURE"}, "framework"),
    ({"kind": "DISCLOSURE", "framework": "EU_FLR"}, "commodity"),
    ({"kind": "DISCLOSURE", "framework": "EU_FLR", "commodity": "no-such-good"}, "commodity"),
    ({"kind": "DISCLOSURE", "framework": "UK_MSA", "commodity": "cotton"}, "commodity"),
    ({"kind": "REMEDIATION", "framework": "UK_MSA"}, "framework"),
])
def test_a_disclosure_without_its_framework_or_commodity_is_refused(world, generate, variables, field):
    result = generate(variables)
    assert result["errors"][0]["field"] == field and result["errors"][0]["code"] == "INVALID"
    assert not ReportJob.objects.exists()


def test_the_command_writes_a_disclosure_report(world, tmp_path, capsys):
    path = tmp_path / "statement.pdf"
    call_command("report", "disclosure", str(path), org="Company A", framework="UK_MSA", period="2026")
    text = pdf_text(path.read_bytes())
    assert "Modern slavery statement" in text and "Our supplier code forbids recruitment fees." in text
    assert str(path) in capsys.readouterr().out
    job = ReportJob.objects.get()
    assert job.parameters["period_from"] == YEAR[0].isoformat() and job.parameters["period_to"] == "2026-12-31"
    assert datetime.date.fromisoformat(job.parameters["period_to"]) == YEAR[1]
