"""How well the grievance mechanism works (UN Guiding Principles, principle 31): KPIs over the viewer's grievances.

The scope is the viewer's own: a company's grievances are those routed to it, a workers' organization's those it
filed (backend/tenancy.py), measured against the viewer's own clock (audits/services/clocks.py). A grievance counts
in the period of the day it was received. Every figure, per group (all, country of the site, or year / quarter /
month of receipt):

- received: grievances received in the period.
- acknowledged on time %: of those acknowledged or past their acknowledge deadline, the share acknowledged on or
  before it; concluded on time % likewise for the conclusion (substantiated or not substantiated).
- days to acknowledge / conclude: from receipt to the first entry into acknowledged / a conclusion (StateChange),
  in days, median and 90th percentile (linear interpolation, audits/services/referrals.py:percentile).
- substantiated %: of those concluded, the share substantiated; remediated %: of those substantiated, the share
  that reached remediated.
- repeat grievances: those received within 365 days after another grievance of the viewer's about the same site
  and category (the earlier one may lie before the period).
- referrals: the viewer's referrals of people identified in the period (grouped by the day identified), how many
  were made and the days from identification to referral (median, 90th percentile).

Three queries whatever the number of grievances: the clock, the grievances with their first entries into each
state (subqueries on StateChange), the referrals; the rest is one pass in Python over compact rows.

Before / after (kpis_before_after): the same KPIs for the grievances received before a day and on or after it, for
the whole scope or per country, each side with its counts (received, concluded, durations' count) so a reader can
judge the sample.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field, replace

import pycountry
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from audits.models import Grievance, GrievanceState, Referral, StateChange, Subject
from audits.services.clocks import Clock, clock_of, received_day
from audits.services.common import days_between
from audits.services.referrals import percentile
from backend.errors import camel_case, field_error
from backend.tenancy import Viewer, visible

REPEAT_WINDOW = datetime.timedelta(days=365)
GROUPINGS = ("all", "country", "year", "quarter", "month")
MAX_GROUPS = len(pycountry.countries)  # one group per country at most; a finer period must narrow its range


@dataclass(frozen=True)
class KpiFilter:
    """Which grievances count: received between the two days (inclusive; None: unbounded), at sites of `country`."""

    received_from: datetime.date | None = None
    received_to: datetime.date | None = None
    country: str | None = None
    group_by: str = "all"


@dataclass(frozen=True)
class Durations:
    """Median and 90th percentile of a set of durations in days; None when the set is empty."""

    count: int
    median_days: float | None
    p90_days: float | None

    @classmethod
    def of(cls, days: list[float]) -> "Durations":
        if not days:
            return cls(0, None, None)
        days = sorted(days)
        return cls(len(days), round(percentile(days, 0.5), 4), round(percentile(days, 0.9), 4))


@dataclass(frozen=True)
class GrievanceKpis:
    """The KPIs of one group; percentages are None when nothing was due (no denominator)."""

    key: str
    label: str
    received: int
    acknowledged_on_time_percent: float | None
    concluded_on_time_percent: float | None
    days_to_acknowledge: Durations
    days_to_conclude: Durations
    concluded: int
    substantiated_percent: float | None
    remediated_percent: float | None
    repeat_grievances: int
    referrals: int
    days_to_referral: Durations


@dataclass(frozen=True)
class Case:
    """One grievance as the KPIs need it (a row of the one grievance query)."""

    site_id: int
    category: str
    country: str
    received_at: datetime.datetime
    acknowledged_at: datetime.datetime | None
    concluded_at: datetime.datetime | None
    substantiated: bool
    remediated: bool


@dataclass
class Tally:
    """The counts of one group, as the pass over the cases adds them up."""

    received: int = 0
    acknowledged_due: int = 0
    acknowledged_on_time: int = 0
    concluded_due: int = 0
    concluded_on_time: int = 0
    days_to_acknowledge: list[float] = field(default_factory=list)
    days_to_conclude: list[float] = field(default_factory=list)
    concluded: int = 0
    substantiated: int = 0
    remediated: int = 0
    repeats: int = 0
    referrals: int = 0
    days_to_referral: list[float] = field(default_factory=list)


def group_key(grouping: str, country: str, day: datetime.date) -> str:
    """The group of a case received (or a referral identified) on `day` at a site of `country`."""
    return {
        "all": lambda: "all", "country": lambda: country, "year": lambda: f"{day.year}",
        "quarter": lambda: f"{day.year}-Q{(day.month - 1) // 3 + 1}", "month": lambda: f"{day:%Y-%m}",
    }[grouping]()


def group_label(grouping: str, key: str) -> str:
    if grouping == "all":
        return "All grievances"
    if grouping == "country":
        country = pycountry.countries.get(alpha_2=key)
        return country.name if country else key
    return key


def first_entry(*states: str, subject: str = Subject.GRIEVANCE) -> Subquery:
    """When the grievance (or the object of another `subject`) first entered one of `states` (None if never)."""
    entries = StateChange.objects.filter(subject=subject, object_id=OuterRef("pk"), to_state__in=states)
    return Subquery(entries.order_by("at").values("at")[:1])


def on_days(rows, field: str, start: datetime.date | None, end: datetime.date | None):
    """The rows whose date-time `field` falls on a day from `start` to `end` (inclusive; None: unbounded)."""
    if start:
        rows = rows.filter(**{f"{field}__date__gte": start})
    if end:
        rows = rows.filter(**{f"{field}__date__lte": end})
    return rows


def entered(state: str) -> Exists:
    return Exists(StateChange.objects.filter(subject=Subject.GRIEVANCE, object_id=OuterRef("pk"), to_state=state))


def cases(viewer: Viewer, scope: KpiFilter) -> list[Case]:
    """The viewer's grievances of the scope, and those of the 365 days before it (for repeats): one query."""
    since = scope.received_from - REPEAT_WINDOW if scope.received_from else None
    grievances = on_days(visible(Grievance, viewer), "received_at", since, scope.received_to)
    if scope.country:
        grievances = grievances.filter(site__country=scope.country)
    rows = grievances.annotate(
        acknowledged_at=first_entry(GrievanceState.ACKNOWLEDGED),
        concluded_at=first_entry(GrievanceState.SUBSTANTIATED, GrievanceState.NOT_SUBSTANTIATED),
        substantiated=entered(GrievanceState.SUBSTANTIATED), remediated=entered(GrievanceState.REMEDIATED),
    ).order_by("site_id", "category", "received_at", "pk").values_list(
        "site_id", "category", "site__country", "received_at", "acknowledged_at", "concluded_at", "substantiated",
        "remediated",
    )
    return [Case(*row) for row in rows]


def count_stage(tally: Tally, clock: Clock, stage: str, case: Case, reached_at, today: datetime.date) -> None:
    """Add a case's acknowledge or conclude stage: due once reached or past its deadline, on time if reached by it."""
    deadline = clock.deadline(received_day(case.received_at), stage)
    durations = tally.days_to_acknowledge if stage == "acknowledge" else tally.days_to_conclude
    if reached_at is not None:
        durations.append(days_between(case.received_at, reached_at))
    if reached_at is None and deadline >= today:
        return
    on_time = reached_at is not None and received_day(reached_at) <= deadline
    if stage == "acknowledge":
        tally.acknowledged_due += 1
        tally.acknowledged_on_time += on_time
    else:
        tally.concluded_due += 1
        tally.concluded_on_time += on_time


def in_period(scope: KpiFilter, day: datetime.date) -> bool:
    return (scope.received_from is None or day >= scope.received_from) and (
        scope.received_to is None or day <= scope.received_to)


def tally_cases(tallies: dict[str, Tally], clock: Clock, scope: KpiFilter, rows: list[Case]) -> None:
    """One pass over the cases, sorted by site, category and receipt (so the previous one is the repeat's peer)."""
    today = timezone.localdate()
    previous: Case | None = None
    for case in rows:
        day = received_day(case.received_at)
        repeat = (previous is not None and (previous.site_id, previous.category) == (case.site_id, case.category)
                  and case.received_at - previous.received_at <= REPEAT_WINDOW)
        previous = case
        if not in_period(scope, day):
            continue
        tally = tallies[group_key(scope.group_by, case.country, day)]
        tally.received += 1
        tally.repeats += repeat
        count_stage(tally, clock, "acknowledge", case, case.acknowledged_at, today)
        count_stage(tally, clock, "conclude", case, case.concluded_at, today)
        if case.concluded_at is not None:
            tally.concluded += 1
            tally.substantiated += case.substantiated
            tally.remediated += case.substantiated and case.remediated


def tally_referrals(tallies: dict[str, Tally], viewer: Viewer, scope: KpiFilter) -> None:
    """The viewer's referrals of people identified in the period, at sites of the country: one query."""
    referrals = on_days(visible(Referral, viewer), "identified_at", scope.received_from, scope.received_to)
    if scope.country:
        referrals = referrals.filter(site__country=scope.country)
    for identified_at, referred_at, country in referrals.values_list("identified_at", "referred_at", "site__country"):
        tally = tallies[group_key(scope.group_by, country, timezone.localtime(identified_at).date())]
        tally.referrals += 1
        if referred_at is not None:
            tally.days_to_referral.append(days_between(identified_at, referred_at))


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 2) if whole else None


def as_kpis(grouping: str, key: str, tally: Tally) -> GrievanceKpis:
    return GrievanceKpis(
        key=key, label=group_label(grouping, key), received=tally.received,
        acknowledged_on_time_percent=percent(tally.acknowledged_on_time, tally.acknowledged_due),
        concluded_on_time_percent=percent(tally.concluded_on_time, tally.concluded_due),
        days_to_acknowledge=Durations.of(tally.days_to_acknowledge),
        days_to_conclude=Durations.of(tally.days_to_conclude), concluded=tally.concluded,
        substantiated_percent=percent(tally.substantiated, tally.concluded),
        remediated_percent=percent(tally.remediated, tally.substantiated), repeat_grievances=tally.repeats,
        referrals=tally.referrals, days_to_referral=Durations.of(tally.days_to_referral),
    )


def check_grouping(group_by: str, groupings: tuple[str, ...]) -> None:
    if group_by not in groupings:
        raise field_error("group_by", f"group_by must be one of: {', '.join(groupings)}.", "invalid")


def check_period(start: datetime.date | None, end: datetime.date | None, start_field: str, end_field: str) -> None:
    """The period's end may not lie before its start."""
    if start and end and start > end:
        raise field_error(end_field, f"{camel_case(end_field)} may not be before {camel_case(start_field)}.",
                          "out_of_range")


def check_country(country: str | None) -> None:
    if country is not None and pycountry.countries.get(alpha_2=country) is None:
        raise field_error("country", "country must be an ISO 3166-1 alpha-2 code.", "invalid")


def check_split(split_at: datetime.date, start: datetime.date | None, end: datetime.date | None, start_field: str,
                end_field: str) -> None:
    """A before/after split leaves a day of the period on each side: start < split_at ≤ end."""
    if (start and split_at <= start) or (end and split_at > end):
        raise field_error("split_at", f"splitAt must lie after {camel_case(start_field)} and on or before "
                          f"{camel_case(end_field)}, so that each side holds a day of the period.", "out_of_range")


def check(scope: KpiFilter) -> None:
    check_grouping(scope.group_by, GROUPINGS)
    check_period(scope.received_from, scope.received_to, "received_from", "received_to")
    check_country(scope.country)


def grievance_kpis(viewer: Viewer, scope: KpiFilter) -> list[GrievanceKpis]:
    """The KPIs of the viewer's grievances in the scope, one row per group sorted by key (one row "all" at least)."""
    check(scope)
    tallies: dict[str, Tally] = defaultdict(Tally)
    if scope.group_by == "all":
        tallies.setdefault("all", Tally())  # the whole scope has its row even when nothing was received
    tally_cases(tallies, clock_of(viewer), scope, cases(viewer, scope))
    tally_referrals(tallies, viewer, scope)
    if len(tallies) > MAX_GROUPS:
        raise field_error("group_by", f"{len(tallies)} groups are more than {MAX_GROUPS}: narrow the period.",
                          "out_of_range")
    return [as_kpis(scope.group_by, key, tallies[key]) for key in sorted(tallies)]


@dataclass(frozen=True)
class KpiComparison:
    """One group's KPIs for grievances received before `split_at` and on or after it."""

    key: str
    label: str
    before: GrievanceKpis
    after: GrievanceKpis


COMPARISON_GROUPINGS = ("all", "country")


def kpis_before_after(viewer: Viewer, scope: KpiFilter, split_at: datetime.date) -> list[KpiComparison]:
    """The KPIs of the scope received before `split_at` and on or after it, for the whole scope or per country,
    sorted by key; a side with no grievance is an empty row (its counts 0). A repeat on the after side may follow a
    grievance of the before side. Six queries: grievance_kpis' three, once per side."""
    check_grouping(scope.group_by, COMPARISON_GROUPINGS)
    check(scope)
    check_split(split_at, scope.received_from, scope.received_to, "received_from", "received_to")
    before = {row.key: row for row in grievance_kpis(
        viewer, replace(scope, received_to=split_at - datetime.timedelta(days=1)))}
    after = {row.key: row for row in grievance_kpis(viewer, replace(scope, received_from=split_at))}
    return [
        KpiComparison(key=key, label=group_label(scope.group_by, key),
                      before=before.get(key) or as_kpis(scope.group_by, key, Tally()),
                      after=after.get(key) or as_kpis(scope.group_by, key, Tally()))
        for key in sorted(set(before) | set(after))
    ]
