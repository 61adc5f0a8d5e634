"""Celery tasks of the supply network: thin wrappers around the services."""

from celery import shared_task

from backend.models import Organization
from graph.services.risk import compute_risk
from graph.services.risk_jobs import FULL, take_pending


@shared_task(acks_late=True)
def recompute_company_risk(company_id: int) -> dict | None:
    """Recompute one company's risk with the changes accumulated since the task was queued."""
    pending = take_pending(company_id)
    company = Organization.objects.filter(pk=company_id).first()
    if pending is None or company is None:
        return None  # an earlier run already took these changes
    run = compute_risk(company, changed_site_ids=None if pending == FULL else pending)
    return {"company": company_id, "recomputed": run.recomputed, "incremental": run.incremental}
