"""django-filter FilterSets of the audits lists."""

import django_filters
import graphene
from django.utils import timezone
from graphene_django.filter import ListFilter, TypedFilter
from graphql_relay import from_global_id

from audits.models import Assignment, Audit, CorrectiveAction, Finding, Grievance, Party, Referral
from audits.taxonomy import Category, dimensions_of
from backend.tenancy import viewer_of_request

STRINGS = graphene.List(graphene.NonNull(graphene.String))
DIMENSION_NUMBERS = {"child_labour": 0, "forced_labour": 1}


def pk_of(global_id: str, type_name: str) -> int | None:
    """The primary key inside a global ID of the expected type; None for anything else (an empty result)."""
    try:
        kind, pk = from_global_id(global_id)
    except (TypeError, ValueError, UnicodeDecodeError):
        return None
    return int(pk) if kind == type_name and pk.isdigit() else None


def by_id(queryset, field: str, global_id: str, type_name: str):
    pk = pk_of(global_id, type_name)
    return queryset.filter(**{field: pk}) if pk is not None else queryset.none()


def categories_of_dimension(name: str) -> list[str]:
    number = DIMENSION_NUMBERS.get((name or "").lower())
    return [c.value for c in Category if number in dimensions_of(c)]


class SiteFiltered(django_filters.FilterSet):
    site_id = TypedFilter(input_type=graphene.ID, method="filter_site", label="Only those about this site (ID).")

    def filter_site(self, queryset, name, value):
        return by_id(queryset, "site_id", value, "Site")


class AssignmentFilter(SiteFiltered):
    active = TypedFilter(input_type=graphene.Boolean, method="filter_active", label="Only active (true) or revoked (false) ones.")

    class Meta:
        model = Assignment
        fields = []

    def filter_active(self, queryset, name, value):
        return queryset.filter(revoked_at__isnull=value)


class AuditFilter(SiteFiltered):
    standard = ListFilter(input_type=STRINGS, field_name="standard", lookup_expr="in", label="Only audits to these standards (e.g. smeta).")
    started_after = TypedFilter(input_type=graphene.Date, field_name="start_date", lookup_expr="gte", label="Only audits starting on or after this day.")
    started_before = TypedFilter(input_type=graphene.Date, field_name="start_date", lookup_expr="lte", label="Only audits starting on or before this day.")

    class Meta:
        model = Audit
        fields = []


class CategoryFiltered(SiteFiltered):
    category = ListFilter(input_type=STRINGS, field_name="category", lookup_expr="in", label="Only these categories (e.g. debt_bondage).")
    dimension = TypedFilter(input_type=graphene.String, method="filter_dimension", label="Only categories evidencing this risk dimension: child_labour or forced_labour.")

    def filter_dimension(self, queryset, name, value):
        return queryset.filter(category__in=categories_of_dimension(value))


class FindingFilter(CategoryFiltered):
    status = ListFilter(input_type=STRINGS, field_name="status", lookup_expr="in", label="Only findings in these statuses (open, closed).")
    severity = ListFilter(input_type=STRINGS, field_name="severity", lookup_expr="in", label="Only these severities (critical, major, minor, observation).")
    audit_id = TypedFilter(input_type=graphene.ID, method="filter_audit", label="Only findings of this audit (ID).")
    stand_alone = TypedFilter(input_type=graphene.Boolean, method="filter_stand_alone", label="Only desk-review findings (true) or audit findings (false).")

    class Meta:
        model = Finding
        fields = []

    def filter_audit(self, queryset, name, value):
        return by_id(queryset, "audit_id", value, "Audit")

    def filter_stand_alone(self, queryset, name, value):
        return queryset.filter(audit__isnull=value)


class GrievanceFilter(CategoryFiltered):
    state = ListFilter(input_type=STRINGS, field_name="state", lookup_expr="in", label="Only grievances in these states (e.g. received).")
    children_involved = TypedFilter(input_type=graphene.Boolean, field_name="children_involved", label="Only grievances involving (or not) children.")

    class Meta:
        model = Grievance
        fields = []


class CorrectiveActionFilter(django_filters.FilterSet):
    status = ListFilter(input_type=STRINGS, field_name="status", lookup_expr="in", label="Only actions in these statuses (e.g. open, done).")
    overdue = TypedFilter(input_type=graphene.Boolean, method="filter_overdue", label="Only overdue actions (true) or the others (false).")
    finding_id = TypedFilter(input_type=graphene.ID, method="filter_finding", label="Only actions for this finding (ID).")
    grievance_id = TypedFilter(input_type=graphene.ID, method="filter_grievance", label="Only actions for this grievance (ID).")
    mine = TypedFilter(input_type=graphene.Boolean, method="filter_mine", label="Only actions you own (true).")

    class Meta:
        model = CorrectiveAction
        fields = []

    def filter_overdue(self, queryset, name, value):
        overdue = queryset.overdue(timezone.localdate()).values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)

    def filter_finding(self, queryset, name, value):
        return by_id(queryset, "finding_id", value, "Finding")

    def filter_grievance(self, queryset, name, value):
        return by_id(queryset, "grievance_id", value, "Grievance")

    def filter_mine(self, queryset, name, value):
        viewer = viewer_of_request(self.request)
        return queryset.filter(owner=viewer.user) if value and viewer else queryset


class ReferralFilter(SiteFiltered):
    service = ListFilter(input_type=STRINGS, field_name="service", lookup_expr="in", label="Only referrals to these kinds of service.")
    referred = TypedFilter(input_type=graphene.Boolean, method="filter_referred", label="Only referrals already made (true) or not yet (false).")

    class Meta:
        model = Referral
        fields = []

    def filter_referred(self, queryset, name, value):
        return queryset.filter(referred_at__isnull=not value)




class PartyFilter(django_filters.FilterSet):
    search = TypedFilter(input_type=graphene.String, field_name="name", lookup_expr="icontains", label="Text search in the name.")

    class Meta:
        model = Party
        fields = []
