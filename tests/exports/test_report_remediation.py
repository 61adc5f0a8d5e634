"""The remediation report: its figures are those of the database, each with its appendix reference; it names no
reporter; its data is gathered in a fixed number of queries; a supplier's or a site's report covers only them."""

import datetime
import re

import pytest
from report_helpers import build, pdf_text
from report_world import PERIOD, report_world

from audits.models import CorrectiveAction, Finding, FindingStatus, Grievance, Referral
from audits.services import audits, remediation
from backend.tenancy import Viewer
from exports.reports import gather
from exports.reports.parameters import ReportParameters
from factories import add_site
from graph import services
from graph.models import Site
from support.audits_world import REPORTER_CONTACT, REPORTER_NAME


@pytest.fixture
def world(make_org, make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return report_world(make_org, make_user)


def figure_value(text: str, label: str) -> str:
    """The value the summary table gives a figure: `label value [Fn]`."""
    match = re.search(re.escape(label) + r" (\S+(?: of \S+)?) \[(F\d+)\]", text)
    assert match, f"{label!r} not in the summary"
    return match.group(1)


def test_the_summary_figures_are_those_of_the_database(world):
    # given company A's findings, grievance, actions and referral
    a = world.viewer("a")
    # when its remediation report is generated
    text = pdf_text(build(a, PERIOD))
    # then each figure of the summary is what the database holds
    open_findings = Finding.objects.filter(status=FindingStatus.OPEN, pk__in=[world.objects["finding"].pk]).count()
    assert figure_value(text, "Open findings") == str(open_findings)  # the desk finding is not shared with A
    assert figure_value(text, "Open grievances") == "1"
    today = datetime.date.today()
    overdue = CorrectiveAction.objects.filter(organization=world.orgs["a"], status="open", due_on__lt=today).count()
    assert figure_value(text, "Overdue corrective actions") == str(overdue)
    assert figure_value(text, "Verified closures in the period") == "1"
    referred = Referral.objects.filter(organization=world.orgs["a"], referred_at__isnull=False).count()
    assert figure_value(text, "People identified in the period and referred to protection services") == f"{referred} of 1"
    assert figure_value(text, "Median days to referral") == "2.0"  # identified on 3 March, referred on 5 March


def test_every_figure_has_its_appendix_entry_with_a_query(world):
    text = pdf_text(build(world.viewer("a"), PERIOD))
    start = text.rindex("Appendix: definitions and queries")  # the heading, after the contents' entry
    appendix, body = text[start:], text[:start]
    references = set(re.findall(r"\[(F\d+)\]", body))
    assert references and references == set(re.findall(r"\[(F\d+)\]", appendix))
    assert appendix.count("Query:") == len(references)
    assert "findings(first: 1, status: $status" in appendix  # a query of schema.graphql


def test_the_tables_name_categories_and_highlight_overdue_actions(world):
    text = pdf_text(build(world.viewer("a"), PERIOD))
    assert "Debt bondage forced labour" in text  # open findings by ILO indicator
    assert "Retention of identity documents" in text
    # the grievance's action was due on 1 May 2026: overdue from the next day on
    assert ("Open — OVERDUE" in text) == (datetime.date.today() > datetime.date(2026, 5, 1))
    assert "Pay back wages" in text and "Verified" in text


def test_no_reporter_identity_in_the_text_or_the_bytes(world):
    content = build(world.viewer("a"), PERIOD)
    text = pdf_text(content)
    for secret in (REPORTER_NAME, REPORTER_CONTACT, "ravi.reporter", "Ravi Kumar"):
        assert secret not in text
        assert secret.encode() not in content
    assert "passports kept by the supervisor" not in text  # nor a grievance's free text


def test_the_data_is_gathered_in_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    # given the data of the world, measured
    a, parameters = world.viewer("a"), ReportParameters("company", None, *PERIOD)
    with django_assert_max_num_queries(9) as small:  # 3 of them the grievance KPIs' (audits/services/kpis.py)
        gather.gather(a, parameters)
    # when the company has many more findings, actions and sites
    for number in range(15):
        add_site(world.users["a"], f"Extra site {number}")
        audits.create_finding(world.viewer("f"), {"category": "deception", "severity": "major", "description": "x"},
                              audit=world.objects["audit"])
        remediation.create_action(a, {"title": f"Action {number}", "due_on": datetime.date(2026, 3, 1)},
                                  grievance=world.objects["grievance"])
    # then gathering takes no more queries than before
    with django_assert_max_num_queries(len(small.captured_queries)):
        data = gather.gather(a, parameters)
    assert len(data.actions) >= 15


def test_a_site_report_covers_that_site_only(world):
    # given A's cases, all at the mill, and A's farm without any
    a = world.viewer("a")
    # when A's reports of the farm and of the mill are generated
    farm = pdf_text(build(a, PERIOD, "site", world.objects["farm"].pk))
    mill = pdf_text(build(a, PERIOD, "site", world.objects["mill"].pk))
    # then the farm's holds none of the mill's cases, and the mill's all of them
    assert "Site: A private farm (IN)" in farm
    assert figure_value(farm, "Open findings") == "0" and figure_value(farm, "Open grievances") == "0"
    assert "Debt bondage" not in farm and "Pay back wages" not in farm
    assert figure_value(mill, "Open findings") == "1" and "Pay back wages" in mill


def test_a_supplier_report_covers_its_sites(world):
    # given the mill operated by a supplier of A
    supplier = services.register_supplier(Viewer.of(world.users["a"]), {"name": "Mill Co", "country": "IN"})
    Site.objects.filter(pk=world.objects["mill"].pk).update(supplier=supplier)
    # when A's report of the supplier is generated
    text = pdf_text(build(world.viewer("a"), PERIOD, "supplier", supplier.pk))
    # then it covers the mill's cases
    assert "Supplier: Mill Co (IN)" in text
    assert figure_value(text, "Open findings") == "1" and figure_value(text, "Open grievances") == "1"


def test_root_causes_verification_methods_and_the_overdue_list(world):
    # given A's overdue action on the grievance, its root cause and verification method recorded
    action = world.objects["action"]
    CorrectiveAction.objects.filter(pk=action.pk).update(
        root_cause="Supervisors kept documents for safekeeping", verification_method="follow_up_audit")
    # when A's report is generated
    text = pdf_text(build(world.viewer("a"), PERIOD))
    # then the root cause and the method stand beside the action, and an overdue action is listed with its delay
    assert "Supervisors kept documents for safekeeping" in text
    assert "Follow-up audit at the site" in text
    if datetime.date.today() > action.due_on:
        late = (datetime.date.today() - action.due_on).days
        assert re.search(rf"Overdue corrective action Site Owner Due Days overdue .*{late}", text)


def test_the_grievance_mechanism_kpis_are_those_of_the_database(world):
    # given W's grievance routed to A, received today and acknowledged
    received = Grievance.objects.filter(routings__company=world.orgs["a"]).count()
    # when A's report of the year of its receipt is generated
    today = datetime.date.today()
    text = pdf_text(build(world.viewer("a"), (datetime.date(today.year, 1, 1), today)))
    # then the KPIs count it as received and not concluded
    kpis = text[text.rindex("6. Grievance mechanism"):]
    assert f"Grievances received {received} [F" in kpis
    assert "Grievances concluded 0 [F" in kpis
