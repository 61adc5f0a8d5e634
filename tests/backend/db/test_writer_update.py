"""Updates by primary key: each row gets its own changes, and its auto_now fields (`updated_at`) the time of the
update, which bulk_update alone never sets (it runs no pre_save)."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from backend.db.writer import Writer
from backend.models import Organization, OrganizationKind
from graph.models import NetworkSite, Site

pytestmark = pytest.mark.django_db

LONG_AGO = datetime.datetime(2020, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
NOW = datetime.datetime(2026, 6, 7, 8, 9, 10, tzinfo=datetime.timezone.utc)


def sites_stamped_long_ago(count: int) -> list[Site]:
    sites = [Site.objects.create(name=f"Mill {n}", country="IN") for n in range(count)]
    Site.objects.filter(pk__in=[site.pk for site in sites]).update(updated_at=LONG_AGO)  # update() stamps nothing
    return sites


def test_each_row_gets_its_own_changes_and_only_the_rows_changed_are_touched():
    first, second, untouched = sites_stamped_long_ago(3)

    with transaction.atomic():
        Writer().update_by_pk(Site, {first.pk: {"name": "Renamed"}, second.pk: {"country": "BD"}}, now=NOW)

    stored = {site.pk: site for site in Site.objects.all()}
    assert (stored[first.pk].name, stored[first.pk].country) == ("Renamed", "IN")
    assert (stored[second.pk].name, stored[second.pk].country) == ("Mill 1", "BD")
    assert (stored[untouched.pk].name, stored[untouched.pk].updated_at) == ("Mill 2", LONG_AGO)


def test_the_rows_updated_have_their_updated_at_set_to_the_time_given():
    first, second = sites_stamped_long_ago(2)

    with transaction.atomic():
        Writer().update_by_pk(Site, {first.pk: {"name": "Renamed"}, second.pk: {"country": "BD"}}, now=NOW)

    assert set(Site.objects.values_list("updated_at", flat=True)) == {NOW}


def test_without_a_time_given_the_rows_updated_are_stamped_with_the_present_time():
    (site,) = sites_stamped_long_ago(1)
    before = timezone.now()

    with transaction.atomic():
        Writer().update_by_pk(Site, {site.pk: {"name": "Renamed"}})

    site.refresh_from_db()
    assert before <= site.updated_at <= timezone.now()


def test_a_model_without_an_auto_now_field_gets_its_changes_only():
    company = Organization.objects.create(name="Company", kind=OrganizationKind.COMPANY)
    (site,) = sites_stamped_long_ago(1)
    entry = NetworkSite.objects.create(company=company, site=site, internal_ref="M-1")

    with transaction.atomic():
        Writer().update_by_pk(NetworkSite, {entry.pk: {"internal_ref": "M-2"}})

    entry.refresh_from_db()
    assert entry.internal_ref == "M-2"


def test_every_row_updated_is_reported_to_the_callback():
    sites = sites_stamped_long_ago(3)
    reported = []

    with transaction.atomic():
        Writer(on_batch=reported.append).update_by_pk(Site, {site.pk: {"name": "Renamed"} for site in sites})

    assert sum(reported) == 3


def test_no_changes_ask_nothing_of_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        Writer().update_by_pk(Site, {})
