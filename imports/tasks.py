"""Celery tasks of imports: thin wrappers around imports/services/jobs.py and uploads.py."""

from celery import shared_task
from celery.exceptions import Ignore

from backend.dispatch import DurableTask
from imports.services import jobs, uploads


@shared_task(base=DurableTask, acks_late=True, reject_on_worker_lost=True)
def run_import_job(job_id: int) -> dict | None:
    """Validate a queued import job, or commit it when that was asked for.

    Acknowledged late: if the worker dies in the middle, the broker hands the task to another worker, and
    since the commit is one transaction, that worker starts again from a clean slate (the dead worker's claim on the
    job ended with its database connection: claims.claimed).
    """
    job = jobs.run(job_id)
    if job is None:
        return None
    if job.status in jobs.RUNNABLE:
        # a live process holds the job (claims.held): keep the message, which the outbox hands off again after its
        # lease, so that the job still has a delivery coming should that process die before finishing it
        raise Ignore()
    return {"job": job.pk, "status": job.status}


@shared_task
def expire_confidential_uploads() -> int:
    """Beat, hourly: delete the uploads naming reporters of jobs that ended or were abandoned."""
    return uploads.expire_abandoned()
