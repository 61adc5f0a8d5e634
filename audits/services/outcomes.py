"""Evidence of what works (issue 16 §5): the outcomes of verified corrective actions, per intervention type,
category, country or commodity, and compared across a date.

The scope is the corrective actions visible to the viewer (backend/tenancy.py) that reached verified closure: the
first entry into `verified` (StateChange), counted on its day. Per group:

- actions: the verified actions of the group.
- days to verified closure: from the action's planning (created_at) to its first verification, median and 90th
  percentile (audits/services/kpis.py:Durations, linear interpolation).
- recurrence: of the actions verified at least RECURRENCE_WINDOW ago (their whole window seen: `observed`), those
  after which a finding, or a substantiated grievance, of the same category at the same site and visible to the
  viewer was made (found_on) or received, on a day d with verified day < d ≤ verified day + 365:
  rate = recurred / observed. Actions verified more recently are `pending`, in neither count.
- risk change 6 and 12 months after: score(verified_at + horizon) − score(verified_at), where score(t) is the last
  entry at or before t of the viewer's stored history of the site (graph RiskHistory, written whenever a computation
  changes a score, so the last entry holds until the next). The score is that of the dimension the category
  evidences (audits/taxonomy.py:dimensions_of), the higher of the two for one evidencing both or neither. Mean and
  median over the actions measured; an action is not measured when its horizon is still ahead (`not_yet`) or
  the history holds no entry at or before its verification (`no_history`: e.g. an audit firm keeps no scores);
  with none measured the figures are null and `reason` says why.

Grouped by commodity, an action counts under each commodity of its site (under "none" when it has none).

Four queries whatever the number of actions (five grouped by commodity, one more to check a commodity filter):
the actions with their verification, site, country and category; the findings and the substantiated grievances
at their sites; the score history of those sites; the sites' commodities.
"""

import bisect
import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.db.models.functions import Coalesce
from django.utils import timezone

from audits.models import ActionStatus, CorrectiveAction, Finding, Grievance, GrievanceState, Subject
from audits.services import kpis
from audits.services.common import days_between
from audits.taxonomy import CHILD_LABOUR, FORCED_LABOUR, Category, InterventionType, dimensions_of
from backend.errors import field_error
from backend.tenancy import Viewer, visible
from graph.models import Commodity, RiskHistory, Site

RECURRENCE_WINDOW = datetime.timedelta(days=365)
RISK_HORIZONS = {6: datetime.timedelta(days=182), 12: datetime.timedelta(days=365)}
GROUPINGS = ("all", "intervention_type", "category", "country", "commodity")
UNCLASSIFIED = "unclassified"
NO_COMMODITY = "none"
MAX_GROUPS = kpis.MAX_GROUPS
NOT_YET = "not_yet"
NO_HISTORY = "no_history"


@dataclass(frozen=True)
class OutcomeFilter:
    """Which verified actions count: verified between the two days (inclusive; None: unbounded), at sites of
    `country`, about `category`, of `intervention_type` ("unclassified": none given), at sites of `commodity`."""

    verified_from: datetime.date | None = None
    verified_to: datetime.date | None = None
    country: str | None = None
    category: str | None = None
    intervention_type: str | None = None
    commodity: str | None = None
    group_by: str = "intervention_type"


@dataclass(frozen=True)
class Recurrence:
    """Recurrence after verified closure: recurred of observed (rate None when none was observed); pending:
    verified too recently for the whole window to be seen."""

    recurred: int
    observed: int
    pending: int
    rate_percent: float | None


@dataclass(frozen=True)
class RiskChange:
    """The change of the site's score `months` after verification, over the actions measured; null figures carry
    the reason (none verified that long ago, or no stored history at verification)."""

    months: int
    measured: int
    mean_change: float | None
    median_change: float | None
    not_yet: int
    no_history: int
    reason: str | None


@dataclass(frozen=True)
class OutcomeGroup:
    """The outcomes of one group of verified actions."""

    key: str
    label: str
    actions: int
    days_to_verified_closure: kpis.Durations
    recurrence: Recurrence
    risk_change_6_months: RiskChange
    risk_change_12_months: RiskChange


@dataclass(frozen=True)
class OutcomeComparison:
    """One group's outcomes for actions verified before `split_at` and on or after it."""

    key: str
    label: str
    before: OutcomeGroup
    after: OutcomeGroup


@dataclass(frozen=True)
class VerifiedAction:
    """One verified action as the outcomes need it (a row of the one action query)."""

    site_id: int
    country: str
    category: str
    intervention_type: str
    created_at: datetime.datetime
    verified_at: datetime.datetime


@dataclass(frozen=True)
class Outcome:
    """What followed one verified action: recurred (None: window not over), and the risk change per horizon in
    months (a float, or the reason it is missing)."""

    action: VerifiedAction
    commodities: tuple[str, ...]
    days_to_closure: float
    recurred: bool | None
    risk_changes: dict[int, float | str]


def verified_actions(viewer: Viewer, scope: OutcomeFilter) -> list[VerifiedAction]:
    """The viewer's actions verified in the scope, with their site, country and category: one query."""
    actions = visible(CorrectiveAction, viewer).filter(status=ActionStatus.VERIFIED).annotate(
        verified_at=kpis.first_entry(ActionStatus.VERIFIED, subject=Subject.ACTION),
        action_site=Coalesce("finding__site_id", "grievance__site_id"),
        country=Coalesce("finding__site__country", "grievance__site__country"),
        category=Coalesce("finding__category", "grievance__category"),
    ).filter(verified_at__isnull=False)
    actions = kpis.on_days(actions, "verified_at", scope.verified_from, scope.verified_to)
    if scope.country:
        actions = actions.filter(country=scope.country)
    if scope.category:
        actions = actions.filter(category=scope.category)
    if scope.intervention_type:
        actions = actions.filter(
            intervention_type="" if scope.intervention_type == UNCLASSIFIED else scope.intervention_type)
    if scope.commodity:
        on_site = Site.commodities.through.objects.filter(site_id=OuterRef("action_site"), commodity__code=scope.commodity)
        actions = actions.filter(Exists(on_site))
    rows = actions.order_by("verified_at", "pk").values_list(
        "action_site", "country", "category", "intervention_type", "created_at", "verified_at")
    return [VerifiedAction(*row) for row in rows]


def later_evidence(viewer: Viewer, site_ids: list[int]) -> dict[tuple[int, str], list[datetime.date]]:
    """The days of the viewer's findings and substantiated grievances at the sites, by site and category, sorted:
    two queries."""
    days = defaultdict(list)
    for site_id, category, day in visible(Finding, viewer).filter(site_id__in=site_ids).values_list(
            "site_id", "category", "found_on"):
        days[site_id, category].append(day)
    substantiated = visible(Grievance, viewer).filter(site_id__in=site_ids).filter(kpis.entered(GrievanceState.SUBSTANTIATED))
    for site_id, category, received_at in substantiated.values_list("site_id", "category", "received_at"):
        days[site_id, category].append(timezone.localtime(received_at).date())
    return {key: sorted(found) for key, found in days.items()}


@dataclass
class SiteScores:
    """One site's stored scores, oldest first: when each was computed, and its child- and forced-labour score."""

    computed_at: list[datetime.datetime] = field(default_factory=list)
    child_labour: list[float] = field(default_factory=list)
    forced_labour: list[float] = field(default_factory=list)


def score_history(viewer: Viewer, site_ids: list[int]) -> dict[int, SiteScores]:
    """The viewer's stored scores of the sites: one query."""
    history = defaultdict(SiteScores)
    rows = visible(RiskHistory, viewer).filter(site_id__in=site_ids).order_by("site_id", "computed_at", "pk")
    for site_id, at, child, forced in rows.values_list("site_id", "computed_at", "child_labour", "forced_labour"):
        scores = history[site_id]
        scores.computed_at.append(at)
        scores.child_labour.append(child)
        scores.forced_labour.append(forced)
    return history


def site_commodities(site_ids: list[int]) -> dict[int, tuple[str, ...]]:
    """The codes of each site's commodities: one query."""
    codes = defaultdict(list)
    links = Site.commodities.through.objects.filter(site_id__in=site_ids).order_by("commodity__code")
    for site_id, code in links.values_list("site_id", "commodity__code"):
        codes[site_id].append(code)
    return {site_id: tuple(found) for site_id, found in codes.items()}


def verified_day(action: VerifiedAction) -> datetime.date:
    return timezone.localtime(action.verified_at).date()


def recurred(action: VerifiedAction, evidence: dict, today: datetime.date) -> bool | None:
    """Whether evidence of the category came at the site within the window after the verified day; None while the
    window is not over (and nothing came yet would be a guess)."""
    day = verified_day(action)
    if day + RECURRENCE_WINDOW > today:
        return None
    found = evidence.get((action.site_id, action.category), [])
    first_after = bisect.bisect_right(found, day)
    return first_after < len(found) and found[first_after] <= day + RECURRENCE_WINDOW


def score_at(scores: SiteScores, at: datetime.datetime, category: str) -> float | None:
    """The site's score of the category's dimension at `at`: its last history entry at or before then."""
    index = bisect.bisect_right(scores.computed_at, at)
    if index == 0:
        return None
    child, forced = scores.child_labour[index - 1], scores.forced_labour[index - 1]
    dimensions = dimensions_of(category)
    if dimensions == {CHILD_LABOUR}:
        return child
    if dimensions == {FORCED_LABOUR}:
        return forced
    return max(child, forced)


def risk_change(action: VerifiedAction, scores: SiteScores, horizon: datetime.timedelta, now) -> float | str:
    """score(verified + horizon) − score(verified), or why it cannot be told (NOT_YET, NO_HISTORY)."""
    if action.verified_at + horizon > now:
        return NOT_YET
    at_closure = score_at(scores, action.verified_at, action.category)
    if at_closure is None:
        return NO_HISTORY
    return score_at(scores, action.verified_at + horizon, action.category) - at_closure


def outcomes(viewer: Viewer, scope: OutcomeFilter) -> list[Outcome]:
    """What followed each verified action of the scope (four or five queries, see the module's docstring)."""
    actions = verified_actions(viewer, scope)
    site_ids = sorted({action.site_id for action in actions})
    evidence, history = later_evidence(viewer, site_ids), score_history(viewer, site_ids)
    commodities = site_commodities(site_ids) if scope.group_by == "commodity" else {}
    now = timezone.now()
    return [
        Outcome(
            action=action, commodities=commodities.get(action.site_id, (NO_COMMODITY,)),
            days_to_closure=days_between(action.created_at, action.verified_at),
            recurred=recurred(action, evidence, timezone.localdate()),
            risk_changes={months: risk_change(action, history.get(action.site_id, SiteScores()), horizon, now)
                          for months, horizon in RISK_HORIZONS.items()},
        )
        for action in actions
    ]


def group_keys(grouping: str, outcome: Outcome) -> tuple[str, ...]:
    """The groups an outcome counts in: one, or each commodity of its site."""
    action = outcome.action
    return {
        "all": lambda: ("all",), "intervention_type": lambda: (action.intervention_type or UNCLASSIFIED,),
        "category": lambda: (action.category,), "country": lambda: (action.country,),
        "commodity": lambda: outcome.commodities,
    }[grouping]()


def group_label(grouping: str, key: str, commodity_names: dict[str, str]) -> str:
    if grouping == "all":
        return "All verified actions"
    if grouping == "intervention_type":
        return "Not classified" if key == UNCLASSIFIED else InterventionType(key).label
    if grouping == "category":
        return Category(key).label
    if grouping == "country":
        return kpis.group_label("country", key)
    return commodity_names.get(key, "No commodity")


def summarize_recurrence(group: list[Outcome]) -> Recurrence:
    seen = [outcome.recurred for outcome in group if outcome.recurred is not None]
    return Recurrence(recurred=sum(seen), observed=len(seen), pending=len(group) - len(seen),
                      rate_percent=kpis.percent(sum(seen), len(seen)))


def summarize_risk(group: list[Outcome], months: int) -> RiskChange:
    changes = [outcome.risk_changes[months] for outcome in group]
    measured = [change for change in changes if not isinstance(change, str)]
    not_yet, no_history = changes.count(NOT_YET), changes.count(NO_HISTORY)
    reason = None
    if not measured:
        reason = (f"No action verified {months} months ago or more has a stored score at its verification."
                  if no_history else f"No action was verified {months} months ago or more.")
    return RiskChange(
        months=months, measured=len(measured),
        mean_change=round(statistics.fmean(measured), 4) if measured else None,
        median_change=round(statistics.median(measured), 4) if measured else None,
        not_yet=not_yet, no_history=no_history, reason=reason,
    )


def summarize(key: str, label: str, group: list[Outcome]) -> OutcomeGroup:
    return OutcomeGroup(
        key=key, label=label, actions=len(group),
        days_to_verified_closure=kpis.Durations.of([outcome.days_to_closure for outcome in group]),
        recurrence=summarize_recurrence(group),
        risk_change_6_months=summarize_risk(group, 6), risk_change_12_months=summarize_risk(group, 12),
    )


def grouped(grouping: str, rows: list[Outcome]) -> dict[str, list[Outcome]]:
    groups = defaultdict(list)
    for outcome in rows:
        for key in group_keys(grouping, outcome):
            groups[key].append(outcome)
    check_group_count(len(groups))
    return groups


def check_group_count(count: int) -> None:
    if count > MAX_GROUPS:
        raise field_error("group_by", f"{count} groups are more than {MAX_GROUPS}: narrow the scope.", "out_of_range")


def commodity_names(grouping: str, groups) -> dict[str, str]:
    """The commodities' names, for their labels: read only when grouping by commodity."""
    if grouping != "commodity":
        return {}
    return dict(Commodity.objects.filter(code__in=list(groups)).values_list("code", "name"))


def check(scope: OutcomeFilter) -> None:
    kpis.check_grouping(scope.group_by, GROUPINGS)
    kpis.check_period(scope.verified_from, scope.verified_to, "verified_from", "verified_to")
    kpis.check_country(scope.country)
    if scope.category is not None and scope.category not in Category.values:
        raise field_error("category", f"category must be one of: {', '.join(Category.values)}.", "invalid")
    types = (*InterventionType.values, UNCLASSIFIED)
    if scope.intervention_type is not None and scope.intervention_type not in types:
        raise field_error("intervention_type", f"intervention_type must be one of: {', '.join(types)}.", "invalid")
    if scope.commodity is not None and not Commodity.objects.filter(code=scope.commodity).exists():
        raise field_error("commodity", "commodity must be the code of a commodity of the reference list.", "not_found")


def outcome_analytics(viewer: Viewer, scope: OutcomeFilter) -> list[OutcomeGroup]:
    """The outcomes of the viewer's verified actions in the scope, one row per group sorted by key ("all" has its
    row even when nothing was verified)."""
    check(scope)
    groups = grouped(scope.group_by, outcomes(viewer, scope))
    if scope.group_by == "all":
        groups.setdefault("all", [])
    names = commodity_names(scope.group_by, groups)
    return [summarize(key, group_label(scope.group_by, key, names), groups[key]) for key in sorted(groups)]


def outcomes_before_after(viewer: Viewer, scope: OutcomeFilter, split_at: datetime.date) -> list[OutcomeComparison]:
    """Each group's outcomes for the actions verified before `split_at` and on or after it (the same queries as
    outcome_analytics): groups sorted by key, a side with no action given as an empty group."""
    check(scope)
    kpis.check_split(split_at, scope.verified_from, scope.verified_to, "verified_from", "verified_to")
    rows = outcomes(viewer, scope)
    before = grouped(scope.group_by, [outcome for outcome in rows if verified_day(outcome.action) < split_at])
    after = grouped(scope.group_by, [outcome for outcome in rows if verified_day(outcome.action) >= split_at])
    keys = sorted(set(before) | set(after) | ({"all"} if scope.group_by == "all" else set()))
    check_group_count(len(keys))
    names = commodity_names(scope.group_by, keys)
    comparisons = []
    for key in keys:
        label = group_label(scope.group_by, key, names)
        comparisons.append(OutcomeComparison(key=key, label=label, before=summarize(key, label, before.get(key, [])),
                                             after=summarize(key, label, after.get(key, []))))
    return comparisons
