"""Celery tasks of the supply network: thin wrappers around the services."""

from celery import shared_task

from backend.dispatch import DurableTask
from graph.services.risk_jobs import recompute


@shared_task(base=DurableTask, acks_late=True)
def recompute_company_risk(company_id: int) -> dict | None:
    """Recompute one company's risk with the changes recorded since the last computation (none: nothing to do)."""
    run = recompute(company_id)
    if run is None:
        return None
    return {"company": company_id, "recomputed": run.recomputed, "incremental": run.incremental}
