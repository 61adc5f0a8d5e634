"""Debounced recomputation: many changes in a short while lead to one computation per company.

`schedule_recompute(site_ids)` runs after the current transaction commits. It finds the companies whose
network holds those sites, accumulates the changed sites in the cache, and queues one Celery task per company
with a countdown; the task takes everything accumulated so far. Without a broker the task runs at once, in
process (eager mode).
"""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from graph.models import NetworkSite

DEBOUNCE_SECONDS = 5
FULL = "full"


def pending_key(company_id: int) -> str:
    return f"risk:pending:{company_id}"


def schedule_recompute(site_ids=None, company_ids=None) -> None:
    """Recompute the risk of every company holding these sites (or of these companies, in full)."""
    site_ids = list(site_ids or [])
    transaction.on_commit(lambda: enqueue(site_ids, list(company_ids or [])))


def enqueue(site_ids: list[int], company_ids: list[int]) -> None:
    from graph.tasks import recompute_company_risk

    affected = {cid: site_ids for cid in NetworkSite.objects.filter(site_id__in=site_ids).values_list("company_id", flat=True)}
    affected.update({cid: FULL for cid in company_ids})
    for company_id, sites in affected.items():
        key = pending_key(company_id)
        pending = cache.get(key)
        first = pending is None
        merged = FULL if FULL in (pending, sites) else sorted(set(pending or []) | set(sites))
        cache.set(key, merged, timeout=3600)
        if first or settings.CELERY_TASK_ALWAYS_EAGER:
            recompute_company_risk.apply_async((company_id,), countdown=0 if settings.CELERY_TASK_ALWAYS_EAGER else DEBOUNCE_SECONDS)


def take_pending(company_id: int):
    """The changes accumulated for a company (FULL, a list of site IDs, or None), clearing them."""
    key = pending_key(company_id)
    pending = cache.get(key)
    cache.delete(key)
    return pending
