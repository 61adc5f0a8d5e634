"""The risk register (`/dashboard/register/`): every site of the company's network with both scores and bands.

Filtered and sorted by the rules of the `sites` query (graph/graphql/filters.py SiteFilter, graph/graphql/sorters.py
SITE_SORT_FIELDS): band, country, commodity, tier and a text search; riskiest first by default; 50 a page. The
same rows download as CSV (`?format=csv`), every cell neutralised against formulas (backend/xlsx.py csv_cell).
A fixed number of queries whatever the page's size (tests/pages/test_dashboard_queries.py).
"""

import csv
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backend.pages import page
from backend.permissions import Permission
from backend.tenancy import visible
from backend.xlsx import csv_cell
from graph.graphql.filters import SiteFilter
from graph.graphql.sorters import SITE_SORT_FIELDS, annotate_viewer_fields
from graph.models import Commodity, NetworkSite, RiskScore, Site
from graph.views.common import BAND_LABELS, optional_url
from graph.views.world_map import country_name

PAGE_SIZE = 50
CSV_ROWS = 100_000  # a register larger than this is exported as a data export (the reports page)
SORTS = {"name": gettext_lazy("Site"), "country": gettext_lazy("Country"), "tier": gettext_lazy("Tier"),
         "forced_labour_risk": gettext_lazy("Forced labour"), "child_labour_risk": gettext_lazy("Child labour")}
DEFAULT_SORT = "forced_labour_risk"


@dataclass(frozen=True)
class RegisterFilters:
    """What the register's form asks for, as given (the SiteFilter's names and values)."""

    search: str
    bands: list[str]
    country: str
    commodity: str
    tier: str
    sort: str
    descending: bool

    def as_filter_data(self) -> dict:
        data = {"in_network": True}
        if self.search:
            data["search"] = self.search
        if self.bands:
            data["risk_band"] = self.bands
        if self.country:
            data["country"] = [self.country]
        if self.commodity:
            data["commodity"] = [self.commodity]
        if self.tier:
            data["tier"] = [int(self.tier)]
        return data

    def query(self, **changes) -> str:
        """The query string of these filters with some changed (for the sort links and the pagination)."""
        values = {"q": self.search, "band": self.bands, "country": self.country, "commodity": self.commodity,
                  "tier": self.tier, "sort": self.sort, "dir": "desc" if self.descending else "asc", **changes}
        pairs = [(name, item) for name, value in values.items()
                 for item in (value if isinstance(value, list) else [value]) if item not in ("", None)]
        return urlencode(pairs)


def filters_of(request) -> RegisterFilters:
    """The filters of the query string; an unknown band, sort or tier is said and left out."""
    get = request.GET
    bands = [value for value in get.getlist("band") if value]
    for value in [b for b in bands if b not in BAND_LABELS]:
        messages.error(request, _("Unknown band “%(value)s”: choose low, medium, high or severe.") % {"value": value})
    sort = get.get("sort", DEFAULT_SORT)
    if sort not in SORTS:
        messages.error(request, _("Unknown sort “%(value)s”.") % {"value": sort})
        sort = DEFAULT_SORT
    tier = get.get("tier", "").strip()
    if tier and not tier.isdigit():
        messages.error(request, _("Tier must be a whole number, got “%(value)s”.") % {"value": tier})
        tier = ""
    return RegisterFilters(
        search=get.get("q", "").strip(), bands=[b for b in bands if b in BAND_LABELS],
        country=get.get("country", "").strip().upper(), commodity=get.get("commodity", "").strip().lower(),
        tier=tier, sort=sort, descending=get.get("dir", "desc" if sort.endswith("_risk") else "asc") == "desc",
    )


def register_sites(request, filters: RegisterFilters):
    """The network's sites matching the filters, in the chosen order (ties by ID, so pages are stable)."""
    viewer = request.viewer
    sites = annotate_viewer_fields(Site.objects.select_related("supplier"), viewer)
    sites = SiteFilter(data=filters.as_filter_data(), queryset=visible(sites, viewer), request=request).qs
    keys = [key.desc(nulls_last=True) if filters.descending else key.asc(nulls_last=True)
            for key in SITE_SORT_FIELDS[filters.sort]]
    return sites.order_by(*keys, "-pk" if filters.descending else "pk")


@dataclass(frozen=True)
class SortLink:
    """A column header's link: to sort by it, or to reverse its order when it is the current sort."""

    label: str
    href: str
    state: str  # aria-sort: "ascending", "descending" or "" (not the current sort)


def sort_links(filters: RegisterFilters) -> dict[str, SortLink]:
    links = {}
    for key, label in SORTS.items():
        current = filters.sort == key
        descending = not filters.descending if current else key.endswith("_risk")
        state = ("descending" if filters.descending else "ascending") if current else ""
        links[key] = SortLink(str(label), "?" + filters.query(sort=key, dir="desc" if descending else "asc"), state)
    return links


@dataclass(frozen=True)
class RegisterRow:
    site: Site
    country_name: str
    tier: int | None
    commodities: list[str]
    score: RiskScore | None


def register_rows(viewer, sites) -> list[RegisterRow]:
    """The page's sites with their commodities and stored scores: two queries for the whole page."""
    sites = list(sites.prefetch_related("commodities"))
    scores = {s.site_id: s for s in visible(RiskScore, viewer).filter(site_id__in=[site.pk for site in sites])}
    return [RegisterRow(site, country_name(site.country), site.viewer_tier,
                        [commodity.name for commodity in site.commodities.all()], scores.get(site.pk))
            for site in sites]


@page(Permission.READ_NETWORK)
def register(request):
    viewer = request.viewer
    filters = filters_of(request)
    sites = register_sites(request, filters)
    if request.GET.get("format") == "csv":
        return register_csv(viewer, sites)
    current = Paginator(sites, PAGE_SIZE).get_page(request.GET.get("page"))
    network_countries = visible(NetworkSite, viewer).values_list("site__country", flat=True).distinct()
    context = {
        "filters": filters,
        "rows": register_rows(viewer, current.object_list),
        "page_obj": current,
        "bands": BAND_LABELS,
        "countries": sorted((code, country_name(code)) for code in network_countries.order_by()),
        "commodities": list(visible(Commodity, viewer).values_list("code", "name")),
        "sort_links": sort_links(filters),
        "page_query": filters.query(),
        "reports_url": optional_url("exports:report_list"),
    }
    return TemplateResponse(request, "graph/register.html", context)


CSV_HEADER = ("site", "supplier", "country", "subdivision", "tier", "forced_labour", "forced_labour_band",
              "child_labour", "child_labour_band", "band", "os_id")


class Echo:
    """A file-like object whose write returns what it is given, for csv.writer to stream rows."""

    def write(self, value):
        return value


def register_csv(viewer, sites) -> StreamingHttpResponse:
    """The register's current filter as CSV, streamed in chunks of 2,000 sites (two queries per chunk)."""
    def rows():
        writer = csv.writer(Echo())
        yield writer.writerow(CSV_HEADER)
        limited = sites[:CSV_ROWS]
        for start in range(0, CSV_ROWS, 2000):
            chunk = register_rows(viewer, limited[start:start + 2000])
            if not chunk:
                return
            for row in chunk:
                score = row.score
                values = (row.site.name, row.site.supplier.name if row.site.supplier else "", row.site.country,
                          row.site.subdivision, row.tier,
                          *((score.forced_labour, score.forced_labour_band, score.child_labour,
                             score.child_labour_band, score.band) if score else ("",) * 5),
                          row.site.os_id)
                yield writer.writerow([csv_cell(value) for value in values])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="risk-register.csv"'
    return response
