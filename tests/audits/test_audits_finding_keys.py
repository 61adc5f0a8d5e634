"""What a finding points to (its firm, audit and site) cannot disappear from under it: Django refuses the delete,
and the database's own keys refuse it even to raw SQL."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from audits.services import assignments, audits
from graph.services import registry

pytestmark = pytest.mark.django_db


def test_deleting_what_a_finding_points_to_is_refused(full_world):
    w = full_world
    finding = w.objects["finding"]
    for obj in (finding.audit, finding.site, finding.audit_firm):
        with pytest.raises(ProtectedError), transaction.atomic():
            obj.delete()
    finding.refresh_from_db()
    assert (finding.audit_id, finding.site_id, finding.audit_firm_id) == (
        w.objects["audit"].pk, w.objects["mill"].pk, w.orgs["f"].pk
    )


def test_a_site_with_a_finding_stays_in_the_registry_when_its_company_lets_it_go(world):
    """The firm's finding is about a site only its company lists: the company removes it from its network,
    and the site, being unprotected otherwise, would be deleted; the finding keeps it."""
    w = world
    farm = w.objects["farm"]
    assignments.assign(w.viewer("a"), farm, w.orgs["f"])
    finding = audits.create_finding(w.viewer("f"), {"category": "below_minimum_age", "severity": "major",
                                                    "description": "desk review", "found_on": datetime.date(2026, 1, 5)},
                                    site=farm)
    registry.remove_site(w.viewer("a"), farm)
    finding.refresh_from_db()
    assert type(farm).objects.filter(pk=finding.site_id).exists()


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="deferred constraints are PostgreSQL's here")
def test_even_raw_sql_cannot_delete_a_finding_site_the_assignment_holds_it(world):
    """The assignment that a finding's site needs (imports and the API both require it) keeps its own checked key."""
    w = world
    audits.create_finding(w.viewer("f"), {"category": "debt_bondage", "severity": "minor", "description": "desk",
                                          "found_on": datetime.date(2026, 1, 5)}, site=w.objects["mill"])
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("DELETE FROM graph_site WHERE id = %s", [w.objects["mill"].pk])


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="deferred constraints are PostgreSQL's here")
def test_even_raw_sql_cannot_delete_a_findings_audit(world):
    """An audit nothing else refers to (not shared): only its finding's key holds it."""
    w = world
    audit = audits.create_audit(w.viewer("f"), w.objects["mill"], {
        "standard": "smeta", "audit_type": "announced", "start_date": datetime.date(2026, 3, 2)})
    audits.create_finding(w.viewer("f"), {"category": "debt_bondage", "severity": "minor", "description": "x"},
                          audit=audit)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("DELETE FROM audits_audit WHERE id = %s", [audit.pk])
