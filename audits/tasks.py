"""Celery tasks of the audits app: thin wrappers around the services."""

from celery import shared_task

from audits.services.remediation import flag_overdue_actions as flag_overdue


@shared_task(acks_late=True)
def flag_overdue_actions() -> int:
    """Alert the owners of overdue corrective actions (once per action and day); run hourly by beat."""
    return flag_overdue()
