"""Risk queries and mutations of the supply network, composed into GraphQueries (graph/graphql/schema.py)."""

import graphene

from backend.graphql.connections import FilteredConnectionField
from backend.graphql.errors import as_graphql_error
from backend.graphql.inputs import plain
from backend.graphql.list_bounds import BoundedList
from backend.graphql.permissions import permission_required, require_viewer
from backend.permissions import Permission
from backend.tenancy import visible
from graph.graphql.risk import resolvers
from graph.graphql.risk.enums import RiskDimension
from graph.graphql.risk.filters import RiskAlertFilter
from graph.graphql.risk.mutations import InherentRiskOverrideSet, RegionWatchSet, RiskAlertAcknowledge, RiskRecompute
from graph.graphql.risk.types import (
    DISPLAY_THRESHOLD,
    MAX_TOP,
    ExposureType,
    PortfolioRiskType,
    RegionWatchType,
    RiskAlertType,
    RiskExplanationType,
    RiskHistoryEntryType,
    RiskRegionType,
    RiskType,
)
from graph.models import RegionWatch, RiskAlert


class RiskQueries(graphene.ObjectType):
    company_risk = graphene.Field(RiskType, description="Your company's own propagated risk (null until computed).")
    risk_explanation = graphene.Field(
        RiskExplanationType, required=True,
        node_id=graphene.ID(description="Site to explain; left out: your company."),
        dimension=RiskDimension(required=True, description="Dimension to explain."),
        top=graphene.Int(default_value=5, description=f"How many sources to list, 1–{MAX_TOP}."),
        threshold=graphene.Float(
            default_value=DISPLAY_THRESHOLD,
            description="Display threshold, 0–1: no source, path, term or group worth less than this fraction of what "
                        "it explains is listed (the unlisted rest is reported).",
        ),
        description="Why a node has its score: the largest sources and the paths from them, each own risk split into "
                    "its terms, and the score by cause, cause kind, country, commodity, tier, source and direct supplier.",
    )
    exposure = BoundedList(
        graphene.NonNull(ExposureType), resolvers.MAX_ROWS, arguments=("first",), required=True,
        site_id=graphene.ID(required=True, description="The risky site."),
        dimension=RiskDimension(required=True, description="Dimension."),
        first=graphene.Int(default_value=100, description="At most this many nodes, 1–100, most exposed first."),
        description="Who is exposed: every node of your network downstream of a site, with its exposure to it.",
    )
    portfolio_risk = graphene.Field(
        PortfolioRiskType, required=True,
        dimension=RiskDimension(required=True, description="Dimension."),
        description="Distribution of your network's risk by band, country, commodity and tier.",
    )
    risk_regions = BoundedList(
        graphene.NonNull(RiskRegionType), resolvers.MAX_ROWS, arguments=("first",), required=True,
        dimension=RiskDimension(required=True, description="Dimension."),
        first=graphene.Int(default_value=20, description="At most this many regions, 1–100."),
        description="Countries and subdivisions ranked by the risk of your sites there.",
    )
    risk_history = BoundedList(
        graphene.NonNull(RiskHistoryEntryType), resolvers.MAX_ROWS, arguments=("first",), required=True,
        node_id=graphene.ID(description="Site; left out: your company."),
        first=graphene.Int(default_value=50, description="At most this many entries, 1–100, newest first."),
        description="A node's scores over time (one entry per computation that changed them).",
    )
    risk_alerts = FilteredConnectionField(
        RiskAlertType, filterset_class=RiskAlertFilter, default_order=("-created_at", "-pk"),
        description="Alerts, newest first (first or last required, at most 100): band rises, serious evidence in your "
                    "network and evidence your region watch matches; filter by kind.",
    )
    region_watch = graphene.Field(RegionWatchType, description="Your region watch (null: none set).")

    @staticmethod
    @permission_required(Permission.READ_NETWORK)
    def resolve_company_risk(root, info):
        return resolvers.resolve_company_risk(require_viewer(info))

    @staticmethod
    @permission_required(Permission.READ_NETWORK)
    @as_graphql_error
    def resolve_risk_explanation(root, info, dimension, top, threshold, node_id=None):
        return resolvers.resolve_explanation(require_viewer(info), node_id, plain(dimension), top, threshold)

    @staticmethod
    @permission_required(Permission.READ_NETWORK)
    @as_graphql_error
    def resolve_exposure(root, info, site_id, dimension, first):
        return resolvers.resolve_exposure(require_viewer(info), site_id, plain(dimension), first)

    @staticmethod
    @permission_required(Permission.READ_NETWORK)
    def resolve_portfolio_risk(root, info, dimension):
        return resolvers.resolve_portfolio(require_viewer(info), plain(dimension))

    @staticmethod
    @permission_required(Permission.READ_NETWORK)
    @as_graphql_error
    def resolve_risk_regions(root, info, dimension, first):
        return resolvers.resolve_regions(require_viewer(info), plain(dimension), first)

    @staticmethod
    @permission_required(Permission.READ_NETWORK)
    @as_graphql_error
    def resolve_risk_history(root, info, first, node_id=None):
        return resolvers.resolve_history(require_viewer(info), node_id, first)

    @staticmethod
    def resolve_risk_alerts(root, info, **kwargs):
        return visible(RiskAlert, require_viewer(info)).select_related("site")  # a site of the company's network

    @staticmethod
    @permission_required(Permission.READ_NETWORK)
    def resolve_region_watch(root, info):
        return visible(RegionWatch, require_viewer(info)).first()


class RiskMutations(graphene.ObjectType):
    risk_alert_acknowledge = RiskAlertAcknowledge.Field(description=RiskAlertAcknowledge.__doc__)
    region_watch_set = RegionWatchSet.Field(description=RegionWatchSet.__doc__)
    inherent_risk_override_set = InherentRiskOverrideSet.Field(description=InherentRiskOverrideSet.__doc__)
    risk_recompute = RiskRecompute.Field(description=RiskRecompute.__doc__)
