"""The demo's audits and grievances: what makes the demo's risk scores move and its remediation queue fill.

Northwind assigns Clearwater to a garment factory it shares with Harbor; Clearwater's unannounced audit finds
identity documents retained (critical, forced labour) and shares the audit with Northwind only. Workers' Voice
files a wages grievance about the same factory, routed to both companies. Northwind plans a corrective action
that is already overdue.
"""

import datetime

from django.utils import timezone

from audits.models import Audit
from audits.services import assignments, audits, grievances, remediation
from backend.models import User
from backend.tenancy import Viewer
from graph.models import NetworkSite


def as_viewer(username: str) -> Viewer:
    return Viewer.of(User.objects.get(username=username))


def shared_factory(northwind, harbor):
    """A garment factory in both networks (the first by ID, so the demo is deterministic)."""
    both = NetworkSite.objects.owned_by(harbor).values("site_id")
    entry = (NetworkSite.objects.owned_by(northwind).filter(tier=1, site_id__in=both).select_related("site")
             .order_by("site_id").first())
    return entry.site


def load_demo_evidence(orgs: dict) -> None:
    """Create the demo's audit, finding, grievance and corrective action once."""
    if Audit.objects.owned_by(orgs["clearwater"]).exists():
        return
    today = timezone.localdate()
    factory = shared_factory(orgs["northwind"], orgs["harbor"])
    company, auditor, union = as_viewer("northwind-admin"), as_viewer("clearwater-analyst"), as_viewer("voice-analyst")
    assignments.assign(company, factory, orgs["clearwater"])
    audit = audits.create_audit(auditor, factory, {
        "standard": "smeta", "audit_type": "unannounced", "start_date": today - datetime.timedelta(days=40),
        "end_date": today - datetime.timedelta(days=38), "lead_auditor": "A. Rahman", "report_reference": "CW-2026-117",
    })
    finding = audits.create_finding(auditor, {
        "category": "retention_of_identity_documents", "severity": "critical",
        "description": "Passports of 23 migrant workers held in the HR office; workers could not obtain them on request.",
    }, audit=audit)
    assignments.share(auditor, orgs["northwind"], audit=audit)
    grievances.file_grievance(union, factory, {
        "channel": "hotline", "category": "withholding_of_wages",
        "description": "Overtime of the last two months not paid to the sewing line workers.",
        "events_on": today - datetime.timedelta(days=20), "workers_affected": 60, "children_involved": False,
    }, reporter={"name": "Demo Reporter", "contact": "+880 1700 000000"})
    remediation.create_action(company, {
        "title": "Return all identity documents and install personal lockers",
        "due_on": today - datetime.timedelta(days=3), "owner_username": "northwind-analyst",
    }, finding=finding)
