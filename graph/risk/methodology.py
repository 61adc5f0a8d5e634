"""Versioned parameters of the risk model.

Every stored score records the methodology version that produced it, so the
registry below must keep old versions unchanged: a new weighting is a new
version, never an edit of an existing one.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Any

import numpy as np

_MAPPING_FIELDS = (
    "finding_severity_weights",
    "finding_status_factors",
    "grievance_status_weights",
    "remediation_factors",
)


def _frozen(mapping: Mapping[str, float]) -> Mapping[str, float]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class Methodology:
    """All weights of the model. See docs/methodology.md for how each is used."""

    version: str = "2026.1"

    # Propagation: a link passes α · share of the supplier's risk downstream.
    attenuation: float = 0.8

    # Inherent risk from the US DOL lists (TVPRA list and EO 13126 list).
    child_labour_listing_weight: float = 0.6
    forced_labour_listing_weight: float = 0.6
    forced_child_labour_listing_weight: float = 0.6  # added to both dimensions
    derived_listing_factor: float = 0.5  # good listed only because its inputs are tainted
    country_baseline_weight: float = 0.05  # country listed for some other good

    # Inherent risk from site attributes.
    migrant_share_weight: float = 0.3  # β in β · migrant share, forced labour
    farm_child_labour_weight: float = 0.05

    # Evidence: audit findings and grievances.
    finding_severity_weights: Mapping[str, float] = field(
        default_factory=lambda: _frozen(
            {"critical": 0.9, "major": 0.6, "minor": 0.3, "observation": 0.1}
        ),
        hash=False,
    )
    finding_status_factors: Mapping[str, float] = field(
        default_factory=lambda: _frozen({"open": 1.0, "closed": 0.0}),
        hash=False,
    )
    grievance_status_weights: Mapping[str, float] = field(
        default_factory=lambda: _frozen(
            {
                "received": 0.15,
                "acknowledged": 0.15,
                "under_investigation": 0.3,
                "substantiated": 0.8,
                "not_substantiated": 0.0,
                "remediated": 0.2,
            }
        ),
        hash=False,
    )
    decay_half_life_days: float = 365.0
    remediation_factors: Mapping[str, float] = field(
        default_factory=lambda: _frozen({"none": 1.0, "done": 0.5, "verified": 0.0}),
        hash=False,
    )

    # Reporting bands: low < 0.25 ≤ medium < 0.5 ≤ high < 0.75 ≤ severe.
    band_thresholds: tuple[float, ...] = (0.25, 0.5, 0.75)
    band_names: tuple[str, ...] = ("low", "medium", "high", "severe")

    # Fixed-point solver.
    tolerance: float = 1e-10
    max_iterations: int = 1000

    def __post_init__(self) -> None:
        for name in _MAPPING_FIELDS:
            object.__setattr__(self, name, _frozen(getattr(self, name)))
        object.__setattr__(self, "band_thresholds", tuple(self.band_thresholds))
        object.__setattr__(self, "band_names", tuple(self.band_names))
        self._validate()

    def _validate(self) -> None:
        # α < 1 is what makes propagation converge on cyclic supply networks.
        if not 0.0 < self.attenuation < 1.0:
            raise ValueError(f"attenuation must lie in (0, 1), got {self.attenuation}")
        unit_weights = {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name.endswith(("_weight", "_factor"))
        }
        for mapping_name in _MAPPING_FIELDS:
            for key, value in getattr(self, mapping_name).items():
                unit_weights[f"{mapping_name}[{key!r}]"] = value
        for name, value in unit_weights.items():
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must lie in [0, 1], got {value}")
        if self.decay_half_life_days <= 0:
            raise ValueError("decay_half_life_days must be positive")
        if list(self.band_thresholds) != sorted(set(self.band_thresholds)):
            raise ValueError("band_thresholds must be strictly increasing")
        if len(self.band_names) != len(self.band_thresholds) + 1:
            raise ValueError("band_names needs exactly one more entry than band_thresholds")
        if self.tolerance <= 0 or self.max_iterations < 1:
            raise ValueError("tolerance must be positive and max_iterations at least 1")

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready parameters, suitable for storing next to a score."""
        plain: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, Mapping):
                value = dict(value)
            elif isinstance(value, tuple):
                value = list(value)
            plain[f.name] = value
        return plain

    @classmethod
    def from_dict(cls, parameters: Mapping[str, Any]) -> Methodology:
        """Inverse of `to_dict`."""
        return cls(**parameters)


DEFAULT_METHODOLOGY = Methodology()

METHODOLOGIES: Mapping[str, Methodology] = MappingProxyType(
    {DEFAULT_METHODOLOGY.version: DEFAULT_METHODOLOGY}
)


def get_methodology(version: str) -> Methodology:
    """The registered methodology with this version, to reproduce a stored score."""
    try:
        return METHODOLOGIES[version]
    except KeyError:
        known = ", ".join(sorted(METHODOLOGIES))
        raise ValueError(f"unknown methodology version {version!r} (known: {known})") from None


def band(score: float, methodology: Methodology) -> str:
    """Band name of a score: the first band whose lower threshold t satisfies t ≤ score."""
    if not 0.0 <= score <= 1.0:
        raise ValueError(f"score must lie in [0, 1], got {score}")
    return methodology.band_names[bisect_right(methodology.band_thresholds, score)]


def band_ranks(scores: np.ndarray, methodology: Methodology) -> np.ndarray:
    """Rank of each score's band (0 the lowest): rank(s) = #{thresholds t : t ≤ s}, int16."""
    return np.searchsorted(np.asarray(methodology.band_thresholds), scores, side="right").astype(np.int16)


def bands(scores: np.ndarray, methodology: Methodology) -> np.ndarray:
    """`band` applied elementwise to an array of scores (same shape, string dtype): band_names[rank(s)]."""
    return np.asarray(methodology.band_names)[band_ranks(scores, methodology)]
