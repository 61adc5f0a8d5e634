"""Enums of the risk API. `RiskDimension` is defined here only; the audits API names the same dimensions."""

import graphene


class RiskDimension(graphene.Enum):
    """The two risk dimensions, always kept apart."""

    CHILD_LABOUR = "child_labour"
    FORCED_LABOUR = "forced_labour"

    @property
    def description(self):
        return "Child labour." if self == RiskDimension.CHILD_LABOUR else "Forced labour, human trafficking included."


class RiskBand(graphene.Enum):
    """Bands of a score in [0, 1] (methodology 2026.1: low < 0.25 ≤ medium < 0.5 ≤ high < 0.75 ≤ severe)."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    SEVERE = "severe"

    @property
    def description(self):
        return f"{self.name.capitalize()} risk."


class AlertKindEnum(graphene.Enum):
    """What an alert is about."""

    BAND_RISE = "band_rise"
    EVIDENCE = "evidence"
    REGION_EVIDENCE = "region_evidence"
    REGION_BAND = "region_band"
    DOL_LISTING = "dol_listing"

    @property
    def description(self):
        return {
            "BAND_RISE": "A node's band rose in one dimension.",
            "REGION_BAND": "The band of a region you watch (its worst site of your network) rose in one dimension.",
            "EVIDENCE": "A critical or major finding, or a substantiated grievance, at a site of your network (any tier).",
            "REGION_EVIDENCE": "New evidence at a site of your network that your region watch matches.",
            "DOL_LISTING": "A new DOL listing for a good your network sources from a country your watch matches.",
        }[self.name]


class EvidenceKindEnum(graphene.Enum):
    """What piece of evidence an alert names."""

    FINDING = "finding"
    GRIEVANCE = "grievance"
    DOL_LISTING = "dol_listing"

    @property
    def description(self):
        return {"FINDING": "An audit finding.", "GRIEVANCE": "A grievance.", "DOL_LISTING": "A DOL list entry."}[self.name]
