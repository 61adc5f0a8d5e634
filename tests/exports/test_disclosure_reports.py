"""Disclosure reports: each framework's PDF shows its sections, the company's own text and approval, and figures
that are those of the database, each with its appendix entry; no reporter identity; the EU FLR evidence pack lists
every upstream site of its commodity; the workbook's text cannot become a formula."""

import datetime
import io
import re

import pytest
from openpyxl import load_workbook
from report_helpers import pdf_text
from report_world import report_world

from audits.models import CorrectiveAction
from exports.models import DisclosureFramework
from exports.reports import disclosure, statements
from exports.reports.frameworks import FRAMEWORKS
from factories import add_link
from graph.models import NetworkSite, RiskScore
from graph.services.risk import compute_risk
from support.audits_world import REPORTER_CONTACT, REPORTER_NAME

YEAR = (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))


def disclosure_world(make_org, make_user):
    """The report world, with the mill linked to company A (tier 1), its risk computed, and A's statement for
    the UK MSA in 2026 partly written and approved."""
    world = report_world(make_org, make_user)
    a = world.viewer("a")
    add_link(world.users["a"], world.objects["mill"])
    compute_risk(world.orgs["a"])
    statements.set_narrative(a, "UK_MSA", *YEAR, "b_policies", "Our supplier code forbids recruitment fees.")
    statements.set_approval(world.viewer("a_admin"), "UK_MSA", *YEAR, approved_by="Board of Company A",
                            approved_on=datetime.date(2027, 3, 1), signed_by="J. Director",
                            signed_on=datetime.date(2027, 3, 2))
    return world


@pytest.fixture
def world(make_org, make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return disclosure_world(make_org, make_user)


def pdf_of(world, framework: str, commodity: str | None = None) -> str:
    return pdf_text(disclosure.build_disclosure_pdf(world.orgs["a"], framework, *YEAR, commodity=commodity))


@pytest.mark.parametrize("framework", [code for code in FRAMEWORKS if code != DisclosureFramework.EU_FLR])
def test_every_section_of_the_framework_is_in_its_report(world, framework):
    text = pdf_of(world, framework)
    for section in FRAMEWORKS[framework].sections:
        assert section.heading in text
    assert "Appendix: definitions and queries" in text


def test_the_uk_statement_figures_are_those_of_the_database(world):
    # given A's network, its computed risk, the audit shared with it and W's grievance
    a = world.orgs["a"]
    sites = NetworkSite.objects.filter(company=a).count()
    severe_or_high = RiskScore.objects.filter(company=a, site__isnull=False, band__in=["high", "severe"]).count()
    # when A's UK MSA statement is generated
    text = pdf_of(world, "UK_MSA")
    # then the network, risk, audit, grievance and remediation figures are those of the database
    assert f"The network holds {sites} sites [F" in text
    assert re.search(rf"Sites by tier \[F\d+\] Tier Sites Tier 1 1 Not linked to the company {sites - 1}", text)
    assert f"{RiskScore.objects.filter(company=a, site__isnull=False).count()} sites of the network carry" in text
    assert re.search(rf"Highest-risk countries \[F\d+\] Country Sites High or severe Highest score India {sites} "
                     rf"{severe_or_high} ", text)
    assert re.search(r"1 audits began in the period at 1 sites \[F\d+\]", text)
    assert "SMETA" in text
    assert re.search(r"Grievances received in the period: 1; concluded: 0", text)
    verified = CorrectiveAction.objects.filter(organization=a, status="verified").count()
    assert re.search(rf"Corrective actions verified in the period: {verified} \[F\d+\]", text)


def test_the_company_s_text_and_approval_are_printed_and_missing_sections_said(world):
    text = pdf_of(world, "UK_MSA")
    assert "Our supplier code forbids recruitment fees." in text
    assert "Approved by Board of Company A on 01 March 2027" in text and "J. Director" in text
    assert 'has not written this section for the period' in text and 'section "f_training"' in text
    # another framework of the same period has its own (empty) statement
    assert "Not yet approved" in pdf_of(world, "DE_LKSG")


@pytest.mark.parametrize("framework", sorted(FRAMEWORKS))
def test_every_figure_has_its_appendix_entry_and_no_reporter_is_named(world, framework):
    commodity = "cotton" if framework == DisclosureFramework.EU_FLR else None
    content = disclosure.build_disclosure_pdf(world.orgs["a"], framework, *YEAR, commodity=commodity)
    text = pdf_text(content)
    start = text.rindex("Appendix: definitions and queries")
    body, appendix = text[:start], text[start:]
    references = set(re.findall(r"\[(F\d+)\]", body))
    assert references and references == set(re.findall(r"\[(F\d+)\]", appendix))
    assert appendix.count("Query:") == appendix.count("Period:") == len(references)
    for secret in (REPORTER_NAME, REPORTER_CONTACT, "ravi.reporter", "passports kept by the supervisor"):
        assert secret not in text and secret.encode() not in content


def test_the_flr_pack_lists_every_upstream_site_of_the_commodity(world):
    # given the mill (cotton, OS ID) and the farm in A's network, and a cocoa site that handles no cotton
    from graph import services
    from backend.tenancy import Viewer
    from factories import commodity
    services.register_site(Viewer.of(world.users["a"]), {"name": "Cocoa Coop", "country": "GH", "kind": "farm"},
                           commodities=[commodity("cocoa")])
    # when A's evidence pack for cotton is generated
    text = pdf_of(world, "EU_FLR", "cotton")
    # then each cotton site is listed with its identifiers and risk, and the cocoa site is not
    table = text[text.index("Upstream sites: identifiers, risk, evidence, actions and outcomes ["):]
    assert "Shared Mill (OS ID IN2019067X1K87E)" in table.replace("X1 K", "X1K") and "A private farm" in table
    assert "Cocoa Coop" not in text
    assert "Commodity: Cotton" in text and "2 upstream sites of the network handle this commodity" in text
    band = RiskScore.objects.get(company=world.orgs["a"], site=world.objects["mill"]).band
    assert re.search(rf"Shared Mill \(OS ID IN2019067X1 ?K87E\) IN 1 {band}; FL", table)


def test_the_canadian_report_answers_the_questionnaire(world):
    text = pdf_of(world, "CA_S211")
    assert "Steps taken to assess and manage the risk: audits in the period 1" in text
    assert "Grievances reported in the period / concluded 1 / 0" in text


def test_the_workbook_keeps_formula_looking_text_as_text(world):
    # given a narrative and an approver that look like formulas
    a = world.viewer("a")
    for section, text in (("a_structure", "=HYPERLINK(\"http://evil.example\",\"x\")"), ("d_risk", "+1+1"),
                          ("e_effectiveness", "-2+3"), ("f_training", "@SUM(A1)")):
        statements.set_narrative(a, "UK_MSA", *YEAR, section, text)
    # when the workbook is built and read back
    book = load_workbook(io.BytesIO(disclosure.build_disclosure_workbook(world.orgs["a"], "UK_MSA", *YEAR)))
    # then every such cell is a text cell with the quote prefix, in every sheet
    looking = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
               if isinstance(cell.value, str) and cell.value[:1] in "=+-@"]
    assert {"=HYPERLINK(\"http://evil.example\",\"x\")", "+1+1", "-2+3", "@SUM(A1)"} <= {c.value for c in looking}
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in looking)
    # and the sheets carry the figures and their appendix
    assert {"About", "Network by tier", "Risk bands", "Narrative", "Appendix"} <= set(book.sheetnames)
    about = {row[0].value: row[1].value for row in book["About"].iter_rows(min_row=2)}
    assert about["Approved by"] == "Board of Company A"
    for secret in (REPORTER_NAME, REPORTER_CONTACT):
        assert all(secret not in str(cell.value) for sheet in book.worksheets for row in sheet.iter_rows()
                   for cell in row)


def test_the_data_is_gathered_in_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    from exports.reports.disclosure import disclosure_parameters
    from exports.reports.disclosure_gather import gather_disclosure
    from factories import add_site
    a = world.viewer("a")
    parameters = disclosure_parameters(a, "EU_FLR", *YEAR, commodity="cotton")
    with django_assert_max_num_queries(40) as small:
        gather_disclosure(a, parameters)
    for number in range(12):
        add_site(world.users["a"], f"Extra cotton site {number}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        data = gather_disclosure(a, parameters)
    assert len(data.evidence) == 14


def test_names_outside_the_pdf_fonts_lose_their_accents_rather_than_print_as_boxes():
    from exports.reports.pdf import text
    assert text("Şanlıurfa, Türkiye & Co") == "Sanliurfa, Türkiye &amp; Co"


def test_what_works_counts_the_actions_verified_in_the_period(world):
    # given A's action verified this year (report_world's "Pay back wages"), not classified by intervention
    verified = CorrectiveAction.objects.filter(organization=world.orgs["a"], status="verified").count()
    # when A's UK statement of the year is generated
    today = datetime.date.today()
    text = pdf_text(disclosure.build_disclosure_pdf(world.orgs["a"], "UK_MSA", datetime.date(today.year, 1, 1), today))
    # then the outcomes table lists it under its intervention type, its recurrence still pending
    assert f"What works: the {verified} corrective actions verified in the period" in text
    assert re.search(rf"Not classified {verified} \S+ 0 of 0 \({verified} pending\)", text)
