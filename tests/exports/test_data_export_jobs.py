"""Data exports as report jobs (issue 17): dataExportGenerate queues one through the outbox, the worker writes it,
the owning organization downloads it from the report URL (another's token gets the same 404 as a missing job);
viewers, audit firms and workers' organizations may not; `manage.py export` writes one from the shell."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from graphql_relay import to_global_id
from openpyxl import load_workbook
from report_world import report_world

from backend.models import ApiToken, OutboxMessage
from backend.xlsx import CONTENT_TYPE as XLSX
from exports.models import ReportJob, ReportKind, ReportStatus
from exports.reports import jobs as report_jobs
from data_export_probes import MUTATION_PROBES as DATA_EXPORT_PROBES
from support.audits_world import REPORTER_NAME

GENERATE = """mutation($dataset: DataExportDataset!, $format: DataExportFormat!) {
  dataExportGenerate(dataset: $dataset, format: $format) {
    job { id kind status progress downloadUrl } errors { field code message } } }"""
JOB = "query($id: ID!) { reportJob(id: $id) { kind status downloadUrl } }"


@pytest.fixture
def world(make_org, make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return report_world(make_org, make_user)


def download(user, url: str):
    _, raw = ApiToken.issue(user, "test")
    return Client().get(url.replace("http://testserver", ""), HTTP_AUTHORIZATION=f"Bearer {raw}")


def generated(api, user, capture, dataset="GRIEVANCES", file_format="XLSX") -> dict:
    with capture(execute=True):
        return api(user).data(GENERATE, {"dataset": dataset, "format": file_format})["dataExportGenerate"]


def test_an_export_is_written_by_the_worker_and_downloaded_by_its_organization(api, world,
                                                                               django_capture_on_commit_callbacks):
    # given company A's analyst asks for its grievances as XLSX, run by the task after the commit
    result = generated(api, world.users["a"], django_capture_on_commit_callbacks)
    assert result["errors"] == [] and result["job"]["kind"] == "DATA_EXPORT"
    job = api(world.users["a"]).data(JOB, {"id": result["job"]["id"]})["reportJob"]
    assert job["status"] == "DONE"
    # when A downloads it
    response = download(world.users["a"], job["downloadUrl"])
    content = b"".join(response.streaming_content)
    # then it is the workbook of A's grievances, redacted, named after the dataset and the day; stored encrypted
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert response["Content-Type"] == XLSX
    assert "company-a-grievances-" in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True))
    assert rows[1][0] == world.ids["grievance"] and REPORTER_NAME not in str(rows)
    stored = ReportJob.objects.get()
    assert stored.file.name.endswith(".enc") and b"PK" not in stored.file.open("rb").read(32)
    assert stored.parameters["dataset"] == "grievances" and stored.parameters["format"] == "xlsx"


def test_the_network_graph_downloads_as_json_node_link(api, world, django_capture_on_commit_callbacks):
    result = generated(api, world.users["a"], django_capture_on_commit_callbacks, "NETWORK_GRAPH", "JSON")
    job = api(world.users["a"]).data(JOB, {"id": result["job"]["id"]})["reportJob"]
    graph = json.loads(b"".join(download(world.users["a"], job["downloadUrl"]).streaming_content))
    assert {node["label"] for node in graph["nodes"]} >= {"Company A", "Shared Mill", "A private farm"}


def test_another_organization_gets_the_same_404_as_for_a_missing_job(api, world, django_capture_on_commit_callbacks):
    # given A's finished export
    url = api(world.users["a"]).data(JOB, {"id": generated(
        api, world.users["a"], django_capture_on_commit_callbacks)["job"]["id"]})["reportJob"]["downloadUrl"]
    missing = f"/exports/reports/{to_global_id('ReportJob', ReportJob.objects.get().pk + 1000)}/"
    # when company C's analyst asks for it, and for a job that does not exist
    foreign, absent = download(world.users["c"], url), download(world.users["c"], missing)
    # then both are the same 404, and C's API does not show the job
    assert foreign.status_code == absent.status_code == 404
    assert foreign.json()["errors"][0]["code"] == absent.json()["errors"][0]["code"] == "NOT_FOUND"
    assert api(world.users["c"]).data("{ reportJobs(first: 10) { totalCount } }")["reportJobs"]["totalCount"] == 0


@pytest.mark.parametrize("who", ["a_viewer", "f", "w"])
def test_viewers_audit_firms_and_workers_organizations_may_not_export(api, world, who):
    result = api(world.users[who])(GENERATE, {"dataset": "RISK_REGISTER", "format": "XLSX"})
    assert result["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    assert not ReportJob.objects.exists()


def test_a_format_the_dataset_does_not_come_in_is_refused_naming_the_field(api, world):
    result = api(world.users["a"]).data(GENERATE, {"dataset": "RISK_REGISTER", "format": "GRAPHML"})
    assert result["dataExportGenerate"]["errors"][0]["field"] == "format"
    assert result["dataExportGenerate"]["errors"][0]["code"] == "INVALID"
    assert "graphml" in result["dataExportGenerate"]["errors"][0]["message"]
    assert not ReportJob.objects.exists() and not OutboxMessage.objects.filter(task=report_jobs.RUN_TASK).exists()


def test_a_failing_export_says_so_and_stores_nothing(world):
    # given a job whose parameters name a dataset that no longer exists
    job = ReportJob.objects.create(organization=world.orgs["a"], created_by=world.users["a"],
                                   kind=ReportKind.DATA_EXPORT, parameters={
                                       "scope": "company", "scope_id": None, "period_from": "2026-12-01",
                                       "period_to": "2026-12-01", "dataset": "retired", "format": "xlsx"})
    # when the worker runs it
    job = report_jobs.run(job.pk)
    # then it failed, naming the dataset, with no file
    assert job.status == ReportStatus.FAILED and "retired" in job.error and not job.file


def test_the_command_writes_the_dataset(world, tmp_path, capsys):
    path = tmp_path / "register.csv"
    call_command("export", "risk_register", str(path), org="Company A")
    text = path.read_text(encoding="utf-8-sig")
    assert "Shared Mill" in text and "A private farm" in text and text.startswith("Tributary ID (GraphQL)")
    assert str(path) in capsys.readouterr().out


def test_the_command_refuses_an_audit_firm_and_a_wrong_format(world, tmp_path):
    with pytest.raises(CommandError, match="exports are for companies"):
        call_command("export", "findings", str(tmp_path / "x.xlsx"), org="Audit Firm F")
    with pytest.raises(CommandError, match="graphml or json"):
        call_command("export", "network_graph", str(tmp_path / "x.xlsx"), org="Company A", file_format="xlsx")
    assert not (tmp_path / "x.xlsx").exists()


def test_the_tenancy_probe_exports_only_the_callers_own_network(api, world, django_capture_on_commit_callbacks):
    # given company B's analyst runs the tenancy probe: a risk register of its own network
    mutation, _ = DATA_EXPORT_PROBES["dataExportGenerate"]
    with django_capture_on_commit_callbacks(execute=True):
        result = api(world.users["b"]).data(mutation)["dataExportGenerate"]
    assert result["errors"] == []
    job = api(world.users["b"]).data(JOB, {"id": result["job"]["id"]})["reportJob"]
    # when B downloads it
    content = b"".join(download(world.users["b"], job["downloadUrl"]).streaming_content).decode()
    # then it names B and none of company A's sites
    assert "Company B" in content
    assert "A private farm" not in content and "Company A" not in content
