"""Celery tasks of the audits app: thin wrappers around the services."""

from celery import shared_task

from audits.services.clocks import flag_overdue_grievances
from audits.services.remediation import flag_overdue_actions as flag_overdue


@shared_task(acks_late=True)
def flag_overdue_actions() -> int:
    """Alert the owners of overdue corrective actions (once per action and day) and the organizations whose
    grievance clock a case overran (once per case and day); run hourly by beat. Returns the alerts raised."""
    return flag_overdue() + flag_overdue_grievances()
