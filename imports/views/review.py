"""The review page of an upload: the uploaded sites that may be registry sites already, each with its candidates,
decided one by one or in bulk (every best match above a score, or a CSV of decisions).

The answers are imports/services/review.py's and jobs.py's: a decision is remembered for the organization and the
job is checked again once no question is left. Candidate sites are read through the tenancy chokepoint.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from backend.pages import page
from backend.permissions import Permission
from backend.tenancy import visible
from graph.models import Site
from imports.models import ImportJob, ResolutionCandidate
from imports.services import review
from imports.views import presentation
from imports.views.forms import BestMatchesForm, DecisionsFileForm
from imports.views.pages import job_or_404, job_url

QUESTIONS_PER_PAGE = 20
DECISIONS_FILE_BYTES = 1024 * 1024  # a CSV of site_ref,site_id lines: far more decisions than a job ever asks


@dataclass(frozen=True)
class Option:
    """One answer to a question: a candidate site (its ID) or a new site (site_id None)."""

    site_id: int | None
    site: Site | None
    score: float | None
    method: str


@dataclass(frozen=True)
class Question:
    """One uploaded site waiting for a decision, with the registry sites it may be."""

    site_ref: str
    row: int
    name: str
    address: str
    country: str
    options: list[Option]


def questions_of(viewer, candidates: list[ResolutionCandidate]) -> list[Question]:
    """The candidates grouped by uploaded site, best first; a site the viewer can no longer see shows no details."""
    sites = {site.pk: site for site in visible(Site, viewer).filter(pk__in={c.site_id for c in candidates})}
    grouped: dict[str, list[ResolutionCandidate]] = {}
    for candidate in candidates:
        grouped.setdefault(candidate.site_ref, []).append(candidate)
    return [
        Question(site_ref, group[0].row, group[0].name, group[0].address, group[0].country, [
            *(Option(c.site_id, sites.get(c.site_id), c.score, c.method) for c in group),
            Option(None, None, None, "new"),
        ])
        for site_ref, group in grouped.items()
    ]


@require_GET
@page(Permission.IMPORT_DATA)
def review_page(request, job_id: str):
    """`/imports/jobs/<ID>/review/`: the questions of a job, a page at a time, and the bulk answers."""
    job = job_or_404(request, job_id)
    refs = job.candidates.order_by("row", "site_ref").values_list("row", "site_ref").distinct()
    page_of_refs = Paginator(refs, QUESTIONS_PER_PAGE).get_page(request.GET.get("page"))
    candidates = list(job.candidates.filter(site_ref__in=[ref for row, ref in page_of_refs])
                      .order_by("row", "site_ref", "-score", "id"))
    return render(request, "imports/pages/review.html", {
        "job": job, "job_id": job_id, "job_url": job_url(job), "questions": questions_of(request.viewer, candidates),
        "page_of_refs": page_of_refs, "steps": presentation.steps(job),
        "best_form": BestMatchesForm(), "file_form": DecisionsFileForm(),
    })


@require_POST
@page(Permission.IMPORT_DATA)
def decide(request, job_id: str):
    """Answer questions of a job: `answer=best` (min_score), `answer=file` (decisions CSV) or `answer=one`
    (site_ref and choice: a candidate's site ID or "new"). Back to the review while questions remain."""
    job = job_or_404(request, job_id)
    try:
        decided = review.decide_all(request.viewer, job, decisions_asked(request, job))
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return HttpResponseRedirect(job_url(job, "imports:job-review"))
    messages.success(request, ngettext("%(count)d site decided.", "%(count)d sites decided.", decided)
                     % {"count": decided})
    still_asking = job.candidates.exists()
    return HttpResponseRedirect(job_url(job, "imports:job-review" if still_asking else "imports:job"))


def decisions_asked(request, job: ImportJob) -> list[review.Decision]:
    """The decisions a review form sends, read with the services' readers; a malformed form is refused naming
    its field."""
    answer = request.POST.get("answer")
    if answer == "best":
        form = BestMatchesForm(request.POST)
        if not form.is_valid():
            raise ValidationError(form.errors["min_score"])
        return review.best_candidates(job, form.cleaned_data["min_score"])
    if answer == "file":
        form = DecisionsFileForm(request.POST, request.FILES)
        if not form.is_valid():
            raise ValidationError(form.errors["decisions"])
        uploaded = form.cleaned_data["decisions"]
        if uploaded.size > DECISIONS_FILE_BYTES:
            raise ValidationError(_("The decisions file is larger than 1 MB."))
        try:
            text = uploaded.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(_("The decisions file must be CSV text in UTF-8.")) from None
        return review.read_decisions(text)
    if answer == "one":
        site_ref, choice = request.POST.get("site_ref", ""), request.POST.get("choice", "")
        if choice == review.NEW_SITE:
            return [review.Decision(site_ref, None)]
        if not choice.isdigit():
            raise ValidationError(_("Choose one of the sites, or a new site, for '%(ref)s'.") % {"ref": site_ref})
        return [review.Decision(site_ref, int(choice))]
    raise ValidationError(_("Unknown answer '%(answer)s'.") % {"answer": answer or ""})
