"""Inherent risk: what a site's country, goods and workforce imply before any evidence.

For a site in country c producing DOL goods G, of kind k, with migrant-worker
share m, each dimension d is the noisy-OR of independent terms:

    inherent_d = 1 − Π_{g ∈ G} (1 − listing_d(c, g))
                   · (1 − baseline_d(c, G))
                   · (1 − attribute_d(k, m))

listing_d(c, g)   risk implied by the DOL listing of good g in country c (0 if unlisted)
baseline_d(c, G)  small baseline if c is listed in dimension d for some good outside G
attribute_d(k, m) farm exposure (child labour) and migrant share (forced labour)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from graph.risk.combine import noisy_or
from graph.risk.methodology import Methodology

SiteKind = Literal["farm", "facility"]
SITE_KINDS: frozenset[str] = frozenset({"farm", "facility"})


def normalize_good(name: str) -> str:
    """Case- and whitespace-insensitive key for a DOL good name."""
    return " ".join(name.casefold().split())


def normalize_country(iso2: str) -> str:
    """Upper-case ISO 3166-1 alpha-2 code; rejects anything that is not two letters."""
    code = iso2.strip().upper()
    if len(code) != 2 or not code.isalpha():
        raise ValueError(f"expected an ISO 3166-1 alpha-2 country code, got {iso2!r}")
    return code


@dataclass(frozen=True)
class DolListing:
    """One good–country entry of the US DOL lists."""

    good: str
    country_iso2: str
    child_labor: bool = False
    forced_labor: bool = False
    forced_child_labor: bool = False
    derived: bool = False  # listed because its inputs are produced with abuse

    def listed_dimensions(self) -> tuple[bool, bool]:
        """Whether this listing concerns (child labour, forced labour)."""
        return (
            self.child_labor or self.forced_child_labor,
            self.forced_labor or self.forced_child_labor,
        )


@dataclass(frozen=True)
class DolIndex:
    """DOL listings keyed by country, then by normalised good name."""

    by_country: Mapping[str, Mapping[str, tuple[DolListing, ...]]]

    @classmethod
    def from_listings(cls, listings: Iterable[DolListing]) -> DolIndex:
        """Index listings; exact duplicates collapse, distinct listings of one good are kept."""
        grouped: dict[str, dict[str, set[DolListing]]] = defaultdict(lambda: defaultdict(set))
        for listing in listings:
            country = normalize_country(listing.country_iso2)
            grouped[country][normalize_good(listing.good)].add(listing)
        return cls(
            MappingProxyType(
                {
                    country: MappingProxyType(
                        {good: tuple(sorted(found, key=repr)) for good, found in goods.items()}
                    )
                    for country, goods in grouped.items()
                }
            )
        )

    @property
    def countries(self) -> frozenset[str]:
        """Countries listed for at least one good."""
        return frozenset(self.by_country)

    def listings(self, country_iso2: str, good: str) -> tuple[DolListing, ...]:
        """Listings of this good in this country (empty if it is not listed)."""
        goods = self.by_country.get(normalize_country(country_iso2), {})
        return goods.get(normalize_good(good), ())

    def listed_for_other_goods(
        self, country_iso2: str, goods: Iterable[str]
    ) -> tuple[bool, bool]:
        """Per dimension: is the country listed for some good outside `goods`?"""
        own_goods = {normalize_good(g) for g in goods}
        child = forced = False
        for good, listings in self.by_country.get(normalize_country(country_iso2), {}).items():
            if good in own_goods:
                continue
            for listing in listings:
                lists_child, lists_forced = listing.listed_dimensions()
                child, forced = child or lists_child, forced or lists_forced
        return child, forced


def listing_risk(listing: DolListing, methodology: Methodology) -> tuple[float, float]:
    """(child, forced) implied by one listing.

    child  = noisy-OR(f · w_cl · [child_labor],  f · w_fcl · [forced_child_labor])
    forced = noisy-OR(f · w_fl · [forced_labor], f · w_fcl · [forced_child_labor])
    with f = derived_listing_factor for a derived listing, else 1, and [flag] ∈ {0, 1}.
    """
    m = methodology
    factor = m.derived_listing_factor if listing.derived else 1.0
    forced_child = factor * m.forced_child_labour_listing_weight * listing.forced_child_labor
    child = noisy_or(factor * m.child_labour_listing_weight * listing.child_labor, forced_child)
    forced = noisy_or(factor * m.forced_labour_listing_weight * listing.forced_labor, forced_child)
    return child, forced


def good_risk(listings: Iterable[DolListing], methodology: Methodology) -> tuple[float, float]:
    """(child, forced) of one good in one country: the strongest of its listings.

    Several entries for the same good and country describe the same exposure,
    so they are not compounded: good_d = max over listings of listing_d.
    """
    risks = [listing_risk(listing, methodology) for listing in listings]
    return (max((r[0] for r in risks), default=0.0), max((r[1] for r in risks), default=0.0))


def country_baseline(
    country_iso2: str, dol_goods: Iterable[str], index: DolIndex, methodology: Methodology
) -> tuple[float, float]:
    """baseline_d = country_baseline_weight if the country is listed in d for a good outside G."""
    child, forced = index.listed_for_other_goods(country_iso2, dol_goods)
    weight = methodology.country_baseline_weight
    return weight * child, weight * forced


def site_attribute_risk(
    kind: SiteKind, migrant_share: float | None, methodology: Methodology
) -> tuple[float, float]:
    """(farm_child_labour_weight · [kind = farm], β · m) with m = 0 when unknown."""
    if kind not in SITE_KINDS:
        raise ValueError(f"site kind must be one of {sorted(SITE_KINDS)}, got {kind!r}")
    share = 0.0 if migrant_share is None else migrant_share
    if not 0.0 <= share <= 1.0:
        raise ValueError(f"migrant_share must lie in [0, 1], got {migrant_share}")
    child = methodology.farm_child_labour_weight if kind == "farm" else 0.0
    return child, methodology.migrant_share_weight * share


def inherent_risk(
    country_iso2: str,
    dol_goods: Iterable[str],
    kind: SiteKind,
    migrant_share: float | None,
    index: DolIndex,
    methodology: Methodology,
) -> tuple[float, float]:
    """(child, forced): noisy-OR of the good, baseline and attribute terms (see module doc)."""
    goods = sorted({normalize_good(g) for g in dol_goods})
    terms = [good_risk(index.listings(country_iso2, g), methodology) for g in goods]
    terms.append(country_baseline(country_iso2, goods, index, methodology))
    terms.append(site_attribute_risk(kind, migrant_share, methodology))
    return noisy_or(*(t[0] for t in terms)), noisy_or(*(t[1] for t in terms))


@dataclass(frozen=True)
class InherentOverride:
    """Analyst-set inherent values; None keeps the computed value of that dimension."""

    child: float | None = None
    forced: float | None = None

    def __post_init__(self) -> None:
        for value in (self.child, self.forced):
            if value is not None and not 0.0 <= value <= 1.0:
                raise ValueError(f"override values must lie in [0, 1], got {value}")


def apply_override(
    computed: tuple[float, float], override: InherentOverride | None
) -> tuple[float, float]:
    """The override's value for each dimension it sets, the computed value otherwise."""
    if override is None:
        return computed
    child = computed[0] if override.child is None else override.child
    forced = computed[1] if override.forced is None else override.forced
    return child, forced
