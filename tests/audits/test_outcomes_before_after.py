"""Before / after (issue 16 §5): the outcomes of verified actions and the grievance KPIs compared across a day, per
country, with the counts of both sides; on the hand-built cases of test_outcomes_cases.py."""

import datetime

import pytest

from audits.services.kpis import KpiFilter, kpis_before_after
from audits.services.outcomes import OutcomeFilter, outcomes_before_after
from backend.tenancy import Viewer

from test_outcomes_cases import build

OUTCOMES = """query($split: Date!, $groupBy: OutcomeGrouping, $from: Date, $to: Date) {
  outcomeBeforeAfter(splitAt: $split, groupBy: $groupBy, verifiedFrom: $from, verifiedTo: $to) { key label
    before { actions daysToVerifiedClosure { count medianDays } recurrence { recurred observed } riskChange6Months { measured reason } }
    after { actions daysToVerifiedClosure { count medianDays } recurrence { recurred observed } riskChange6Months { measured reason } } } }"""
KPIS = """query($split: Date!, $groupBy: KpiComparisonGrouping, $from: Date, $to: Date, $country: String) {
  grievanceKpisBeforeAfter(splitAt: $split, groupBy: $groupBy, receivedFrom: $from, receivedTo: $to, country: $country) {
    key label before { key received concluded substantiatedPercent daysToConclude { count } }
    after { key received concluded substantiatedPercent daysToConclude { count } } } }"""


@pytest.fixture
def cases(world):
    return build(world)


def sides(rows: list[dict], figure=lambda side: side["actions"]) -> dict:
    return {row["key"]: (figure(row["before"]), figure(row["after"])) for row in rows}


def test_outcomes_per_country_on_each_side_of_the_day(api, world, cases):
    # When A splits its outcomes at 1 February 2025 (the wages were verified on 31 January)
    rows = api(world.users["a"]).data(OUTCOMES, {"split": "2025-02-01"})["outcomeBeforeAfter"]

    # Then per country each side has its own actions and figures; an empty side says so
    assert [(row["key"], row["label"]) for row in rows] == [("BD", "Bangladesh"), ("IN", "India")]
    bangladesh, india = rows
    assert bangladesh["before"] == {
        "actions": 0, "daysToVerifiedClosure": {"count": 0, "medianDays": None},
        "recurrence": {"recurred": 0, "observed": 0},
        "riskChange6Months": {"measured": 0, "reason": "No action was verified 6 months ago or more."}}
    assert bangladesh["after"]["recurrence"] == {"recurred": 1, "observed": 1}
    assert india["before"] == {
        "actions": 1, "daysToVerifiedClosure": {"count": 1, "medianDays": 30.0},
        "recurrence": {"recurred": 1, "observed": 1}, "riskChange6Months": {"measured": 1, "reason": None}}
    assert india["after"]["actions"] == 2 and india["after"]["daysToVerifiedClosure"]["medianDays"] == 7.5


def test_an_action_verified_on_the_day_counts_after_it(api, world, cases):
    client = api(world.users["a"])
    on_the_day = client.data(OUTCOMES, {"split": "2025-02-11", "groupBy": "ALL"})["outcomeBeforeAfter"]
    the_day_after = client.data(OUTCOMES, {"split": "2025-02-12", "groupBy": "ALL"})["outcomeBeforeAfter"]
    assert sides(on_the_day) == {"all": (1, 3)} and sides(the_day_after) == {"all": (2, 2)}


def test_outcomes_compare_by_intervention_type_too(world, cases):
    rows = outcomes_before_after(world.viewer("a"), OutcomeFilter(group_by="intervention_type"),
                                 datetime.date(2025, 3, 1))
    assert {row.key: (row.before.actions, row.after.actions) for row in rows} == {
        "child_to_schooling": (0, 1), "remediation_payment": (1, 0), "return_of_documents": (1, 0), "training": (0, 1)}


def test_the_grievance_kpis_per_country_on_each_side_of_the_day(api, world, cases):
    # Given the wages grievance at the mill (India, received 20 December 2024) and the child-labour one at Dhaka
    # (Bangladesh, 1 October 2025), both substantiated
    rows = api(world.users["a"]).data(KPIS, {"split": "2025-06-01"})["grievanceKpisBeforeAfter"]

    received = sides(rows, lambda side: (side["received"], side["concluded"], side["substantiatedPercent"]))
    assert received == {"BD": ((0, 0, None), (1, 1, 100.0)), "IN": ((1, 1, 100.0), (0, 0, None))}
    assert [row["label"] for row in rows] == ["Bangladesh", "India"]
    assert rows[0]["before"]["key"] == "BD"


def test_the_grievance_kpis_of_the_whole_scope_and_of_a_country(api, world, cases):
    client = api(world.users["w"])  # the workers' organization that filed both
    whole = client.data(KPIS, {"split": "2025-06-01", "groupBy": "ALL"})["grievanceKpisBeforeAfter"]
    assert sides(whole, lambda side: side["received"]) == {"all": (1, 1)}
    india = client.data(KPIS, {"split": "2025-06-01", "country": "in"})["grievanceKpisBeforeAfter"]
    assert sides(india, lambda side: side["received"]) == {"IN": (1, 0)}


@pytest.mark.parametrize("query, variables", [
    (OUTCOMES, {"split": "2025-01-01", "from": "2025-01-01"}),
    (OUTCOMES, {"split": "2026-01-01", "to": "2025-12-31"}),
    (KPIS, {"split": "2025-01-01", "from": "2025-02-01"}),
    (KPIS, {"split": "2025-01-01", "from": "2025-03-01", "to": "2025-02-01"}),
])
def test_a_split_outside_the_period_is_out_of_range(api, world, query, variables):
    result = api(world.users["a"])(query, variables)
    assert result["errors"][0]["extensions"]["code"] == "OUT_OF_RANGE"


def test_other_tenants_compare_nothing(api, world, cases):
    for outsider in ("b", "c", "g"):
        rows = api(world.users[outsider]).data(OUTCOMES, {"split": "2025-06-01", "groupBy": "ALL"})
        assert sides(rows["outcomeBeforeAfter"]) == {"all": (0, 0)}, outsider
    for outsider in ("b", "w2", "g"):
        rows = api(world.users[outsider]).data(KPIS, {"split": "2025-06-01", "groupBy": "ALL"})
        assert sides(rows["grievanceKpisBeforeAfter"], lambda side: side["received"]) == {"all": (0, 0)}, outsider


def test_a_workers_organization_may_not_compare_outcomes_nor_an_anonymous_caller_anything(api, world):
    assert api(world.users["w"])(OUTCOMES, {"split": "2025-06-01"})["errors"][0]["extensions"]["code"] == \
        "PERMISSION_DENIED"
    for query in (OUTCOMES, KPIS):
        assert api(None)(query, {"split": "2025-06-01"})["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_a_comparison_takes_a_fixed_number_of_queries(world, cases, django_assert_num_queries):
    viewer = Viewer.of(world.users["a"])
    assert viewer.organization.pk
    with django_assert_num_queries(4):  # as outcomeAnalytics: both sides come from the one set of outcomes
        outcomes_before_after(viewer, OutcomeFilter(group_by="country"), datetime.date(2025, 6, 1))
    with django_assert_num_queries(6):  # grievanceKpis' three, per side
        kpis_before_after(viewer, KpiFilter(group_by="country"), datetime.date(2025, 6, 1))
