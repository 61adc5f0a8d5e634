"""Models of the supply network (network.py) and of its risk (risk.py)."""

from graph.models.network import (
    Commodity,
    CompanyOwnedQuerySet,
    EvidenceLevel,
    NetworkSite,
    NetworkSupplier,
    ReferenceQuerySet,
    Site,
    SiteGrant,
    SiteKind,
    Supplier,
    SupplyLink,
)
from graph.models.risk import (
    WHOLE_NETWORK,
    DolListing,
    InherentOverride,
    PendingRecompute,
    RiskAlert,
    RiskHistory,
    RiskScore,
)

__all__ = [
    "Commodity", "CompanyOwnedQuerySet", "DolListing", "EvidenceLevel", "InherentOverride", "NetworkSite",
    "NetworkSupplier", "PendingRecompute", "ReferenceQuerySet", "RiskAlert", "RiskHistory", "RiskScore", "Site", "SiteGrant", "SiteKind",
    "Supplier", "SupplyLink", "WHOLE_NETWORK",
]
