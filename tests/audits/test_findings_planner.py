"""FindingsPlanner: an import plans its upload a batch at a time with one planner, which asks which sites the firm
is assigned to once per site, not once per batch, and still refuses every row about a site it is not assigned to."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audits.services import assignments
from audits.services.findings_batch import FindingRow, FindingsPlanner

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 3, 2)


def row(index: int, audit_ref: str, site: int) -> FindingRow:
    return FindingRow(index=index, audit_ref=audit_ref, finding_ref="F-1", site_id=site, standard="smeta",
                      audit_type="announced", start_date=START, end_date=None, lead_auditor=None,
                      report_reference=None, category="deception", severity="minor", description="x",
                      found_on=None, status=None)


def assignment_queries(queries) -> int:
    return sum(1 for query in queries if "audits_assignment" in query["sql"])


def refused_sites(batch) -> list[int]:
    return [refusal.index for refusal in batch.result.refusals if refusal.code == "not_assigned"]


def test_the_firm_s_assignment_to_a_site_is_asked_once_for_all_the_batches(world):
    # given a planner for the firm, assigned to the mill but not to the farm
    mill, farm = world.objects["mill"].pk, world.objects["farm"].pk
    planner = FindingsPlanner(world.viewer("f"))
    # when three batches name the mill and the farm
    with CaptureQueriesContext(connection) as queries:
        batches = [planner.plan([row(2 * n, f"AU-{n}", mill), row(2 * n + 1, f"AU-{n}b", farm)]) for n in range(3)]
    # then the assignments were asked once, and every row about the farm is refused in every batch
    assert assignment_queries(queries) == 1
    assert [refused_sites(batch) for batch in batches] == [[1], [3], [5]]


def test_a_site_first_named_by_a_later_batch_is_asked_then(world):
    # given a planner that has planned a batch about the mill only
    w = world
    mill, farm = w.objects["mill"].pk, w.objects["farm"].pk
    planner = FindingsPlanner(w.viewer("f"))
    assert refused_sites(planner.plan([row(2, "AU-1", mill)])) == []
    # when the farm's company assigns the firm to it, and a later batch names the farm
    assignments.assign(w.viewer("a"), w.objects["farm"], w.orgs["f"])
    with CaptureQueriesContext(connection) as queries:
        later = planner.plan([row(3, "AU-2", farm), row(4, "AU-3", mill)])
    # then the farm is asked about (the mill is not asked again) and its row is accepted
    assert assignment_queries(queries) == 1
    assert refused_sites(later) == []
