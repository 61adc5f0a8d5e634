"""Report jobs from request to file: the operations the API, the command and the Celery task all call.

1. `create_job` checks the parameters and stores the job with its message to the workers in one transaction
   (backend/dispatch.py), so a job is never stored without the work that will build it, nor the reverse.
2. `run` (the worker) builds the file of the job's kind (OUTPUTS: the PDF or the workbook) and stores it encrypted; the job then says done, or failed
   with its error and no file. A message delivered again for a finished job changes nothing.

Callers check Permission.GENERATE_REPORTS at their entry.
"""

import logging
from dataclasses import dataclass
from typing import Callable

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from backend import dispatch, storage
from backend.xlsx import CONTENT_TYPE as XLSX
from backend.errors import field_error
from backend.tenancy import Viewer
from exports.data import jobs as data_jobs
from exports.models import ReportJob, ReportKind, ReportStatus
from exports.reports import gather, render
from exports.reports.disclosure import disclosure_pdf, disclosure_workbook
from exports.reports.parameters import ReportParameters

logger = logging.getLogger(__name__)
RUN_TASK = "exports.tasks.run_report_job"
ERROR_LENGTH = 2000
PDF = "application/pdf"


@dataclass(frozen=True)
class Output:
    """How a kind of report is built from its viewer and parameters, and the file it makes."""

    build: Callable[[Viewer, ReportParameters], bytes]
    extension: str
    content_type: str


def remediation_pdf(viewer: Viewer, parameters: ReportParameters) -> bytes:
    return render.render(gather.gather(viewer, parameters))


OUTPUTS = {
    ReportKind.REMEDIATION: Output(remediation_pdf, "pdf", PDF),
    ReportKind.DISCLOSURE: Output(disclosure_pdf, "pdf", PDF),
    ReportKind.DISCLOSURE_WORKBOOK: Output(disclosure_workbook, "xlsx", XLSX),
}
DISCLOSURE_KINDS = (ReportKind.DISCLOSURE, ReportKind.DISCLOSURE_WORKBOOK)


def output_of(job: ReportJob) -> Output:
    """How the job's file is built and what it is: the one place that maps a job to its output. A data export's
    follows its dataset and format (exports/data/jobs.py)."""
    return data_jobs.output(job.parameters) if job.kind == ReportKind.DATA_EXPORT else OUTPUTS[job.kind]


def create_job(viewer: Viewer, kind: str, parameters: ReportParameters, *, queue: bool = True) -> ReportJob:
    """A new job for the viewer's organization, queued for a worker (`queue=False`: the caller runs it)."""
    if kind not in OUTPUTS:
        raise field_error("kind", f"Unknown report kind '{kind}'; one of {', '.join(OUTPUTS)}.", "invalid")
    if (kind in DISCLOSURE_KINDS) != (parameters.framework is not None):
        raise field_error("framework", "A disclosure report needs a framework; other reports take none.", "invalid")
    with transaction.atomic():  # the job and its message to the workers are stored together, or neither is
        job = ReportJob.objects.create(organization=viewer.organization, created_by=viewer.user, kind=kind,
                                       parameters=parameters.as_json())
        if queue:
            dispatch.send(RUN_TASK, job.pk)
    return job


def run(job_id: int) -> ReportJob | None:
    """Build the report of a queued (or interrupted) job and store it; a finished job is left as it is."""
    job = ReportJob.objects.filter(pk=job_id).select_related("organization", "created_by").first()
    if job is None or job.status in (ReportStatus.DONE, ReportStatus.FAILED):
        return job
    set_progress(job, ReportStatus.RUNNING, 10, started_at=timezone.now())
    try:
        content = build(job)
    except Exception as error:  # the job must say it failed, whatever failed; the worker's log keeps the trace
        logger.exception("Report job %s failed", job.pk)
        set_progress(job, ReportStatus.FAILED, job.progress, error=str(error)[:ERROR_LENGTH] or type(error).__name__,
                     finished_at=timezone.now())
        return job
    storage.save(job.file, f"report.{output_of(job).extension}", ContentFile(content), encrypt=True)
    job.size = len(content)
    set_progress(job, ReportStatus.DONE, 100, finished_at=timezone.now())
    return job


def build(job: ReportJob) -> bytes:
    """The report's bytes: gathered as its creator sees the data, then rendered."""
    viewer = Viewer(user=job.created_by, organization=job.organization)
    set_progress(job, ReportStatus.RUNNING, 30)
    return output_of(job).build(viewer, ReportParameters.from_json(job.parameters))


def set_progress(job: ReportJob, status: str, progress: int, **also) -> None:
    """Store where the job stands at once (outside any transaction), so that the API shows it live."""
    job.status, job.progress = status, progress
    for name, value in also.items():
        setattr(job, name, value)
    job.save(update_fields=["status", "progress", "file", "size", *also])


def download_name(job: ReportJob) -> str:
    """The file's name: its kind (and framework and commodity), its period, its extension."""
    if job.kind == ReportKind.DATA_EXPORT:
        return data_jobs.download_name(job)
    parameters = ReportParameters.from_json(job.parameters)
    about = "-".join(filter(None, (job.kind, parameters.framework, parameters.commodity)))
    return (f"{about}-report-{parameters.period_from.isoformat()}-{parameters.period_to.isoformat()}"
            f".{output_of(job).extension}")


def content_type(job: ReportJob) -> str:
    return output_of(job).content_type
