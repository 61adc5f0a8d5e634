"""Types of the deadlines an organization sets: its grievance clock and its corrective actions' default due dates."""

import graphene

from audits.models.grievances import DEFAULT_ACKNOWLEDGE_DAYS, DEFAULT_CONCLUDE_DAYS
from audits.models.remediation import DEFAULT_DUE_DAYS


class GrievanceClockType(graphene.ObjectType):
    """Days after receipt by which your organization's handling acknowledges and concludes a grievance."""

    class Meta:
        name = "GrievanceClock"

    acknowledge_days = graphene.Int(
        required=True, description=f"Acknowledged within this many days of receipt (default {DEFAULT_ACKNOWLEDGE_DAYS}).")
    conclude_days = graphene.Int(
        required=True, description=f"Concluded (substantiated or not) within this many days of receipt (default "
                                   f"{DEFAULT_CONCLUDE_DAYS}).")
    is_default = graphene.Boolean(required=True, description="True while your organization has set no clock.")


class RemediationDeadlinesType(graphene.ObjectType):
    """Days from a finding to the due date of a corrective action planned without one, by the finding's severity."""

    class Meta:
        name = "RemediationDeadlines"

    critical_days = graphene.Int(required=True, description=f"For critical findings (default {DEFAULT_DUE_DAYS['critical']}, "
                                                            "RBA's priority findings).")
    major_days = graphene.Int(required=True, description=f"For major findings (default {DEFAULT_DUE_DAYS['major']}, RBA's CAP).")
    minor_days = graphene.Int(required=True, description=f"For minor findings (default {DEFAULT_DUE_DAYS['minor']}).")
    observation_days = graphene.Int(required=True,
                                    description=f"For observations (default {DEFAULT_DUE_DAYS['observation']}).")

    @classmethod
    def of(cls, days: dict[str, int]) -> "RemediationDeadlinesType":
        return cls(**{f"{severity}_days": value for severity, value in days.items()})
