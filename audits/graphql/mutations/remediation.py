"""correctiveActionCreate and the action lifecycle: start, complete, verify, reject."""

import graphene

from audits.graphql.enums import InterventionTypeEnum, VerificationMethodEnum
from audits.graphql.mutations.common import AuditError, lookup
from audits.graphql.types import CorrectiveActionType
from audits.models.remediation import DEFAULT_DUE_DAYS
from audits.services import remediation as services
from backend.errors import field_error
from backend.graphql.inputs import given_fields
from backend.graphql.mutations import BaseMutation
from backend.permissions import Permission


class CorrectiveActionInput(graphene.InputObjectType):
    """A corrective action for a finding or a grievance, as a Sedex/SMETA or RBA corrective action plan records it."""

    finding_id = graphene.ID(description="ID of the finding it remedies (give this or grievanceId).")
    grievance_id = graphene.ID(description="ID of the grievance it remedies (give this or findingId).")
    title = graphene.String(required=True, description="What will be done, in a line (at most 200 characters).")
    description = graphene.String(description="Details (at most 10,000 characters).")
    root_cause = graphene.String(description="Why the non-compliance happened (at most 10,000 characters).")
    preventive_action = graphene.String(description="What keeps it from happening again (at most 10,000 characters).")
    verification_method = VerificationMethodEnum(description="How it will be verified (desk review or follow-up audit).")
    intervention_type = InterventionTypeEnum(
        description="What kind of remedy it is (back wages, return of documents, training…); default: unclassified.")
    owner_username = graphene.String(description="Username of the person responsible, in your organization (default: you).")
    due_on = graphene.Date(
        description="When it must be done: required for a grievance's action; for a finding's, by default the "
                    "finding's date plus your organization's days for its severity (remediationDeadlines; defaults "
                    + ", ".join(f"{severity} {days}" for severity, days in DEFAULT_DUE_DAYS.items()) + ")."
    )


class CorrectiveActionCreate(BaseMutation):
    """Plan a corrective action for a finding or a grievance you can see."""

    corrective_action = graphene.Field(CorrectiveActionType, description="The action, when the mutation succeeded.")

    class Arguments:
        input = CorrectiveActionInput(required=True, description="The action.")

    class Meta:
        permissions = (Permission.MANAGE_REMEDIATION,)
        error_type_class = AuditError

    @classmethod
    def perform(cls, info, viewer, input):
        data = given_fields(input, exclude=("finding_id", "grievance_id"))
        finding_id, grievance_id = input.get("finding_id"), input.get("grievance_id")
        if bool(finding_id) == bool(grievance_id):
            raise field_error("finding_id", "Give exactly one of findingId and grievanceId.", "required")
        finding = lookup(viewer, "Finding", finding_id, "finding_id") if finding_id else None
        grievance = lookup(viewer, "Grievance", grievance_id, "grievance_id") if grievance_id else None
        action = services.create_action(viewer, data, finding=finding, grievance=grievance)
        return cls(corrective_action=action, errors=[])


def transition(name: str, doc: str, permission: Permission, operation, extra_arguments: dict | None = None):
    """A mutation moving a corrective action one step of its lifecycle."""

    def perform(cls, info, viewer, id, **extra):
        action = lookup(viewer, "CorrectiveAction", id, "id")
        return cls(corrective_action=operation(viewer, action, **extra), errors=[])

    arguments = {"id": graphene.ID(required=True, description="ID of the corrective action."), **(extra_arguments or {})}
    return type(
        name,
        (BaseMutation,),
        {
            "__doc__": doc,
            "corrective_action": graphene.Field(CorrectiveActionType, description="The action after the change."),
            "Arguments": type("Arguments", (), arguments),
            "Meta": type("Meta", (), {"permissions": (permission,), "error_type_class": AuditError}),
            "perform": classmethod(perform),
        },
    )


CorrectiveActionStart = transition(
    "CorrectiveActionStart", "Start work on an action your organization owns (open or rejected → in_progress).",
    Permission.MANAGE_REMEDIATION, services.start,
)
CorrectiveActionComplete = transition(
    "CorrectiveActionComplete", "Mark an action your organization owns done, with the evidence (in_progress → done).",
    Permission.MANAGE_REMEDIATION, services.complete,
    {"note": graphene.String(required=True, description="Evidence of completion: what was done (at most 10,000 characters).")},
)
class CorrectiveActionVerify(BaseMutation):
    """Verify a done action (done → verified): the finding's audit firm or the owning organization, never the owner.
    The finding closes when this was the last of its actions not yet verified."""

    corrective_action = graphene.Field(CorrectiveActionType, description="The action after the change.")

    class Arguments:
        id = graphene.ID(required=True, description="ID of the corrective action.")
        note = graphene.String(description="What the verification found (at most 10,000 characters).")
        method = VerificationMethodEnum(description="How it was verified (default: as planned, else desk review).")
        audit_id = graphene.ID(
            description="The follow-up audit that verified it (required for a follow-up audit): one of the site's, "
                        "begun after the finding or grievance.")

    class Meta:
        permissions = (Permission.VERIFY_REMEDIATION,)
        error_type_class = AuditError

    @classmethod
    def perform(cls, info, viewer, id, note=None, method=None, audit_id=None):
        action = lookup(viewer, "CorrectiveAction", id, "id")
        audit = lookup(viewer, "Audit", audit_id, "audit_id") if audit_id else None
        return cls(corrective_action=services.verify(viewer, action, note, method=method, audit=audit), errors=[])


CorrectiveActionReject = transition(
    "CorrectiveActionReject",
    "Reject a done action as not effective (done → rejected): same verifiers as correctiveActionVerify.",
    Permission.VERIFY_REMEDIATION, services.reject,
    {"note": graphene.String(required=True, description="Why it is rejected (at most 10,000 characters).")},
)
