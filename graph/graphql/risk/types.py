"""GraphQL types of risk scores, explanations, exposure, portfolio views, history and alerts."""

import json
from dataclasses import dataclass, fields
from pathlib import Path

import graphene
import pycountry
from graphql_relay import to_global_id

from backend.graphql.list_bounds import BoundedList
from backend.graphql.loaders import get_loader
from backend.graphql.permissions import require_viewer
from backend.graphql.types import ScopedObjectType
from graph.graphql.risk.dataloaders import PathOfAlert
from graph.graphql.risk.enums import AlertKindEnum, EvidenceKindEnum, RiskBand, RiskDimension
from graph.models import EvidenceKind, RegionWatch, RiskAlert
from graph.services.traversal import MAX_DEPTH

BAND_ORDER = ("low", "medium", "high", "severe")
COUNTRIES = len(pycountry.countries)
# Commodities come only from the reference list the migrations load, so a site handles at most all of them.
REFERENCE_COMMODITIES = len(json.loads((Path(__file__).parents[2] / "data" / "commodities.json").read_text()))
MAX_TOP = 20  # sources an explanation lists at most
DISPLAY_THRESHOLD = 0.01  # default: no line of an explanation under 1 % of what it explains
PATHS_PER_SOURCE = 3  # paths the engine lists per source (graph/risk/explanation.py)
MAX_PATH_SITES = 100  # a longer path of an explanation is cut here
MAX_TIERS = 100  # tiers a portfolio lists at most, nearest first


@dataclass
class RiskSummary:
    """The fields of a stored score; also the worst-of combination used for suppliers."""

    child_labour: float
    forced_labour: float
    own_child_labour: float
    own_forced_labour: float
    band: str
    child_labour_band: str
    forced_labour_band: str
    methodology_version: str
    computed_at: object

    @classmethod
    def worst(cls, first, second) -> "RiskSummary":
        def pick(name):
            a, b = getattr(first, name), getattr(second, name)
            if name.endswith("band"):
                return max(a, b, key=BAND_ORDER.index)
            return max(a, b)

        return cls(**{f.name: pick(f.name) for f in fields(cls)})


class RiskType(graphene.ObjectType):
    """Child- and forced-labour risk of a node of your network (scores in [0, 1])."""

    class Meta:
        name = "Risk"

    child_labour = graphene.Float(required=True, description="Propagated child-labour risk: own risk combined with upstream suppliers'.")
    forced_labour = graphene.Float(required=True, description="Propagated forced-labour risk (human trafficking included).")
    band = graphene.Field(RiskBand, required=True, description="Band of the worse of the two propagated scores.")
    child_labour_band = graphene.Field(RiskBand, required=True, description="Band of the child-labour score.")
    forced_labour_band = graphene.Field(RiskBand, required=True, description="Band of the forced-labour score.")
    own_child_labour = graphene.Float(required=True, description="The node's own child-labour risk: inherent and evidence, before propagation.")
    own_forced_labour = graphene.Float(required=True, description="The node's own forced-labour risk, before propagation.")
    methodology_version = graphene.String(required=True, description="Version of the methodology that produced the score.")
    computed_at = graphene.DateTime(
        required=True, description="When this value was computed (a later run that finds the same value keeps it)."
    )


class RiskSourceType(graphene.ObjectType):
    """A node whose own risk contributes to the explained score."""

    class Meta:
        name = "RiskSource"

    site = graphene.Field("graph.graphql.types.SiteType", description="The source site (null: your company itself).")
    own = graphene.Float(required=True, description="The source's own risk in this dimension.")
    contribution = graphene.Float(required=True, description="How much of the score comes from this source (all paths).")
    fraction_of_score = graphene.Float(required=True, description="contribution / score.")
    terms = graphene.Field(
        "graph.graphql.risk.explanation_types.RiskOwnTermsType", required=True,
        description="The source's own risk split into its terms (DOL listings, baseline, attributes, evidence).",
    )


class RiskPathType(graphene.ObjectType):
    """One path from a source to the explained node, with its exact term of the score."""

    class Meta:
        name = "RiskPath"

    sites = BoundedList(
        "graph.graphql.types.SiteType", MAX_PATH_SITES, required=True,
        description=f"Sites along the path, source first; null stands for your company (at most {MAX_PATH_SITES}).",
    )
    shares = graphene.List(graphene.NonNull(graphene.Float), required=True, description="Normalised input share of each link along the path.")
    contribution = graphene.Float(required=True, description="The path's term: own risk of the source × Π(α · share) × Π(1 − own risk of later nodes).")
    fraction_of_score = graphene.Float(required=True, description="contribution / score.")
    description = graphene.String(required=True, description="The path in words.")


BREAKDOWN = "graph.graphql.risk.explanation_types.RiskBreakdownType"


class RiskExplanationType(graphene.ObjectType):
    """Why a node has its score: its largest sources and the paths from them. Paths + remainder = score."""

    class Meta:
        name = "RiskExplanation"

    site = graphene.Field("graph.graphql.types.SiteType", description="The explained site (null: your company).")
    dimension = graphene.Field(RiskDimension, required=True, description="The explained dimension.")
    score = graphene.Float(required=True, description="The score being explained.")
    sources = BoundedList(
        graphene.NonNull(RiskSourceType), MAX_TOP, required=True,
        description="Largest contributing sources first (`top` of them).",
    )
    paths = BoundedList(
        graphene.NonNull(RiskPathType), MAX_TOP * PATHS_PER_SOURCE, required=True,
        description=f"Heaviest paths first (at most {PATHS_PER_SOURCE} per source).",
    )
    remainder = graphene.Float(required=True, description="The part of the score from paths not listed (score − Σ path contributions).")
    methodology_version = graphene.String(required=True, description="Methodology used.")
    summary = graphene.String(required=True, description="The main path in one sentence.")
    threshold = graphene.Float(required=True, description="The display threshold the lists were cut at.")
    cause_summary = graphene.String(
        required=True, description="The three largest causes (byCause) in one sentence, e.g. \"62% of the forced-labour "
        "risk of your company comes from Cotton in China (DOL: forced labour), 21% from a substantiated grievance … at …\".",
    )
    own_risk = graphene.Field(
        "graph.graphql.risk.explanation_types.RiskOwnTermsType", required=True,
        description="The explained node's own risk split into its terms.",
    )
    by_cause = graphene.Field(BREAKDOWN, required=True, description="The score by cause: a DOL listing (good, country, "
                              "flags) across sites, a country baseline, a site attribute, each piece of evidence, each override.")
    by_cause_kind = graphene.Field(BREAKDOWN, required=True, description="The score by cause kind: INHERENT or EVIDENCE.")
    by_country = graphene.Field(BREAKDOWN, required=True, description="The score by the country of the source site.")
    by_commodity = graphene.Field(
        BREAKDOWN, required=True, description="The score by commodity: a DOL listing's part goes to the site's "
        "commodities that are that good, any other part is split equally among the site's commodities.",
    )
    by_tier = graphene.Field(BREAKDOWN, required=True, description="The score by the tier of the source site.")
    by_source = graphene.Field(BREAKDOWN, required=True, description="The score by source site (whose own risk it is).")
    by_direct_supplier = graphene.Field(
        BREAKDOWN, required=True, description="The score by first step: the node's own risk, and what each of its "
        "direct suppliers passes on ((1 − own) × α × share × the supplier's score).",
    )


class ExposureType(graphene.ObjectType):
    """A downstream node's exposure to a risky site."""

    class Meta:
        name = "Exposure"

    site = graphene.Field("graph.graphql.types.SiteType", description="The exposed site (null: your company).")
    is_company = graphene.Boolean(required=True, description="True for your company itself.")
    contribution = graphene.Float(required=True, description="How much of this node's score comes from the risky site.")
    fraction_of_score = graphene.Float(required=True, description="contribution / this node's score.")


class RiskBucketType(graphene.ObjectType):
    """Sites of your network grouped by one attribute."""

    class Meta:
        name = "RiskBucket"

    key = graphene.String(required=True, description="The group: a band, country code, commodity code or tier.")
    sites = graphene.Int(required=True, description="Number of sites in the group.")
    mean_score = graphene.Float(required=True, description="Mean score in the requested dimension.")
    max_score = graphene.Float(required=True, description="Highest score in the requested dimension.")
    severe_or_high = graphene.Int(required=True, description="Sites in the high or severe band (requested dimension).")


class PortfolioRiskType(graphene.ObjectType):
    """Distribution of your network's risk."""

    class Meta:
        name = "PortfolioRisk"

    dimension = graphene.Field(RiskDimension, required=True, description="The dimension described.")
    by_band = BoundedList(graphene.NonNull(RiskBucketType), len(BAND_ORDER), required=True, description="Sites per band.")
    by_country = BoundedList(graphene.NonNull(RiskBucketType), COUNTRIES, required=True, description="Sites per country.")
    by_commodity = BoundedList(
        graphene.NonNull(RiskBucketType), REFERENCE_COMMODITIES, required=True, description="Sites per commodity handled."
    )
    by_tier = BoundedList(
        graphene.NonNull(RiskBucketType), MAX_TIERS, required=True,
        description=f"Sites per tier, nearest first, then the unconnected ones (at most {MAX_TIERS} rows).",
    )


class RiskRegionType(graphene.ObjectType):
    """A country or subdivision ranked by the risk of your sites there."""

    class Meta:
        name = "RiskRegion"

    country = graphene.String(required=True, description="ISO 3166-1 alpha-2.")
    subdivision = graphene.String(required=True, description="ISO 3166-2 (empty: sites without a subdivision).")
    exposed_sites = graphene.Int(required=True, description="Your sites there in the high or severe band.")
    sites = graphene.Int(required=True, description="All your sites there.")
    max_score = graphene.Float(required=True, description="Highest score there.")
    mean_score = graphene.Float(required=True, description="Mean score there.")


class RiskHistoryEntryType(graphene.ObjectType):
    """A node's scores at one computation that changed them."""

    class Meta:
        name = "RiskHistoryEntry"

    child_labour = graphene.Float(required=True, description="Child-labour score then.")
    forced_labour = graphene.Float(required=True, description="Forced-labour score then.")
    band = graphene.Field(RiskBand, required=True, description="Band of the worse score then.")
    methodology_version = graphene.String(required=True, description="Methodology used then.")
    computed_at = graphene.DateTime(required=True, description="When.")


class RiskAlertType(ScopedObjectType):
    """Something to hear of: a band rise, or serious or watched evidence in your network (see `kind`)."""

    class Meta:
        model = RiskAlert
        name = "RiskAlert"
        fields = ("score", "created_at", "acknowledged_at")

    kind = graphene.Field(AlertKindEnum, required=True, description="What the alert is about.")
    site = graphene.Field("graph.graphql.types.SiteType", description="The site (null: your company).")
    dimension = graphene.Field(RiskDimension, description="Band rises (of a node or a region): the dimension whose band rose.")
    from_band = graphene.Field(RiskBand, description="Band rises (of a node or a region): band before.")
    to_band = graphene.Field(RiskBand, description="Band rises (of a node or a region): band after.")
    score = graphene.Float(description="Band rises: the new score.")
    evidence_kind = graphene.Field(EvidenceKindEnum, description="Evidence alerts: what kind of evidence.")
    evidence_id = graphene.ID(description="Evidence alerts: the ID of the finding or grievance (query it by node ID).")
    summary = graphene.String(required=True, description="One line saying what happened and where (empty for band rises).")
    path = BoundedList(
        graphene.NonNull("graph.graphql.types.SiteType"), MAX_DEPTH,
        description=f"Evidence alerts: the sites from the evidence's site down to your company, the site first, at "
                    f"most {MAX_DEPTH} (null: not an evidence alert; empty: no active link reaches your company).",
    )
    created_at = graphene.DateTime(required=True, description="When the alert was raised.")
    acknowledged_at = graphene.DateTime(description="When someone acknowledged it (null: open).")

    @staticmethod
    def resolve_evidence_id(alert, info):
        if alert.evidence_id is None or alert.evidence_kind == EvidenceKind.DOL_LISTING:
            return None
        return to_global_id("Finding" if alert.evidence_kind == EvidenceKind.FINDING else "Grievance", alert.evidence_id)

    @staticmethod
    def resolve_path(alert, info):
        if alert.path is None:
            return None
        return get_loader(info, PathOfAlert, require_viewer(info)).load(alert)


class RegionWatchType(ScopedObjectType):
    """The countries, subdivisions and commodities whose new evidence in your network alerts you."""

    class Meta:
        model = RegionWatch
        name = "RegionWatch"
        fields = ("countries", "subdivisions", "commodities", "updated_at")

    countries = graphene.List(graphene.NonNull(graphene.String), required=True, description="ISO 3166-1 alpha-2 codes.")
    subdivisions = graphene.List(graphene.NonNull(graphene.String), required=True, description="ISO 3166-2 codes.")
    commodities = graphene.List(graphene.NonNull(graphene.String), required=True, description="Commodity codes.")
    updated_at = graphene.DateTime(required=True, description="When it was last set: evidence from then on is new to it.")
