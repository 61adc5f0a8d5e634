"""grievanceFile and the grievance lifecycle: acknowledge, investigate, conclude, remediate, close."""

import graphene

from audits.graphql.enums import ChannelEnum, FindingCategoryEnum
from audits.graphql.mutations.common import AuditError, lookup
from audits.graphql.suggestions import suggested_categories_argument
from audits.graphql.types import GrievanceType
from audits.services import grievances as services
from audits.services.suggestions import record_decision
from audits.services.grievances_batch import GRIEVANCE_TEXT_LIMITS, REPORTER_LIMITS
from backend.graphql.inputs import given_fields
from backend.graphql.mutations import BaseMutation
from backend.permissions import Permission


class GrievanceReporterInput(graphene.InputObjectType):
    """Who reported a grievance: encrypted at rest, shown to the filing organization only."""

    name = graphene.String(
        description=f"The reporter's name (at most {REPORTER_LIMITS['name']} characters); leave out for anonymity.")
    contact = graphene.String(
        description=f"How to reach the reporter (at most {REPORTER_LIMITS['contact']} characters).")


class GrievanceInput(graphene.InputObjectType):
    """The details of a grievance."""

    channel = ChannelEnum(required=True, description="How the grievance reached you.")
    category = FindingCategoryEnum(required=True, description="Category from the taxonomy.")
    description = graphene.String(
        required=True, description=f"What happened (at most {GRIEVANCE_TEXT_LIMITS['description']:,} characters).")
    events_on = graphene.Date(description="When the events happened (or began); not in the future.")
    workers_affected = graphene.Int(description="How many workers are affected (≥ 0).")
    children_involved = graphene.Boolean(description="Whether children are involved (default false).")
    reporter = GrievanceReporterInput(
        description="Who reported it: encrypted at rest and shown to your organization only, never to a company."
    )


class GrievanceFile(BaseMutation):
    """File a grievance about a site you can see; it is routed at once to every company sourcing from the site."""

    grievance = graphene.Field(GrievanceType, description="The grievance, when the mutation succeeded.")

    class Arguments:
        site_id = graphene.ID(required=True, description="ID of the site (a public registry site or one you registered).")
        input = GrievanceInput(required=True, description="The grievance.")
        suggested_categories = suggested_categories_argument()

    class Meta:
        permissions = (Permission.FILE_GRIEVANCES,)
        error_type_class = AuditError

    @classmethod
    def perform(cls, info, viewer, site_id, input, suggested_categories=None):
        site = lookup(viewer, "Site", site_id, "site_id")
        data = given_fields(input, exclude=("reporter",))
        reporter = given_fields(input.get("reporter")) if input.get("reporter") else None
        grievance = services.file_grievance(viewer, site, data, reporter=reporter)
        record_decision(viewer, grievance, suggested_categories)
        return cls(grievance=grievance, errors=[])


def transition(name: str, doc: str, permission: Permission, operation, extra_arguments: dict | None = None):
    """A mutation moving a grievance one step of its lifecycle."""

    def perform(cls, info, viewer, id, **extra):
        grievance = lookup(viewer, "Grievance", id, "id")
        return cls(grievance=operation(viewer, grievance, **extra), errors=[])

    arguments = {"id": graphene.ID(required=True, description="ID of the grievance."), **(extra_arguments or {})}
    return type(
        name,
        (BaseMutation,),
        {
            "__doc__": doc,
            "grievance": graphene.Field(GrievanceType, description="The grievance after the change."),
            "Arguments": type("Arguments", (), arguments),
            "Meta": type("Meta", (), {"permissions": (permission,), "error_type_class": AuditError}),
            "perform": classmethod(perform),
        },
    )


GrievanceAcknowledge = transition(
    "GrievanceAcknowledge", "Acknowledge a grievance routed to your company (received → acknowledged).",
    Permission.WORK_GRIEVANCES, services.acknowledge,
)
GrievanceInvestigate = transition(
    "GrievanceInvestigate", "Start investigating a grievance routed to your company (acknowledged → under_investigation).",
    Permission.WORK_GRIEVANCES, services.investigate,
)
GrievanceConclude = transition(
    "GrievanceConclude",
    "Conclude the investigation of a grievance routed to your company (under_investigation → substantiated or "
    "not_substantiated).",
    Permission.WORK_GRIEVANCES, services.conclude,
    {"substantiated": graphene.Boolean(required=True, description="Whether the investigation substantiated it.")},
)
GrievanceRemediate = transition(
    "GrievanceRemediate",
    "Mark a substantiated grievance remediated (substantiated → remediated); needs a corrective action done or verified.",
    Permission.WORK_GRIEVANCES, services.remediate,
)
GrievanceClose = transition(
    "GrievanceClose",
    "Close a grievance your organization filed, once remediated or not substantiated (→ closed).",
    Permission.FILE_GRIEVANCES, services.close,
)
