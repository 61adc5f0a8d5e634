"""Models of the supply network (network.py), of its risk (risk.py) and of what companies are alerted to (alerts.py)."""

from graph.models.alerts import AlertKind, EvidenceKind, RegionWatch, RiskAlert
from graph.models.network import (
    Commodity,
    CompanyOwnedQuerySet,
    EvidenceLevel,
    NetworkSite,
    NetworkSiteAlias,
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
    RiskHistory,
    RiskScore,
)

__all__ = [
    "AlertKind", "EvidenceKind", "RegionWatch",
    "Commodity", "CompanyOwnedQuerySet", "DolListing", "EvidenceLevel", "InherentOverride", "NetworkSite",
    "NetworkSiteAlias", "NetworkSupplier", "PendingRecompute", "ReferenceQuerySet", "RiskAlert", "RiskHistory", "RiskScore", "Site", "SiteGrant", "SiteKind",
    "Supplier", "SupplyLink", "WHOLE_NETWORK",
]
