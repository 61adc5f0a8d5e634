"""Plain HTTP endpoints of imports, for `curl` and for browsers: upload, template and error report.

    curl -H "Authorization: Bearer $TOKEN" -F file=@map.xlsx \
         "http://127.0.0.1:8000/imports/upload/?kind=supply_map&dry_run=true"

Every endpoint needs a bearer token or a logged-in session (session POSTs are CSRF-checked, as on the
GraphQL endpoint). Jobs are reached through the tenancy chokepoint: another organization's job is
"not found", exactly like a job that does not exist.
"""

import io
import json

from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET, require_POST
from graphql_relay import to_global_id

from backend.errors import flatten_validation_error
from backend.http import authenticated, error
from backend.permissions import Permission
from backend.xlsx import CONTENT_TYPE as XLSX
from imports import columns
from imports.error_report import write_error_report
from imports.models import ImportJob, ImportProblem
from imports.problems import Problem
from imports.reading import Limits
from imports.services import jobs, uploads
from imports.templates import write_template
from imports.views.common import visible_job

TRUE_WORDS = {"1", "true", "yes", "on"}
UPLOAD_SLACK = 1024 * 1024  # multipart framing around the file itself


def job_json(job: ImportJob) -> dict:
    return {
        "id": to_global_id("ImportJob", job.pk), "kind": job.kind, "status": job.status.upper(),
        "filename": job.original_name, "sha256": job.sha256, "commitRequested": job.commit_requested,
        "errorReport": f"/imports/jobs/{to_global_id('ImportJob', job.pk)}/error-report.xlsx",
    }


@require_POST
@authenticated
def upload(request, viewer):
    """`POST /imports/upload/?kind=…&dry_run=true|false[&sheet=…]`, file in the multipart field `file`
    (optional field `mapping`: JSON object header → column key or null). Answers 202 with the queued job."""
    declared = int(request.META.get("CONTENT_LENGTH") or 0)
    if declared > Limits().max_bytes + UPLOAD_SLACK:
        return error(413, "TOO_LARGE", f"Uploads are limited to {Limits().max_bytes // 2**20} MB.", "file")
    if not Permission.IMPORT_DATA.allows(viewer):
        return error(403, "PERMISSION_DENIED", "You do not have permission to perform this action.")
    uploaded = request.FILES.get("file")
    if uploaded is None:
        return error(400, "REQUIRED", "Send the file as the multipart form field 'file'.", "file")
    kind = request.GET.get("kind") or request.POST.get("kind") or ""
    dry_run = (request.GET.get("dry_run") or request.POST.get("dry_run") or "true").lower() in TRUE_WORDS
    try:
        mapping = json.loads(request.POST.get("mapping") or "{}")
        if not isinstance(mapping, dict):
            raise ValueError
    except ValueError:
        return error(400, "INVALID", "'mapping' must be a JSON object: header text → column key (or null).", "mapping")
    try:
        job = jobs.create_job(viewer, kind, uploaded, commit=not dry_run, sheet=request.GET.get("sheet") or "",
                              mapping=mapping)
    except ValidationError as invalid:
        errors = flatten_validation_error(invalid)
        return JsonResponse({"errors": errors}, status=413 if errors[0]["code"] == "TOO_LARGE" else 400)
    return JsonResponse({"job": job_json(job)}, status=202)


@require_GET
@authenticated
def template(request, viewer, kind: str):
    """`GET /imports/templates/<kind>.xlsx`: the blank template, drop-downs filled from the reference data."""
    if kind not in columns.KINDS:
        return error(404, "NOT_FOUND", f"No import kind '{kind}'; kinds are {', '.join(columns.KINDS)}.")
    out = io.BytesIO()
    write_template(kind, out, choices=jobs.choices())
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="tributary-{kind.replace("_", "-")}-template.xlsx"'
    return response


@require_GET
@authenticated
def error_report(request, viewer, job_id: str):
    """`GET /imports/jobs/<job ID>/error-report.xlsx`: the upload with bad cells marked, and every problem listed."""
    job = visible_job(viewer, job_id)
    if job is None:
        return error(404, "NOT_FOUND", f"No ImportJob with ID '{job_id}' exists or it is not visible to you.")
    problems = [
        Problem(sheet=p.sheet or None, row=p.row, column=p.column or None, value=p.value or None, code=p.code,
                message=p.message)
        for p in ImportProblem.objects.filter(job=job).order_by("row", "id")
    ]
    out = io.BytesIO()  # the report may copy confidential values: it is built in memory, never stored
    if job.file:
        with uploads.local_copy(job) as path:
            write_error_report(path, job.original_name, problems, out, sheet=job.sheet or None)
    else:  # an upload naming reporters is not kept once its job is over (imports/services/uploads.py)
        write_error_report(None, job.original_name, problems, out)
    out.seek(0)
    stem = job.original_name.rsplit(".", 1)[0][:80] or "upload"
    return FileResponse(out, as_attachment=True, filename=f"{stem} - problems.xlsx", content_type=XLSX)
