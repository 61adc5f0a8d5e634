"""Celery tasks of the supply network: thin wrappers around the services."""

from celery import shared_task
from django.db import transaction

from backend.dispatch import DurableTask
from backend.models import Organization
from graph.services.risk import compute_risk
from graph.services.risk_jobs import take_pending


@shared_task(base=DurableTask, acks_late=True)
def recompute_company_risk(company_id: int) -> dict | None:
    """Recompute one company's risk with the changes recorded since the last computation (none: nothing to do)."""
    with transaction.atomic():
        pending = take_pending(company_id)
        company = Organization.objects.filter(pk=company_id).first()
        if pending is None or company is None:
            return None  # an earlier run already took these changes
        run = compute_risk(company, changed_site_ids=pending or None)
    return {"company": company_id, "recomputed": run.recomputed, "incremental": run.incremental}
