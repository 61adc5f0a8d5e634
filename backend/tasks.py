"""Celery tasks of the project itself."""

from celery import shared_task

from backend import dispatch


@shared_task
def sweep_outbox() -> int:
    """Hand off again the outbox messages that were not published, were lost or failed; run every minute by beat."""
    return dispatch.sweep()
