"""Imports through the API: the GraphQL multipart upload, the plain HTTP upload, commit, problems, template and
error report downloads, with their permissions and query counts."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from graphql_relay import to_global_id
from openpyxl import load_workbook

from backend.models import ApiToken, Role
from graph.models import NetworkSite, Site
from imports.models import ImportJob, Status
from support.import_helpers import SUPPLY_MAP_HEADER, csv_text, dry_run

MAP = csv_text(SUPPLY_MAP_HEADER, [
    ["S-1", "Usine Nord", "facility", "", "FR", "cotton", "", "", "", "cotton", "0.5"],
    ["S-2", "Ferme Sud", "farm", "", "FR", "cotton", "", "", "S-1", "cotton", "1"],
])
BAD_MAP = csv_text(SUPPLY_MAP_HEADER, [
    ["S-1", "Usine Nord", "facility", "", "Atlantis", "cotton", "", "", "", "cotton", "0.5"],
    ["S-2", "Ferme Sud", "farm", "", "FR", "cotton", "", "", "S-1", "cotton", "lots"],
])

UPLOAD = """mutation($file: Upload!, $commit: Boolean) {
  importFileUpload(kind: SUPPLY_MAP, file: $file, commit: $commit) {
    job { id status filename sha256 }
    errors { field code message }
  }
}"""
UPLOAD_AS_FINDINGS = """mutation($file: Upload!) {
  importFileUpload(kind: FINDINGS, file: $file) { job { id } errors { field code } }
}"""
JOB = """query($id: ID!) {
  importJob(id: $id) {
    status phase rowsDone rowsTotal created updated unchanged rejected awaitingReview errorReportUrl
    entityCounts { entity created updated unchanged }
    problems(first: 2) { totalCount edges { node { row column value code message severity } } }
    sameFileAs { id }
  }
}"""
JOBS = "{ importJobs(first: 20, sortBy: {field: CREATED_AT, direction: DESC}) { totalCount edges { node { id status filename rowsDone sameFileAs { id } } } } }"
COMMIT = "mutation($id: ID!) { importJobCommit(id: $id) { job { id status } errors { field code message } } }"
KINDS = "{ importKinds { kind allowed templateUrl columns { key label required } } }"


def token_headers(user) -> dict:
    _, raw = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def multipart(user, query: str, content: str | bytes, name: str = "map.csv", **variables) -> dict:
    """Post a GraphQL multipart request (operations, map, file) as apollo-upload-client does."""
    operations = {"query": query, "variables": {**variables, "file": None}}
    data = {
        "operations": json.dumps(operations), "map": json.dumps({"0": ["variables.file"]}),
        "0": SimpleUploadedFile(name, content.encode() if isinstance(content, str) else content),
    }
    return Client().post("/graphql/", data, **token_headers(user)).json()


def test_graphql_multipart_upload_validates_then_commit_writes(api, analyst, company, django_capture_on_commit_callbacks):
    # given a supply map uploaded through the GraphQL multipart request (dry run)
    with django_capture_on_commit_callbacks(execute=True):
        uploaded = multipart(analyst, UPLOAD, MAP)
    job = uploaded["data"]["importFileUpload"]["job"]
    assert uploaded["data"]["importFileUpload"]["errors"] == []
    # when its progress and summary are read
    seen = api(analyst).data(JOB, {"id": job["id"]})["importJob"]
    # then the worker validated it: nothing written yet, everything would be created
    assert (seen["status"], seen["phase"], seen["rowsDone"], seen["rowsTotal"]) == ("READY", "DONE", 2, 2)
    assert (seen["created"], seen["updated"], seen["unchanged"], seen["rejected"]) == (2, 0, 0, 0)
    assert {"entity": "sites", "created": 2, "updated": 0, "unchanged": 0} in seen["entityCounts"]
    assert not Site.objects.exists()
    # and when it is committed
    with django_capture_on_commit_callbacks(execute=True):
        committed = api(analyst).data(COMMIT, {"id": job["id"]})["importJobCommit"]
    assert committed["errors"] == []
    assert ImportJob.objects.get().status == Status.COMMITTED
    assert set(NetworkSite.objects.filter(company=company).values_list("internal_ref", flat=True)) == {"S-1", "S-2"}


def test_uploading_the_same_file_again_is_recognised(api, analyst, company, django_capture_on_commit_callbacks):
    # given a file committed once
    with django_capture_on_commit_callbacks(execute=True):
        first = multipart(analyst, UPLOAD, MAP, commit=True)["data"]["importFileUpload"]["job"]
        second = multipart(analyst, UPLOAD, MAP, commit=True)["data"]["importFileUpload"]["job"]
    # when the second upload is read
    seen = api(analyst).data(JOB, {"id": second["id"]})["importJob"]
    # then it changed nothing and points at the first job with the same file
    assert first["sha256"] == second["sha256"]
    assert (seen["status"], seen["created"], seen["updated"], seen["unchanged"]) == ("COMMITTED", 0, 0, 2)
    assert seen["sameFileAs"] == {"id": first["id"]}


def test_problems_are_listed_page_by_page(api, analyst, django_capture_on_commit_callbacks):
    # given a file with two bad cells
    with django_capture_on_commit_callbacks(execute=True):
        job = multipart(analyst, UPLOAD, BAD_MAP)["data"]["importFileUpload"]["job"]
    # when its problems are read two at a time
    seen = api(analyst).data(JOB, {"id": job["id"]})["importJob"]
    # then the job is invalid and each problem says where it is
    # (the second row's buyer is on the first, which an unknown country holds back: a third problem says so)
    assert (seen["status"], seen["rejected"]) == ("INVALID", 2)
    assert seen["problems"]["totalCount"] == 3
    first = seen["problems"]["edges"][0]["node"]
    assert (first["row"], first["column"], first["value"], first["code"], first["severity"]) == (
        2, "Country", "Atlantis", "invalid_country", "ERROR")


def test_committing_a_job_with_problems_is_refused(api, analyst):
    # given an invalid job
    job = dry_run(analyst, "supply_map", BAD_MAP)
    # when its commit is asked
    result = api(analyst).data(COMMIT, {"id": to_global_id("ImportJob", job.pk)})["importJobCommit"]
    # then the answer says why, on the id
    assert result["errors"][0]["field"] == "id" and result["errors"][0]["code"] == "HAS_PROBLEMS"


def test_an_organization_uploads_only_its_own_kind(analyst):
    result = multipart(analyst, UPLOAD_AS_FINDINGS, MAP)["data"]["importFileUpload"]
    assert result["job"] is None
    assert result["errors"][0]["field"] == "kind" and result["errors"][0]["code"] == "KIND_NOT_ALLOWED"


def test_a_viewer_cannot_upload(make_user, company):
    viewer = make_user(company, Role.VIEWER)
    result = multipart(viewer, UPLOAD, MAP)
    assert result["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    assert not ImportJob.objects.exists()


def test_a_malformed_multipart_request_is_a_bad_request(analyst):
    data = {"operations": json.dumps({"query": UPLOAD, "variables": {"file": None}}),
            "map": json.dumps({"0": ["variables.nowhere"]}), "0": SimpleUploadedFile("a.csv", b"x")}
    response = Client().post("/graphql/", data, **token_headers(analyst))
    assert response.status_code == 400 and b"variables.nowhere" in response.content


def test_a_file_literal_in_the_query_is_refused(api, analyst):
    result = api(analyst)('mutation { importFileUpload(kind: SUPPLY_MAP, file: "x") { errors { code } } }')
    assert result["errors"][0]["message"] == "Files are sent as variables of a multipart request, not written in the query."
    assert not ImportJob.objects.exists()


def test_plain_http_upload_for_curl(analyst, company, django_capture_on_commit_callbacks):
    # given a file posted like `curl -F file=@map.csv .../imports/upload/?kind=supply_map&dry_run=false`
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post("/imports/upload/?kind=supply_map&dry_run=false",
                                 {"file": SimpleUploadedFile("map.csv", MAP.encode())}, **token_headers(analyst))
    # then it is accepted, queued and (run eagerly here) committed
    assert response.status_code == 202
    job = response.json()["job"]
    assert job["filename"] == "map.csv" and job["kind"] == "supply_map"
    assert ImportJob.objects.get().status == Status.COMMITTED
    assert NetworkSite.objects.filter(company=company).count() == 2


@pytest.mark.parametrize(("who", "query", "status", "code"), [
    ("anonymous", "?kind=supply_map", 401, "UNAUTHENTICATED"),
    ("viewer", "?kind=supply_map", 403, "PERMISSION_DENIED"),
    ("analyst", "?kind=grievances", 400, "KIND_NOT_ALLOWED"),
    ("analyst", "?kind=tea_leaves", 400, "INVALID"),
])
def test_plain_http_upload_refusals(make_user, company, who, query, status, code):
    headers = {} if who == "anonymous" else token_headers(make_user(company, Role.VIEWER if who == "viewer" else Role.ANALYST))
    response = Client().post(f"/imports/upload/{query}", {"file": SimpleUploadedFile("map.csv", MAP.encode())}, **headers)
    assert response.status_code == status
    assert response.json()["errors"][0]["code"] == code
    assert not ImportJob.objects.exists()


def test_plain_http_upload_needs_a_file(analyst):
    response = Client().post("/imports/upload/?kind=supply_map", {}, **token_headers(analyst))
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "file"


def test_an_oversized_upload_is_refused_before_it_is_stored(analyst):
    from backend.tenancy import Viewer
    from imports.services import jobs

    big = SimpleUploadedFile("huge.csv", b"Site reference\n")
    big.size = 51 * 2**20  # what the upload handler measured
    with pytest.raises(Exception) as refused:
        jobs.create_job(Viewer.of(analyst), "supply_map", big, queue=False)
    assert refused.value.error_dict["file"][0].code == "too_large"
    assert not ImportJob.objects.exists()


def test_template_download(analyst):
    # when the supply-map template is downloaded
    response = Client().get("/imports/templates/supply_map.xlsx", **token_headers(analyst))
    # then it is a workbook with the header, the instructions and drop-downs fed by the reference data
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Supply map", "Instructions", "Lists"]
    assert workbook["Supply map"]["A1"].value == "Site reference"
    assert workbook["Supply map"].data_validations.dataValidation
    codes = {row[0] for row in workbook["Lists"].iter_rows(min_row=2, values_only=True)}
    assert "cotton-lint" in codes


def test_template_download_needs_authentication_and_a_real_kind(analyst):
    assert Client().get("/imports/templates/supply_map.xlsx").status_code == 401
    assert Client().get("/imports/templates/nothing.xlsx", **token_headers(analyst)).status_code == 404


def test_error_report_download_marks_bad_cells_for_the_owner_only(analyst, other_analyst):
    # given an invalid job of company A
    job = dry_run(analyst, "supply_map", BAD_MAP, name="ma carte.csv")
    url = f"/imports/jobs/{to_global_id('ImportJob', job.pk)}/error-report.xlsx"
    # when A downloads its error report
    response = Client().get(url, **token_headers(analyst))
    # then the copy of the file has the bad cells filled and commented, and a Problems sheet lists them
    assert response.status_code == 200
    assert "ma carte - problems.xlsx" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    data = workbook.worksheets[0]
    assert data["E2"].value == "Atlantis" and "country" in data["E2"].comment.text
    assert data["E2"].fill.fgColor.rgb.endswith("FFC7CE")
    assert [row[4] for row in workbook["Problems"].iter_rows(min_row=2, values_only=True)] == [
        "invalid_country", "invalid_number", "unknown_reference"]
    # and company B gets the same "not found" as for a job that does not exist
    assert Client().get(url, **token_headers(other_analyst)).status_code == 404
    missing = f"/imports/jobs/{to_global_id('ImportJob', 999999)}/error-report.xlsx"
    assert Client().get(missing, **token_headers(analyst)).status_code == 404


def test_import_kinds_say_which_ones_the_organization_may_use(api, analyst):
    kinds = {kind["kind"]: kind for kind in api(analyst).data(KINDS)["importKinds"]}
    assert kinds["SUPPLY_MAP"]["allowed"] is True and kinds["FINDINGS"]["allowed"] is False
    assert kinds["SUPPLY_MAP"]["templateUrl"] == "/imports/templates/supply_map.xlsx"
    assert {"key": "site_ref", "label": "Site reference", "required": True} in kinds["SUPPLY_MAP"]["columns"]


def test_job_list_query_count_does_not_grow_with_the_jobs(api, analyst, django_assert_num_queries):
    # given three jobs, two of them the same file
    for content in (MAP, MAP, BAD_MAP):
        dry_run(analyst, "supply_map", content)
    client = api(analyst)
    # when the list is read (token, viewer, count, page, same-file loader: one query each)
    with django_assert_num_queries(7):
        result = client.data(JOBS)
    # then every job is there, newest first
    assert [edge["node"]["status"] for edge in result["importJobs"]["edges"]] == ["INVALID", "READY", "READY"]


def test_job_detail_query_count(api, analyst, django_assert_num_queries):
    job = dry_run(analyst, "supply_map", BAD_MAP)
    client = api(analyst)
    with django_assert_num_queries(8):
        client.data(JOB, {"id": to_global_id("ImportJob", job.pk)})
