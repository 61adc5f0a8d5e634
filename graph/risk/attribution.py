"""Own risk split into its terms: which listing, baseline, site attribute or piece of evidence makes it.

A site's own risk in dimension d is one noisy-OR over independent terms (inherent.py, evidence.py, own.py; noisy-OR is
associative, so the nested combinations flatten into one):

    o = 1 − Π_i (1 − p_i)

with p_i the term alone: the strongest DOL listing of each good the site produces, the country baseline, the farm or
migrant-share attribute, and the current weight w(e) of each finding or grievance about d (or, instead of every
inherent term, the company's override of the inherent value).

Attribution (log share). With λ_i = −ln(1 − p_i), the survival 1 − o = exp(−Σ_j λ_j), so −ln(1 − o) is additive
over the terms; the own risk is shared out in proportion to it:

    a_i = o · λ_i / Σ_j λ_j,        Σ_i a_i = o exactly.

A term of 0 gets 0, a stronger term always gets more, a lone term gets all of o, and the order of the terms does not
matter. It needs no Shapley sum over subsets: one pass. When some p_i = 1 the λ are infinite and o = 1; the terms
with p_i = 1 then share o equally and the others get 0 (the limit of the rule when those p_i rise to 1 together).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from graph.risk.combine import noisy_or
from graph.risk.dimensions import CHILD_LABOUR
from graph.risk.evidence import Evidence, base_weight, decay, evidence_weight
from graph.risk.inherent import (
    DolIndex,
    DolListing,
    SiteKind,
    country_baseline,
    listing_risk,
    normalize_good,
    site_attribute_risk,
)
from graph.risk.methodology import Methodology

TermKind = Literal["listing", "baseline", "attribute", "override", "evidence"]
INHERENT_KINDS: frozenset[str] = frozenset({"listing", "baseline", "attribute", "override"})


@dataclass(frozen=True)
class ListingCause:
    """The DOL listing used for one good the site produces: the strongest in the dimension, if several."""

    listing: DolListing
    edition: str


@dataclass(frozen=True)
class BaselineCause:
    """The country is listed in this dimension for some good the site does not produce."""

    country: str


@dataclass(frozen=True)
class AttributeCause:
    """A site attribute: "farm" (child labour) or "migrant_share" (forced labour), with the share when known."""

    attribute: Literal["farm", "migrant_share"]
    value: float | None


@dataclass(frozen=True)
class OverrideCause:
    """The company's analyst-set inherent value, which replaces every computed inherent term."""

    value: float


@dataclass(frozen=True)
class EvidenceCause:
    """A finding or grievance and the factors of its weight w = base · decay · remediation factor."""

    evidence: Evidence
    reference: object  # what the caller identifies the evidence by (e.g. its database key)
    age_days: int
    base_weight: float
    decay: float
    remediation_factor: float


Cause = ListingCause | BaselineCause | AttributeCause | OverrideCause | EvidenceCause
KIND_OF_CAUSE: dict[type, TermKind] = {
    ListingCause: "listing", BaselineCause: "baseline", AttributeCause: "attribute", OverrideCause: "override",
    EvidenceCause: "evidence",
}


@dataclass(frozen=True)
class Term:
    """One cause of an own risk: its value alone (p_i) and its share of the own risk, a_i / o = λ_i / Σ λ_j."""

    cause: Cause
    probability: float
    share: float

    @property
    def kind(self) -> TermKind:
        return KIND_OF_CAUSE[type(self.cause)]


@dataclass(frozen=True)
class TermShares:
    """The terms of one set of causes, largest first, their shares adding up to 1 (none: no term above 0). Sites with
    the same causes (same profile, no evidence) share one."""

    terms: tuple[Term, ...]
    current_own: float  # noisy-OR of the terms' probabilities, from the data as it is now


@dataclass(frozen=True)
class OwnRiskAttribution:
    """An own risk as stored, shared among its terms: term i contributes own · share_i."""

    own: float
    shares: TermShares

    @property
    def terms(self) -> tuple[Term, ...]:
        return self.shares.terms

    @property
    def current_own(self) -> float:
        return self.shares.current_own

    def contribution(self, term: Term) -> float:
        """a_i = o · λ_i / Σ λ_j."""
        return self.own * term.share

    @property
    def unattributed(self) -> float:
        """own − Σ a_i: rounding only, or all of the own risk when no term is left (the data changed since)."""
        return self.own - math.fsum(self.contribution(term) for term in self.terms)


def log_shares(probabilities: Sequence[float], total: float) -> list[float]:
    """a_i = total · λ_i / Σ λ_j with λ_i = −ln(1 − p_i); certain terms (p_i = 1) share `total` equally."""
    for p in probabilities:
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"probabilities must lie in [0, 1], got {p}")
    certain = [p == 1.0 for p in probabilities]
    if any(certain):
        return [total / sum(certain) if sure else 0.0 for sure in certain]
    weights = [-math.log1p(-p) for p in probabilities]
    whole = math.fsum(weights)
    if whole == 0.0:
        return [0.0] * len(probabilities)
    return [total * w / whole for w in weights]


def term_shares(causes: Iterable[tuple[Cause, float]]) -> TermShares:
    """The causes above 0 with their log shares of 1, largest first."""
    present = [(cause, float(p)) for cause, p in causes if p > 0.0]
    shares = log_shares([p for _c, p in present], 1.0)
    terms = sorted((Term(cause, p, share) for (cause, p), share in zip(present, shares, strict=True)),
                   key=lambda term: -term.share)
    return TermShares(tuple(terms), noisy_or(*(p for _c, p in present)))


def attribute(causes: Iterable[tuple[Cause, float]], own: float) -> OwnRiskAttribution:
    """Share `own` (the own risk as stored) among the causes by log share; terms of 0 are left out."""
    return OwnRiskAttribution(float(own), term_shares(causes))


def strongest_listing(
    listings: Iterable[DolListing], dimension: int, methodology: Methodology
) -> tuple[DolListing | None, float]:
    """The listing behind good_d = max over listings of listing_d (inherent.good_risk), and that value."""
    best, value = None, 0.0
    for listing in listings:
        risk = listing_risk(listing, methodology)[dimension]
        if risk > value:
            best, value = listing, risk
    return best, value


def inherent_causes(
    country_iso2: str,
    dol_goods: Iterable[str],
    kind: SiteKind,
    migrant_share: float | None,
    index: DolIndex,
    methodology: Methodology,
    dimension: int,
    edition: str,
) -> list[tuple[Cause, float]]:
    """The terms of inherent.inherent_risk in one dimension, each with its cause; their noisy-OR is that value."""
    goods = sorted({normalize_good(g) for g in dol_goods})
    causes: list[tuple[Cause, float]] = []
    for good in goods:
        listing, value = strongest_listing(index.listings(country_iso2, good), dimension, methodology)
        if listing is not None:
            causes.append((ListingCause(listing, edition), value))
    baseline = country_baseline(country_iso2, goods, index, methodology)[dimension]
    causes.append((BaselineCause(country_iso2.strip().upper()), baseline))
    value = site_attribute_risk(kind, migrant_share, methodology)[dimension]
    if dimension == CHILD_LABOUR:
        causes.append((AttributeCause("farm", None), value))
    else:
        causes.append((AttributeCause("migrant_share", migrant_share), value))
    return causes


def evidence_causes(
    evidence: Iterable[tuple[Evidence, object]], dimension: int, as_of: datetime.date, methodology: Methodology
) -> list[tuple[Cause, float]]:
    """Each (evidence, reference) about `dimension` as a term of weight w(e) (evidence.evidence_weight)."""
    causes: list[tuple[Cause, float]] = []
    for item, reference in evidence:
        if dimension not in item.dimensions:
            continue
        age = (as_of - item.observed_on).days
        cause = EvidenceCause(
            item, reference, age, base_weight(item, methodology), decay(age, methodology),
            methodology.remediation_factors[item.remediation],
        )
        causes.append((cause, evidence_weight(item, as_of, methodology)))
    return causes
