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
