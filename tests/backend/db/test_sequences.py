"""IDs drawn from a table's sequence are new, in order, and the ones the table itself would have given next."""

import pytest
from django.db import connection

from audits.models import StateChange, Subject
from backend.db.sequences import allocate_ids

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("sequences are PostgreSQL's; elsewhere the writer lets bulk_create number the rows")


def test_ids_are_consecutive_new_and_followed_by_the_tables_own():
    before = StateChange.objects.create(subject=Subject.FINDING, object_id=1, to_state="a", at="2026-01-01T00:00Z")
    ids = allocate_ids(StateChange, 5_000)
    after = StateChange.objects.create(subject=Subject.FINDING, object_id=2, to_state="b", at="2026-01-01T00:00Z")
    assert ids == list(range(before.pk + 1, before.pk + 5_001))  # nobody else draws from it in this test
    assert after.pk > ids[-1]


def test_no_ids_asked_no_ids_drawn():
    assert allocate_ids(StateChange, 0) == []
