"""Data exports as files (issue 17): the risk register, the cases tables and the network graph, read back from
the XLSX, CSV, GraphML and JSON they are written as; what a company sees and nothing more (no reporter, no other
company's rows); formula-looking text neutralised in every cell."""

import csv
import io
import json

import networkx as nx
import pytest
from django.core.exceptions import ValidationError
from graphql_relay import to_global_id
from openpyxl import Workbook, load_workbook
from report_world import report_world

from backend.tenancy import Viewer
from backend.xlsx import csv_cell, safe_cell
from exports.data import datasets
from factories import add_link, add_site, chain
from graph.models import RiskScore
from graph.services.risk import compute_risk, explain
from support.audits_world import REPORTER_CONTACT, REPORTER_NAME, SECRET

HOSTILE = ("=HYPERLINK(\"http://x\",\"y\")", "+1+cmd", "-2+3", "@SUM(A1)")  # names: the services strip spaces


@pytest.fixture
def world(make_org, make_user):
    return report_world(make_org, make_user)


def exported(viewer, dataset: str, file_format: str) -> bytes:
    out = io.BytesIO()
    datasets.write(viewer, dataset, file_format, out)
    return out.getvalue()


def sheet_rows(content: bytes) -> list[dict]:
    """The first sheet's rows as {header: value}."""
    header, *rows = load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True)
    return [dict(zip(header, row)) for row in rows]


def csv_rows(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def every_text(content: bytes, file_format: str) -> str:
    """All the text of a file: every cell of every sheet of a workbook, or the file itself."""
    if file_format != "xlsx":
        return content.decode("utf-8-sig")
    workbook = load_workbook(io.BytesIO(content))
    return "\n".join(str(value) for sheet in workbook for row in sheet.iter_rows(values_only=True) for value in row)


def test_the_risk_register_lists_every_node_with_its_scores_causes_and_top_path(analyst):
    # given Farm (China) → Gin → Mill → the company and a second mill, scored
    farm = add_site(analyst, "Farm", "CN", kind="farm")
    gin, mill = chain(analyst, ["Gin", "Mill"])
    add_link(analyst, farm, gin, share=0.9)
    second = add_site(analyst, "Second mill")
    add_link(analyst, second, None, share=0.2)
    compute_risk(analyst.organization)
    # when the register is exported
    rows = sheet_rows(exported(Viewer.of(analyst), "risk_register", "xlsx"))
    # then it lists the company first, then every site, riskiest first, with the stored scores
    assert rows[0]["Name"] == analyst.organization.name and len(rows) == 5
    worse = [max(row["Child-labour risk"], row["Forced-labour risk"]) for row in rows[1:]]
    assert worse == sorted(worse, reverse=True)
    stored = RiskScore.objects.get(site=farm)
    farm_row = next(row for row in rows if row["Name"] == "Farm")
    assert farm_row["Forced-labour risk"] == pytest.approx(stored.forced_labour)
    assert farm_row["Band (worse dimension)"] == stored.band and farm_row["Tier"] == 3
    # and each own risk's two causes add up to it
    for row in rows[1:]:
        for name, label in (("child_labour", "child-labour"), ("forced_labour", "forced-labour")):
            parts = row[f"… of own {label} risk from inherent risk"] + row[f"… of own {label} risk from evidence"]
            assert parts == pytest.approx(row[f"Own {label} risk"])
    # and each node's top path is the heaviest path its explanation lists
    sites = {site.name: site.pk for site in (farm, gin, mill, second)} | {analyst.organization.name: None}
    names = {pk: name for name, pk in sites.items()}
    for row in rows:
        graph, explanation = explain(analyst.organization, sites[row["Name"]], "forced_labour")
        heaviest = explanation.paths[0]
        assert row["Top forced-labour path (source first)"] == " → ".join(
            names[graph.site_of(node)] for node in heaviest.nodes)
        assert row["Top forced-labour path's share of the score"] == pytest.approx(heaviest.fraction_of_score)


def test_the_evidence_at_a_site_shows_as_its_own_risk_s_evidence_part(world):
    # given the mill's finding and grievance, scored for company A
    compute_risk(world.orgs["a"])
    # when A exports its register
    mill = next(row for row in sheet_rows(exported(world.viewer("a"), "risk_register", "xlsx"))
                if row["Name"] == "Shared Mill")
    # then part of the mill's own forced-labour risk comes from that evidence, and the parts add up to it
    stored = RiskScore.objects.get(company=world.orgs["a"], site=world.objects["mill"])
    assert mill["… of own forced-labour risk from evidence"] > 0.0
    assert mill["… of own forced-labour risk from inherent risk"] + mill["… of own forced-labour risk from evidence"] \
        == pytest.approx(stored.own_forced_labour)
    assert stored.own_forced_labour > stored.inherent_forced_labour


TABLES = ("risk_register", "findings", "corrective_actions", "grievances", "referrals")


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_the_cases_tables_show_what_the_company_sees(world, file_format):
    # given company A's findings (one shared audit), grievance, actions and referral at the mill
    a = world.viewer("a")
    read = sheet_rows if file_format == "xlsx" else csv_rows
    # when A exports each table
    findings, actions, grievances, referrals = (
        read(exported(a, name, file_format)) for name in ("findings", "corrective_actions", "grievances", "referrals"))
    # then each lists A's records by their GraphQL IDs, the desk finding F did not share left out
    assert [row["Finding ID (GraphQL)"] for row in findings] == [world.ids["finding"]]
    assert findings[0]["Category"] == "Debt bondage" and findings[0]["Audit firm"] == "Audit Firm F"
    assert {row["Action ID (GraphQL)"] for row in actions} >= {world.ids["action"], world.ids["finding_action"]}
    assert [row["Grievance ID (GraphQL)"] for row in grievances] == [world.ids["grievance"]]
    assert grievances[0]["Site"] == "Shared Mill" and grievances[0]["Filed by"] == "Workers Org W"
    assert grievances[0]["State"] == "Acknowledged"
    assert [row["Referral ID (GraphQL)"] for row in referrals] == [world.ids["referral"]]
    assert float(referrals[0]["Days to referral"]) == 2.0


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
@pytest.mark.parametrize("dataset", TABLES)
def test_no_export_names_the_reporter(world, dataset, file_format):
    text = every_text(exported(world.viewer("a"), dataset, file_format), file_format)
    assert REPORTER_NAME not in text and REPORTER_CONTACT not in text
    assert "Ravi" not in text and "98400" not in text


@pytest.mark.parametrize("dataset", [*TABLES, "network_graph"])
def test_another_company_sees_none_of_it(world, dataset):
    # given company B, which sources from nothing of A's
    file_format = "json" if dataset == "network_graph" else "csv"
    # when B exports the dataset
    text = every_text(exported(world.viewer("b"), dataset, file_format), file_format)
    # then none of A's private texts, sites or IDs is in it
    assert SECRET not in text and "A private farm" not in text and "Shared Mill" not in text
    assert world.ids["mill"] not in text and world.ids["grievance"] not in text


def test_formula_looking_text_is_neutralised_in_every_cell(analyst):
    # given sites whose names look like formulas
    for name in HOSTILE:
        add_link(analyst, add_site(analyst, name), None, share=0.1)
    viewer = Viewer.of(analyst)
    # when the register is exported as XLSX and CSV
    sheet = load_workbook(io.BytesIO(exported(viewer, "risk_register", "xlsx"))).worksheets[0]
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row if cell.value in HOSTILE]
    lines = csv_rows(exported(viewer, "risk_register", "csv"))
    # then every such cell is text with Excel's quote prefix, and every such CSV field starts with '
    assert len(cells) == len(HOSTILE)
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in cells)
    assert sorted(row["Name"] for row in lines if row["Name"] != analyst.organization.name) == sorted(
        "'" + name for name in HOSTILE)


@pytest.mark.parametrize("text", [*HOSTILE, "\tcalc", "\r=1"])
def test_text_starting_with_a_tab_or_carriage_return_is_neutralised_too(text):
    sheet = Workbook(write_only=True).create_sheet()
    cell = safe_cell(sheet, text)
    assert (cell.data_type, cell.quotePrefix) == ("s", True) and csv_cell(text) == "'" + text


@pytest.mark.parametrize("number", ["-12.5", "-3", "42"])
def test_a_plain_number_stays_a_number_in_csv(number):
    assert csv_cell(number) == number


def test_the_network_graph_carries_the_risk_of_every_node(analyst):
    # given a scored chain
    farm, mill = chain(analyst, ["Farm", "Mill"])
    compute_risk(analyst.organization)
    viewer = Viewer.of(analyst)
    # when it is exported as GraphML and JSON node-link
    graphml = nx.read_graphml(io.BytesIO(exported(viewer, "network_graph", "graphml")))
    node_link = nx.node_link_graph(json.loads(exported(viewer, "network_graph", "json")), edges="links")
    # then both hold the company and the sites, the links upstream → downstream, and the stored scores
    for graph in (graphml, node_link):
        assert graph.number_of_nodes() == 3 and graph.number_of_edges() == 2
        farm_id, mill_id = (to_global_id("Site", site.pk) for site in (farm, mill))
        assert graph.has_edge(farm_id, mill_id) and graph.has_edge(mill_id, "company")
        assert graph.nodes[farm_id]["label"] == "Farm"
        assert graph.nodes[farm_id]["forced_labour"] == pytest.approx(RiskScore.objects.get(site=farm).forced_labour)
        assert graph.nodes["company"]["kind"] == "company"


@pytest.mark.parametrize(("dataset", "file_format", "field"), [
    ("everything", "xlsx", "dataset"), ("risk_register", "graphml", "format"), ("network_graph", "csv", "format"),
])
def test_an_unknown_dataset_or_format_is_refused_naming_the_field(analyst, dataset, file_format, field):
    with pytest.raises(ValidationError) as refused:
        exported(Viewer.of(analyst), dataset, file_format)
    assert list(refused.value.error_dict) == [field]
    assert (dataset if field == "dataset" else file_format) in str(refused.value)
