"""A score explained by aggregate: by cause, cause kind, source site, or any grouping of the sources' terms.

A score is R_v = Σ_x c_x with c_x = o_x M_vx the contribution of source x (explanation.py), and each own risk is
o_x = Σ_i a_{x,i} + u_x, its terms' log shares plus what they leave unattributed (attribution.py). So the score
splits into parts, one per term of each source,

    R_v = Σ_x Σ_i c_x · a_{x,i} / o_x  +  Σ_x c_x · u_x / o_x,

and any grouping of the parts (by country, commodity, tier, source, cause kind) adds up to the score. A part whose
group is several keys at once (a site handling two commodities) is split equally among them.

Through direct suppliers is the other way round, by the first step of the paths instead of their source: from
R_v = o_v + (1 − o_v) · Σ_u α s_uv R_u, the node's own part is o_v and supplier u's part (1 − o_v) α s_uv R_u.

Display: a breakdown lists only the groups worth at least `threshold` of the whole, at most `limit` of them, and
says how much it leaves unlisted: Σ lines + unlisted = the whole.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from graph.risk.attribution import INHERENT_KINDS, OwnRiskAttribution, Term
from graph.risk.prepared import PreparedNetwork


ROUNDING = 1e-12  # a relative rest this small is the rounding of the log shares, not an unattributed part


@dataclass(frozen=True)
class ScorePart:
    """The part of a score that one term of one source's own risk makes (term None: the unattributed rest)."""

    node: int
    term: Term | None
    value: float


@dataclass(frozen=True)
class Line:
    key: Hashable
    contribution: float
    fraction: float  # of the whole being broken down


@dataclass(frozen=True)
class Breakdown:
    """Groups above the threshold, largest first, and how much they leave unlisted."""

    whole: float
    lines: tuple[Line, ...]
    unlisted: float  # whole − Σ lines


def fraction(part: float, whole: float) -> float:
    return part / whole if whole > 0.0 else 0.0


def score_parts(
    nodes: Sequence[int], contributions: Sequence[float], attributions: Mapping[int, OwnRiskAttribution]
) -> list[ScorePart]:
    """c_x · a_{x,i} / o_x = c_x · share_i for every term of every source with c_x > 0, and each source's
    unattributed rest, so that the parts of one source add up to c_x."""
    parts = []
    for node, contribution in zip(nodes, contributions, strict=True):
        node, contribution = int(node), float(contribution)
        if contribution <= 0.0:
            continue
        attribution = attributions.get(node)
        terms = attribution.terms if attribution is not None else ()
        own_parts = [ScorePart(node, term, contribution * term.share) for term in terms]
        parts.extend(own_parts)
        rest = contribution - math.fsum(p.value for p in own_parts)
        if abs(rest) > ROUNDING * contribution:  # what the terms leave, beyond the rounding of their shares
            parts.append(ScorePart(node, None, rest))
    return parts


def grouped(parts: Iterable[ScorePart], keys_of: Callable[[ScorePart], Sequence[Hashable]]) -> dict[Hashable, float]:
    """Σ of the parts' values per key; a part with k keys adds value / k to each."""
    totals: dict[Hashable, list[float]] = defaultdict(list)
    for part in parts:
        keys = keys_of(part)
        for key in keys:
            totals[key].append(part.value / len(keys))
    return {key: math.fsum(values) for key, values in totals.items()}


def grouped_sources(
    nodes: Sequence[int], contributions: Sequence[float], key_of: Callable[[int], Hashable]
) -> dict[Hashable, float]:
    """Σ c_x per key of the source x: the same as grouping the score's parts by it, since a source's parts add up to
    its contribution, without building them."""
    totals: dict[Hashable, list[float]] = defaultdict(list)
    for node, contribution in zip(nodes, contributions, strict=True):
        if contribution > 0.0:
            totals[key_of(int(node))].append(float(contribution))
    return {key: math.fsum(values) for key, values in totals.items()}


def breakdown(totals: Mapping[Hashable, float], whole: float, threshold: float, limit: int) -> Breakdown:
    """The groups worth at least threshold · whole (and more than 0), largest first, at most `limit`."""
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"threshold must lie in [0, 1], got {threshold}")
    ordered = sorted(totals.items(), key=lambda item: (-item[1], repr(item[0])))
    lines = tuple(
        Line(key, value, fraction(value, whole))
        for key, value in ordered if value > 0.0 and value >= threshold * whole
    )[:limit]
    return Breakdown(whole, lines, whole - math.fsum(line.contribution for line in lines))


def listed_terms(attribution: OwnRiskAttribution, threshold: float, limit: int) -> Breakdown:
    """An own risk's terms at or above threshold · own, keyed by the terms themselves."""
    return breakdown({term: attribution.contribution(term) for term in attribution.terms}, attribution.own, threshold,
                     limit)


def cause_kind(part: ScorePart) -> tuple[str]:
    """("inherent",), ("evidence",) or ("unattributed",)."""
    if part.term is None:
        return ("unattributed",)
    return ("inherent",) if part.term.kind in INHERENT_KINDS else ("evidence",)


def cause(part: ScorePart) -> tuple[Hashable]:
    """One key per cause, the same across sites where the cause is: a DOL listing (good, country, flags), a country
    baseline, a site attribute; a piece of evidence or an override is its own cause at its own site."""
    term = part.term
    if term is None:
        return (("unattributed",),)
    found = term.cause
    if term.kind == "listing":
        listing = found.listing
        return (("listing", listing.good, listing.country_iso2.upper(), listing.child_labor,
                 listing.forced_labor, listing.forced_child_labor, listing.derived),)
    if term.kind == "baseline":
        return (("baseline", found.country),)
    if term.kind == "attribute":
        return (("attribute", found.attribute),)
    if term.kind == "override":
        return (("override", part.node),)
    return (("evidence", part.node, found.reference),)


def through_direct_suppliers(
    prepared: PreparedNetwork, own: np.ndarray, scores: np.ndarray, node: int, attenuation: float
) -> dict[Hashable, float]:
    """{("own", v): o_v} and {("supplier", u): (1 − o_v) α s_uv R_u} for each direct supplier u of v (arrays of one
    dimension)."""
    shares = prepared.shares
    start, end = shares.indptr[node], shares.indptr[node + 1]
    gain = attenuation * (1.0 - float(own[node]))
    totals: dict[Hashable, float] = {("own", node): float(own[node])}
    for supplier, share in zip(shares.indices[start:end], shares.data[start:end], strict=True):
        totals[("supplier", int(supplier))] = gain * float(share) * float(scores[supplier])
    return totals
