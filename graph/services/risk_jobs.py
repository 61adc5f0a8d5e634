"""Debounced recomputation: many changes in a short while lead to one computation per company.

`schedule_recompute(site_ids)` runs inside the transaction of the change. It records, for every company whose
network holds those sites, which sites changed (PendingRecompute rows) and sends one recomputation through the
outbox (backend/dispatch.py), to run DEBOUNCE_SECONDS later. `recompute(company)` takes every change recorded
for the company by then and computes, in one transaction, one computation per company at a time.

Both steps are in the database, so they commit or roll back with their transaction and every worker sees
them, whatever the broker or the cache. No change is lost: a computation deletes exactly the rows it read, so a
change committed after that stays for the next computation, which its own message brings; a computation that
fails rolls back, putting its rows back. No change waits for a computation either: rows are only ever inserted
(a site may have several), never updated, so nothing a running computation holds is in their way.
"""

from django.db import transaction

from backend import dispatch
from backend.models import Organization
from graph.models import WHOLE_NETWORK, NetworkSite, PendingRecompute
from graph.services.risk import RiskRun, compute_risk
from graph.services.risk_store import lock_company
from graph.signals import risk_recomputed

DEBOUNCE_SECONDS = 5
RECOMPUTE_TASK = "graph.tasks.recompute_company_risk"


def schedule_recompute(site_ids=None, company_ids=None) -> None:
    """Recompute the risk of every company holding these sites (or of these companies, in full), after commit."""
    site_ids = sorted(set(site_ids or []))
    affected = {company_id: site_ids for company_id in holders_of(site_ids)}
    affected.update({company_id: [WHOLE_NETWORK] for company_id in company_ids or []})
    rows = [PendingRecompute(company_id=company_id, site_id=site) for company_id, sites in affected.items()
            for site in sites]
    PendingRecompute.objects.bulk_create(rows, batch_size=5000)
    for company_id in sorted(affected):
        dispatch.send(RECOMPUTE_TASK, company_id, countdown=DEBOUNCE_SECONDS)


def holders_of(site_ids: list[int]) -> set[int]:
    """The companies whose network holds any of these sites."""
    if not site_ids:
        return set()
    return set(NetworkSite.objects.filter(site_id__in=site_ids).values_list("company_id", flat=True).distinct())


def recompute(company_id: int, full: bool = False) -> RiskRun | None:
    """Compute the company's risk with the changes recorded for it, or all of it when `full`.

    Returns None when there is nothing to do: no change pending (an earlier computation took them) and not
    `full`, or the company no longer exists.
    """
    with transaction.atomic():
        pending = take_pending(company_id)
        company = Organization.objects.filter(pk=company_id).first()
        if company is None or (pending is None and not full):
            return None
        changed = None if full else pending or None
        run = compute_risk(company, changed_site_ids=changed)
        risk_recomputed.send(sender=RiskRun, company=company, site_ids=changed)
        return run


def take_pending(company_id: int) -> list[int] | None:
    """Inside the computation's transaction: the changes recorded for a company, removed from the queue.

    Returns None when nothing is pending, [] for the whole network, else the changed site IDs. Only the rows
    read are deleted, by key, so rows recorded meanwhile stay for the next computation; if the computation
    fails, its transaction puts the taken rows back.
    """
    lock_company(company_id)
    rows = list(PendingRecompute.objects.filter(company_id=company_id).values_list("pk", "site_id"))
    if not rows:
        return None
    PendingRecompute.objects.filter(pk__in=[pk for pk, _site in rows]).delete()
    sites = {site for _pk, site in rows}
    return [] if WHOLE_NETWORK in sites else sorted(sites)
