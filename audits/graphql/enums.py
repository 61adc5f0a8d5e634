"""Enums of the audits API (the risk dimensions a category evidences are graph/graphql/risk/enums.py's)."""

import graphene

from audits.models import (
    ActionStatus,
    AuditStandard,
    AuditType,
    Channel,
    ClockStage,
    FindingStatus,
    GrievanceState,
    ReferralOutcome,
    ServiceKind,
    Severity,
    VerificationMethod,
)
from audits.taxonomy import Category, InterventionType


def from_choices(choices, what: str, name: str | None = None):
    return graphene.Enum.from_enum(choices, name=name, description=lambda v: v.label if v else what)


FindingCategoryEnum = from_choices(
    Category, "Category of a finding or grievance: the 11 ILO forced-labour indicators, child-labour categories and "
    "other labour standards.", name="FindingCategory"
)
AuditStandardEnum = from_choices(AuditStandard, "Standard an audit follows.")
AuditKindEnum = from_choices(AuditType, "Whether the site knew the audit's date in advance.", name="AuditKind")
SeverityEnum = from_choices(Severity, "Severity of a finding.")
FindingStatusEnum = from_choices(FindingStatus, "Whether a finding is open or closed.")
ChannelEnum = from_choices(Channel, "How a grievance reached the workers' organization.", name="GrievanceChannel")
GrievanceStateEnum = from_choices(GrievanceState, "Where a grievance is in its lifecycle.")
ActionStatusEnum = from_choices(ActionStatus, "Where a corrective action is in its lifecycle.", name="CorrectiveActionStatus")
ServiceKindEnum = from_choices(ServiceKind, "Kind of protection service.", name="ProtectionService")
ReferralOutcomeEnum = from_choices(ReferralOutcome, "What came of a referral.")
VerificationMethodEnum = from_choices(VerificationMethod, "How a corrective action is, or was, verified.")
InterventionTypeEnum = from_choices(
    InterventionType, "What kind of remedy a corrective action is (docs/cases.md, Interventions)."
)
ClockStageEnum = from_choices(ClockStage, "Which deadline of its clock a grievance overran.", name="GrievanceClockStage")


class KpiGrouping(graphene.Enum):
    """How the grievance KPIs are grouped."""

    ALL = "all"
    COUNTRY = "country"
    YEAR = "year"
    QUARTER = "quarter"
    MONTH = "month"

    @property
    def description(self):
        return {
            "ALL": "One row for the whole scope.", "COUNTRY": "Per country of the site.",
            "YEAR": "Per year of receipt.", "QUARTER": "Per quarter of receipt (2026-Q1).",
            "MONTH": "Per month of receipt (2026-01).",
        }[self.name]


class ReferralGrouping(graphene.Enum):
    """How the referral-time report is grouped."""

    COMPANY = "company"
    COUNTRY = "country"

    @property
    def description(self):
        return "Per referring organization." if self == ReferralGrouping.COMPANY else "Per country of the site."


class AuditErrorCode(graphene.Enum):
    """Why an audits, grievances, remediation or referral mutation was refused."""

    INVALID = "invalid"
    REQUIRED = "required"
    NOT_FOUND = "not_found"
    UNIQUE = "unique"
    TOO_LONG = "too_long"
    OUT_OF_RANGE = "out_of_range"
    ILLEGAL_TRANSITION = "illegal_transition"
    NOT_ASSIGNED = "not_assigned"
    NOT_IN_NETWORK = "not_in_network"
    NOT_EDITABLE = "not_editable"
    ACTIONS_PENDING = "actions_pending"
    REMEDIATION_INCOMPLETE = "remediation_incomplete"
    INVALID_FILE = "invalid_file"

    @property
    def description(self):
        return {
            "INVALID": "The value is not acceptable.",
            "REQUIRED": "A required value is missing.",
            "NOT_FOUND": "The ID does not exist or is not visible to you.",
            "UNIQUE": "It already exists (e.g. the firm is already assigned, the audit already shared).",
            "TOO_LONG": "A text is longer than allowed.",
            "OUT_OF_RANGE": "A number or date outside its allowed range (e.g. a date in the future).",
            "ILLEGAL_TRANSITION": "The object's lifecycle does not allow this change from its current state.",
            "NOT_ASSIGNED": "Your audit firm is not assigned to the site.",
            "NOT_IN_NETWORK": "The site is not in your company's network.",
            "NOT_EDITABLE": "Only another organization or person may change it (owner, verifier, filer).",
            "ACTIONS_PENDING": "Corrective actions are still open, in progress or awaiting verification.",
            "REMEDIATION_INCOMPLETE": "No corrective action is done or verified yet.",
            "INVALID_FILE": "The file's type, name or size is not accepted.",
        }[self.name]
