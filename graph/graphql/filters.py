"""django-filter FilterSets of the supply-network lists."""

import django_filters
import graphene
from django.db.models import Q
from graphene_django.filter import ListFilter, TypedFilter

from backend.tenancy import viewer_of_request, visible
from graph.models import Commodity, NetworkSite, RiskScore, Site, Supplier, SupplyLink


def upper_list(values):
    return [value.strip().upper() for value in values]


class SiteFilter(django_filters.FilterSet):
    country = ListFilter(
        input_type=graphene.List(graphene.NonNull(graphene.String)), method="filter_country", label="Only sites in these countries (ISO alpha-2)."
    )
    kind = TypedFilter(input_type=graphene.String, field_name="kind", label="Only sites of this kind (facility or farm).")
    commodity = ListFilter(
        input_type=graphene.List(graphene.NonNull(graphene.String)), method="filter_commodity", label="Only sites handling one of these commodity codes."
    )
    tier = ListFilter(input_type=graphene.List(graphene.NonNull(graphene.Int)), method="filter_tier", label="Only sites at one of these tiers of your network.")
    in_network = TypedFilter(input_type=graphene.Boolean, method="filter_in_network", label="Only sites in (or not in) your network.")
    search = TypedFilter(input_type=graphene.String, method="filter_search", label="Text search in name, address and OS ID.")
    risk_band = ListFilter(
        input_type=graphene.List(graphene.NonNull(graphene.String)), method="filter_risk_band",
        label="Only sites whose overall risk band (the worse of the two dimensions) is one of these: low, medium, high, severe.",
    )
    min_child_labour_risk = TypedFilter(input_type=graphene.Float, method="filter_min_child", label="Only sites whose child-labour risk is at least this.")
    min_forced_labour_risk = TypedFilter(input_type=graphene.Float, method="filter_min_forced", label="Only sites whose forced-labour risk is at least this.")

    class Meta:
        model = Site
        fields = []

    def network(self):
        return visible(NetworkSite, viewer_of_request(self.request))

    def filter_country(self, queryset, name, value):
        return queryset.filter(country__in=upper_list(value))

    def filter_commodity(self, queryset, name, value):
        return queryset.filter(commodities__code__in=value).distinct()

    def filter_tier(self, queryset, name, value):
        return queryset.filter(pk__in=self.network().filter(tier__in=value).values("site_id"))

    def filter_in_network(self, queryset, name, value):
        ids = self.network().values("site_id")
        return queryset.filter(pk__in=ids) if value else queryset.exclude(pk__in=ids)

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(address__icontains=value) | Q(os_id__iexact=value))

    def scores(self):
        return visible(RiskScore, viewer_of_request(self.request)).filter(site__isnull=False)

    def filter_risk_band(self, queryset, name, value):
        return queryset.filter(pk__in=self.scores().filter(band__in=[v.lower() for v in value]).values("site_id"))

    def filter_min_child(self, queryset, name, value):
        return queryset.filter(pk__in=self.scores().filter(child_labour__gte=value).values("site_id"))

    def filter_min_forced(self, queryset, name, value):
        return queryset.filter(pk__in=self.scores().filter(forced_labour__gte=value).values("site_id"))


class SupplierFilter(django_filters.FilterSet):
    country = ListFilter(input_type=graphene.List(graphene.NonNull(graphene.String)), method="filter_country", label="Only suppliers registered in these countries.")
    search = TypedFilter(input_type=graphene.String, method="filter_search", label="Text search in name and identifiers.")

    class Meta:
        model = Supplier
        fields = []

    def filter_country(self, queryset, name, value):
        return queryset.filter(country__in=upper_list(value))

    def filter_search(self, queryset, name, value):
        identifiers = Q(lei__iexact=value) | Q(duns=value) | Q(tax_id__iexact=value)
        return queryset.filter(Q(name__icontains=value) | identifiers)


class SupplyLinkFilter(django_filters.FilterSet):
    commodity = ListFilter(input_type=graphene.List(graphene.NonNull(graphene.String)), method="filter_commodity", label="Only links of these commodity codes.")
    to_company = TypedFilter(input_type=graphene.Boolean, method="filter_to_company", label="Only links delivering to your company (true) or to sites (false).")
    evidence_level = TypedFilter(input_type=graphene.String, field_name="evidence_level", label="Only links with this evidence level.")
    upstream_country = ListFilter(input_type=graphene.List(graphene.NonNull(graphene.String)), method="filter_upstream_country", label="Only links whose upstream site is in these countries.")

    class Meta:
        model = SupplyLink
        fields = []

    def filter_commodity(self, queryset, name, value):
        return queryset.filter(commodity__code__in=value)

    def filter_to_company(self, queryset, name, value):
        return queryset.filter(downstream__isnull=value)

    def filter_upstream_country(self, queryset, name, value):
        return queryset.filter(upstream__country__in=upper_list(value))


class CommodityFilter(django_filters.FilterSet):
    sector = django_filters.CharFilter(label="Only commodities of this sector (Agriculture, Manufacturing, Mining).")
    code = django_filters.CharFilter(label="Only the commodity with this code, e.g. `cotton`.")

    class Meta:
        model = Commodity
        fields = ("sector", "code")
