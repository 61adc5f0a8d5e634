"""Referrals to protection services, and how quickly people identified at risk are referred."""

import math
from collections import defaultdict
from dataclasses import dataclass

from audits.models import Referral, ReferralOutcome, ServiceKind, Subject
from audits.services import common
from audits.services.history import record
from backend.errors import field_error
from backend.tenancy import Viewer, visible

UPDATABLE = ("service_name", "referred_at", "outcome", "outcome_note", "persons", "children_involved")


def clean(data: dict, current: Referral | None = None) -> dict:
    cleaned = dict(data)
    if "service" in data:
        cleaned["service"] = common.choice(data["service"], "service", ServiceKind)
    if "service_name" in data:
        cleaned["service_name"] = common.text(data["service_name"], "service_name", 200)
    if "outcome" in data:
        cleaned["outcome"] = common.choice(data["outcome"], "outcome", ReferralOutcome)
    if "outcome_note" in data:
        cleaned["outcome_note"] = common.text(data["outcome_note"], "outcome_note", 10_000, required=False)
    if "persons" in data and (data["persons"] is None or data["persons"] < 1):
        raise field_error("persons", "persons must be at least 1.", "out_of_range")
    for key in ("identified_at", "referred_at"):
        if key in data:
            common.not_in_future(data[key], key)
    identified = cleaned.get("identified_at", current.identified_at if current else None)
    referred = cleaned.get("referred_at", current.referred_at if current else None)
    if identified and referred and referred < identified:
        raise field_error("referred_at", "referred_at may not be before identified_at.", "out_of_range")
    return cleaned


def create_referral(viewer: Viewer, site, data: dict, grievance=None, finding=None) -> Referral:
    common.require(data, "service", "service_name", "identified_at")
    referral = Referral.objects.create(
        organization=viewer.organization, site=site, grievance=grievance, finding=finding, created_by=viewer.user,
        **clean(data),
    )
    record(Subject.REFERRAL, referral, "", referral.outcome, viewer)
    return referral


def update_referral(viewer: Viewer, referral: Referral, data: dict) -> Referral:
    """Record when the referral was made and its outcome; an outcome change is logged."""
    before = referral.outcome
    for key, value in clean(data, current=referral).items():
        if key in UPDATABLE:
            setattr(referral, key, value)
    referral.save()
    if referral.outcome != before:
        record(Subject.REFERRAL, referral, before, referral.outcome, viewer)
    return referral


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Linear interpolation between closest ranks: x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]), h = (n − 1)·p.

    (numpy's default, "type 7"); the median is p = 0.5.
    """
    h = (len(sorted_values) - 1) * fraction
    low = math.floor(h)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (h - low) * (sorted_values[high] - sorted_values[low])


@dataclass(frozen=True)
class ReferralTimes:
    key: str
    label: str
    referrals: int
    median_days: float
    p90_days: float


def referral_times(viewer: Viewer, group_by: str) -> list[ReferralTimes]:
    """Days from identification to referral over the viewer's referrals that were made, per company (the
    referring organization) or per country of the site: median and 90th percentile, groups sorted by key."""
    rows = visible(Referral, viewer).filter(referred_at__isnull=False)
    rows = rows.values_list("organization_id", "organization__name", "site__country", "identified_at", "referred_at")
    groups: dict[str, list[float]] = defaultdict(list)
    labels: dict[str, str] = {}
    for org_id, org_name, country, identified_at, referred_at in rows:
        key, label = (str(org_id), org_name) if group_by == "company" else (country, country)
        groups[key].append(common.days_between(identified_at, referred_at))
        labels[key] = label
    result = []
    for key in sorted(groups, key=lambda k: labels[k]):
        days = sorted(groups[key])
        result.append(ReferralTimes(key, labels[key], len(days), round(percentile(days, 0.5), 4),
                                    round(percentile(days, 0.9), 4)))
    return result
