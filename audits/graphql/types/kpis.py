"""Types of the grievance mechanism's KPIs (audits/services/kpis.py defines every figure)."""

import graphene


class DurationsType(graphene.ObjectType):
    """Durations in days over a set of cases: how many, their median and 90th percentile (linear interpolation)."""

    class Meta:
        name = "Durations"

    count = graphene.Int(required=True, description="How many durations there are.")
    median_days = graphene.Float(description="Median, in days; null when there are none.")
    p90_days = graphene.Float(description="90th percentile, in days; null when there are none.")


class GrievanceKpisType(graphene.ObjectType):
    """How well the grievances of one group were handled, measured against your organization's clock."""

    class Meta:
        name = "GrievanceKpis"

    key = graphene.String(required=True, description="The group: 'all', a country code, 2026, 2026-Q1 or 2026-01.")
    label = graphene.String(required=True, description="The group's name (the country's name for a country).")
    received = graphene.Int(required=True, description="Grievances received in the period.")
    acknowledged_on_time_percent = graphene.Float(
        description="Of the grievances acknowledged or past their acknowledge deadline, the percentage acknowledged "
                    "by it; null when none was due.")
    concluded_on_time_percent = graphene.Float(
        description="Of the grievances concluded or past their conclude deadline, the percentage concluded by it; "
                    "null when none was due.")
    days_to_acknowledge = graphene.Field(DurationsType, required=True,
                                         description="Days from receipt to acknowledgement, of those acknowledged.")
    days_to_conclude = graphene.Field(DurationsType, required=True,
                                      description="Days from receipt to conclusion, of those concluded.")
    concluded = graphene.Int(required=True, description="Grievances concluded (substantiated or not substantiated).")
    substantiated_percent = graphene.Float(description="Of those concluded, the percentage substantiated; null if none.")
    remediated_percent = graphene.Float(
        description="Of those substantiated, the percentage that reached remediated; null if none.")
    repeat_grievances = graphene.Int(
        required=True, description="Grievances received within 365 days after another about the same site and "
                                   "category.")
    referrals = graphene.Int(required=True,
                             description="Your referrals of people identified in the period at sites of the group.")
    days_to_referral = graphene.Field(DurationsType, required=True,
                                      description="Days from identification to referral, of the referrals made.")
