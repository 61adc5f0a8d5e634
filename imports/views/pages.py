"""The upload pages: choose the kind of import, upload a file, follow its check live, read what it would do and
what is wrong with it, and commit it.

Every page needs Permission.IMPORT_DATA (backend/pages.py); a job is reached through the tenancy chokepoint
(imports/views/common.py), so another organization's job is "not found", like one that does not exist. What may be
imported, checked and committed is decided by imports/services/ (kinds, jobs); these views only ask and show.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from graphql_relay import to_global_id

from backend.pages import page
from backend.permissions import Permission
from backend.tenancy import visible
from imports.models import ImportJob, Status
from imports.services import jobs, progress
from imports.services.kinds import importer_for, importers_for
from imports.views import presentation
from imports.views.common import visible_job
from imports.views.forms import UploadForm

JOBS_PER_PAGE = 20
PROBLEMS_PER_PAGE = 50
POLL_SECONDS = 2  # how often a running job's page asks for its progress (and, without JavaScript, reloads)


def job_url(job: ImportJob, name: str = "imports:job") -> str:
    return reverse(name, args=[to_global_id("ImportJob", job.pk)])


def job_or_404(request, job_id: str) -> ImportJob:
    job = visible_job(request.viewer, job_id)
    if job is None:
        raise Http404(_("No such upload, or it is not yours."))
    return job


@require_GET
@page(Permission.IMPORT_DATA)
def uploads(request):
    """`/imports/`: the kinds the viewer's organization imports (template, upload) and its uploads, newest first."""
    kinds = [
        {"kind": importer.kind, "name": presentation.KIND_NAMES[importer.kind],
         "help": presentation.KIND_HELP[importer.kind], "max_rows": importer.limits.max_rows}
        for importer in importers_for(request.viewer)
    ]
    listed = Paginator(visible(ImportJob, request.viewer).select_related("created_by"), JOBS_PER_PAGE)
    page_of_jobs = listed.get_page(request.GET.get("page"))
    return render(request, "imports/pages/uploads.html", {
        "kinds": kinds, "jobs": [job_row(job) for job in page_of_jobs], "page_of_jobs": page_of_jobs,
        "steps": presentation.steps(None, choosing=True),
    })


def job_row(job: ImportJob) -> dict:
    return {"job": job, "url": job_url(job), "kind": presentation.KIND_NAMES[job.kind],
            "status": presentation.STATUS_TEXT[job.status], "badge": presentation.STATUS_BADGE.get(job.status, "")}


@page(Permission.IMPORT_DATA)
def new_upload(request, kind: str):
    """`/imports/new/<kind>/`: the upload form of one kind; a valid upload becomes a job, checked by a worker."""
    try:
        importer = importer_for(request.viewer, kind)
    except ValidationError:
        raise Http404(_("Your organization does not import this kind of file.")) from None
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                job = jobs.create_job(request.viewer, kind, form.cleaned_data["file"],
                                      commit=form.cleaned_data["commit"], sheet=form.cleaned_data["sheet"])
            except ValidationError as invalid:
                form.add_service_error(invalid)
            else:
                return redirect(job_url(job))
        status = 400
    else:
        form, status = UploadForm(), 200
    return render(request, "imports/pages/new_upload.html", {
        "kind": kind, "kind_name": presentation.KIND_NAMES[kind], "kind_help": presentation.KIND_HELP[kind],
        "columns": importer.columns.columns, "max_rows": importer.limits.max_rows, "form": form,
        "steps": presentation.steps(None),
    }, status=status)


@require_GET
@page(Permission.IMPORT_DATA)
def job_page(request, job_id: str):
    """`/imports/jobs/<ID>/`: where the job stands (live while it runs), its counts, and its problems page by page."""
    job = job_or_404(request, job_id)
    state = presentation.progress_state(job, progress.current(job))
    problems = Paginator(job.problems.order_by("row", "id"), PROBLEMS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "imports/pages/job.html", {
        "job": job, "job_id": job_id, "state": state, "row": job_row(job),
        "entities": presentation.entity_rows(job), "summary": job.summary or {}, "problems": problems,
        "steps": presentation.steps(job), "poll_seconds": POLL_SECONDS,
        "awaiting_review": job.candidates.exists(), "upload_form": UploadForm(),
        "committable": job.status in (Status.READY, Status.FAILED),
        "correctable": job.status in (Status.INVALID, Status.REJECTED),
    })


@require_GET
@page(Permission.IMPORT_DATA)
def job_progress(request, job_id: str):
    """`/imports/jobs/<ID>/progress/`: the job's status and progress as JSON, which its page polls while it runs."""
    job = job_or_404(request, job_id)
    response = JsonResponse(presentation.progress_state(job, progress.current(job)))
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@page(Permission.IMPORT_DATA)
def commit(request, job_id: str):
    """Commit a checked job (or retry a failed one); a refusal is shown on the job's page."""
    job = job_or_404(request, job_id)
    try:
        jobs.request_commit(job)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, _("Committing: every row is checked again, then written in one go."))
    return HttpResponseRedirect(job_url(job))
