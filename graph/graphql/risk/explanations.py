"""The risk explanation as the API returns it: paths, sources with their own-risk terms, and the score by aggregate,
each line in words ("62% of the score comes from Cotton in China (DOL: forced labour).")."""

import pycountry
from graphql_relay import to_global_id

from graph.risk.aggregates import Breakdown
from graph.risk.attribution import Term
from graph.services.explanations import BREAKDOWNS, NO_COMMODITY, UNCONNECTED, CausedExplanation

FLAGS = (("child_labor", "child labour"), ("forced_labor", "forced labour"), ("forced_child_labor", "forced child labour"))


def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    return country.name if country else code


def site_name(site) -> str:
    return "your company" if site is None else f"{site.name} ({site.subdivision or site.country})"


def listing_words(good: str, country: str, flags: dict, derived: bool) -> str:
    """e.g. "Cotton in China (DOL: forced labour)"; "(DOL, derived: …)" for a derived listing."""
    listed = ", ".join(words for flag, words in FLAGS if flags[flag])
    return f"{good} in {country_name(country)} (DOL{', derived' if derived else ''}: {listed})"


def evidence_words(cause, site) -> str:
    """e.g. "a substantiated grievance (forced_labour) at Mill X (CN-JS)"."""
    item, source = cause.evidence, cause.reference
    category = f" ({source.category})" if source.category else ""
    state = item.status if item.outcome is None else f"closed ({item.outcome})"
    what = f"{item.severity} finding" if item.kind == "finding" else "grievance"
    return f"a{'n' if state[0] in 'aeiou' else ''} {state} {what}{category} at {site_name(site)}"


def term_words(term: Term, site) -> str:
    """A term's cause in words, at the site `site`."""
    cause = term.cause
    if term.kind == "listing":
        listing = cause.listing
        flags = {flag: getattr(listing, flag) for flag, _w in FLAGS}
        return listing_words(listing.good, listing.country_iso2, flags, listing.derived)
    if term.kind == "baseline":
        return f"the baseline of {country_name(cause.country)} (DOL lists it for other goods)"
    if term.kind == "attribute":
        if cause.attribute == "farm":
            return "farm work"
        return "migrant workers" if cause.value is None else f"a migrant-worker share of {cause.value:.0%}"
    if term.kind == "override":
        return f"your analysts' inherent value {cause.value:.2f}"
    return evidence_words(cause, site)


def term_row(term: Term, own: float, site) -> dict:
    """One RiskTerm."""
    cause, kind = term.cause, term.kind
    share = term.share
    row = {"kind": kind, "probability": term.probability, "contribution": own * share,
           "fraction_of_own_risk": share, "description": f"{share:.0%} of the own risk: {term_words(term, site)}."}
    if kind == "listing":
        listing = cause.listing
        row["dol_listing"] = {"good": listing.good, "country": listing.country_iso2, "edition": cause.edition,
                              "derived": listing.derived, **{flag: getattr(listing, flag) for flag, _w in FLAGS}}
    elif kind == "baseline":
        row["country"] = cause.country
    elif kind == "attribute":
        row["attribute"], row["attribute_value"] = cause.attribute, cause.value
    elif kind == "override":
        row["override_value"] = cause.value
    else:
        row["evidence"] = evidence_row(cause)
    return row


def evidence_row(cause) -> dict:
    item, source = cause.evidence, cause.reference
    type_name = "Finding" if item.kind == "finding" else "Grievance"
    return {
        "kind": item.kind, "id": None if source.evidence_id is None else to_global_id(type_name, source.evidence_id),
        "category": source.category, "severity": item.severity, "status": item.status, "outcome": item.outcome,
        "observed_on": item.observed_on, "age_days": cause.age_days, "base_weight": cause.base_weight,
        "decay": cause.decay, "remediation": item.remediation, "remediation_factor": cause.remediation_factor,
    }


def own_terms(caused: CausedExplanation, node: int, site) -> dict:
    """One RiskOwnTerms: the node's own risk and its listed terms."""
    shown = caused.terms_of(node)
    attribution = caused.attributions.get(node)
    current = attribution.current_own if attribution else 0.0
    terms = [term_row(line.key, shown.whole, site) for line in shown.lines]
    main = "; ".join(f"{row['fraction_of_own_risk']:.0%} {term_words(line.key, site)}"
                     for row, line in zip(terms, shown.lines[:3], strict=False))
    return {"own_risk": shown.whole, "current_own_risk": current, "terms": terms, "unlisted": shown.unlisted,
            "description": f"Own risk {shown.whole:.2f} of {site_name(site)}" + (f": {main}." if main else ".")}


def nodes_named(caused: CausedExplanation) -> set[int]:
    """Every node a line of the breakdowns names (to load their sites at once)."""
    named = set()
    for name in ("by_source", "by_cause", "by_direct_supplier"):
        for line in caused.breakdowns[name].lines:
            key = line.key
            if name == "by_source":
                named.add(key)
            elif key[0] in ("supplier", "own", "override", "evidence"):
                named.add(key[1])
    return named


def group_label(name: str, key, caused: CausedExplanation, site_of_node) -> tuple[str, str, object, str | None]:
    """(key, label, site, term kind) of one breakdown line."""
    if name == "by_cause_kind":
        return key.upper(), {"inherent": "inherent risk (country, goods, site attributes)",
                             "evidence": "evidence (findings and grievances)",
                             "unattributed": "own risk no current term accounts for"}[key], None, None
    if name == "by_country":
        return key, country_name(key), None, None
    if name == "by_commodity":
        return key, caused.commodity_names.get(key, "no commodity recorded" if key == NO_COMMODITY else key), None, None
    if name == "by_tier":
        return str(key), "unconnected sites" if key == UNCONNECTED else f"tier {key}", None, None
    if name == "by_source":
        site = site_of_node(key)
        return str(key), f"the own risk of {site_name(site)}", site, None
    if name == "by_direct_supplier":
        site = site_of_node(key[1])
        words = f"the own risk of {site_name(site)}" if key[0] == "own" else f"what {site_name(site)} supplies"
        return f"{key[0]}:{key[1]}", words, site, None
    return cause_label(key, caused, site_of_node)


def cause_label(key, caused: CausedExplanation, site_of_node):
    """A cause key of aggregates.cause in words."""
    kind = key[0]
    if kind == "listing":
        _k, good, country, child, forced, forced_child, derived = key
        flags = {"child_labor": child, "forced_labor": forced, "forced_child_labor": forced_child}
        return ":".join(map(str, key)), listing_words(good, country, flags, derived), None, kind
    if kind == "baseline":
        return f"baseline:{key[1]}", f"the baseline of {country_name(key[1])} (DOL lists it for other goods)", None, kind
    if kind == "attribute":
        return f"attribute:{key[1]}", "farm work" if key[1] == "farm" else "migrant workers", None, kind
    if kind == "unattributed":
        return "unattributed", "own risk no current term accounts for", None, None
    site = site_of_node(key[1])
    if kind == "override":
        return f"override:{key[1]}", f"your analysts' inherent value at {site_name(site)}", site, kind
    attribution = caused.attributions[key[1]]
    term = next(t for t in attribution.terms if t.kind == "evidence" and t.cause.reference == key[2])
    return f"evidence:{key[1]}:{key[2].evidence_id}", evidence_words(term.cause, site), site, kind


def breakdown_row(name: str, shown: Breakdown, caused: CausedExplanation, site_of_node) -> dict:
    """One RiskBreakdown."""
    lines = []
    for line in shown.lines:
        key, label, site, kind = group_label(name, line.key, caused, site_of_node)
        lines.append({"key": key, "label": label, "contribution": line.contribution, "fraction_of_score": line.fraction,
                      "description": f"{line.fraction:.0%} of the score comes from {label}.", "site": site,
                      "term_kind": kind})
    unlisted_fraction = shown.unlisted / shown.whole if shown.whole > 0 else 0.0
    return {"lines": lines, "unlisted": shown.unlisted, "unlisted_fraction": unlisted_fraction,
            "unlisted_description": f"{max(unlisted_fraction, 0.0):.0%} of the score comes from groups too small to list "
                                    f"(each under {caused.threshold:.0%})."}


def breakdown_rows(caused: CausedExplanation, site_of_node) -> dict:
    return {name: breakdown_row(name, caused.breakdowns[name], caused, site_of_node) for name in BREAKDOWNS}


def cause_summary(rows: dict, dimension: str, site) -> str:
    """e.g. "59% of the forced-labour risk of your company comes from a substantiated grievance … at Dhaka Garments
    (BD-C), 34% from Garments in Bangladesh (DOL: child labour, forced labour) and 3% from …"."""
    lines = rows["by_cause"]["lines"][:3]
    risk = f"the {dimension.replace('_', '-')} risk of {site_name(site)}"
    if not lines:
        return f"Nothing makes {risk}."
    first, *rest = [(f"{line['fraction_of_score']:.0%}", line["label"]) for line in lines]
    parts = [f"{first[0]} of {risk} comes from {first[1]}"] + [f"{share} from {label}" for share, label in rest]
    return (parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]) + "."
