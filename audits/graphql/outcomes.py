"""Evidence of what works in the API: outcomeAnalytics, outcomeBeforeAfter and grievanceKpisBeforeAfter
(audits/services/outcomes.py and audits/services/kpis.py define every figure)."""

import graphene

from audits.graphql.enums import FindingCategoryEnum, InterventionTypeEnum
from audits.graphql.types import DurationsType, GrievanceKpisType
from audits.services import kpis, outcomes
from backend.graphql.errors import as_graphql_error
from backend.graphql.inputs import plain
from backend.graphql.list_bounds import BoundedList
from backend.graphql.permissions import permission_required, require_viewer
from backend.permissions import Permission


class OutcomeGrouping(graphene.Enum):
    """How the outcomes of corrective actions are grouped."""

    ALL = "all"
    INTERVENTION_TYPE = "intervention_type"
    CATEGORY = "category"
    COUNTRY = "country"
    COMMODITY = "commodity"

    @property
    def description(self):
        return {
            "ALL": "One row for the whole scope.", "INTERVENTION_TYPE": "Per intervention type ('unclassified': none).",
            "CATEGORY": "Per category of the finding or grievance.", "COUNTRY": "Per country of the site.",
            "COMMODITY": "Per commodity of the site (an action counts under each of its site's; 'none': no commodity).",
        }[self.name]


class KpiComparisonGrouping(graphene.Enum):
    """How a before/after comparison of the grievance KPIs is grouped."""

    ALL = "all"
    COUNTRY = "country"

    @property
    def description(self):
        return {"ALL": "One row for the whole scope.", "COUNTRY": "Per country of the site."}[self.name]


class RecurrenceType(graphene.ObjectType):
    """Recurrence after verified closure: a finding or a substantiated grievance of the same category at the same
    site within 365 days after the verification day."""

    class Meta:
        name = "Recurrence"

    recurred = graphene.Int(required=True, description="Actions after which the abuse recurred (the numerator).")
    observed = graphene.Int(required=True, description="Actions verified 365 days ago or more (the denominator).")
    pending = graphene.Int(required=True, description="Actions verified less than 365 days ago: in neither count.")
    rate_percent = graphene.Float(description="recurred / observed in percent; null when none was observed.")


class RiskChangeType(graphene.ObjectType):
    """The change of the site's stored score of the category's dimension, some months after verification."""

    class Meta:
        name = "RiskChange"

    months = graphene.Int(required=True, description="The horizon: 6 (182 days) or 12 (365 days) months.")
    measured = graphene.Int(required=True, description="Actions whose change could be measured.")
    mean_change = graphene.Float(description="Mean of score then − score at verification; null if none measured.")
    median_change = graphene.Float(description="Median of the changes; null if none measured.")
    not_yet = graphene.Int(required=True, description="Actions whose horizon is still ahead.")
    no_history = graphene.Int(required=True, description="Actions with no stored score of the site at verification.")
    reason = graphene.String(description="Why the change is null; null when it is measured.")


class OutcomeGroupType(graphene.ObjectType):
    """The outcomes of one group of your verified corrective actions."""

    class Meta:
        name = "OutcomeGroup"

    key = graphene.String(
        required=True, description="The group: 'all', an intervention type or category value, a country or a "
                                   "commodity code.")
    label = graphene.String(required=True, description="The group's name.")
    actions = graphene.Int(required=True, description="Verified actions in the group.")
    days_to_verified_closure = graphene.Field(
        DurationsType, required=True, description="Days from planning an action to its first verification.")
    recurrence = graphene.Field(RecurrenceType, required=True, description="Recurrence after verified closure.")
    risk_change_6_months = graphene.Field(RiskChangeType, required=True, description="Risk change 6 months after.")
    risk_change_12_months = graphene.Field(RiskChangeType, required=True, description="Risk change 12 months after.")


def comparison_type(name: str, side_type, cases: str, key_description: str):
    """One group's figures (`side_type`) for the `cases` before the split day and on or after it."""
    return type(f"{name}Type", (graphene.ObjectType,), {
        "__doc__": f"One group's figures for {cases} before the split day and on or after it.",
        "Meta": type("Meta", (), {"name": name}),
        "key": graphene.String(required=True, description=key_description),
        "label": graphene.String(required=True, description="The group's name."),
        "before": graphene.Field(side_type, required=True, description=f"The {cases} before splitAt."),
        "after": graphene.Field(side_type, required=True, description=f"The {cases} on or after splitAt."),
    })


OutcomeComparisonType = comparison_type("OutcomeComparison", OutcomeGroupType, "actions verified",
                                        "The group (as OutcomeGroup.key).")
KpiComparisonType = comparison_type("GrievanceKpisComparison", GrievanceKpisType, "grievances received",
                                    "The group: 'all' or a country code.")


def outcome_arguments(default_grouping: OutcomeGrouping) -> dict:
    return {
        "verified_from": graphene.Date(description="Actions verified on or after this day (default: any)."),
        "verified_to": graphene.Date(description="Actions verified on or before this day (default: any)."),
        "country": graphene.String(description="Only sites in this country (ISO 3166-1 alpha-2)."),
        "category": graphene.Argument(FindingCategoryEnum, description="Only actions on findings or grievances of it."),
        "intervention_type": graphene.Argument(InterventionTypeEnum, description="Only actions of this type."),
        "commodity": graphene.String(description="Only sites with this commodity (its code, e.g. cotton)."),
        "group_by": graphene.Argument(OutcomeGrouping, default_value=default_grouping.value,
                                      description="One row, or per intervention type, category, country or commodity."),
    }


SPLIT_DESCRIPTION = "The day the comparison splits at (a crisis, a policy): before it, and from it on."


def outcome_filter(country=None, category=None, intervention_type=None, group_by="intervention_type",
                   **period) -> outcomes.OutcomeFilter:
    return outcomes.OutcomeFilter(
        country=country.upper() if country else None, category=plain(category),
        intervention_type=plain(intervention_type), group_by=plain(group_by), **period)


class OutcomeQueries(graphene.ObjectType):
    outcome_analytics = BoundedList(
        graphene.NonNull(OutcomeGroupType), outcomes.MAX_GROUPS, required=True,
        **outcome_arguments(OutcomeGrouping.INTERVENTION_TYPE),
        description="What followed your verified corrective actions (those you can see): time to verified closure, "
                    "recurrence and the site's risk change 6 and 12 months after; groups sorted by key, at most "
                    f"{outcomes.MAX_GROUPS}.",
    )
    outcome_before_after = BoundedList(
        graphene.NonNull(OutcomeComparisonType), outcomes.MAX_GROUPS, required=True,
        split_at=graphene.Date(required=True, description=SPLIT_DESCRIPTION),
        **outcome_arguments(OutcomeGrouping.COUNTRY),
        description="The outcomes of your verified actions before and after a day (by the day of verification), "
                    "per group (default: per country), with the counts of both sides.",
    )
    grievance_kpis_before_after = BoundedList(
        graphene.NonNull(KpiComparisonType), kpis.MAX_GROUPS, required=True,
        split_at=graphene.Date(required=True, description=SPLIT_DESCRIPTION),
        received_from=graphene.Date(description="Grievances received on or after this day (default: any)."),
        received_to=graphene.Date(description="Grievances received on or before this day (default: any)."),
        country=graphene.String(description="Only sites in this country (ISO 3166-1 alpha-2)."),
        group_by=graphene.Argument(KpiComparisonGrouping, default_value=KpiComparisonGrouping.COUNTRY.value,
                                   description="One row, or per country of the site (default)."),
        description="Your grievance KPIs (as grievanceKpis) for grievances received before and after a day, per "
                    "country by default, with the counts of both sides.",
    )

    @staticmethod
    @permission_required(Permission.READ_OUTCOMES)
    @as_graphql_error
    def resolve_outcome_analytics(root, info, **arguments):
        return outcomes.outcome_analytics(require_viewer(info), outcome_filter(**arguments))

    @staticmethod
    @permission_required(Permission.READ_OUTCOMES)
    @as_graphql_error
    def resolve_outcome_before_after(root, info, split_at, **arguments):
        return outcomes.outcomes_before_after(require_viewer(info), outcome_filter(**arguments), split_at)

    @staticmethod
    @as_graphql_error
    def resolve_grievance_kpis_before_after(root, info, split_at, country=None, group_by="country", **period):
        scope = kpis.KpiFilter(country=country.upper() if country else None, group_by=plain(group_by), **period)
        return kpis.kpis_before_after(require_viewer(info), scope, split_at)
