"""django-filter FilterSets of the risk lists."""

import django_filters
import graphene
from graphene_django.filter import TypedFilter

from graph.graphql.risk.enums import AlertKindEnum
from graph.models import RiskAlert


class RiskAlertFilter(django_filters.FilterSet):
    acknowledged = TypedFilter(input_type=graphene.Boolean, method="filter_acknowledged", label="Only acknowledged (true) or open (false) alerts.")
    kind = TypedFilter(input_type=AlertKindEnum, method="filter_kind", label="Only alerts of this kind.")

    class Meta:
        model = RiskAlert
        fields = []

    def filter_acknowledged(self, queryset, name, value):
        return queryset.filter(acknowledged_at__isnull=not value)

    def filter_kind(self, queryset, name, value):
        return queryset.filter(kind=getattr(value, "value", value))
