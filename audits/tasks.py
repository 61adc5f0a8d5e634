"""Celery tasks of the audits app: thin wrappers around the services."""

from celery import shared_task

from audits.services import intake
from audits.services.clocks import flag_overdue_grievances
from audits.services.remediation import flag_overdue_actions as flag_overdue
from backend.dispatch import DurableTask


@shared_task(acks_late=True)
def flag_overdue_actions() -> int:
    """Alert the owners of overdue corrective actions (once per action and day) and the organizations whose
    grievance clock a case overran (once per case and day); run hourly by beat. Returns the alerts raised."""
    return flag_overdue() + flag_overdue_grievances()


@shared_task(base=DurableTask, acks_late=True)
def match_waiting_filings(site_ids: list[int]) -> int:
    """Match the grievance filings still waiting for their site against sites that joined a network (sent through
    the outbox by audits.services.intake.rematch_after_join). Returns the grievances filed."""
    return intake.match_waiting_filings(site_ids)
