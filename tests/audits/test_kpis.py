"""The grievance mechanism's KPIs (issue 16 §1), per organization (the viewer's own), country and period."""

import datetime

import pytest

from audits.models import Grievance, StateChange, Subject
from audits.services import clocks, grievances, referrals, remediation
from audits.services.kpis import KpiFilter, grievance_kpis
from backend.tenancy import Viewer

KPIS = """query($from: Date, $to: Date, $country: String, $groupBy: KpiGrouping) {
  grievanceKpis(receivedFrom: $from, receivedTo: $to, country: $country, groupBy: $groupBy) {
    key label received acknowledgedOnTimePercent concludedOnTimePercent concluded substantiatedPercent
    remediatedPercent repeatGrievances referrals
    daysToAcknowledge { count medianDays p90Days } daysToConclude { count medianDays p90Days }
    daysToReferral { count medianDays p90Days } } }"""


def at(day: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(day).replace(hour=12, tzinfo=datetime.UTC)


def backdate(grievance: Grievance, received: str, **entered: str) -> None:
    """Move the grievance's receipt and its entries into states (`state="YYYY-MM-DD"`) to the given days."""
    Grievance.objects.filter(pk=grievance.pk).update(received_at=at(received))
    for state, day in entered.items():
        StateChange.objects.filter(subject=Subject.GRIEVANCE, object_id=grievance.pk, to_state=state).update(at=at(day))


def file(world, category="debt_bondage"):
    return grievances.file_grievance(world.viewer("w"), world.objects["mill"], {
        "channel": "hotline", "category": category, "description": "Fees"})


@pytest.fixture
def cases(world):
    """Three grievances about the mill (India) routed to A and C, handled by A in 2026:
    g1 received 10 Jan, acknowledged after 2 days, substantiated after 41, remediated;
    g2 (a repeat of g1: same site and category) received 1 Feb, acknowledged after 14, not substantiated after 89;
    g3 received 1 Mar, never acknowledged. A referred people identified on 3 March after 2 days, and some on
    4 March not yet."""
    a = world.viewer("a")
    g1, g2, g3 = file(world), file(world), file(world, category="excessive_overtime")
    for grievance in (g1, g2):
        grievances.acknowledge(a, grievance)
        grievances.investigate(a, grievance)
    grievances.conclude(a, g1, substantiated=True)
    grievances.conclude(a, g2, substantiated=False)
    action = remediation.create_action(a, {"title": "Repay", "due_on": datetime.date(2026, 3, 1)}, grievance=g1)
    remediation.start(a, action)
    remediation.complete(a, action, "Repaid")
    grievances.remediate(a, g1)
    backdate(g1, "2026-01-10", acknowledged="2026-01-12", under_investigation="2026-01-20",
             substantiated="2026-02-20", remediated="2026-03-10")
    backdate(g2, "2026-02-01", acknowledged="2026-02-15", under_investigation="2026-02-20",
             not_substantiated="2026-05-01")
    backdate(g3, "2026-03-01")
    for identified, referred in (("2026-03-03", "2026-03-05"), ("2026-03-04", None)):
        referrals.create_referral(a, world.objects["mill"], {
            "service": "child_protection", "service_name": "District unit", "identified_at": at(identified),
            "referred_at": at(referred) if referred else None})
    return g1, g2, g3


def test_a_company_reads_the_kpis_of_the_grievances_routed_to_it(api, world, cases):
    # When A reads its KPIs for 2026
    [row] = api(world.users["a"]).data(KPIS, {"from": "2026-01-01", "to": "2026-12-31"})["grievanceKpis"]

    # Then, against the default clock (7 days to acknowledge, 60 to conclude)
    assert row == {
        "key": "all", "label": "All grievances", "received": 3,
        "acknowledgedOnTimePercent": 33.33,  # g1 on time; g2 late; g3 never, past due
        "concludedOnTimePercent": 33.33,  # g1 in 41 days; g2 in 89; g3 never, past due
        "concluded": 2, "substantiatedPercent": 50.0, "remediatedPercent": 100.0, "repeatGrievances": 1,
        "referrals": 2,
        "daysToAcknowledge": {"count": 2, "medianDays": 8.0, "p90Days": 12.8},
        "daysToConclude": {"count": 2, "medianDays": 65.0, "p90Days": 84.2},
        "daysToReferral": {"count": 1, "medianDays": 2.0, "p90Days": 2.0},
    }


def test_each_organization_measures_against_its_own_clock_and_sees_its_own_referrals(api, world, cases):
    # Given W gives 20 days to acknowledge, and C the defaults
    clocks.set_clock(world.viewer("w_admin"), {"acknowledge_days": 20})

    # When W (which filed them) and C (routed them too) read the KPIs
    [as_w] = api(world.users["w"]).data(KPIS)["grievanceKpis"]
    [as_c] = api(world.users["c"]).data(KPIS)["grievanceKpis"]

    # Then W counts g2's 14 days as on time; C sees the same cases by the default clock and no referrals of A's
    assert (as_w["received"], as_w["acknowledgedOnTimePercent"], as_w["referrals"]) == (3, 66.67, 0)
    assert (as_c["received"], as_c["acknowledgedOnTimePercent"], as_c["referrals"]) == (3, 33.33, 0)


def test_an_outsider_reads_an_empty_row(api, world, cases):
    [row] = api(world.users["b"]).data(KPIS)["grievanceKpis"]
    assert (row["received"], row["referrals"], row["daysToAcknowledge"]["count"]) == (0, 0, 0)
    assert row["acknowledgedOnTimePercent"] is None and row["substantiatedPercent"] is None


def test_a_period_counts_a_repeat_of_a_grievance_received_before_it(api, world, cases):
    [row] = api(world.users["a"]).data(KPIS, {"from": "2026-02-01", "to": "2026-02-28"})["grievanceKpis"]
    assert (row["received"], row["repeatGrievances"], row["concluded"], row["referrals"]) == (1, 1, 1, 0)
    assert row["substantiatedPercent"] == 0.0 and row["remediatedPercent"] is None


def test_groups_by_month_and_country(api, world, cases):
    client = api(world.users["a"])
    months = client.data(KPIS, {"groupBy": "MONTH"})["grievanceKpis"]
    assert [(m["key"], m["received"], m["referrals"]) for m in months] == [
        ("2026-01", 1, 0), ("2026-02", 1, 0), ("2026-03", 1, 2)]
    [india] = client.data(KPIS, {"groupBy": "COUNTRY"})["grievanceKpis"]
    assert (india["key"], india["label"], india["received"]) == ("IN", "India", 3)
    assert client.data(KPIS, {"groupBy": "COUNTRY", "country": "BD"})["grievanceKpis"] == []
    [quarter] = client.data(KPIS, {"groupBy": "QUARTER", "country": "in"})["grievanceKpis"]
    assert (quarter["key"], quarter["received"]) == ("2026-Q1", 3)


@pytest.mark.parametrize("variables, code", [
    ({"from": "2026-03-01", "to": "2026-02-01"}, "OUT_OF_RANGE"),
    ({"country": "XX"}, "INVALID"),
])
def test_a_bad_filter_is_an_error_with_its_code(api, world, variables, code):
    result = api(world.users["a"])(KPIS, variables)
    assert result["errors"][0]["extensions"]["code"] == code


def test_the_kpis_take_three_queries_whatever_the_number_of_grievances(world, cases, django_assert_num_queries):
    # Given twenty more grievances, acknowledged
    for _ in range(20):
        grievances.acknowledge(world.viewer("a"), file(world))
    viewer = Viewer.of(world.users["a"])
    assert viewer.organization.pk

    # When the KPIs are computed: the clock, the grievances with their state entries, the referrals
    with django_assert_num_queries(3):
        [row] = grievance_kpis(viewer, KpiFilter(group_by="all"))

    # Then all are counted
    assert row.received == 23 and row.days_to_acknowledge.count == 22
