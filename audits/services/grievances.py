"""Filing grievances, routing them to the companies that source from the site, and working the case.

Lifecycle and who moves it (the mutation permissions enforce the organization kind, the routing the company):

    received ─acknowledge→ acknowledged ─investigate→ under_investigation ─conclude→ substantiated
                                                                           └──────→ not_substantiated ─close→ closed
    substantiated ─remediate→ remediated ─close→ closed

- acknowledge, investigate, conclude and remediate: a company the grievance is routed to (analyst or admin).
  The case is one case: whichever routed company moves it first moves it for all, and the history says which
  kind of organization did (a company never learns which other companies source from the site).
- remediate needs at least one corrective action on the grievance done or verified.
- close: the workers' organization that filed it, once the outcome is known (remediated or not substantiated),
  because only the workers can say the matter is settled.

Routing: at filing, one GrievanceRouting row per company whose network holds the site. A company that adds
the site to its network later receives every grievance about it that is not closed yet (a post_save signal on
NetworkSite, and `route_grievances` for bulk imports that bypass signals); closed cases stay with the companies
that worked them. A company that removes the site keeps the grievances already routed to it.
"""

from itertools import islice

from django.db.models import Exists, F, OuterRef

from audits.crypto import decrypt_json
from audits.models import ActionStatus, Channel, Grievance, GrievanceRouting, GrievanceState, Subject
from audits.services import common
from audits.services.grievances_batch import (
    GRIEVANCE_TEXT_LIMITS, REPORTER_LIMITS, GrievanceRow, Reporter, plan_grievances,
)
from audits.services.history import change_state, illegal
from audits.services.risk import schedule_risk_recompute
from audits.taxonomy import Category
from backend.db.writer import Writer
from backend.errors import field_error
from backend.tenancy import Viewer
from graph.models import NetworkSite

S = GrievanceState
TRANSITIONS = {
    S.RECEIVED: {S.ACKNOWLEDGED},
    S.ACKNOWLEDGED: {S.UNDER_INVESTIGATION},
    S.UNDER_INVESTIGATION: {S.SUBSTANTIATED, S.NOT_SUBSTANTIATED},
    S.SUBSTANTIATED: {S.REMEDIATED},
    S.NOT_SUBSTANTIATED: {S.CLOSED},
    S.REMEDIATED: {S.CLOSED},
}
ROUTING_BATCH = 5000


def clean_reporter(reporter: dict | None) -> Reporter:
    """The reporter's name and contact (both optional: a grievance may be anonymous)."""
    cleaned = {}
    for key, limit in REPORTER_LIMITS.items():
        value = ((reporter or {}).get(key) or "").strip()
        if len(value) > limit:
            raise field_error(f"reporter_{key}", f"The reporter's {key} may have at most {limit} characters.", "too_long")
        cleaned[key] = value or None
    return Reporter(**cleaned)


def file_grievance(viewer: Viewer, site, data: dict, reporter: dict | None = None) -> Grievance:
    """A workers' organization files a grievance about a site it can see: a batch of one
    (audits/services/grievances_batch.py). The input is cleaned first, by the same limits, so that the API
    reports the first problem of the grievance in the words of its input fields."""
    common.require(data, "channel", "category", "description")
    row = GrievanceRow(
        index=0, site_id=site.pk, reporter=clean_reporter(reporter),
        channel=common.choice(data["channel"], "channel", Channel),
        category=common.choice(data["category"], "category", Category),
        description=common.text(data["description"], "description", GRIEVANCE_TEXT_LIMITS["description"]),
        events_on=common.not_in_future(data.get("events_on"), "events_on"),
        workers_affected=common.non_negative(data.get("workers_affected"), "workers_affected"),
        children_involved=bool(data.get("children_involved")),
    )
    batch = plan_grievances(viewer, [row])
    batch.result.raise_refused()
    [grievance_id] = batch.write(Writer())
    return Grievance.objects.get(pk=grievance_id)


def route(grievance: Grievance, at_filing: bool, companies=None) -> int:
    """Route a grievance to every company whose network holds its site (or to `companies`); idempotent."""
    if companies is None:
        companies = NetworkSite.objects.filter(site_id=grievance.site_id).values_list("company_id", flat=True)
    rows = [GrievanceRouting(grievance=grievance, company_id=pk, at_filing=at_filing) for pk in companies]
    return len(GrievanceRouting.objects.bulk_create(rows, ignore_conflicts=True))


def route_grievances(site_ids=None) -> int:
    """Reconcile routings: every open grievance reaches every company now holding its site (after bulk imports).

    Set-based: one query yields the missing (grievance, company) pairs, streamed, and they are inserted a batch
    at a time, so an import of tens of thousands of grievances costs a few statements, not one per grievance.
    Returns the number of routings added.
    """
    grievances = Grievance.objects.exclude(state=S.CLOSED)
    if site_ids is not None:
        grievances = grievances.filter(site_id__in=site_ids)
    holder = F("site__network_entries__company_id")
    routed = GrievanceRouting.objects.filter(grievance_id=OuterRef("pk"), company_id=OuterRef("holder"))
    missing = (grievances.filter(site__network_entries__isnull=False).annotate(holder=holder)
               .exclude(Exists(routed)).values_list("pk", "holder").order_by().iterator(chunk_size=ROUTING_BATCH))
    added = 0
    for batch in iter(lambda: list(islice(missing, ROUTING_BATCH)), []):
        GrievanceRouting.objects.bulk_create(
            [GrievanceRouting(grievance_id=grievance, company_id=company, at_filing=False) for grievance, company in batch],
            ignore_conflicts=True,  # a company may have been routed the grievance meanwhile, by its own import
        )
        added += len(batch)
    return added


def route_to_new_network_entry(sender, instance, created, raw=False, **kwargs) -> None:
    """post_save of NetworkSite: a company adding a site receives the open grievances about it."""
    if not created or raw:
        return
    for grievance in Grievance.objects.filter(site_id=instance.site_id).exclude(state=S.CLOSED):
        route(grievance, at_filing=False, companies=[instance.company_id])


def route_to_joined_sites(sender, site_ids, **kwargs) -> None:
    """graph's `network_sites_joined` (bulk writes send no post_save): the sites' open grievances reach them."""
    route_grievances(site_ids=site_ids)


def move(viewer: Viewer, grievance: Grievance, to_state: str) -> Grievance:
    if to_state not in TRANSITIONS.get(grievance.state, ()):
        raise illegal(Subject.GRIEVANCE, grievance.state, to_state)
    if to_state == S.REMEDIATED:
        remediated = grievance.corrective_actions.filter(status__in=(ActionStatus.DONE, ActionStatus.VERIFIED))
        if not remediated.exists():
            raise field_error(
                None, "A grievance is remediated once at least one corrective action is done or verified.",
                "remediation_incomplete",
            )
    change_state(grievance, "state", to_state, TRANSITIONS, Subject.GRIEVANCE, viewer)
    schedule_risk_recompute([grievance.site_id])
    return grievance


def acknowledge(viewer, grievance):
    return move(viewer, grievance, S.ACKNOWLEDGED)


def investigate(viewer, grievance):
    return move(viewer, grievance, S.UNDER_INVESTIGATION)


def conclude(viewer, grievance, substantiated: bool):
    return move(viewer, grievance, S.SUBSTANTIATED if substantiated else S.NOT_SUBSTANTIATED)


def remediate(viewer, grievance):
    return move(viewer, grievance, S.REMEDIATED)


def close(viewer, grievance):
    if grievance.filed_by_id != viewer.organization.pk:
        raise field_error("id", "Only the organization that filed the grievance can close it.", "not_found")
    return move(viewer, grievance, S.CLOSED)


def reporter_of(viewer: Viewer, grievance: Grievance) -> dict | None:
    """The reporter's identity and contact, decrypted for the filing organization only; None for anyone else."""
    if viewer is None or grievance.filed_by_id != viewer.organization.pk:
        return None
    return decrypt_json(grievance.reporter_ciphertext)
