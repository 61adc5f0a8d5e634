"""The compliance dashboard (`/dashboard/`): the portfolio at a glance, the alerts to acknowledge, the regions.

The figures are those of the `portfolioRisk`, `riskRegions` and `companyRisk` queries (the same resolvers), for one
dimension at a time; the alerts those of `riskAlerts`, open ones first. A fixed number of queries whatever the size
of the network (tests/pages/test_dashboard_queries.py).
"""

from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backend.pages import page
from backend.permissions import Permission
from backend.tenancy import visible
from graph.graphql.risk import resolvers as risk
from graph.models import AlertKind, Commodity, RiskAlert
from graph.risk import DEFAULT_METHODOLOGY, band
from graph.views.charts import ChartRow, bar_chart
from graph.views.common import BAND_LABELS, DIMENSIONS, dimension_of, optional_url, register_url
from graph.views.sections import sections_of
from graph.views.world_map import VIEW_BOX, country_name, map_points

ALERTS_SHOWN = 10
REGIONS_SHOWN = 15


@dataclass(frozen=True)
class RegionRow:
    country: str
    country_name: str
    subdivision: str
    sites: int
    exposed_sites: int
    max_score: float
    band: str
    href: str


def band_of(score: float) -> str:
    return band(score, DEFAULT_METHODOLOGY)


def portfolio_charts(portfolio: dict, commodity_names: dict[str, str]) -> dict:
    """The four charts of the portfolio: sites per band, and per country, commodity and tier (coloured by their
    highest score's band, the riskiest first as the resolver orders them)."""
    def rows(buckets, label, link):
        return [ChartRow(label(b["key"]), b["sites"], band_of(b["max_score"]), link(b["key"])) for b in buckets]

    return {
        "band": bar_chart(_("Sites by band"), [
            ChartRow(str(BAND_LABELS[b["key"]]), b["sites"], b["key"], register_url(band=b["key"]))
            for b in portfolio["by_band"]
        ]),
        "country": bar_chart(_("Sites by country"), rows(portfolio["by_country"], country_name,
                                                       lambda key: register_url(country=key))),
        "commodity": bar_chart(_("Sites by commodity"), rows(portfolio["by_commodity"],
                                                           lambda key: commodity_names.get(key, key),
                                                           lambda key: register_url(commodity=key))),
        "tier": bar_chart(_("Sites by tier"), rows(portfolio["by_tier"], tier_label,
                                                 lambda key: register_url(tier=key if key.isdigit() else ""))),
    }


def tier_label(key: str) -> str:
    return _("Tier %(tier)s") % {"tier": key} if key.isdigit() else _("Not connected")


def region_rows(regions: list[dict]) -> list[RegionRow]:
    return [
        RegionRow(r["country"], country_name(r["country"]), r["subdivision"], r["sites"], r["exposed_sites"],
                  r["max_score"], band_of(r["max_score"]), register_url(country=r["country"]))
        for r in regions
    ]


def open_alerts(viewer, kind: str):
    alerts = visible(RiskAlert, viewer).filter(acknowledged_at__isnull=True).select_related("site")
    return alerts.filter(kind=kind) if kind else alerts


@page(Permission.READ_NETWORK)
def dashboard(request):
    viewer = request.viewer
    dimension = dimension_of(request)
    kind = request.GET.get("alert_kind", "")
    if kind and kind not in AlertKind.values:
        messages.error(request, _("Unknown alert kind “%(value)s”: showing every kind.") % {"value": kind})
        kind = ""
    portfolio = risk.resolve_portfolio(viewer, dimension)
    commodity_names = dict(visible(Commodity, viewer).values_list("code", "name"))
    countries = [(b["key"], b["sites"], band_of(b["max_score"]), register_url(country=b["key"]))
                 for b in portfolio["by_country"]]
    points, unplaced = map_points(countries)
    alerts = open_alerts(viewer, kind)
    context = {
        "dimension": dimension,
        "dimension_label": DIMENSIONS[dimension],
        "dimensions": DIMENSIONS,
        "company_risk": risk.resolve_company_risk(viewer),
        "sites": sum(b["sites"] for b in portfolio["by_band"]),
        "exposed": sum(b["sites"] for b in portfolio["by_band"] if b["key"] in ("high", "severe")),
        "charts": portfolio_charts(portfolio, commodity_names),
        "regions": region_rows(risk.resolve_regions(viewer, dimension, REGIONS_SHOWN)),
        "map_points": points,
        "map_unplaced": [country_name(code) for code in unplaced],
        "map_view_box": " ".join(str(v) for v in VIEW_BOX),
        "alerts": list(alerts[:ALERTS_SHOWN]),
        "open_alerts": alerts.count(),
        "alert_kind": kind,
        "alert_kinds": AlertKind.choices,
        "may_acknowledge": Permission.MANAGE_NETWORK.allows(viewer),
        "reports_url": optional_url("exports:report_list"),
        "register_url": register_url(),
        "sections": sections_of("dashboard", request),
    }
    return TemplateResponse(request, "graph/dashboard.html", context)


@require_POST
@page(Permission.MANAGE_NETWORK)
def acknowledge_alert(request, alert_id: int):
    """Acknowledge one of the company's alerts (as `riskAlertAcknowledge` does: once; a second time changes nothing).
    An alert of another company is not found, like one that does not exist."""
    alert = get_object_or_404(visible(RiskAlert, request.viewer), pk=alert_id)
    if alert.acknowledged_at is None:
        alert.acknowledged_at, alert.acknowledged_by = timezone.now(), request.viewer.user
        alert.save(update_fields=["acknowledged_at", "acknowledged_by"])
    messages.success(request, _("Alert acknowledged."))
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("graph:dashboard")
    return redirect(next_url)
