"""The compliance pages over a portfolio the size of a small brand's (cotton from five countries, cocoa from two,
three tiers, evidence at a few sites), as the screenshots under docs/pages/ show them; every page checked with axe."""

import datetime

import pytest
from django.urls import reverse

from audits.services import assignments, audits, grievances, remediation
from backend.models import OrganizationKind, Role
from backend.tenancy import Viewer
from factories import add_link, commodity
from graph import services
from graph.services.risk_jobs import recompute
from support.browser import assert_accessible, save_screenshot, sign_in, transferred_bytes
from test_dashboard_browser import LOAD_COMMODITIES, LOAD_DOL, apps
from graph.models import DolListing

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
MAX_PAGE_BYTES = 200 * 1024  # each page as the browser transfers it, document and subresources (support/browser.py)

# (name, country, subdivision, kind, commodity) of each tier, farthest first; each site supplies the next tier's
# site of the same index modulo that tier's size.
FARMS = [("Khorezm cotton cooperative", "UZ", "UZ-XO", "cotton"), ("Dashoguz state farm", "TM", "TM-D", "cotton"),
         ("Punjab growers group", "PK", "PK-PB", "cotton"), ("Sanliurfa cotton farm", "TR", "TR-63", "cotton"),
         ("West Texas cotton farm", "US", "US-TX", "cotton"), ("Soubré cocoa cooperative", "CI", "CI-SM", "cocoa"),
         ("Ashanti cocoa farmers", "GH", "GH-AH", "cocoa")]
PROCESSORS = [("Urgench ginnery", "UZ", "UZ-XO", "cotton"), ("Multan ginning mill", "PK", "PK-PB", "cotton"),
              ("Lubbock gin", "US", "US-TX", "cotton"), ("Abidjan cocoa grindery", "CI", "CI-AB", "cocoa")]
MAKERS = [("Tiruppur spinning mill", "IN", "IN-TN", "cotton"), ("Chittagong knitwear", "BD", "BD-B", "cotton"),
          ("Ho Chi Minh garments", "VN", "VN-SG", "cotton"), ("Rotterdam chocolate works", "NL", "NL-ZH", "cocoa")]


@pytest.fixture
def portfolio(make_org, make_user):
    LOAD_COMMODITIES(apps, None)
    if not DolListing.objects.exists():
        LOAD_DOL(apps, None)
    brand, firm, workers = (make_org("Northwind Apparel"), make_org("Veritas Audits", OrganizationKind.AUDIT_FIRM),
                            make_org("Cotton Workers Union", OrganizationKind.WORKERS_ORG))
    analyst, auditor, caseworker = (make_user(brand, Role.ANALYST), make_user(firm, Role.ANALYST),
                                    make_user(workers, Role.ANALYST))
    tiers = []
    for tier in (FARMS, PROCESSORS, MAKERS):
        kind = "farm" if tier is FARMS else "facility"
        tiers.append([services.register_site(Viewer.of(analyst), {"name": name, "country": country, "subdivision": region,
                                                                  "kind": kind}, commodities=[commodity(code)])
                      for name, country, region, code in tier])
    by_name = {site.name: site for tier in tiers for site in tier}
    for upstream_tier, downstream_tier in zip(tiers, tiers[1:]):
        for index, site in enumerate(upstream_tier):
            same_goods = [d for d in downstream_tier if d.commodities.first() == site.commodities.first()]
            add_link(analyst, site, same_goods[index % len(same_goods)], code=site.commodities.first().code)
    for site in tiers[-1]:
        add_link(analyst, site, None, code=site.commodities.first().code)
    gin = by_name["Urgench ginnery"]
    operator = services.register_supplier(Viewer.of(analyst), {"name": "Khorezm Textile JSC", "country": "UZ"})
    services.update_site(Viewer.of(analyst), gin, {"supplier": operator})
    assignments.assign(Viewer.of(analyst), gin, firm)
    audit = audits.create_audit(Viewer.of(auditor), gin, {
        "standard": "smeta", "audit_type": "unannounced", "start_date": datetime.date(2026, 9, 1),
        "end_date": datetime.date(2026, 9, 3), "lead_auditor": "Lead auditor", "report_reference": "V-2026-118"})
    finding = audits.create_finding(Viewer.of(auditor), {"category": "retention_of_identity_documents",
                                                        "severity": "critical",
                                                        "description": "Passports held by the labour agent"}, audit=audit)
    assignments.share(Viewer.of(auditor), brand, audit=audit)
    remediation.create_action(Viewer.of(analyst), {"title": "Return every passport, witnessed", "due_on":
                                                   datetime.date(2026, 9, 10), "intervention_type": "return_of_documents"},
                              finding=finding)
    grievances.file_grievance(Viewer.of(caseworker), by_name["Chittagong knitwear"], {
        "channel": "hotline", "category": "excessive_overtime", "description": "Fourteen-hour shifts before shipment",
        "workers_affected": 40}, reporter={"name": "A worker", "contact": "via the union"})
    recompute(brand.pk, full=True)
    return {"analyst": analyst, "gin": gin, "operator": operator, "maker": by_name["Tiruppur spinning mill"]}


def test_screens_of_a_portfolio(browser_page, live_server, portfolio):
    page = browser_page
    sign_in(page, live_server, portfolio["analyst"])
    weights = {}
    for name, url in (("docs-dashboard", reverse("graph:dashboard")), ("docs-register", reverse("graph:register")),
                      ("docs-site", reverse("graph:site", args=[portfolio["maker"].pk])),
                      ("docs-site-cause", reverse("graph:site", args=[portfolio["gin"].pk])),
                      ("docs-company", reverse("graph:company")),
                      ("docs-supplier", reverse("graph:supplier", args=[portfolio["operator"].pk])),
                      ("docs-remediation", reverse("audits:board-remediation"))):
        assert page.goto(f"{live_server.url}{url}").status == 200
        weights[name] = transferred_bytes(page)
        assert_accessible(page)
        save_screenshot(page, name)
    assert max(weights.values()) <= MAX_PAGE_BYTES, weights
    print("page weights (bytes):", weights)
    assert "critical finding (retention_of_identity_documents)" in page.goto(
        f"{live_server.url}{reverse('graph:site', args=[portfolio['gin'].pk])}").text()
