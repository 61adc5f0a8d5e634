"""An import's uploaded file: where it is kept, how it is read, and for how long.

Uploads go through Django's storage API (backend/storage.py), so the web process that receives one and the
worker that reads it may be on different machines. The readers need a local path: `local_copy` gives them a
temporary copy for the duration of the read.

An upload of a kind with confidential columns (a hotline log naming reporters) is encrypted before it reaches
storage, and deleted as soon as its job can go no further (`ENDED`: committed, or rejected as unreadable). A job
that can still go on (validated and waiting for its commit or a review, failed and retryable) or whose error
report still marks the file up (invalid) keeps it, encrypted, for settings.CONFIDENTIAL_UPLOAD_RETENTION after
its last change; `expire_abandoned` (beat, hourly) then deletes it. A job that could still have been committed
becomes rejected, with a problem saying why; an invalid job keeps its problems, its error report lists them only.
"""

import logging
from contextlib import contextmanager

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from backend import storage
from imports import columns
from imports.models import ImportJob, ImportProblem, Phase, Status
from imports.reading import FileRejected
from imports.services.validation import ERROR

logger = logging.getLogger(__name__)
ENDED = (Status.COMMITTED, Status.REJECTED)


def confidential(job: ImportJob) -> bool:
    return columns.KINDS[job.kind].confidential


def store(job: ImportJob, upload) -> None:
    """Store an upload (any readable file with `name` and `chunks()`) as the job's file, encrypted if confidential.
    The job's row is not saved."""
    storage.save(job.file, upload.name, upload, encrypt=confidential(job))


@contextmanager
def local_copy(job: ImportJob):
    """The path of a temporary local copy of the job's upload, in plain text, deleted on exit."""
    if not job.file:
        raise FileRejected("upload_deleted", deleted_message())
    with storage.local_copy(job.file) as path:
        yield path


def deleted_message() -> str:
    days = settings.CONFIDENTIAL_UPLOAD_RETENTION.days
    return (f"The uploaded file is no longer kept: uploads that name reporters are deleted once their job is over, "
            f"or {days} days after its last change. Upload the file again.")


def job_recorded(job: ImportJob) -> None:
    """Called whenever a job's outcome is stored: a confidential upload whose job has ended is deleted once the
    transaction that records the outcome commits (at once outside a transaction)."""
    if confidential(job) and job.status in ENDED and job.file:
        transaction.on_commit(lambda: forget(job))


def forget(job: ImportJob) -> None:
    """Delete the job's upload from storage. The job keeps its name, hash, counts and problems."""
    if job.file:
        job.file.delete(save=False)
    ImportJob.objects.filter(pk=job.pk).update(file="")


def expire_abandoned(now=None) -> int:
    """Delete the confidential uploads of jobs that have ended (left behind by a process that died before deleting
    them) or that nobody has touched for CONFIDENTIAL_UPLOAD_RETENTION; return how many were deleted."""
    now = now or timezone.now()
    kinds = [key for key, kind in columns.KINDS.items() if kind.confidential]
    due = ImportJob.objects.filter(kind__in=kinds).exclude(file="").filter(
        Q(status__in=ENDED) | Q(updated_at__lt=now - settings.CONFIDENTIAL_UPLOAD_RETENTION)
    )
    count = 0
    for job in due.iterator():
        if job.status in (*ENDED, Status.INVALID) or reject_as_expired(job):
            forget(job)
            count += 1
    if count:
        logger.info("Deleted %s confidential upload(s) of ended or abandoned import jobs", count)
    return count


@transaction.atomic
def reject_as_expired(job: ImportJob) -> bool:
    """A job that could still have been committed cannot be without its file: say so where the user looks.
    False, and nothing changed, when the job moved meanwhile (a worker took it up)."""
    moved = not ImportJob.objects.filter(pk=job.pk, status=job.status, updated_at=job.updated_at).update(
        status=Status.REJECTED, phase=Phase.DONE, commit_requested=False, updated_at=timezone.now()
    )
    if moved:
        return False
    job.problems.all().delete()
    job.candidates.all().delete()
    ImportProblem.objects.create(job=job, code="upload_deleted", message=deleted_message(), severity=ERROR)
    return True
