"""Referrals to protection services and the report of time from identification to referral."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audits.services import referrals
from audits.services.referrals import percentile

CREATE = """mutation($site: ID!, $grievance: ID, $input: ReferralInput!) {
  referralCreate(siteId: $site, grievanceId: $grievance, input: $input) {
    referral { id service daysToReferral outcome grievance { id } } errors { field code message } } }"""
UPDATE = """mutation($id: ID!, $input: ReferralInput!) { referralUpdate(id: $id, input: $input) {
  referral { outcome referredAt history { fromState toState } } errors { field code } } }"""
TIMES = """query($by: ReferralGrouping!) { referralTimes(groupBy: $by) { key label referrals medianDays p90Days } }"""

UTC = datetime.timezone.utc


def at(day: int, hour: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, 3, day, hour, tzinfo=UTC)


def test_a_referral_is_recorded_then_made_and_its_outcome_logged(api, full_world):
    client = api(full_world.users["a"])
    created = client.data(CREATE, {"site": full_world.ids["mill"], "grievance": full_world.ids["grievance"], "input": {
        "service": "LABOUR_INSPECTORATE", "serviceName": "Tiruppur labour office", "persons": 3,
        "identifiedAt": "2026-03-01T08:00:00+00:00",
    }})["referralCreate"]
    assert created["errors"] == [] and created["referral"]["daysToReferral"] is None
    assert created["referral"]["grievance"]["id"] == full_world.ids["grievance"]
    updated = client.data(UPDATE, {"id": created["referral"]["id"], "input": {
        "referredAt": "2026-03-02T20:00:00+00:00", "outcome": "ACCEPTED",
    }})["referralUpdate"]
    assert updated["errors"] == [] and updated["referral"]["outcome"] == "ACCEPTED"
    assert [(h["fromState"], h["toState"]) for h in updated["referral"]["history"]] == [("", "pending"), ("pending", "accepted")]
    early = client.data(UPDATE, {"id": created["referral"]["id"], "input": {"referredAt": "2026-02-01T00:00:00+00:00"}})
    assert early["referralUpdate"]["errors"] == [{"field": "referredAt", "code": "OUT_OF_RANGE"}]


def test_referral_times_per_company_and_per_country(api, full_world, make_org, make_user):
    w = full_world  # A already referred once: identified 3 March, referred 5 March (2 days)
    a = w.viewer("a")
    for identified, referred in ((at(1), at(2)), (at(1), at(1, 12)), (at(1), at(11))):
        referrals.create_referral(a, w.objects["farm"], {"service": "shelter", "service_name": "Shelter",
                                                         "identified_at": identified, "referred_at": referred})
    referrals.create_referral(a, w.objects["farm"], {"service": "police", "service_name": "Not yet",
                                                     "identified_at": at(1)})  # not referred yet: not counted
    client = api(w.users["a"])
    per_company = client.data(TIMES, {"by": "COMPANY"})["referralTimes"]
    # days: 0.5, 1, 2, 10 → median 1.5; p90 = 2 + 0.7 × (10 − 2) = 7.6
    assert per_company == [{"key": str(w.orgs["a"].pk), "label": "Company A", "referrals": 4,
                            "medianDays": 1.5, "p90Days": 7.6}]
    per_country = client.data(TIMES, {"by": "COUNTRY"})["referralTimes"]
    assert per_country == [{"key": "IN", "label": "IN", "referrals": 4, "medianDays": 1.5, "p90Days": 7.6}]
    # Another company's report holds none of A's referrals
    assert api(w.users["c"]).data(TIMES, {"by": "COMPANY"})["referralTimes"] == []


@given(st.lists(st.floats(min_value=0, max_value=1000, allow_nan=False), min_size=1, max_size=50),
       st.floats(min_value=0, max_value=1))
def test_a_percentile_lies_between_the_extremes_and_grows_with_the_fraction(values, fraction):
    ordered = sorted(values)
    value = percentile(ordered, fraction)
    assert ordered[0] - 1e-9 <= value <= ordered[-1] + 1e-9
    assert percentile(ordered, 0) == ordered[0] and percentile(ordered, 1) == ordered[-1]
    assert percentile(ordered, min(1, fraction + 0.1)) >= value - 1e-9


@pytest.mark.parametrize("change, field, code", [
    ({"persons": 0}, "persons", "OUT_OF_RANGE"),
    ({"serviceName": ""}, "serviceName", "REQUIRED"),
    ({"identifiedAt": "2999-01-01T00:00:00+00:00"}, "identifiedAt", "OUT_OF_RANGE"),
])
def test_bad_referral_input_gets_a_typed_error(api, world, change, field, code):
    base = {"service": "POLICE", "serviceName": "Station", "identifiedAt": "2026-01-01T00:00:00+00:00"}
    result = api(world.users["a"]).data(CREATE, {"site": world.ids["mill"], "input": {**base, **change}})["referralCreate"]
    assert (result["errors"][0]["field"], result["errors"][0]["code"]) == (field, code)
