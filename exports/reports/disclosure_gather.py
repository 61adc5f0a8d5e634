"""A disclosure report's data, gathered in one step: the remediation report's data of the whole company (gather.py),
the network, its risk, the audits and findings of the period, what followed the actions verified in it
(audits/services/outcomes.py, per intervention type), the company's own text (narratives and approval) and,
for the EU FLR evidence pack, one row per upstream site of the commodity (evidence.py). A fixed number of queries,
each through the tenancy chokepoint; nothing personal is read (no reporter, no worker, no free text of a case).

Risk is the stored score of each site of the network (graph/models/risk.py RiskScore): its band is the worse of the
two dimensions, its score here the higher of the two. A group (country, commodity, region) is ranked by how many of
its sites are high or severe, then by its highest score.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

import pycountry
from django.db.models import Count
from django.utils import timezone

from audits.models import Audit, AuditStandard, Finding
from audits.services.outcomes import OutcomeFilter, outcome_analytics
from backend.tenancy import Viewer, visible
from exports.reports import evidence, gather
from exports.reports.frameworks import FRAMEWORKS, Framework
from exports.reports.gather import SEVERITIES, RemediationData, category_rows
from exports.reports.parameters import ReportParameters
from exports.reports.statements import StatementRecord, statement_record
from graph.models import Commodity, NetworkSite, RiskScore, Site
from graph.models.risk import BAND_CHOICES

TOP_GROUPS = 10  # the highest-risk countries, commodities and regions the report names
HIGH_BANDS = ("high", "severe")


@dataclass(frozen=True)
class CountRow:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class RiskRow:
    """A group of the network's sites: how many, how many high or severe, the highest score (0–1)."""

    key: str
    label: str
    sites: int
    high_or_severe: int
    max_score: float


@dataclass(frozen=True)
class NetworkSummary:
    sites: int
    suppliers: int
    countries: int
    by_tier: list
    by_country: list


@dataclass(frozen=True)
class RiskSummary:
    scored_sites: int
    by_band: list
    countries: list
    commodities: list
    regions: list
    computed_at: datetime.datetime | None


@dataclass(frozen=True)
class AuditSummary:
    audits: int
    audited_sites: int
    by_standard: list
    findings: int
    findings_by_category: list


@dataclass(frozen=True)
class DisclosureData:
    organization: str
    framework: Framework
    parameters: ReportParameters
    generated_at: datetime.datetime
    today: datetime.date
    remediation: RemediationData
    network: NetworkSummary
    risk: RiskSummary
    audits: AuditSummary
    statement: StatementRecord
    outcomes: list
    commodity: Commodity | None
    evidence: list


def gather_disclosure(viewer: Viewer, parameters: ReportParameters) -> DisclosureData:
    """Everything a disclosure report shows, for the viewer's company, framework and period."""
    framework = FRAMEWORKS[parameters.framework]
    company = ReportParameters("company", None, parameters.period_from, parameters.period_to)
    commodity = Commodity.objects.filter(code=parameters.commodity).first() if parameters.commodity else None
    return DisclosureData(
        organization=viewer.organization.name, framework=framework, parameters=parameters,
        generated_at=timezone.now(), today=timezone.localdate(), remediation=gather.gather(viewer, company),
        network=network_summary(viewer), risk=risk_summary(viewer), audits=audit_summary(viewer, parameters),
        statement=statement_record(viewer, parameters.framework, parameters.period_from, parameters.period_to),
        outcomes=outcome_analytics(viewer, OutcomeFilter(parameters.period_from, parameters.period_to)),
        commodity=commodity,
        evidence=evidence.evidence_rows(viewer, commodity.code) if commodity else [],
    )


def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    return country.name if country else code


def network_summary(viewer: Viewer) -> NetworkSummary:
    """The sites of the network by tier (nearest first; unconnected last) and by country (most sites first)."""
    grouped = list(visible(NetworkSite, viewer).values("tier", "site__country").annotate(n=Count("id")))
    tiers, countries = Counter(), Counter()
    for group in grouped:
        tiers[group["tier"]] += group["n"]
        countries[group["site__country"]] += group["n"]
    by_tier = [CountRow(str(tier), f"Tier {tier}", tiers[tier]) for tier in sorted(t for t in tiers if t is not None)]
    if None in tiers:
        by_tier.append(CountRow("unconnected", "Not linked to the company", tiers[None]))
    by_country = [CountRow(code, country_name(code), n)
                  for code, n in sorted(countries.items(), key=lambda item: (-item[1], item[0]))]
    suppliers = (visible(NetworkSite, viewer).filter(site__supplier__isnull=False)
                 .values("site__supplier_id").distinct().count())
    return NetworkSummary(sites=sum(tiers.values()), suppliers=suppliers,
                          countries=len(countries), by_tier=by_tier, by_country=by_country)


def risk_rows(groups: dict, labels) -> list[RiskRow]:
    """The TOP_GROUPS groups with most high or severe sites, then the highest score; each group a list of
    (band, score) of its sites."""
    rows = [RiskRow(key, labels(key), len(sites), sum(band in HIGH_BANDS for band, _ in sites),
                    round(max(score for _, score in sites), 3)) for key, sites in groups.items()]
    rows.sort(key=lambda row: (-row.high_or_severe, -row.max_score, row.key))
    return rows[:TOP_GROUPS]


def risk_summary(viewer: Viewer) -> RiskSummary:
    """Bands of the network's scored sites and the highest-risk countries, commodities and regions: two queries."""
    scores = list(visible(RiskScore, viewer).filter(site__isnull=False).values_list(
        "site_id", "site__country", "site__subdivision", "band", "child_labour", "forced_labour", "computed_at"))
    commodities = defaultdict(list)
    names = {}
    for site_id, code, name in Site.commodities.through.objects.filter(
            site_id__in=[row[0] for row in scores]).values_list("site_id", "commodity__code", "commodity__name"):
        commodities[site_id].append(code)
        names[code] = name
    by_country, by_commodity, by_region = defaultdict(list), defaultdict(list), defaultdict(list)
    for site_id, country, subdivision, band, child, forced, _ in scores:
        site = (band, max(child, forced))
        by_country[country].append(site)
        by_region[subdivision or country].append(site)
        for code in commodities.get(site_id, ()):
            by_commodity[code].append(site)
    bands = Counter(row[3] for row in scores)
    return RiskSummary(
        scored_sites=len(scores), by_band=[CountRow(band, label, bands[band]) for band, label in BAND_CHOICES],
        countries=risk_rows(by_country, country_name), commodities=risk_rows(by_commodity, lambda code: names[code]),
        regions=risk_rows(by_region, region_name), computed_at=max((row[6] for row in scores), default=None),
    )


def region_name(code: str) -> str:
    subdivision = pycountry.subdivisions.get(code=code) if "-" in code else None
    if subdivision is None:
        return f"{country_name(code)} (no region given)"
    return f"{subdivision.name}, {country_name(subdivision.country_code)}"


def audit_summary(viewer: Viewer, parameters: ReportParameters) -> AuditSummary:
    """Audits that began in the period (those the company ordered or was shown), and the findings raised in it by
    category and severity."""
    period = (parameters.period_from, parameters.period_to)
    audits = list(visible(Audit, viewer).filter(start_date__range=period).values_list("standard", "site_id"))
    standards = Counter(standard for standard, _ in audits)
    findings = category_rows(visible(Finding, viewer).filter(found_on__range=period)
                             .values("category", "severity").annotate(n=Count("id")), "severity", SEVERITIES)
    return AuditSummary(
        audits=len(audits), audited_sites=len({site for _, site in audits}),
        by_standard=[CountRow(standard.value, standard.label, standards[standard]) for standard in AuditStandard
                     if standards[standard]],
        findings=sum(row.total for row in findings), findings_by_category=findings,
    )
