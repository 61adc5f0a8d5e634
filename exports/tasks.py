"""Celery tasks of exports: thin wrappers around exports/reports/jobs.py."""

from celery import shared_task

from backend.dispatch import DurableTask
from exports.reports import jobs


@shared_task(base=DurableTask, acks_late=True, reject_on_worker_lost=True)
def run_report_job(job_id: int) -> dict | None:
    """Generate a queued report. Idempotent: a job already done or failed is left as it is, and a job a dead
    worker left running is generated again from the start (nothing is stored until the whole file is)."""
    job = jobs.run(job_id)
    return None if job is None else {"job": job.pk, "status": job.status}
