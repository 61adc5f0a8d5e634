"""The appendix of a disclosure report: the figures of each block of figures (exports/reports/frameworks.py), each
with its definition, period and the GraphQL query (with its variables) that reproduces it, numbered F1, F2… in the
order the blocks first appear in the framework. The remediation, referral and grievance blocks use the remediation
report's own entries (figures.py) over the whole company.
"""

from exports.reports.disclosure_gather import HIGH_BANDS, TOP_GROUPS, DisclosureData
from exports.reports.figures import Figure, figures, numbered

SITES_COUNT = ("query($tier: [Int!], $country: [String!], $riskBand: [String!], $commodity: [String!]) "
               "{ sites(first: 1, inNetwork: true, tier: $tier, country: $country, riskBand: $riskBand, "
               "commodity: $commodity) { totalCount } }")
SITES_RISK = ("query($country: [String!], $commodity: [String!], $after: String) { sites(first: 100, after: $after, "
              "inNetwork: true, country: $country, commodity: $commodity) { pageInfo { endCursor hasNextPage } "
              "edges { node { id country subdivision supplier { id } risk { band childLabour forcedLabour } } } } }")
AUDITS = ("query($startedAfter: Date, $startedBefore: Date, $after: String) { audits(first: 100, after: $after, "
          "startedAfter: $startedAfter, startedBefore: $startedBefore) { totalCount pageInfo { endCursor "
          "hasNextPage } edges { node { standard site { id } } } } }")
FINDINGS = ("query($after: String) { findings(first: 100, after: $after) { pageInfo { endCursor hasNextPage } "
            "edges { node { category severity foundOn } } } }")
OUTCOMES = ("query($verifiedFrom: Date, $verifiedTo: Date) { outcomeAnalytics(verifiedFrom: $verifiedFrom, "
            "verifiedTo: $verifiedTo, groupBy: INTERVENTION_TYPE) { key label actions daysToVerifiedClosure "
            "{ medianDays } recurrence { recurred observed pending ratePercent } riskChange6Months { measured "
            "meanChange reason } riskChange12Months { measured meanChange reason } } }")
EVIDENCE = ("query($commodity: [String!], $after: String) { sites(first: 100, after: $after, inNetwork: true, "
            "commodity: $commodity) { pageInfo { endCursor hasNextPage } edges { node { id name osId country "
            "subdivision latitude longitude tier supplier { name lei duns } risk { band childLabour forcedLabour } "
            "linksOut { commodity { code } evidenceLevel } } } } }")

BLOCK_FIGURES = {
    "network": ("network_sites", "network_suppliers", "network_tiers", "network_countries"),
    "risk": ("risk_bands", "risk_countries", "risk_commodities", "risk_regions"),
    "audits": ("audits", "findings_by_category"),
    "grievances": ("grievance_kpis", "open_grievances"),
    "remediation": ("findings_in_period", "open_findings", "actions_open", "actions_overdue", "actions_done",
                    "actions_verified", "days_to_verify", "root_causes"),
    "referrals": ("referrals", "days_to_referral"),
    "outcomes": ("outcomes",),
    "questionnaire": (),
    "product": (),
    "evidence": ("evidence",),
}


def own_entries(data: DisclosureData) -> dict[str, tuple]:
    """This report's own figures by key, as (title, period, definition, query, variables)."""
    start, end = data.parameters.period_from.isoformat(), data.parameters.period_to.isoformat()
    period, as_of = f"{start} to {end}", f"as of {data.today.isoformat()}, when the report was generated"
    high = ", ".join(HIGH_BANDS)
    top = (f"The {TOP_GROUPS} groups with most sites whose band is {high}, then the highest score (the higher of "
           "risk.childLabour and risk.forcedLabour of a site); count the nodes of each group.")
    code = data.commodity.code if data.commodity else "<commodity>"
    return {
        "network_sites": ("Sites in the network", as_of, "The sites of your network: totalCount.", SITES_COUNT, {}),
        "network_suppliers": ("Suppliers in the network", as_of,
                              "The distinct supplier.id of the sites of your network (sites without a supplier "
                              "are not counted).", SITES_RISK, {}),
        "network_tiers": ("Sites by tier", as_of, "Sites of your network at each tier (1 = direct supplier); those "
                          "not linked to the company have no tier.", SITES_COUNT, {"tier": ["<tier>"]}),
        "network_countries": ("Sites by country", as_of, "Sites of your network in each country (ISO 3166-1).",
                              SITES_COUNT, {"country": ["<country>"]}),
        "risk_bands": ("Risk distribution", as_of, "Sites of your network by their overall band (the worse of the "
                       "two dimensions) as last computed.", SITES_COUNT, {"riskBand": ["<band>"]}),
        "risk_countries": ("Highest-risk countries", as_of, top + " Group by the site's country.", SITES_RISK, {}),
        "risk_commodities": ("Highest-risk commodities", as_of, top + " Group by each commodity a site handles.",
                             SITES_RISK, {"commodity": ["<commodity>"]}),
        "risk_regions": ("Highest-risk regions", as_of, top + " Group by the site's subdivision (ISO 3166-2), or its "
                         "country when it has none.", SITES_RISK, {}),
        "audits": ("Audits in the period", period, f"Audits you ordered or were shown whose start date lies in the "
                   f"period {period}: totalCount; by standard, and the distinct site.id.", AUDITS,
                   {"startedAfter": start, "startedBefore": end}),
        "findings_by_category": ("Findings raised in the period by category and severity", period,
                                 f"Findings visible to you whose foundOn lies in the period {period}: one cell per "
                                 "category and severity.", FINDINGS, {}),
        "outcomes": ("What works: outcomes by intervention type", period,
                     f"The corrective actions first verified in the period {period}, per intervention type: how many, "
                     "the median days from planning to verified closure, recurrence (a finding or substantiated "
                     "grievance of the same category at the same site within 365 days after verification; those "
                     "verified less than 365 days ago are pending) and the mean change of the site's risk score 6 "
                     "and 12 months after (audits/services/outcomes.py).", OUTCOMES,
                     {"verifiedFrom": start, "verifiedTo": end}),
        "evidence": ("Upstream sites of the commodity", as_of,
                     f"The sites of your network that handle {code} (site.commodities) or from which one of your "
                     "supply links carries it, nearest tier first; per site its identifiers, risk, the evidence "
                     "level of its links, its audits, findings, grievances and corrective actions (the counts of "
                     "the findings, grievances and correctiveActions queries with its siteId).", EVIDENCE,
                     {"commodity": [code]}),
    }


def disclosure_figures(data: DisclosureData) -> dict[str, Figure]:
    """The figures the report shows, by key, numbered in the order their blocks first appear."""
    own, remediation = own_entries(data), figures(data.remediation)
    entries, seen = [], set()
    for section in data.framework.sections:
        for block in section.blocks:
            for key in BLOCK_FIGURES[block]:
                if key in seen:
                    continue
                seen.add(key)
                if key in own:
                    entries.append((key, *own[key]))
                else:
                    figure = remediation[key]
                    entries.append((key, figure.title, figure.period, figure.definition, figure.query,
                                    figure.variables))
    return numbered(entries)
