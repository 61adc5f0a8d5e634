"""Sort inputs of the audits lists and the ORM expressions behind each sort field."""

import graphene
from django.db.models import Case, F, IntegerField, Value, When

from backend.graphql.connections import sorting_input

SEVERITY_RANK = Case(
    When(severity="critical", then=Value(0)), When(severity="major", then=Value(1)),
    When(severity="minor", then=Value(2)), default=Value(3), output_field=IntegerField(),
)


def described(name: str, doc: str, fields: dict):
    class_dict = {key.upper(): key for key in fields}
    class_dict["__doc__"] = doc
    class_dict["description"] = property(lambda self: f"Sort by {self.value.replace('_', ' ')}.")
    return type(name, (graphene.Enum,), class_dict)


ASSIGNMENT_SORT_FIELDS = {"created_at": [F("created_at")]}
AUDIT_SORT_FIELDS = {"start_date": [F("start_date")], "created_at": [F("created_at")]}
FINDING_SORT_FIELDS = {"found_on": [F("found_on")], "severity": [SEVERITY_RANK], "created_at": [F("created_at")]}
GRIEVANCE_SORT_FIELDS = {"received_at": [F("received_at")], "events_on": [F("events_on")]}
ACTION_SORT_FIELDS = {"due_on": [F("due_on")], "created_at": [F("created_at")]}
REFERRAL_SORT_FIELDS = {"identified_at": [F("identified_at")], "referred_at": [F("referred_at")]}

AssignmentSortField = described("AuditAssignmentSortField", "Fields a list of assignments can be sorted by.", ASSIGNMENT_SORT_FIELDS)
AuditSortField = described("AuditSortField", "Fields a list of audits can be sorted by.", AUDIT_SORT_FIELDS)
FindingSortField = described("FindingSortField", "Fields a list of findings can be sorted by (severity: critical first).", FINDING_SORT_FIELDS)
GrievanceSortField = described("GrievanceSortField", "Fields a list of grievances can be sorted by.", GRIEVANCE_SORT_FIELDS)
ActionSortField = described("CorrectiveActionSortField", "Fields a list of corrective actions can be sorted by.", ACTION_SORT_FIELDS)
ReferralSortField = described("ReferralSortField", "Fields a list of referrals can be sorted by.", REFERRAL_SORT_FIELDS)

AssignmentSortingInput = sorting_input("AuditAssignmentSortingInput", AssignmentSortField)
AuditSortingInput = sorting_input("AuditSortingInput", AuditSortField)
FindingSortingInput = sorting_input("FindingSortingInput", FindingSortField)
GrievanceSortingInput = sorting_input("GrievanceSortingInput", GrievanceSortField)
ActionSortingInput = sorting_input("CorrectiveActionSortingInput", ActionSortField)
ReferralSortingInput = sorting_input("ReferralSortingInput", ReferralSortField)
