"""A company's region watch: the countries, subdivisions and commodities whose news it wants to hear of, and the
alerts on a watched region's band (evidence alerts are raised in audits/services/alerts.py, which reads the
evidence; DOL listing alerts in graph/services/dol_alerts.py)."""

from django.db.models import Max
from django.utils import timezone

from backend.errors import field_error
from backend.tenancy import Viewer, owned
from graph import validation
from graph.models import AlertKind, Commodity, RegionWatch, RiskAlert, RiskScore
from graph.risk import DEFAULT_METHODOLOGY, band

BAND_NAMES = DEFAULT_METHODOLOGY.band_names
DIMENSION_WORDS = {"child_labour": "Child-labour", "forced_labour": "Forced-labour"}

MAX_ENTRIES = 300  # per list: more than every country, fewer than would make matching a scan of the registry


def set_region_watch(viewer: Viewer, countries, subdivisions, commodities) -> RegionWatch:
    """Replace the company's watch (empty lists: watch nothing); evidence recorded from now on is new to it."""
    countries = sorted({validation.country_code(code, "countries") for code in bounded(countries, "countries")})
    subdivisions = sorted({subdivision(code) for code in bounded(subdivisions, "subdivisions")})
    codes = sorted({code.strip().lower() for code in bounded(commodities, "commodities")})
    known = set(Commodity.objects.filter(code__in=codes).values_list("code", flat=True))
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise field_error("commodities", f"Unknown commodity code(s): {', '.join(unknown)}. See the `commodities` query.",
                          "invalid")
    watch = owned(RegionWatch, viewer).first() or RegionWatch(company=viewer.organization)
    watch.countries, watch.subdivisions, watch.commodities = countries, subdivisions, codes
    watch.updated_at = timezone.now()
    watch.region_bands = {key: band for key, band in watch.region_bands.items() if key.partition("|")[0] in regions(watch)}
    watch.save()
    return watch


def regions(watch: RegionWatch) -> list[str]:
    """The watched regions: countries and subdivisions, by their codes."""
    return [*watch.countries, *watch.subdivisions]


def raise_region_band_alerts(sender, company, site_ids, **kwargs) -> int:
    """After a risk computation: alert once for each watched region whose band rose in a dimension since the last
    computation (a region's band is that of its worst-scored site of the company's network); return how many."""
    viewer = Viewer(user=None, organization=company)
    watch = owned(RegionWatch, viewer).first()
    if watch is None or not regions(watch):
        return 0
    now = region_bands_now(viewer, watch)
    alerts = []
    for key, band in now.items():
        before = watch.region_bands.get(key)
        if before is not None and BAND_NAMES.index(band) > BAND_NAMES.index(before):
            region, _, dimension = key.partition("|")
            alerts.append(RiskAlert(
                company=company, kind=AlertKind.REGION_BAND, dimension=dimension, from_band=before, to_band=band,
                watch=watch, summary=f"{DIMENSION_WORDS[dimension]} risk in {region} rose from {before} to {band}"))
    RiskAlert.objects.bulk_create(alerts)
    watch.region_bands = now
    watch.save(update_fields=["region_bands"])
    return len(alerts)


def region_bands_now(viewer: Viewer, watch: RegionWatch) -> dict[str, str]:
    """"REGION|dimension" → band of the region's worst site score, for the watched regions holding scored sites."""
    scores = owned(RiskScore, viewer).filter(site__isnull=False)
    bands = {}
    for field, codes in (("site__country", watch.countries), ("site__subdivision", watch.subdivisions)):
        if not codes:
            continue
        worst = scores.filter(**{f"{field}__in": codes}).values(field).annotate(
            child_labour=Max("child_labour"), forced_labour=Max("forced_labour"))
        for row in worst:
            for dimension in DIMENSION_WORDS:
                bands[f"{row[field]}|{dimension}"] = band(row[dimension], DEFAULT_METHODOLOGY)
    return bands


def bounded(values, field: str) -> list[str]:
    values = list(values or [])
    if len(values) > MAX_ENTRIES:
        raise field_error(field, f"At most {MAX_ENTRIES} entries ({len(values)} given).", "out_of_range")
    return values


def subdivision(code: str) -> str:
    """An ISO 3166-2 code (its country is the part before the dash); an empty one is refused like a wrong one."""
    country = (code or "").strip().upper().partition("-")[0]
    return validation.subdivision_code(country, (code or "").strip() or "?", "subdivisions")
