"""The bulk writer stores what it is given, on every database: bulk_create (the writer's path without COPY)
stamps auto_now(_add) fields with the present time, COPY does not, and an import's dates (a grievance's receipt,
an audit's creation) must not depend on the database."""

import datetime

import pytest
from django.db import transaction

from audits.models import Audit
from backend.db.copy_text import Same
from backend.db.writer import Writer
from backend.models import Organization, OrganizationKind
from graph.models import Site

pytestmark = pytest.mark.django_db

CREATED = datetime.datetime(2024, 3, 4, 5, 6, 7, tzinfo=datetime.timezone.utc)
UPDATED = datetime.datetime(2025, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)


def test_stamped_columns_given_to_the_writer_are_stored_as_given():
    firm = Organization.objects.create(name="Firm", kind=OrganizationKind.AUDIT_FIRM)
    site = Site.objects.create(name="Mill", country="IN")
    columns = {"audit_firm_id": Same(firm.pk), "site_id": Same(site.pk), "standard": Same("smeta"),
               "audit_type": Same("announced"), "start_date": Same(datetime.date(2024, 3, 1)),
               "lead_auditor": ["A", "B", "C"], "report_reference": Same(""),
               "created_at": [CREATED, CREATED + datetime.timedelta(days=1), CREATED], "updated_at": Same(UPDATED)}
    with transaction.atomic():
        ids = Writer().copy(Audit, columns)
    stored = {a.pk: a for a in Audit.objects.filter(pk__in=ids)}
    assert [stored[pk].lead_auditor for pk in ids] == ["A", "B", "C"]
    assert [stored[pk].created_at for pk in ids] == columns["created_at"]
    assert {stored[pk].updated_at for pk in ids} == {UPDATED}
