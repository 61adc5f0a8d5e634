"""Data exports as report jobs (kind DATA_EXPORT): asked for through the API, the reports page or the shell,
written by the same worker task as the reports (exports/reports/jobs.py `run`), stored encrypted, downloaded from
the same authenticated URL by the owning organization only.

A job's parameters are a report's (ReportParameters: the whole company, its period the day of the export, which
the data is a snapshot of) with the dataset and the format:

    {"scope": "company", "scope_id": null, "period_from": "2026-12-02", "period_to": "2026-12-02",
     "dataset": "risk_register", "format": "xlsx"}
"""

import tempfile
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from backend import dispatch
from backend.tenancy import Viewer
from exports.data import datasets
from exports.models import ReportJob, ReportKind, ReportScope
from exports.reports import jobs as report_jobs
from exports.reports.parameters import ReportParameters


@dataclass(frozen=True)
class DataExportOutput:
    """How the worker builds a data export's file, and what the file is (the shape of a report kind's output)."""

    build: Callable[[Viewer, ReportParameters], bytes]
    extension: str
    content_type: str


def create_job(viewer: Viewer, dataset: str, file_format: str, *, queue: bool = True) -> ReportJob:
    """A new export job for the viewer's organization, queued for a worker (`queue=False`: the caller runs it)."""
    dataset, file_format = datasets.checked(dataset, file_format)
    today = timezone.localdate()
    parameters = ReportParameters(ReportScope.COMPANY, None, today, today).as_json()
    with transaction.atomic():  # the job and its message to the workers are stored together, or neither is
        job = ReportJob.objects.create(organization=viewer.organization, created_by=viewer.user,
                                       kind=ReportKind.DATA_EXPORT,
                                       parameters=parameters | {"dataset": dataset, "format": file_format})
        if queue:
            dispatch.send(report_jobs.RUN_TASK, job.pk)
    return job


def output(parameters: dict) -> DataExportOutput:
    """The output of a data export job with these parameters."""
    dataset, file_format = parameters["dataset"], parameters["format"]

    def build(viewer: Viewer, _parameters: ReportParameters) -> bytes:
        return export_bytes(viewer, dataset, file_format)

    return DataExportOutput(build, file_format, datasets.CONTENT_TYPES[file_format])


def export_bytes(viewer: Viewer, dataset: str, file_format: str) -> bytes:
    """The file's bytes, written to a temporary file first: only the finished file is held, never a workbook's
    cells (write-only mode streams them to the file)."""
    with tempfile.TemporaryFile() as out:
        datasets.write(viewer, dataset, file_format, out)
        out.seek(0)
        return out.read()


def download_name(job: ReportJob) -> str:
    """e.g. northwind-risk-register-2026-12-02.xlsx"""
    parameters = job.parameters
    return datasets.file_name(parameters["dataset"], parameters["format"], job.organization.name,
                              ReportParameters.from_json(parameters).period_to)


def is_data_export(job: ReportJob) -> bool:
    return job.kind == ReportKind.DATA_EXPORT
