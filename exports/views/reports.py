"""The reports page (issue 19's "buttons that produce reports and list past ones"): a company's past reports and
data exports with their status and download links, and the forms that start a remediation report, a disclosure
report and each data export.

Plain HTML forms (POST, CSRF), so the page works without JavaScript; a small script reloads the list while a job
is still being generated. Every job is started through the same services as the API (exports/reports/jobs.py,
exports/data/jobs.py); a refusal comes back as the page again, the form's fields kept and the service's message
beside the field it names.
"""

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from graphql_relay import to_global_id

from backend.errors import field_error, flatten_validation_error
from backend.pages import page
from backend.permissions import Permission
from backend.tenancy import visible
from exports.data import jobs as data_jobs
from exports.data.datasets import DATASETS
from exports.models import DisclosureFramework, ReportJob, ReportKind, ReportScope, ReportStatus
from exports.reports import jobs as report_jobs
from exports.reports import parameters
from exports.reports.parameters import ReportParameters

PER_PAGE = 20
STATUS_BADGES = {ReportStatus.DONE: "band-low", ReportStatus.FAILED: "band-severe",
                 ReportStatus.RUNNING: "band-medium", ReportStatus.QUEUED: "band-medium"}
REPORT_KINDS = {"remediation": ReportKind.REMEDIATION, "disclosure": ReportKind.DISCLOSURE,
                "disclosure_xlsx": ReportKind.DISCLOSURE_WORKBOOK}


@dataclass(frozen=True)
class JobRow:
    """A past report or export as the list shows it."""

    kind: str
    about: str
    period: str
    status: str
    status_label: str
    badge: str
    progress: int
    created_at: datetime.datetime
    created_by: str
    download_url: str
    error: str


def job_row(job: ReportJob) -> JobRow:
    params = ReportParameters.from_json(job.parameters)
    if job.kind == ReportKind.DATA_EXPORT:
        spec = DATASETS.get(job.parameters.get("dataset"))
        about = f"{spec.label if spec else job.parameters.get('dataset')} ({job.parameters.get('format', '').upper()})"
        period = params.period_to.isoformat()
    else:
        about = DisclosureFramework(params.framework).label if params.framework else ReportScope(params.scope).label
        about += f" — {params.commodity}" if params.commodity else ""
        period = f"{params.period_from.isoformat()} – {params.period_to.isoformat()}"
    done = job.status == ReportStatus.DONE
    return JobRow(
        kind=job.get_kind_display(), about=about, period=period, status=job.status,
        status_label=job.get_status_display(), badge=STATUS_BADGES[job.status], progress=job.progress,
        created_at=job.created_at, created_by=job.created_by.username if job.created_by else "",
        download_url=reverse("exports:report", args=[to_global_id("ReportJob", job.pk)]) if done else "",
        error=job.error,
    )


def page_context(request, posted: str = "", form_errors: dict | None = None) -> dict:
    """The list (a page of it: two queries) and what the forms offer."""
    jobs = visible(ReportJob, request.viewer).select_related("created_by").order_by("-created_at", "-id")
    listed = Paginator(jobs, PER_PAGE).get_page(request.GET.get("page"))
    shown = list(listed.object_list)
    period_from, period_to = parameters.default_period()
    return {
        "jobs": [job_row(job) for job in shown], "listed": listed,
        "pending": any(job.status in (ReportStatus.QUEUED, ReportStatus.RUNNING) for job in shown),
        "frameworks": DisclosureFramework.choices, "datasets": [(name, spec) for name, spec in DATASETS.items()],
        "default_from": period_from.isoformat(), "default_to": period_to.isoformat(),
        # the form that was refused: its errors by field (camelCase, as the services name them) and its values
        "form_state": {posted: {"errors": form_errors or {}, "values": request.POST}} if posted else {},
    }


@page(Permission.GENERATE_REPORTS)
def reports_page(request):
    return render(request, "exports/reports.html", page_context(request))


def posted_date(request, field: str) -> datetime.date | None:
    """A date field of the form; empty means the default; anything else must be an ISO date."""
    value = request.POST.get(field, "").strip()
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise field_error(field, _("'%(value)s' is not a date (YYYY-MM-DD).") % {"value": value}, "invalid") from None


@require_POST
@page(Permission.GENERATE_REPORTS)
def start_report(request):
    """Start a remediation report of the company, or a disclosure report (PDF or its figures as XLSX)."""
    form = request.POST.get("form", "")
    kind = REPORT_KINDS.get(request.POST.get("kind", ""))
    try:
        if kind is None:
            raise field_error("kind", _("Choose a kind of report."), "invalid")
        checked = parameters.checked(request.viewer, ReportScope.COMPANY, None, posted_date(request, "period_from"),
                                     posted_date(request, "period_to"))
        if kind in report_jobs.DISCLOSURE_KINDS:
            checked = parameters.checked_disclosure(checked, request.POST.get("framework") or None,
                                                    request.POST.get("commodity", "").strip() or None)
        report_jobs.create_job(request.viewer, kind, checked)
    except ValidationError as error:
        return refused(request, form, error)
    messages.success(request, _("%(kind)s asked for: it is listed below and can be downloaded when it is ready.")
                     % {"kind": ReportKind(kind).label})
    return redirect("exports:report_list")


@require_POST
@page(Permission.GENERATE_REPORTS)
def start_export(request):
    """Start a data export: one dataset in one format."""
    dataset, file_format = request.POST.get("dataset", ""), request.POST.get("format", "")
    try:
        data_jobs.create_job(request.viewer, dataset, file_format)
    except ValidationError as error:
        return refused(request, "export", error)
    messages.success(request, _("Export of the %(dataset)s asked for: it is listed below and can be downloaded when "
                                "it is ready.") % {"dataset": DATASETS[dataset].label.lower()})
    return redirect("exports:report_list")


def refused(request, form: str, error: ValidationError):
    """The page again (status 400), the service's messages on top and beside the fields they name."""
    errors = {}
    for problem in flatten_validation_error(error):
        messages.error(request, problem["message"])
        errors.setdefault(problem["field"] or "form", []).append(problem["message"])
    return render(request, "exports/reports.html", page_context(request, form, errors), status=400)
