"""The audits app's queries and mutations, composed into the root schema in backend/schema.py."""

import graphene
import pycountry

from audits.graphql import resolvers
from audits.graphql.enums import KpiGrouping, ReferralGrouping
from audits.graphql.filters import (
    AssignmentFilter,
    AuditFilter,
    CorrectiveActionFilter,
    FindingFilter,
    GrievanceFilter,
    PartyFilter,
    ReferralFilter,
)
from audits.graphql.mutations.assignments import (
    AuditAssignmentCreate,
    AuditAssignmentRevoke,
    AuditShare,
    AuditShareRevoke,
    FindingShare,
    FindingShareRevoke,
)
from audits.graphql.mutations.audits import AuditCreate, AuditUpdate, FindingClose, FindingCreate, FindingUpdate
from audits.graphql.mutations.deadlines import GrievanceClockSet, RemediationDeadlinesSet
from audits.graphql.mutations.evidence import EvidenceFileAdd
from audits.graphql.mutations.grievances import (
    GrievanceAcknowledge,
    GrievanceClose,
    GrievanceConclude,
    GrievanceFile,
    GrievanceInvestigate,
    GrievanceRemediate,
)
from audits.graphql.mutations.referrals import ReferralCreate, ReferralUpdate
from audits.graphql.mutations.remediation import (
    CorrectiveActionComplete,
    CorrectiveActionCreate,
    CorrectiveActionReject,
    CorrectiveActionStart,
    CorrectiveActionVerify,
)
from audits.graphql.sorters import (
    ACTION_SORT_FIELDS,
    ASSIGNMENT_SORT_FIELDS,
    AUDIT_SORT_FIELDS,
    FINDING_SORT_FIELDS,
    GRIEVANCE_SORT_FIELDS,
    REFERRAL_SORT_FIELDS,
    ActionSortingInput,
    AssignmentSortingInput,
    AuditSortingInput,
    FindingSortingInput,
    GrievanceSortingInput,
    ReferralSortingInput,
)
from audits.graphql.outcomes import OutcomeQueries
from audits.graphql.suggestions import SuggestionQueries
from audits.graphql.types import (
    AssignmentType,
    AuditType,
    CategoryInfoType,
    CorrectiveActionType,
    FindingType,
    GrievanceClockType,
    GrievanceKpisType,
    GrievanceType,
    PartyType,
    ReferralTimesType,
    ReferralType,
    RemediationDeadlinesType,
)
from audits.models import Assignment, Audit, CorrectiveAction, Finding, Grievance, Referral
from audits.services.kpis import MAX_GROUPS
from audits.taxonomy import Category
from backend.graphql.connections import FilteredConnectionField
from backend.graphql.errors import as_graphql_error
from backend.graphql.ids import visible_or_none
from backend.graphql.list_bounds import BoundedList
from backend.graphql.permissions import require_viewer

PAGE = "(first or last required, at most 100)"


def single(type_, model, type_name: str, noun: str):
    """A field of one object by its global ID: null when it is missing, foreign or malformed."""

    def resolve(root, info, id):
        return visible_or_none(model, require_viewer(info), id, type_name)

    return graphene.Field(
        type_, id=graphene.ID(required=True, description=f"ID of the {noun}."), resolver=resolve,
        description=f"One {noun}; null when it does not exist or is not visible to you.",
    )


class AuditQueries(SuggestionQueries, OutcomeQueries, graphene.ObjectType):
    finding_categories = BoundedList(
        graphene.NonNull(CategoryInfoType), len(Category), required=True,
        description="The taxonomy of findings and grievances, with the risk dimensions each category evidences.",
    )
    audit_firms = FilteredConnectionField(PartyType, filterset_class=PartyFilter, description=f"The directory of audit firms {PAGE}.")
    audit_assignments = FilteredConnectionField(
        AssignmentType, filterset_class=AssignmentFilter, sort_input=AssignmentSortingInput,
        sort_fields=ASSIGNMENT_SORT_FIELDS,
        description=f"Assignments your company made, or your audit firm received {PAGE}.",
    )
    audits = FilteredConnectionField(
        AuditType, filterset_class=AuditFilter, sort_input=AuditSortingInput, sort_fields=AUDIT_SORT_FIELDS,
        description=f"Your audit firm's audits, or the audits shared with your company {PAGE}.",
    )
    findings = FilteredConnectionField(
        FindingType, filterset_class=FindingFilter, sort_input=FindingSortingInput, sort_fields=FINDING_SORT_FIELDS,
        description=f"Your audit firm's findings, or those shared with your company {PAGE}.",
    )
    grievances = FilteredConnectionField(
        GrievanceType, filterset_class=GrievanceFilter, sort_input=GrievanceSortingInput,
        sort_fields=GRIEVANCE_SORT_FIELDS,
        description=f"Grievances your workers' organization filed, or routed to your company (redacted) {PAGE}.",
    )
    corrective_actions = FilteredConnectionField(
        CorrectiveActionType, filterset_class=CorrectiveActionFilter, sort_input=ActionSortingInput,
        sort_fields=ACTION_SORT_FIELDS,
        description=f"Corrective actions your organization owns or, for an audit firm, on its findings {PAGE}.",
    )
    referrals = FilteredConnectionField(
        ReferralType, filterset_class=ReferralFilter, sort_input=ReferralSortingInput, sort_fields=REFERRAL_SORT_FIELDS,
        description=f"Referrals your organization made {PAGE}.",
    )
    referral_times = BoundedList(
        graphene.NonNull(ReferralTimesType), len(pycountry.countries), required=True,
        group_by=graphene.Argument(ReferralGrouping, required=True, description="Per company or per country."),
        description="Days from identification to referral of your referrals: median and 90th percentile per group.",
    )
    grievance_clock = graphene.Field(
        GrievanceClockType, required=True,
        description="The days within which your organization acknowledges and concludes grievances (defaults if unset).",
    )
    remediation_deadlines = graphene.Field(
        RemediationDeadlinesType, required=True,
        description="Your organization's default due dates of corrective actions on findings, by severity.",
    )
    grievance_kpis = BoundedList(
        graphene.NonNull(GrievanceKpisType), MAX_GROUPS, required=True,
        received_from=graphene.Date(description="Grievances received on or after this day (default: any)."),
        received_to=graphene.Date(description="Grievances received on or before this day (default: any)."),
        country=graphene.String(description="Only sites in this country (ISO 3166-1 alpha-2)."),
        group_by=graphene.Argument(KpiGrouping, default_value=KpiGrouping.ALL.value,
                                   description="One row, or per country, year, quarter or month of receipt."),
        description=f"How well your grievances were handled (your organization's own: routed to your company or filed "
                    f"by your workers' organization), against your clock; groups sorted by key, at most {MAX_GROUPS} "
                    f"(a finer grouping over a longer period is refused).",
    )
    audit_assignment = single(AssignmentType, Assignment, "AuditAssignment", "audit assignment")
    audit = single(AuditType, Audit, "Audit", "audit")
    finding = single(FindingType, Finding, "Finding", "finding")
    grievance = single(GrievanceType, Grievance, "Grievance", "grievance")
    corrective_action = single(CorrectiveActionType, CorrectiveAction, "CorrectiveAction", "corrective action")
    referral = single(ReferralType, Referral, "Referral", "referral")

    @staticmethod
    def resolve_finding_categories(root, info):
        require_viewer(info)
        return CategoryInfoType.all()

    @staticmethod
    def resolve_audit_firms(root, info, **kwargs):
        return resolvers.resolve_audit_firms(require_viewer(info))

    @staticmethod
    def resolve_audit_assignments(root, info, **kwargs):
        return resolvers.resolve_list(Assignment, require_viewer(info))

    @staticmethod
    def resolve_audits(root, info, **kwargs):
        return resolvers.resolve_list(Audit, require_viewer(info))

    @staticmethod
    def resolve_findings(root, info, **kwargs):
        return resolvers.resolve_list(Finding, require_viewer(info))

    @staticmethod
    def resolve_grievances(root, info, **kwargs):
        return resolvers.resolve_list(Grievance, require_viewer(info))

    @staticmethod
    def resolve_corrective_actions(root, info, **kwargs):
        return resolvers.resolve_list(CorrectiveAction, require_viewer(info))

    @staticmethod
    def resolve_referrals(root, info, **kwargs):
        return resolvers.resolve_list(Referral, require_viewer(info))

    @staticmethod
    def resolve_referral_times(root, info, group_by):
        return resolvers.resolve_referral_times(require_viewer(info), group_by)

    @staticmethod
    def resolve_grievance_clock(root, info):
        return resolvers.resolve_grievance_clock(require_viewer(info))

    @staticmethod
    def resolve_remediation_deadlines(root, info):
        return resolvers.resolve_remediation_deadlines(require_viewer(info))

    @staticmethod
    @as_graphql_error
    def resolve_grievance_kpis(root, info, **filters):
        return resolvers.resolve_grievance_kpis(require_viewer(info), **filters)


def field(mutation):
    return mutation.Field(description=mutation.__doc__)


class AuditMutations(graphene.ObjectType):
    audit_assignment_create = field(AuditAssignmentCreate)
    audit_assignment_revoke = field(AuditAssignmentRevoke)
    audit_create = field(AuditCreate)
    audit_update = field(AuditUpdate)
    audit_share = field(AuditShare)
    audit_share_revoke = field(AuditShareRevoke)
    finding_create = field(FindingCreate)
    finding_update = field(FindingUpdate)
    finding_close = field(FindingClose)
    finding_share = field(FindingShare)
    finding_share_revoke = field(FindingShareRevoke)
    evidence_file_add = field(EvidenceFileAdd)
    grievance_file = field(GrievanceFile)
    grievance_acknowledge = field(GrievanceAcknowledge)
    grievance_investigate = field(GrievanceInvestigate)
    grievance_conclude = field(GrievanceConclude)
    grievance_remediate = field(GrievanceRemediate)
    grievance_close = field(GrievanceClose)
    corrective_action_create = field(CorrectiveActionCreate)
    corrective_action_start = field(CorrectiveActionStart)
    corrective_action_complete = field(CorrectiveActionComplete)
    corrective_action_verify = field(CorrectiveActionVerify)
    corrective_action_reject = field(CorrectiveActionReject)
    grievance_clock_set = field(GrievanceClockSet)
    remediation_deadlines_set = field(RemediationDeadlinesSet)
    referral_create = field(ReferralCreate)
    referral_update = field(ReferralUpdate)
