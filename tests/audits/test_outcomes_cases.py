"""Hand-built cases for the outcome analytics (issue 16 §5): company A's four verified actions, the evidence that
followed them and A's stored score history of the mill, each dated by hand so every figure can be told on paper.

    action            site  category (dimension)       planned      verified     days  recurred          risk +6m / +12m
    back wages        mill  withholding of wages (FL)  2025-01-01   2025-01-31   30    yes (finding)     −0.1 / −0.3
    documents back    mill  retention of docs (FL)     2025-02-01   2025-02-11   10    no                −0.1 / −0.3
    child to school   dhaka below minimum age (CL)     2025-03-01   2025-04-30   60    yes (grievance)   no history
    training          mill  excessive overtime (FL)    now − 5 days now          5     pending           not yet

A's history of the mill (forced labour): 0.6 from 2025-01-15, 0.5 from 2025-03-01, 0.3 from 2025-09-01.
"""

import datetime
from dataclasses import dataclass

from audits.models import CorrectiveAction, Finding, StateChange, Subject
from audits.services import assignments, audits, grievances, remediation
from backend.models import Organization
from factories import add_site
from graph.models import RiskHistory

from test_kpis import at, backdate


@dataclass
class Cases:
    dhaka: object
    actions: dict


def verified(world, action, planned, verified_on: str | None) -> CorrectiveAction:
    """Carry A's action through to verification by A's admin (four eyes), then date its planning and verification."""
    remediation.start(world.viewer("a"), action)
    remediation.complete(world.viewer("a"), action, "Done")
    remediation.verify(world.viewer("a_admin"), action, "Checked")
    entry = StateChange.objects.get(subject=Subject.ACTION, object_id=action.pk, to_state="verified")
    if verified_on:
        StateChange.objects.filter(pk=entry.pk).update(at=at(verified_on))
    verified_at = at(verified_on) if verified_on else entry.at
    CorrectiveAction.objects.filter(pk=action.pk).update(
        created_at=at(planned) if isinstance(planned, str) else verified_at - planned)
    return action


def shared_finding(world, site, category: str, found_on: str) -> Finding:
    finding = audits.create_finding(world.viewer("f"), {
        "category": category, "severity": "major", "description": "Seen", "found_on": datetime.date.fromisoformat(found_on),
    }, site=site)
    assignments.share(world.viewer("f"), world.orgs["a"], finding=finding)
    return finding


def substantiated_grievance(world, site, category: str, received: str):
    grievance = grievances.file_grievance(world.viewer("w"), site, {
        "channel": "hotline", "category": category, "description": "Complaint"})
    grievances.acknowledge(world.viewer("a"), grievance)
    grievances.investigate(world.viewer("a"), grievance)
    grievances.conclude(world.viewer("a"), grievance, substantiated=True)
    backdate(grievance, received, acknowledged=received, under_investigation=received, substantiated=received)
    return grievance


def plan(world, kind: str, title: str, **parent):
    return remediation.create_action(world.viewer("a"), {
        "title": title, "intervention_type": kind, "due_on": datetime.date(2025, 12, 31)}, **parent)


def build(world) -> Cases:
    mill = world.objects["mill"]
    dhaka = add_site(world.users["a"], "Dhaka Sewing", country="BD")
    assignments.assign(world.viewer("a"), dhaka, world.orgs["f"])
    wages = substantiated_grievance(world, mill, "withholding_of_wages", "2024-12-20")
    documents = shared_finding(world, mill, "retention_of_identity_documents", "2025-01-01")
    child = shared_finding(world, dhaka, "below_minimum_age", "2025-02-20")
    overtime = shared_finding(world, mill, "excessive_overtime", "2026-01-10")
    actions = {
        "wages": verified(world, plan(world, "remediation_payment", "Back wages", grievance=wages),
                          "2025-01-01", "2025-01-31"),
        "documents": verified(world, plan(world, "return_of_documents", "Passports back", finding=documents),
                              "2025-02-01", "2025-02-11"),
        "child": verified(world, plan(world, "child_to_schooling", "School and stipend", finding=child),
                          "2025-03-01", "2025-04-30"),
        "training": verified(world, plan(world, "training", "Hours training", finding=overtime),
                             datetime.timedelta(days=5), None),
    }
    shared_finding(world, mill, "withholding_of_wages", "2025-06-01")  # the wages recur within a year
    substantiated_grievance(world, dhaka, "below_minimum_age", "2025-10-01")  # so does the child labour
    shared_finding(world, mill, "retention_of_identity_documents", "2026-03-01")  # 383 days after: no recurrence
    company = Organization.objects.get(pk=world.orgs["a"].pk)
    RiskHistory.objects.filter(company=company).delete()
    RiskHistory.objects.bulk_create([
        RiskHistory(company=company, site=mill, child_labour=0.2, forced_labour=forced, band="high",
                    methodology_version="2026.1", computed_at=at(day))
        for day, forced in (("2025-01-15", 0.6), ("2025-03-01", 0.5), ("2025-09-01", 0.3))
    ])
    return Cases(dhaka=dhaka, actions=actions)
