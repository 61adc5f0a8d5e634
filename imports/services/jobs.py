"""Import jobs from upload to commit: the operations the API, the command and the Celery task all call.

1. `create_job` stores the upload under a random name with its SHA-256 and queues the job.
2. `validate` (the dry run) reads the file, checks every row, resolves sites and compares everything with
   what is stored; it records the problems, the sites awaiting review and the would-be counts, and sets the
   status: rejected (unreadable), invalid (problems), needs_review, or ready.
3. `commit` does the same inside one transaction and, when nothing is wrong, writes the plan in that same
   transaction, together with the job's `committed` status: a worker killed half-way leaves nothing
   written and the job can simply be run again.

A process validating or committing a job holds it (imports/services/claims.py), so no two processes run a job at
once, and a job whose process died is recognised as such: it runs again when its message is delivered again (the
outbox's sweep, the broker), or when its user asks for the commit.

Each kind of upload is read, checked and planned through its importer (imports/services/kinds.py). Callers check
the role an import needs (Permission.IMPORT_DATA) at their entry; `create_job` checks that the viewer's
organization imports files of that kind.
"""

import gc
import hashlib
import logging
from contextlib import contextmanager

from django.db import transaction
from django.utils import timezone

from backend import dispatch
from backend.db.writer import Writer
from backend.errors import field_error
from backend.tenancy import Viewer
from imports import columns, headers
from imports.mapping import with_built_columns
from imports.models import ImportJob, ImportProblem, Phase, ResolutionCandidate, ResolutionDecision, Status
from imports.reading import FileRejected, Limits, read_table
from imports.services import uploads
from imports.services.claims import being_run, held
from imports.services.kinds import IMPORT_KINDS, importer_for
from imports.services.plan import CREATED, REVIEW, UNCHANGED, UPDATED, no_outcomes
from imports.services.progress import Progress
from imports.services.validation import ERROR, ReadRows, read_rows

logger = logging.getLogger(__name__)
RUN_TASK = "imports.tasks.run_import_job"
RUNNABLE = (Status.QUEUED, Status.VALIDATING, Status.COMMITTING)


class NotClean(Exception):
    """Raised inside the commit's transaction when validation finds something wrong: roll back, report."""

    def __init__(self, read: ReadRows, plan) -> None:
        self.read, self.plan = read, plan


def choices() -> dict:
    """The choice lists an upload is checked against: the shipped defaults, with stored reference data."""
    from audits.models import AuditStandard, AuditType, Channel, FindingStatus, Severity
    from audits.taxonomy import Category
    from graph.models import Commodity

    return {
        **columns.DEFAULT_CHOICES,
        "commodity": list(Commodity.objects.order_by("code").values_list("code", "name")),
        "category": Category.choices, "standard": AuditStandard.choices, "audit_type": AuditType.choices,
        "severity": Severity.choices, "status": FindingStatus.choices, "channel": Channel.choices,
    }


def create_job(viewer: Viewer, kind: str, upload, *, commit: bool = False, sheet: str = "",
               mapping: dict | None = None, queue: bool = True) -> ImportJob:
    """Store an upload (any object with `name`, `size` and `chunks()`) as a new job and queue it for a worker
    (`queue=False`: the caller runs it, as the import_file command does). The caller has checked the viewer's
    Permission.IMPORT_DATA; a kind the viewer's organization does not import is refused here."""
    importer_for(viewer, kind)
    mapping = mapping or {}
    try:
        headers.map_headers([], kind, mapping)
    except ValueError as error:
        raise field_error("column_mapping", str(error), "invalid") from None
    limit = Limits().max_bytes
    if upload.size > limit:
        raise field_error("file", f"The file is {upload.size / 2**20:.1f} MB; at most {limit // 2**20} MB are accepted.",
                          "too_large")
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    job = ImportJob(
        organization=viewer.organization, created_by=viewer.user, kind=kind, original_name=upload.name[:255],
        size=upload.size, sha256=digest.hexdigest(), sheet=sheet or "", column_mapping=mapping,
        commit_requested=commit,
    )
    uploads.store(job, upload)
    with transaction.atomic():  # the job and its message to the workers are stored together, or neither is
        job.save()
        if queue:
            enqueue(job.pk)
    return job


def enqueue(job_id: int) -> None:
    """Queue the job for a worker, durably: the message commits with the job's row (backend/dispatch.py)."""
    dispatch.send(RUN_TASK, job_id)


def run(job_id: int, listener=None) -> ImportJob | None:
    """What the worker does with a delivered job: commit it if that was asked for, else validate it.

    Only a queued job, or one left validating or committing, is run: a message delivered again for a job since
    done (validated, refused, committed) changes nothing. A job that a live process holds is left to it (`held`);
    one whose process died is taken again from the start, which is safe since it wrote nothing that lasts."""
    job = ImportJob.objects.filter(pk=job_id).select_related("organization", "created_by").first()
    if job is None or job.status not in RUNNABLE:
        return job
    return commit(job, listener) if job.commit_requested else validate(job, listener)


def viewer_of(job: ImportJob) -> Viewer:
    return Viewer(user=job.created_by, organization=job.organization)


def prepare(job: ImportJob, progress: Progress):
    """Read, check, resolve and compare: (ReadRows, plan); the plan is None when the header is unusable.
    A plan made a part at a time (findings) finishes comparing in settle() or write()."""
    importer = IMPORT_KINDS[job.kind]
    progress.start(Phase.READING)
    with uploads.local_copy(job) as path:  # a plain-text copy for the readers, deleted once every row is read
        table = read_table(path, job.original_name, sheet=job.sheet or None, limits=importer.limits)
        table = with_built_columns(table, job.column_mapping)
        progress.start(Phase.VALIDATING)
        intake = importer.start(viewer_of(job))
        read = read_rows(table, importer.columns, user_mapping=job.column_mapping, choices=choices(),
                         on_rows=progress.reached, sink=intake.open)
        del table  # closes the workbook (its file and shared strings) once every row is converted
    if read.log.bad_rows and not read.row_count:
        return read, None
    return read, intake.plan(read, progress)


@held
def validate(job: ImportJob, listener=None) -> ImportJob:
    """The dry run: record what the upload would do, or what is wrong with it. Writes nothing else."""
    set_status(job, Status.VALIDATING)
    progress = Progress(job, listener)
    try:
        with cyclic_collector_paused():
            read, plan = prepare(job, progress)
            if plan is not None:
                plan.settle()
    except FileRejected as rejected:
        return record_rejection(job, rejected)
    except Exception as error:
        return record_failure(job, error)
    record(job, read, plan)
    return job


@held
def commit(job: ImportJob, listener=None) -> ImportJob:
    """Validate again and write, all in one transaction; if anything is wrong, write nothing and say why."""
    if job.status == Status.COMMITTED:
        return job
    job.attempts += 1
    set_status(job, Status.COMMITTING, attempts=job.attempts)
    progress = Progress(job, listener)
    try:
        with transaction.atomic(), cyclic_collector_paused():
            read, plan = prepare(job, progress)
            if plan is None or read.log.blocking or plan.review:
                raise NotClean(read, plan)
            progress.start(Phase.WRITING, plan.records)
            plan.write(Writer(on_batch=progress.advance))
            if read.log.blocking:  # found while writing a plan made a part at a time: the transaction is undone
                raise NotClean(read, plan)
            progress.start(Phase.DONE, plan.records)
            record(job, read, plan, committed=True)
    except NotClean as not_clean:
        record(job, not_clean.read, not_clean.plan)
    except FileRejected as rejected:
        record_rejection(job, rejected)
    except Exception as error:
        return record_failure(job, error)
    return job


@contextmanager
def cyclic_collector_paused():
    """Pause Python's cyclic garbage collector for the duration. An upload of 100k rows keeps millions of
    objects alive until it is written (rows, plan); the collector would walk them again and again, finding no
    cycles (a tenth of the import's time). What the job lets go of is freed by reference counting meanwhile."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def set_status(job: ImportJob, status: str, **fields) -> None:
    job.status = status
    ImportJob.objects.filter(pk=job.pk).update(status=status, updated_at=timezone.now(), **fields)


def record(job: ImportJob, read: ReadRows, plan, committed: bool = False) -> None:
    """Store what validation found: problems, sites to review, counts, and the resulting status."""
    if plan is not None:
        plan.settle()  # a commit refused before its write still reports every problem and count
    job.problems.all().delete()
    job.candidates.all().delete()
    hidden = headers.confidential_headers(read.kind, read.header, read.mapping)  # values no problem may keep
    ImportProblem.objects.bulk_create(
        ImportProblem(job=job, sheet=problem.sheet or "", row=problem.row, column=problem.column or "",
                      value="" if problem.value is None or problem.column in hidden else str(problem.value)[:2000],
                      code=problem.code, message=problem.message, severity=severity)
        for severity, problem in read.log.problems
    )
    outcomes = plan.outcomes(read.log.bad_rows) if plan else no_outcomes()
    if plan is not None:
        store_candidates(job, plan.review)
    total = max(read.row_count, len(read.log.bad_rows))
    job.created_count, job.updated_count = outcomes[CREATED], outcomes[UPDATED]
    job.unchanged_count = outcomes[UNCHANGED] + (total - len(read.log.bad_rows) - sum(outcomes.values()))
    job.rejected_count = len(read.log.bad_rows)
    job.summary = {
        "rows": total, "review": outcomes[REVIEW], "errors": read.log.errors,
        "problemsNotStored": read.log.dropped, "entities": plan.entities if plan else {},
    }
    if committed:
        job.status, job.committed_at = Status.COMMITTED, timezone.now()
    elif read.log.blocking or plan is None:
        job.status = Status.INVALID
    else:
        job.status = Status.NEEDS_REVIEW if plan.review else Status.READY
    job.phase, job.rows_done, job.rows_total, job.error = Phase.DONE, total, total, ""
    job.validated_at = timezone.now()
    job.save()
    uploads.job_recorded(job)


def store_candidates(job: ImportJob, review: list) -> None:
    ResolutionCandidate.objects.bulk_create(
        ResolutionCandidate(job=job, row=upload.row, site_ref=upload.ref, row_key=upload.key, name=upload.name[:300],
                            address=(upload.address or "")[:500], country=upload.country, site_id=candidate.site_id,
                            score=candidate.score, method=candidate.method)
        for upload, candidates in review for candidate in candidates
    )


def record_rejection(job: ImportJob, rejected: FileRejected) -> ImportJob:
    job.problems.all().delete()
    ImportProblem.objects.create(job=job, code=rejected.code, message=rejected.message, severity=ERROR)
    job.status, job.phase = Status.REJECTED, Phase.DONE
    job.created_count = job.updated_count = job.unchanged_count = job.rejected_count = None
    job.summary, job.validated_at = {}, timezone.now()
    job.save()
    uploads.job_recorded(job)
    return job


def record_failure(job: ImportJob, error: Exception) -> ImportJob:
    logger.exception("Import job %s failed", job.pk)
    message = f"{type(error).__name__}: {error}"[:2000]
    set_status(job, Status.FAILED, error=message)
    job.error = message
    return job


def request_commit(job: ImportJob) -> ImportJob:
    """Ask for a validated (or failed) job to be committed by a worker; a committed job stays as it is."""
    if job.status == Status.COMMITTED:
        return job
    refusals = {
        Status.REJECTED: ("has_problems", "The file could not be read; upload a corrected file."),
        Status.INVALID: ("has_problems", "The file has problems; fix them and upload it again."),
        Status.NEEDS_REVIEW: ("needs_review", "Some sites need a decision first (see resolutionCandidates)."),
        Status.VALIDATING: ("busy", "The job is being validated; commit it when it is ready."),
        Status.COMMITTING: ("busy", "The job is being committed."),
    }
    if job.status in (Status.VALIDATING, Status.COMMITTING) and not being_run(job):
        refusals.pop(job.status)  # its process died, having written nothing that lasts: run it again
    if job.status in refusals:
        code, message = refusals[job.status]
        raise field_error("id", message, code)
    job.commit_requested = True
    job.status = Status.QUEUED
    job.save(update_fields=["commit_requested", "status", "updated_at"])
    enqueue(job.pk)
    return job


def decide(viewer: Viewer, job: ImportJob, site_ref: str, site_id: int | None) -> ImportJob:
    """Answer the review of one uploaded site: this candidate site, or (None) a new site. Remembered for the
    organization; when no question is left, the job is validated again (and committed, if that was asked)."""
    candidates = list(job.candidates.filter(site_ref=site_ref))
    if not candidates:
        raise field_error("site_ref", f"No site '{site_ref}' of this job is waiting for a decision.", "not_found")
    if site_id is not None and site_id not in {candidate.site_id for candidate in candidates}:
        raise field_error("site_id", "This site is not one of the candidates for this row.", "not_a_candidate")
    ResolutionDecision.objects.update_or_create(
        organization=viewer.organization, row_key=candidates[0].row_key,
        defaults={"site_id": site_id, "decided_by": viewer.user},
    )
    job.candidates.filter(site_ref=site_ref).delete()
    if not job.candidates.exists():
        job.status = Status.QUEUED
        job.save(update_fields=["status", "updated_at"])
        enqueue(job.pk)
    return job
