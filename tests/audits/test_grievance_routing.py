"""Reconciling routings after bulk imports: every open grievance reaches every company holding its site, once,
in a number of statements that does not grow with the number of grievances."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audits.models import Grievance, GrievanceRouting, GrievanceState
from audits.services.grievances import route_grievances
from backend.models import OrganizationKind, Role
from factories import add_site
from graph.models import NetworkSite


@pytest.fixture
def holders(make_org, make_user):
    """A public site held by companies A and C (added in bulk, as an import does, so no signal routed anything),
    and a workers' organization that files about it."""
    a, c = make_org("Company A"), make_org("Company C")
    workers = make_org("Workers W", OrganizationKind.WORKERS_ORG)
    site = add_site(make_user(a, Role.ANALYST), "Mill", os_id="IN2019067X1K87E")
    NetworkSite.objects.bulk_create([NetworkSite(company=c, site=site)])
    return site, workers, {a.pk, c.pk}


def file_in_bulk(site, workers, count: int, state=GrievanceState.RECEIVED) -> list[int]:
    made = Grievance.objects.bulk_create(
        Grievance(filed_by=workers, site=site, channel="hotline", category="retention_of_identity_documents",
                  description=f"Passports kept, case {n}", state=state) for n in range(count)
    )
    return [grievance.pk for grievance in made]


def routings() -> set[tuple[int, int]]:
    return set(GrievanceRouting.objects.values_list("grievance_id", "company_id"))


def test_every_open_grievance_reaches_every_holder_once(holders):
    site, workers, companies = holders
    open_ids = file_in_bulk(site, workers, 4)
    closed_ids = file_in_bulk(site, workers, 2, state=GrievanceState.CLOSED)
    assert route_grievances(site_ids=[site.pk]) == 8
    assert routings() == {(grievance, company) for grievance in open_ids for company in companies}
    assert not {grievance for grievance, _company in routings()} & set(closed_ids)
    assert route_grievances() == 0  # idempotent: nothing is routed twice
    assert GrievanceRouting.objects.filter(at_filing=False).count() == 8


def test_only_the_missing_routings_are_added(holders):
    site, workers, companies = holders
    first, second = file_in_bulk(site, workers, 2)
    GrievanceRouting.objects.create(grievance_id=first, company_id=min(companies), at_filing=True)
    assert route_grievances() == 3
    assert GrievanceRouting.objects.get(grievance_id=first, company_id=min(companies)).at_filing


def test_the_statements_do_not_grow_with_the_grievances(holders):
    site, workers, _companies = holders
    file_in_bulk(site, workers, 3)
    with CaptureQueriesContext(connection) as few:
        route_grievances()
    GrievanceRouting.objects.all().delete()
    file_in_bulk(site, workers, 60)
    with CaptureQueriesContext(connection) as many:
        assert route_grievances() == 126
    assert len(many.captured_queries) == len(few.captured_queries)
