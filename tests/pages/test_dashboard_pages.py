"""The compliance pages served to a company: what they show, who may open them, and how many queries they take.

The world (`dashboard_world`, built through the services as a user would): Northwind sources cotton from a
Turkmen farm through a gin (operated by Gin Operator, with a critical debt-bondage finding shared by its audit firm
and a grievance filed by a workers' organization) into a Bangladeshi spinning mill, beside a US gin; Harbor, another
company, has a private mill of its own and nothing else. The browser tests (test_dashboard_browser.py) use it too.
"""

import datetime
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import reverse

from audits.services import assignments, audits, grievances, remediation
from backend.models import OrganizationKind, Role
from backend.tenancy import Viewer
from factories import add_link, add_site
from graph import services
from graph.models import RiskAlert, RiskScore
from graph.services.risk_jobs import recompute

REPORTER_NAME = "Reporter Anvar Secretname"
GIN_OS_ID = "TM2026061G1N0AB"


@dataclass
class DashboardWorld:
    users: dict = field(default_factory=dict)
    orgs: dict = field(default_factory=dict)
    sites: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)


def build_dashboard_world(make_org, make_user) -> DashboardWorld:
    w = DashboardWorld()
    for key, name, kind in (("north", "Northwind", OrganizationKind.COMPANY), ("harbor", "Harbor", OrganizationKind.COMPANY),
                            ("firm", "Audit Firm", OrganizationKind.AUDIT_FIRM),
                            ("workers", "Workers Voice", OrganizationKind.WORKERS_ORG)):
        w.orgs[key] = make_org(name, kind)
        w.users[key] = make_user(w.orgs[key], Role.ANALYST)
    w.users["north_viewer"] = make_user(w.orgs["north"], Role.VIEWER)
    north, north_viewer = w.users["north"], Viewer.of(w.users["north"])
    operator = services.register_supplier(north_viewer, {"name": "Gin Operator", "country": "TM"})
    farm = add_site(north, "Dashoguz cotton farm", country="TM", kind="farm", subdivision="TM-D")
    gin = add_site(north, "Dashoguz gin", country="TM", subdivision="TM-D", supplier=operator, os_id=GIN_OS_ID)
    us_gin = add_site(north, "Lubbock gin", country="US", subdivision="US-TX")
    mill = add_site(north, "Chittagong spinning mill", country="BD", subdivision="BD-B")
    add_link(north, farm, gin, share=1)
    add_link(north, gin, mill, share=0.6)
    add_link(north, us_gin, mill, share=0.4)
    add_link(north, mill, None, share=1)
    harbor_mill = add_site(w.users["harbor"], "Harbor private mill", country="IN", subdivision="IN-TN")
    add_link(w.users["harbor"], harbor_mill, None, share=1)
    w.sites.update(farm=farm, gin=gin, us_gin=us_gin, mill=mill, harbor_mill=harbor_mill)
    w.objects["operator"] = operator

    firm = Viewer.of(w.users["firm"])
    assignments.assign(north_viewer, gin, w.orgs["firm"])
    audit = audits.create_audit(firm, gin, {
        "standard": "smeta", "audit_type": "unannounced", "start_date": datetime.date(2026, 3, 2),
        "end_date": datetime.date(2026, 3, 4), "lead_auditor": "Lead auditor", "report_reference": "R-7",
    })
    finding = audits.create_finding(firm, {"category": "debt_bondage", "severity": "critical",
                                           "description": "Recruitment fees deducted from wages"}, audit=audit)
    assignments.share(firm, w.orgs["north"], audit=audit)
    grievance = grievances.file_grievance(
        Viewer.of(w.users["workers"]), gin,
        {"channel": "hotline", "category": "retention_of_identity_documents",
         "description": "Passports kept by the supervisor", "workers_affected": 12},
        reporter={"name": REPORTER_NAME, "contact": "+993 00 000000"},
    )
    action = remediation.create_action(north_viewer, {"title": "Repay recruitment fees",
                                                      "due_on": datetime.date(2026, 1, 15)}, finding=finding)
    w.objects.update(audit=audit, finding=finding, grievance=grievance, action=action)
    recompute(w.orgs["north"].pk, full=True)
    recompute(w.orgs["harbor"].pk, full=True)
    return w


@pytest.fixture
def dashboard_world(make_org, make_user) -> DashboardWorld:
    return build_dashboard_world(make_org, make_user)


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- the dashboard -------------------------------------------------------------------------------------------------

def test_dashboard_shows_the_portfolio_the_alerts_and_the_regions(dashboard_world):
    # given Northwind's scored network with a critical finding at the gin
    w = dashboard_world
    # when its analyst opens the dashboard
    html = page_text(client_of(w.users["north"]).get(reverse("graph:dashboard")))
    # then the charts, the map, the region table and the evidence alert are there
    assert "Sites by country" in html and "Turkmenistan" in html and "Bangladesh" in html
    assert 'class="world-map"' in html and "<circle" in html
    assert 'class="alerts"' in html and "Dashoguz gin" in html
    assert reverse("graph:alert-acknowledge", args=[RiskAlert.objects.get(company=w.orgs["north"], kind="evidence").pk]) in html
    # and audits' section: one grievance waiting (on time), one corrective action overdue
    cases = html[html.index("Grievances waiting for you") - 120:]
    assert '<span class="kpi-value">1</span><span class="kpi-label">Grievances waiting for you' in cases
    assert '<span class="kpi-value overdue">1</span><span class="kpi-label">Corrective actions overdue' in cases


def test_dashboard_shows_another_company_nothing_of_northwind(dashboard_world):
    w = dashboard_world
    html = page_text(client_of(w.users["harbor"]).get(reverse("graph:dashboard")))
    assert "India" in html
    for name in ("Dashoguz", "Chittagong", "Lubbock", "Turkmenistan", 'class="alerts"'):
        assert name not in html


def test_dashboard_needs_a_company_and_a_sign_in(dashboard_world):
    w = dashboard_world
    assert Client().get(reverse("graph:dashboard")).status_code == 302
    for key in ("firm", "workers"):
        assert client_of(w.users[key]).get(reverse("graph:dashboard")).status_code == 403


def test_dashboard_names_an_unknown_dimension(dashboard_world):
    html = page_text(client_of(dashboard_world.users["north"]).get(reverse("graph:dashboard") + "?dimension=wages"))
    assert "Unknown dimension “wages”" in html


def test_acknowledging_an_alert_records_who_and_when(dashboard_world):
    w = dashboard_world
    alert = RiskAlert.objects.get(company=w.orgs["north"], kind="evidence")
    response = client_of(w.users["north"]).post(reverse("graph:alert-acknowledge", args=[alert.pk]))
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.acknowledged_at is not None and alert.acknowledged_by == w.users["north"]
    html = page_text(client_of(w.users["north"]).get(reverse("graph:dashboard")))
    assert 'class="alerts"' not in html and "No open alerts" in html


def test_acknowledging_needs_an_analyst_of_the_company(dashboard_world):
    w = dashboard_world
    alert = RiskAlert.objects.get(company=w.orgs["north"], kind="evidence")
    url = reverse("graph:alert-acknowledge", args=[alert.pk])
    assert client_of(w.users["north_viewer"]).post(url).status_code == 403
    assert client_of(w.users["harbor"]).post(url).status_code == 404
    assert client_of(w.users["north"]).get(url).status_code == 405
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


# --- the register --------------------------------------------------------------------------------------------------

def test_register_lists_the_riskiest_first_and_filters(dashboard_world):
    w = dashboard_world
    client = client_of(w.users["north"])
    html = page_text(client.get(reverse("graph:register")))
    riskiest = RiskScore.objects.filter(company=w.orgs["north"], site__isnull=False).order_by("-forced_labour").first()
    first_row = html.index("<tbody>")
    assert html.index(riskiest.site.name, first_row) < html.index("Lubbock gin", first_row)
    filtered = page_text(client.get(reverse("graph:register") + "?country=US"))
    assert "Lubbock gin" in filtered and "Dashoguz gin" not in filtered
    searched = page_text(client.get(reverse("graph:register") + "?q=chittagong"))
    assert "Chittagong spinning mill" in searched and "Lubbock gin" not in searched
    by_tier = page_text(client.get(reverse("graph:register") + "?tier=3"))
    assert "Dashoguz cotton farm" in by_tier and "Dashoguz gin</a>" not in by_tier


def test_register_names_bad_filters(dashboard_world):
    html = page_text(client_of(dashboard_world.users["north"]).get(reverse("graph:register") + "?band=purple&tier=two"))
    assert "Unknown band “purple”" in html and "Tier must be a whole number, got “two”" in html


def test_register_csv_is_the_current_filter(dashboard_world):
    response = client_of(dashboard_world.users["north"]).get(reverse("graph:register") + "?country=TM&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0].startswith("site,supplier,country")
    assert sorted(line.split(",")[0] for line in lines[1:]) == ["Dashoguz cotton farm", "Dashoguz gin"]


def test_register_of_another_company_is_its_own(dashboard_world):
    html = page_text(client_of(dashboard_world.users["harbor"]).get(reverse("graph:register")))
    assert "Harbor private mill" in html and "Dashoguz" not in html and "Chittagong" not in html


# --- the site and supplier pages -----------------------------------------------------------------------------------

def test_site_page_explains_the_score_down_to_its_source(dashboard_world):
    w = dashboard_world
    html = page_text(client_of(w.users["north"]).get(reverse("graph:site", args=[w.sites["mill"].pk])))
    assert "Why this forced labour score" in html
    assert "Dashoguz gin" in html and "of the score" in html
    assert 'class="network-picture"' in html and "on-path" in html


def test_site_page_shows_the_cases_and_grievances_without_the_reporter(dashboard_world):
    w = dashboard_world
    html = page_text(client_of(w.users["north"]).get(reverse("graph:site", args=[w.sites["gin"].pk])))
    assert "Debt bondage" in html and "Repay recruitment fees" in html
    assert "Retention of identity documents" in html and "Passports kept" in html
    assert REPORTER_NAME not in html and "+993" not in html


def test_site_page_of_a_private_site_of_another_company_is_not_found(dashboard_world):
    w = dashboard_world
    client = client_of(w.users["harbor"])
    assert client.get(reverse("graph:site", args=[w.sites["farm"].pk])).status_code == 404
    assert client.get(reverse("graph:site", args=[999_999])).status_code == 404
    public_gin = page_text(client.get(reverse("graph:site", args=[w.sites["gin"].pk])))
    assert "not in your network" in public_gin
    assert "Debt bondage" not in public_gin and "Passports kept" not in public_gin


def test_supplier_page_lists_its_sites(dashboard_world):
    w = dashboard_world
    html = page_text(client_of(w.users["north"]).get(reverse("graph:supplier", args=[w.objects["operator"].pk])))
    assert "Gin Operator" in html and "Dashoguz gin" in html


def test_supplier_page_shows_another_company_none_of_northwinds_sites(dashboard_world):
    # given the gin is public (an OS ID), so its operator is visible to everyone
    w = dashboard_world
    client = client_of(w.users["harbor"])
    # when Harbor opens the operator's page, then it sees none of Northwind's sites or scores
    html = page_text(client.get(reverse("graph:supplier", args=[w.objects["operator"].pk])))
    assert "None of its sites is in your network" in html and "Dashoguz gin" not in html
    assert client.get(reverse("graph:supplier", args=[999_999])).status_code == 404


def test_pages_speak_the_browsers_language(dashboard_world):
    client = client_of(dashboard_world.users["north"])
    assert "Tableau de bord des risques" in page_text(client.get(reverse("graph:dashboard"), HTTP_ACCEPT_LANGUAGE="fr"))
    assert "Registro de riesgos" in page_text(client.get(reverse("graph:register"), HTTP_ACCEPT_LANGUAGE="es"))
    assert "Quadro de remediação" in page_text(client.get(reverse("audits:board-remediation"), HTTP_ACCEPT_LANGUAGE="pt"))


def test_company_page_explains_the_companys_score(dashboard_world):
    w = dashboard_world
    html = page_text(client_of(w.users["north"]).get(reverse("graph:company")))
    assert "Why this forced labour score" in html and "of the score comes from" in html
    assert "Turkmenistan" in html and "Dashoguz gin" in html
    other = page_text(client_of(w.users["harbor"]).get(reverse("graph:company")))
    assert "Dashoguz" not in other and "Turkmenistan" not in other
    assert client_of(w.users["firm"]).get(reverse("graph:company")).status_code == 403
