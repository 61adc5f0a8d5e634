"""grievanceClockSet and remediationDeadlinesSet: the deadlines an organization's own handling is measured against."""

import graphene

from audits.graphql.mutations.common import AuditError
from audits.graphql.types import GrievanceClockType, RemediationDeadlinesType
from audits.models.grievances import MAX_CLOCK_DAYS
from audits.models.remediation import MAX_DUE_DAYS
from audits.services import clocks, remediation
from backend.graphql.inputs import given_fields
from backend.graphql.mutations import BaseMutation
from backend.permissions import Permission


class GrievanceClockInput(graphene.InputObjectType):
    """Your organization's grievance clock; a value left out keeps its current one."""

    acknowledge_days = graphene.Int(description=f"Acknowledge within this many days of receipt (1–{MAX_CLOCK_DAYS}).")
    conclude_days = graphene.Int(
        description=f"Conclude within this many days of receipt (1–{MAX_CLOCK_DAYS}, not fewer than acknowledgeDays).")


class GrievanceClockSet(BaseMutation):
    """Set the days within which your organization acknowledges and concludes grievances (its admins): a company's
    clock measures its handling of the grievances routed to it, a workers' organization's those it files."""

    grievance_clock = graphene.Field(GrievanceClockType, description="The clock, when the mutation succeeded.")

    class Arguments:
        input = GrievanceClockInput(required=True, description="The clock.")

    class Meta:
        permissions = (Permission.SET_GRIEVANCE_CLOCK,)
        error_type_class = AuditError

    @classmethod
    def perform(cls, info, viewer, input):
        clock = clocks.set_clock(viewer, given_fields(input))
        return cls(grievance_clock=GrievanceClockType(acknowledge_days=clock.acknowledge_days,
                                                      conclude_days=clock.conclude_days, is_default=False), errors=[])


class RemediationDeadlinesInput(graphene.InputObjectType):
    """Days from a finding to the default due date of its corrective actions; a value left out keeps its current one."""

    critical_days = graphene.Int(description=f"For critical findings (1–{MAX_DUE_DAYS}).")
    major_days = graphene.Int(description=f"For major findings (1–{MAX_DUE_DAYS}).")
    minor_days = graphene.Int(description=f"For minor findings (1–{MAX_DUE_DAYS}).")
    observation_days = graphene.Int(description=f"For observations (1–{MAX_DUE_DAYS}).")


class RemediationDeadlinesSet(BaseMutation):
    """Set your organization's default due dates of corrective actions on findings, by severity (its admins)."""

    remediation_deadlines = graphene.Field(RemediationDeadlinesType, description="The deadlines, when it succeeded.")

    class Arguments:
        input = RemediationDeadlinesInput(required=True, description="The deadlines.")

    class Meta:
        permissions = (Permission.SET_REMEDIATION_DEADLINES,)
        error_type_class = AuditError

    @classmethod
    def perform(cls, info, viewer, input):
        days = remediation.set_due_days(viewer, given_fields(input))
        return cls(remediation_deadlines=RemediationDeadlinesType.of(days), errors=[])
