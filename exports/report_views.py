"""The download of a generated report.

    curl -H "Authorization: Bearer $TOKEN" -OJ http://127.0.0.1:8000/exports/reports/<report job ID>/

A bearer token or a logged-in session of the organization that asked for the report is needed, with the role that
generates reports. The job is reached through the tenancy chokepoint: another organization's job is "not found",
exactly like one that does not exist or is not done yet, so nobody learns that it exists. The file is decrypted as
it is sent, never stored in plain text.
"""

from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.views.decorators.http import require_GET

from backend import storage
from backend.graphql.ids import decode_id
from backend.http import authenticated, error
from backend.permissions import Permission
from backend.tenancy import visible
from exports.models import ReportJob, ReportStatus
from exports.reports.jobs import content_type, download_name


@require_GET
@authenticated
def report_download(request, viewer, job_id: str):
    """`GET /exports/reports/<ID>/`: the file (a PDF, a workbook, a data export) as an attachment named after its
    kind and period; never cached."""
    if not Permission.GENERATE_REPORTS.allows(viewer):
        return error(403, "PERMISSION_DENIED", "You do not have permission to download reports.")
    try:
        pk = decode_id(job_id, "ReportJob", "id")
    except ValidationError:
        pk = None
    job = visible(ReportJob, viewer).filter(pk=pk, status=ReportStatus.DONE).first() if pk else None
    if job is None:
        return error(404, "NOT_FOUND", f"No ReportJob with ID '{job_id}' exists, is ready or is visible to you.")
    response = FileResponse(storage.open_plaintext(job.file), as_attachment=True, filename=download_name(job),
                            content_type=content_type(job))
    response["Content-Length"] = job.size
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
