"""A small audits world built through the services: companies A and C source from one public mill, an audit
firm F assigned to it by A, a workers' organization W that filed a grievance about it; and outsiders of every
kind (company B, audit firm G, workers' organization W2) that have nothing to do with any of it.

The fixtures `people`, `world` and `full_world` (tests/audits/conftest.py) build it in three steps, each step
being one function here so that tests elsewhere can build it too."""

import datetime
from dataclasses import dataclass, field

from graphql_relay import to_global_id

from audits.services import assignments, audits, grievances, referrals, remediation
from backend.models import OrganizationKind, Role
from backend.tenancy import Viewer
from factories import add_site

SECRET = "A-SECRET"
REPORTER_NAME = "Reporter Ravi Kumar"
REPORTER_CONTACT = "+91 98400 12345 ravi.reporter@example.org"
MILL_OS_ID = "IN2019067X1K87E"


def gid(type_name: str, obj) -> str:
    return to_global_id(type_name, obj.pk)


@dataclass
class World:
    users: dict = field(default_factory=dict)
    orgs: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)
    ids: dict = field(default_factory=dict)

    def viewer(self, name: str) -> Viewer:
        return Viewer.of(self.users[name])


def people_of_every_kind(make_org, make_user) -> World:
    """Organizations of every kind, each with an analyst, an admin and a viewer."""
    kinds = {
        "a": ("Company A", OrganizationKind.COMPANY), "b": ("Company B", OrganizationKind.COMPANY),
        "c": ("Company C", OrganizationKind.COMPANY), "f": ("Audit Firm F", OrganizationKind.AUDIT_FIRM),
        "g": ("Audit Firm G", OrganizationKind.AUDIT_FIRM), "w": ("Workers Org W", OrganizationKind.WORKERS_ORG),
        "w2": ("Workers Org W2", OrganizationKind.WORKERS_ORG),
    }
    world = World()
    for key, (name, kind) in kinds.items():
        org = world.orgs[key] = make_org(name, kind)
        for role in (Role.ANALYST, Role.ADMIN, Role.VIEWER):
            user = make_user(org, role)
            user.email = f"{user.username}@example.org"
            user.save(update_fields=["email"])
            world.users[key if role == Role.ANALYST else f"{key}_{role}"] = user
    for key in kinds:
        world.ids[f"org_{key}"] = gid("Party", world.orgs[key])
    return world


def with_the_mill(people: World) -> World:
    """The mill S (public, OS ID) in A's and C's networks; A's private farm P; F assigned to S by A."""
    w = people
    mill = add_site(w.users["a"], "Shared Mill", os_id=MILL_OS_ID)
    add_site(w.users["c"], "Shared Mill (C's name)", os_id=MILL_OS_ID)
    farm = add_site(w.users["a"], "A private farm")
    assignment = assignments.assign(w.viewer("a"), mill, w.orgs["f"])
    w.objects.update(mill=mill, farm=farm, assignment=assignment)
    w.ids.update(mill=gid("Site", mill), farm=gid("Site", farm), assignment=gid("AuditAssignment", assignment))
    return w


def with_work_on_the_mill(world: World) -> World:
    """The world with F's work on S (audit shared with A; a desk finding not shared), W's grievance routed to A
    and C, A's corrective action on it and A's referral. Every private text carries SECRET."""
    w = world
    f, a = w.viewer("f"), w.viewer("a")
    audit = audits.create_audit(f, w.objects["mill"], {
        "standard": "smeta", "audit_type": "unannounced", "start_date": datetime.date(2026, 3, 2),
        "end_date": datetime.date(2026, 3, 4), "lead_auditor": f"{SECRET} auditor", "report_reference": "R-1",
    })
    finding = audits.create_finding(f, {"category": "debt_bondage", "severity": "critical",
                                        "description": f"{SECRET} recruitment fees"}, audit=audit)
    desk = audits.create_finding(f, {"category": "below_minimum_age", "severity": "major",
                                     "description": f"{SECRET} desk review", "found_on": datetime.date(2026, 1, 5)},
                                 site=w.objects["mill"])
    assignments.share(f, w.orgs["a"], audit=audit)
    grievance = grievances.file_grievance(
        w.viewer("w"), w.objects["mill"],
        {"channel": "hotline", "category": "retention_of_identity_documents",
         "description": f"{SECRET} passports kept by the supervisor", "workers_affected": 12},
        reporter={"name": REPORTER_NAME, "contact": REPORTER_CONTACT},
    )
    grievances.acknowledge(a, grievance)
    action = remediation.create_action(a, {"title": f"{SECRET} return passports", "due_on": datetime.date(2026, 5, 1)},
                                       grievance=grievance)
    finding_action = remediation.create_action(
        a, {"title": f"{SECRET} repay recruitment fees", "due_on": datetime.date(2026, 6, 1)}, finding=finding
    )
    referral = referrals.create_referral(a, w.objects["mill"], {
        "service": "child_protection", "service_name": f"{SECRET} district unit",
        "identified_at": datetime.datetime(2026, 3, 3, tzinfo=datetime.timezone.utc),
        "referred_at": datetime.datetime(2026, 3, 5, tzinfo=datetime.timezone.utc),
    }, grievance=grievance)
    w.objects.update(audit=audit, finding=finding, desk=desk, grievance=grievance, action=action,
                     finding_action=finding_action, referral=referral)
    w.ids.update(
        audit=gid("Audit", audit), finding=gid("Finding", finding), desk=gid("Finding", desk),
        grievance=gid("Grievance", grievance), action=gid("CorrectiveAction", action),
        finding_action=gid("CorrectiveAction", finding_action), referral=gid("Referral", referral),
    )
    return w
