"""Alerts on a new edition of the DOL list: a good newly listed for a country, which a watching company sources.

A listing is new when the previous edition had no entry for that good and country. A company hears of it when its
region watch matches the country (or names no region) and the commodity (or names none), and one of its active
links brings that commodity from a site in that country: one alert per company and listing (a partial unique index;
loading an edition again keeps its listings' IDs, graph/services/reference.py:load_dol).
"""

from collections import defaultdict

from graph.models import AlertKind, Commodity, DolListing, EvidenceKind, RegionWatch, RiskAlert, SupplyLink
from graph.services.tiers import valid_on


def alert_new_listings(edition: str) -> int:
    """Raise the alerts of `edition`'s new listings; return how many were raised."""
    previous = DolListing.objects.filter(edition__lt=edition).order_by("-edition").values_list("edition", flat=True).first()
    if previous is None:
        return 0  # the first edition loaded is the baseline, not news
    known = set(DolListing.objects.filter(edition=previous).values_list("good", "country"))
    new = [listing for listing in DolListing.objects.filter(edition=edition) if (listing.good, listing.country) not in known]
    watches = {watch.company_id: watch for watch in RegionWatch.objects.all() if watch.watches_anything}
    if not new or not watches:
        return 0
    codes_of_good = commodity_codes_by_good()
    alerts = []
    for listing in new:
        codes = codes_of_good.get(listing.good.casefold(), set())
        for company_id, sourced in sourcing_companies(listing.country, codes, set(watches)).items():
            watch = watches[company_id]
            if watch_matches(watch, listing.country, sourced):
                alerts.append(RiskAlert(
                    company_id=company_id, kind=AlertKind.DOL_LISTING, evidence_kind=EvidenceKind.DOL_LISTING,
                    evidence_id=listing.pk, watch=watch, summary=summary(listing)[:300]))
    return len(RiskAlert.objects.bulk_create(alerts, ignore_conflicts=True))


def commodity_codes_by_good() -> dict[str, set[str]]:
    """DOL good name (case-folded) → the codes of the commodities that good names."""
    codes: dict[str, set[str]] = defaultdict(set)
    for code, goods in Commodity.objects.values_list("code", "dol_goods"):
        for good in goods or []:
            codes[good.casefold()].add(code)
    return codes


def sourcing_companies(country: str, codes: set[str], company_ids: set[int]) -> dict[int, set[str]]:
    """Among `company_ids`, those with an active link bringing one of `codes` from a site in `country`, with the codes."""
    if not codes:
        return {}
    links = valid_on(SupplyLink.objects.filter(
        company_id__in=company_ids, upstream__country=country, commodity__code__in=codes,
    )).values_list("company_id", "commodity__code").distinct()
    sourced: dict[int, set[str]] = defaultdict(set)
    for company_id, code in links:
        sourced[company_id].add(code)
    return sourced


def watch_matches(watch: RegionWatch, country: str, codes: set[str]) -> bool:
    """A listing is in the watch when its country is (or the watch names no region) and so is one of its goods."""
    in_region = not (watch.countries or watch.subdivisions) or country in watch.countries or any(
        code.startswith(f"{country}-") for code in watch.subdivisions)
    return in_region and (not watch.commodities or bool(codes & set(watch.commodities)))


def summary(listing: DolListing) -> str:
    kinds = [name for flag, name in ((listing.child_labor, "child labour"), (listing.forced_labor, "forced labour"),
                                     (listing.forced_child_labor, "forced child labour")) if flag]
    return f"New DOL listing ({listing.edition}): {listing.good} from {listing.country} ({', '.join(kinds) or 'listed'})"
