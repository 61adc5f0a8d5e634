"""Outcome analytics (issue 16 §5): what followed verified corrective actions, per intervention type, category,
country and commodity, checked against the hand-built cases of test_outcomes_cases.py."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from audits.services import remediation
from audits.services.outcomes import OutcomeFilter, VerifiedAction, outcome_analytics, recurred
from backend.tenancy import Viewer

from test_outcomes_cases import build, plan, shared_finding, verified

GROUP = """key label actions daysToVerifiedClosure { count medianDays p90Days }
  recurrence { recurred observed pending ratePercent }
  riskChange6Months { months measured meanChange medianChange notYet noHistory reason }
  riskChange12Months { months measured meanChange medianChange notYet noHistory reason }"""
OUTCOMES = """query($groupBy: OutcomeGrouping, $country: String, $category: FindingCategory,
  $type: InterventionType, $commodity: String, $from: Date, $to: Date) {
  outcomeAnalytics(groupBy: $groupBy, country: $country, category: $category, interventionType: $type,
                   commodity: $commodity, verifiedFrom: $from, verifiedTo: $to) { """ + GROUP + " } }"


@pytest.fixture
def cases(world):
    return build(world)


def by_key(rows: list[dict]) -> dict:
    return {row["key"]: row for row in rows}


def test_the_whole_scope_in_one_row(api, world, cases):
    # When A reads its outcomes as one row
    [row] = api(world.users["a"]).data(OUTCOMES, {"groupBy": "ALL"})["outcomeAnalytics"]

    # Then the four verified actions are told as on paper (test_outcomes_cases.py)
    assert row == {
        "key": "all", "label": "All verified actions", "actions": 4,
        "daysToVerifiedClosure": {"count": 4, "medianDays": 20.0, "p90Days": 51.0},  # 5 10 30 60
        "recurrence": {"recurred": 2, "observed": 3, "pending": 1, "ratePercent": 66.67},
        "riskChange6Months": {"months": 6, "measured": 2, "meanChange": -0.1, "medianChange": -0.1, "notYet": 1,
                              "noHistory": 1, "reason": None},
        "riskChange12Months": {"months": 12, "measured": 2, "meanChange": -0.3, "medianChange": -0.3, "notYet": 1,
                               "noHistory": 1, "reason": None},
    }


def test_per_intervention_type_each_group_tells_its_own_numbers_and_its_reasons(api, world, cases):
    rows = by_key(api(world.users["a"]).data(OUTCOMES)["outcomeAnalytics"])

    assert list(rows) == ["child_to_schooling", "remediation_payment", "return_of_documents", "training"]
    assert sum(row["actions"] for row in rows.values()) == 4  # each action in exactly one group
    wages, documents = rows["remediation_payment"], rows["return_of_documents"]
    assert (wages["label"], wages["daysToVerifiedClosure"]["medianDays"]) == ("Remediation payment / back wages", 30.0)
    assert wages["recurrence"] == {"recurred": 1, "observed": 1, "pending": 0, "ratePercent": 100.0}
    assert documents["recurrence"] == {"recurred": 0, "observed": 1, "pending": 0, "ratePercent": 0.0}
    assert (documents["riskChange6Months"]["meanChange"], documents["riskChange12Months"]["meanChange"]) == (-0.1, -0.3)
    # the child's site has no history of A's at its verification; the training is too recent for anything
    child, training = rows["child_to_schooling"]["riskChange6Months"], rows["training"]
    assert (child["meanChange"], child["noHistory"]) == (None, 1)
    assert child["reason"] == "No action verified 6 months ago or more has a stored score at its verification."
    assert training["recurrence"] == {"recurred": 0, "observed": 0, "pending": 1, "ratePercent": None}
    assert training["riskChange12Months"]["reason"] == "No action was verified 12 months ago or more."
    assert training["daysToVerifiedClosure"]["medianDays"] == 5.0


def test_per_country_category_and_commodity(api, world, cases):
    client = api(world.users["a"])
    countries = by_key(client.data(OUTCOMES, {"groupBy": "COUNTRY"})["outcomeAnalytics"])
    assert {key: (row["label"], row["actions"]) for key, row in countries.items()} == {
        "BD": ("Bangladesh", 1), "IN": ("India", 3)}
    assert countries["IN"]["recurrence"]["ratePercent"] == 50.0  # wages recurred, documents did not

    categories = by_key(client.data(OUTCOMES, {"groupBy": "CATEGORY"})["outcomeAnalytics"])
    assert categories["below_minimum_age"]["label"] == "Child below the minimum working age"
    assert sorted(categories) == ["below_minimum_age", "excessive_overtime", "retention_of_identity_documents",
                                  "withholding_of_wages"]

    [cotton] = client.data(OUTCOMES, {"groupBy": "COMMODITY"})["outcomeAnalytics"]
    assert (cotton["key"], cotton["label"], cotton["actions"]) == ("cotton", "Cotton (raw)", 4)


def test_filters_narrow_the_actions(api, world, cases):
    client = api(world.users["a"])

    def actions(**variables):
        return [(row["key"], row["actions"]) for row in client.data(OUTCOMES, variables)["outcomeAnalytics"]]

    assert actions(country="bd") == [("child_to_schooling", 1)]
    assert actions(category="WITHHOLDING_OF_WAGES") == [("remediation_payment", 1)]
    assert actions(type="TRAINING", groupBy="COUNTRY") == [("IN", 1)]
    assert actions(**{"from": "2025-02-01", "to": "2025-12-31"}) == [
        ("child_to_schooling", 1), ("return_of_documents", 1)]
    assert actions(commodity="cotton", groupBy="ALL") == [("all", 4)]


def test_an_unclassified_action_has_its_own_group(world, cases):
    # Given one more action of A's, planned without a type and verified
    finding = shared_finding(world, world.objects["mill"], "health_safety", "2025-05-01")
    action = remediation.create_action(world.viewer("a"), {"title": "Fix exits"}, finding=finding)
    verified(world, action, "2025-05-02", "2025-05-12")

    # Then it is counted as unclassified, and can be asked for alone
    rows = outcome_analytics(world.viewer("a"), OutcomeFilter(intervention_type="unclassified"))
    assert [(row.key, row.label, row.actions) for row in rows] == [("unclassified", "Not classified", 1)]


@pytest.mark.parametrize("variables, code", [
    ({"from": "2025-03-01", "to": "2025-02-01"}, "OUT_OF_RANGE"),
    ({"country": "XX"}, "INVALID"),
    ({"commodity": "unobtainium"}, "NOT_FOUND"),
])
def test_a_bad_filter_is_an_error_with_its_code(api, world, variables, code):
    result = api(world.users["a"])(OUTCOMES, variables)
    assert result["errors"][0]["extensions"]["code"] == code


def test_the_service_names_the_bad_field(world):
    with pytest.raises(ValidationError) as refused:
        outcome_analytics(world.viewer("a"), OutcomeFilter(intervention_type="prayer"))
    assert list(refused.value.message_dict) == ["intervention_type"]


def test_other_tenants_see_none_of_the_actions(api, world, cases):
    # C is routed the wages grievance but owns none of the actions; B has nothing to do with any; G is another firm
    for outsider in ("c", "b", "g"):
        [row] = api(world.users[outsider]).data(OUTCOMES, {"groupBy": "ALL"})["outcomeAnalytics"]
        assert (row["actions"], row["recurrence"]["observed"]) == (0, 0), outsider


def test_the_audit_firm_sees_the_actions_on_its_findings_without_scores(api, world, cases):
    rows = by_key(api(world.users["f"]).data(OUTCOMES)["outcomeAnalytics"])
    assert sorted(rows) == ["child_to_schooling", "return_of_documents", "training"]  # not the grievance's
    assert rows["return_of_documents"]["riskChange6Months"]["noHistory"] == 1  # an audit firm keeps no scores


def test_a_workers_organization_and_an_anonymous_caller_are_denied(api, world, cases):
    assert api(world.users["w"])(OUTCOMES)["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    assert api(None)(OUTCOMES)["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_the_outcomes_take_four_queries_whatever_the_number_of_actions(world, cases, django_assert_num_queries):
    # Given twenty more verified actions at the mill
    for number in range(20):
        finding = shared_finding(world, world.objects["mill"], "wages", "2025-06-01")
        verified(world, plan(world, "remediation_payment", f"Pay {number}", finding=finding), "2025-06-02",
                 "2025-06-20")
    viewer = Viewer.of(world.users["a"])
    assert viewer.organization.pk

    # When the outcomes are computed: the actions, the findings, the substantiated grievances, the history
    with django_assert_num_queries(4):
        rows = outcome_analytics(viewer, OutcomeFilter(group_by="intervention_type"))

    # Then all are counted (one more query reads the commodities when grouping by them, one their names)
    assert {row.key: row.actions for row in rows}["remediation_payment"] == 21
    with django_assert_num_queries(6):
        outcome_analytics(viewer, OutcomeFilter(group_by="commodity"))


@pytest.mark.parametrize("days_after, expected", [(0, False), (1, True), (365, True), (366, False)])
def test_recurrence_counts_evidence_from_the_day_after_verification_to_365_days_after(days_after, expected):
    # Given an action verified on 10 March 2025 at site 1, and one finding of its category some days after
    verified_at = datetime.datetime(2025, 3, 10, 12, tzinfo=datetime.UTC)
    action = VerifiedAction(site_id=1, country="IN", category="debt_bondage", intervention_type="",
                            created_at=verified_at, verified_at=verified_at)
    evidence = {(1, "debt_bondage"): [datetime.date(2025, 3, 10) + datetime.timedelta(days=days_after)]}

    # Then it recurred only inside the window; another site's or category's evidence never counts
    assert recurred(action, evidence, today=datetime.date(2026, 12, 1)) is expected
    assert recurred(action, {(2, "debt_bondage"): evidence[1, "debt_bondage"]}, datetime.date(2026, 12, 1)) is False
    assert recurred(action, {(1, "wages"): evidence[1, "debt_bondage"]}, datetime.date(2026, 12, 1)) is False
    # and while the window is not over, it is pending (None), whatever came
    assert recurred(action, evidence, today=datetime.date(2026, 3, 9)) is None
