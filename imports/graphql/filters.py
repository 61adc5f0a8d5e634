"""django-filter FilterSets of the imports lists."""

import django_filters
import graphene
from graphene_django.filter import TypedFilter

from imports.models import ImportJob, ImportProblem, ResolutionCandidate


class ImportJobFilter(django_filters.FilterSet):
    kind = TypedFilter(input_type=graphene.String, field_name="kind", label="Only jobs of this kind (supply_map, findings, grievances).")
    status = TypedFilter(input_type=graphene.String, field_name="status", label="Only jobs in this status (e.g. ready, committed).")

    class Meta:
        model = ImportJob
        fields = []


class ImportProblemFilter(django_filters.FilterSet):
    severity = TypedFilter(input_type=graphene.String, field_name="severity", label="Only errors (error) or warnings (warning).")
    code = TypedFilter(input_type=graphene.String, field_name="code", label="Only problems with this code (e.g. invalid_date).")

    class Meta:
        model = ImportProblem
        fields = []


class ResolutionCandidateFilter(django_filters.FilterSet):
    site_ref = TypedFilter(input_type=graphene.String, field_name="site_ref", label="Only candidates for this uploaded site reference.")

    class Meta:
        model = ResolutionCandidate
        fields = []
