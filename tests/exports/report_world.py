"""The audits world (tests/support/audits_world.py) with enough remediation history for a report: company A's
findings, grievances, actions (one overdue, one verified) and referrals at the shared mill."""

import datetime

from audits.services import remediation
from support.audits_world import with_the_mill, with_work_on_the_mill, people_of_every_kind

PERIOD = (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))


def report_world(make_org, make_user):
    world = with_work_on_the_mill(with_the_mill(people_of_every_kind(make_org, make_user)))
    a = world.viewer("a")
    done = remediation.create_action(a, {"title": "Pay back wages", "due_on": datetime.date(2026, 2, 1)},
                                     grievance=world.objects["grievance"])
    remediation.start(a, done)
    remediation.complete(a, done, "Paid in full")
    remediation.verify(world.viewer("a_admin"), done)
    return world
