"""GraphQL types of a score explained down to its causes: own-risk terms and the score by aggregate."""

import graphene

from backend.graphql.list_bounds import BoundedList
from graph.graphql.risk.enums import EvidenceKindEnum
from graph.services.explanations import MAX_LINES, MAX_TERMS


class RiskTermKind(graphene.Enum):
    """What makes a term of an own risk (docs/methodology.md, 8.4)."""

    DOL_LISTING = "listing"
    COUNTRY_BASELINE = "baseline"
    SITE_ATTRIBUTE = "attribute"
    OVERRIDE = "override"
    EVIDENCE = "evidence"

    @property
    def description(self):
        return {
            "DOL_LISTING": "The DOL listing of a good the site produces, in its country (the strongest, if several).",
            "COUNTRY_BASELINE": "The country is listed by DOL in this dimension for some other good.",
            "SITE_ATTRIBUTE": "A site attribute: a farm (child labour) or its migrant-worker share (forced labour).",
            "OVERRIDE": "Your analysts' inherent value for the site, replacing every computed inherent term.",
            "EVIDENCE": "An audit finding or a grievance, at its current weight.",
        }[self.name]


class RiskTermListingType(graphene.ObjectType):
    """The DOL List of Goods entry a term uses."""

    class Meta:
        name = "RiskTermListing"

    good = graphene.String(required=True, description="The good, as DOL names it.")
    country = graphene.String(required=True, description="ISO 3166-1 alpha-2 code.")
    child_labor = graphene.Boolean(required=True, description="Listed for child labour.")
    forced_labor = graphene.Boolean(required=True, description="Listed for forced labour.")
    forced_child_labor = graphene.Boolean(required=True, description="Listed for forced child labour (both dimensions).")
    derived = graphene.Boolean(required=True, description="Listed because its inputs are produced with abuse (weight × the derived factor).")
    edition = graphene.String(required=True, description="The DOL edition the listing comes from.")


class RiskTermEvidenceType(graphene.ObjectType):
    """A finding or grievance and the factors of its current weight: weight = baseWeight × decay × remediationFactor."""

    class Meta:
        name = "RiskTermEvidence"

    kind = graphene.Field(EvidenceKindEnum, required=True, description="Finding or grievance.")
    id = graphene.ID(description="Global ID of the finding or grievance (null: the provider did not name it).")
    category = graphene.String(description="Its category (null: not given).")
    severity = graphene.String(description="A finding's severity (null for a grievance).")
    status = graphene.String(required=True, description="A finding's status or a grievance's state.")
    outcome = graphene.String(description="A closed grievance: the state it was closed from, whose weight it keeps.")
    observed_on = graphene.Date(required=True, description="The day the weight's age counts from.")
    age_days = graphene.Int(required=True, description="Days from then to today (negative: dated in the future, counted as fresh).")
    base_weight = graphene.Float(required=True, description="Severity × status factor (finding) or the state's weight (grievance).")
    decay = graphene.Float(required=True, description="2^(−age / half-life), 1 for evidence dated today or later.")
    remediation = graphene.String(required=True, description="Best remediation of its corrective actions: none, done or verified.")
    remediation_factor = graphene.Float(required=True, description="The remediation's factor (none 1, done 0.5, verified 0 by default).")


class RiskTermType(graphene.ObjectType):
    """One cause of an own risk: its value alone and its log share of the own risk (terms + unlisted = own risk)."""

    class Meta:
        name = "RiskTerm"

    kind = graphene.Field(RiskTermKind, required=True, description="What the term is.")
    probability = graphene.Float(required=True, description="The term alone, p in [0, 1]; own risk = 1 − Π(1 − p).")
    contribution = graphene.Float(required=True, description="Its part of the own risk: own × ln(1 − p) / Σ ln(1 − p) over the terms.")
    fraction_of_own_risk = graphene.Float(required=True, description="contribution / own risk.")
    description = graphene.String(required=True, description="The term in words, with its share.")
    dol_listing = graphene.Field(RiskTermListingType, description="DOL_LISTING terms: the listing used.")
    country = graphene.String(description="COUNTRY_BASELINE terms: the country (ISO 3166-1 alpha-2).")
    attribute = graphene.String(description="SITE_ATTRIBUTE terms: farm or migrant_share.")
    attribute_value = graphene.Float(description="SITE_ATTRIBUTE terms: the migrant-worker share (null: a farm, or unknown).")
    override_value = graphene.Float(description="OVERRIDE terms: the analysts' inherent value.")
    evidence = graphene.Field(RiskTermEvidenceType, description="EVIDENCE terms: the finding or grievance.")


class RiskOwnTermsType(graphene.ObjectType):
    """A node's own risk split into its terms above the display threshold; terms + unlisted = own risk."""

    class Meta:
        name = "RiskOwnTerms"

    own_risk = graphene.Float(required=True, description="The own risk as the last computation stored it.")
    current_own_risk = graphene.Float(
        required=True, description="1 − Π(1 − p) of the terms as the data stands today (evidence ages; differs from ownRisk "
                                   "when the data changed since the last computation).",
    )
    terms = BoundedList(
        graphene.NonNull(RiskTermType), MAX_TERMS, required=True,
        description=f"Terms worth at least the threshold of the own risk, largest first (at most {MAX_TERMS}).",
    )
    unlisted = graphene.Float(required=True, description="ownRisk − Σ listed contributions: the smaller terms.")
    description = graphene.String(required=True, description="The own risk and its main terms in one sentence.")


class RiskShareType(graphene.ObjectType):
    """One group of a score's breakdown: how much of the score it makes."""

    class Meta:
        name = "RiskShare"

    key = graphene.String(required=True, description="The group: a cause, INHERENT/EVIDENCE, a country or commodity code, a tier, or a node.")
    label = graphene.String(required=True, description="The group in words.")
    contribution = graphene.Float(required=True, description="Its part of the score (the groups and unlisted add up to the score).")
    fraction_of_score = graphene.Float(required=True, description="contribution / score.")
    description = graphene.String(required=True, description='e.g. "62% of the score comes from Cotton in China (DOL: forced labour)."')
    site = graphene.Field("graph.graphql.types.SiteType", description="The site the group is about, if one (a source, a direct supplier, evidence or an override there).")
    term_kind = graphene.Field(RiskTermKind, description="Breakdowns by cause: the kind of the cause.")


class RiskBreakdownType(graphene.ObjectType):
    """A score split into groups; no group below the display threshold is listed, and `unlisted` says how much is left."""

    class Meta:
        name = "RiskBreakdown"

    lines = BoundedList(
        graphene.NonNull(RiskShareType), MAX_LINES, required=True,
        description=f"Groups worth at least the threshold of the score, largest first (at most {MAX_LINES}).",
    )
    unlisted = graphene.Float(required=True, description="score − Σ lines: the groups not listed.")
    unlisted_fraction = graphene.Float(required=True, description="unlisted / score.")
    unlisted_description = graphene.String(required=True, description="How much is unlisted, in words.")
