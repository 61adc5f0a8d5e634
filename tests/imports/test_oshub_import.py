"""The pieces of importing an Open Supply Hub list as it is: countries and sectors as people write them, a
derived site reference, mappings and presets, decisions bound to the sites they produced, decisions in bulk."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from graphql_relay import to_global_id

from backend.tenancy import Viewer
from factories import add_site
from graph.countries import country_code_of, country_suggestions
from graph.models import NetworkSite, NetworkSiteAlias, Site, SupplyLink
from imports.models import ResolutionDecision, Status
from imports.services import jobs
from support.import_helpers import csv_text, problems, upload

OSHUB = ["name", "address", "country", "sector", "os_id"]
DECIDE_ALL = """mutation($job: ID!, $score: Float, $decisions: [ImportSiteDecisionInput!]) {
  importSiteMatchDecideAll(jobId: $job, minScore: $score, decisions: $decisions) {
    decided job { status } errors { field code } } }"""


def run(user, header, rows, *, commit=True, mapping=None, name="list.csv"):
    job = jobs.create_job(Viewer.of(user), "supply_map", upload(csv_text(header, rows), name), commit=commit,
                          mapping=mapping, queue=False)
    return jobs.commit(job) if commit else jobs.validate(job)


@pytest.mark.parametrize("written, code", [
    ("Bangladesh", "BD"), ("BANGLADESH", "BD"), ("Turkey", "TR"), ("Türkiye", "TR"), ("UAE", "AE"),
    ("Viet Nam", "VN"), ("Vietnam", "VN"), ("South Korea", "KR"), ("Ivory Coast", "CI"), ("côte d’ivoire", "CI"),
    ("Czechia", "CZ"), ("IN", "IN"), ("IND", "IN"), ("Korea, Republic of", "KR"), ("U.K.", "GB"),
])
def test_a_country_is_read_as_people_write_it(written, code):
    assert country_code_of(written) == code


def test_an_unknown_country_is_refused_on_its_row_with_suggestions(analyst):
    # when a list names a country no one knows, next to a good row
    job = run(analyst, OSHUB, [["Mill", "Road 1", "Bangladsh", "Apparel", ""], ["Other", "Road 2", "Turkey", "", ""]])
    # then that row's cell is refused, naming the nearest country; the other row has no problem
    assert [(p[0], p[1], p[2]) for p in problems(job)] == [(2, "country", "invalid_country")]
    assert "Did you mean Bangladesh" in job.problems.get().message
    assert country_suggestions("Bangladsh")[0] == "Bangladesh"


def test_a_commodity_alias_is_accepted_and_an_unknown_value_names_the_nearest(analyst):
    header = ["Site reference", "Site name", "Country", "Commodities"]
    # given a map naming commodities by sector (Apparel), and one misspelt
    job = run(analyst, header, [["S-1", "Mill", "IN", "Apparel; Shoes"], ["S-2", "Farm", "IN", "cocooa"]])
    # then the alias is read; the misspelling is refused with the nearest accepted values
    (problem,) = job.problems.all()
    assert (problem.row, problem.code) == (3, "invalid_choice")
    assert "Nearest: cocoa" in problem.message
    job = run(analyst, header, [["S-1", "Mill", "IN", "Apparel; Shoes"]])
    assert job.status == Status.COMMITTED
    assert set(Site.objects.get().commodities.values_list("code", flat=True)) == {"garments", "footwear"}


def test_a_sector_naming_no_commodity_is_kept_as_extra_data_with_a_warning(analyst, company, api):
    # when an OS Hub list gives a sector no commodity stands for, and one no table knows
    job = run(analyst, OSHUB, [["Box Co", "Road 1", "IN", "Packaging", ""], ["Odd Co", "Road 2", "IN", "Apparell", ""]])
    # then it imports; the unknown sector is a warning naming the nearest commodity
    assert job.status == Status.COMMITTED, problems(job)
    (warning,) = job.problems.filter(severity="warning")
    assert warning.code == "unknown_sector" and "garments" in warning.message
    # and both sectors are the sites' extra data, shown in the API
    site = Site.objects.get(name="Odd Co")
    seen = api(analyst).data("query($id: ID!) { site(id: $id) { extraData } }", {"id": to_global_id("Site", site.pk)})
    assert json.loads(seen["site"]["extraData"]) == {"sector": ["Apparell"]}


def test_a_list_with_links_still_needs_site_references(analyst):
    job = run(analyst, ["Site name", "Country", "Commodity supplied"], [["Mill", "IN", "cotton"]])
    assert [(p[1], p[2]) for p in problems(job)] == [("Site reference", "missing_column")]


def test_repeated_rows_of_one_facility_become_one_site_and_take_the_os_id_another_row_gives(analyst, company):
    rows = [["Sunrise Mill Ltd", "Plot 4, Tongi", "Bangladesh", "Apparel", "BD2019067X1K87E"],
            ["SUNRISE MILL LIMITED", "plot 4 tongi", "BANGLADESH", "Apparel|Textiles", ""],
            ["Sunrise Mill", "Plot 4, Tongi", "BD", "", ""]]
    job = run(analyst, OSHUB, rows)
    assert job.status == Status.COMMITTED, problems(job)
    entry = NetworkSite.objects.get(company=company)
    assert (entry.internal_ref, entry.site.os_id) == ("BD2019067X1K87E", "BD2019067X1K87E")
    assert entry.extra["sector"] == ["Apparel", "Textiles"]


def test_a_mapping_file_can_build_a_column_from_others_and_the_preset_reads_oshub_lists(analyst, company, tmp_path):
    # given a list whose address is spread over three columns, and a mapping building it
    path = tmp_path / "list.csv"
    path.write_text(csv_text(["Factory", "Street", "City", "Nation"], [["Mill", "Road 1", "Tongi", "Bangladesh"]]))
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"columns": {"Factory": "site_name", "Nation": "country"},
                                   "build": {"address": ["Street", "City"]}}))
    call_command("import_file", "supply_map", str(path), "--org", company.name, "--mapping", str(mapping),
                 stdout=StringIO(), stderr=StringIO())
    assert Site.objects.get().address == "Road 1, Tongi"
    # and the OS Hub preset reads an OS Hub list's columns
    oshub = tmp_path / "oshub.csv"
    oshub.write_text(csv_text(["name", "address", "country", "number_of_workers", "os_id"],
                              [["Dye House", "Road 9", "Turkey", "100-200", "TR2020123AB12CD"]]))
    call_command("import_file", "supply_map", str(oshub), "--org", company.name, "--preset", "oshub",
                 stdout=StringIO(), stderr=StringIO())
    assert Site.objects.get(os_id="TR2020123AB12CD").workers == 150


def test_a_new_site_decision_is_bound_to_the_site_it_created(analyst, company):
    # given a look-alike of a site of A's network, answered "a new site" and committed
    add_site(analyst, "Sunrise Garments", country="IN", address="Plot 4, Tiruppur", internal_ref="OLD")
    job = run(analyst, ["Site reference", "Site name", "Address", "Country"],
              [["S-1", "Sunrise Garment", "Plot 4 Tirupur", "IN"]], commit=False)
    jobs.decide(Viewer.of(analyst), job, "S-1", None)
    job.refresh_from_db()
    assert jobs.commit(job).status == Status.COMMITTED
    created = NetworkSite.objects.get(company=company, internal_ref="S-1").site
    assert ResolutionDecision.objects.get(organization=company).site == created
    # when the same row comes again under another reference
    again = run(analyst, ["Site reference", "Site name", "Address", "Country"],
                [["S-99", "Sunrise Garment", "Plot 4 Tirupur", "IN"]])
    # then it is that site (now also known as S-99), not a third one
    assert again.status == Status.COMMITTED and Site.objects.count() == 2
    assert NetworkSite.objects.get(company=company, site=created).internal_ref == "S-99"
    assert NetworkSiteAlias.objects.get(company=company).ref == "S-1"


def test_an_exact_match_known_under_another_reference_is_merged_without_a_question(analyst, company):
    site = add_site(analyst, "Sunrise Garments", country="IN", address="Plot 4, Tiruppur", internal_ref="OLD")
    job = run(analyst, ["Site reference", "Site name", "Address", "Country"],
              [["NEW", "SUNRISE GARMENTS PVT LTD", "plot 4 tiruppur", "IN"]])
    assert job.status == Status.COMMITTED and Site.objects.count() == 1
    # and a later file under the old reference changes nothing
    old = run(analyst, ["Site reference", "Site name", "Address", "Country"],
              [["OLD", "Sunrise Garments", "Plot 4, Tiruppur", "IN"]])
    assert (old.created_count, old.updated_count) == (0, 0)
    assert NetworkSite.objects.get(company=company, site=site).internal_ref == "NEW"


@pytest.fixture
def waiting(analyst):
    """A job with two look-alikes awaiting review."""
    add_site(analyst, "Sunrise Garments", country="IN", address="Plot 4, Tiruppur", internal_ref="OLD-1")
    add_site(analyst, "Moonlight Textiles", country="IN", address="Road 2, Erode", internal_ref="OLD-2")
    job = run(analyst, ["Site reference", "Site name", "Address", "Country"],
              [["S-1", "Sunrise Garment", "Plot 4 Tirupur", "IN"], ["S-2", "Moonlight Textile", "Road 2 Erode", "IN"]],
              commit=False)
    assert job.candidates.count() == 2
    return job


def test_review_decisions_in_bulk_through_the_api(api, analyst, waiting, django_capture_on_commit_callbacks):
    # when A accepts every candidate scoring 80 or more
    with django_capture_on_commit_callbacks(execute=True):
        result = api(analyst).data(DECIDE_ALL, {"job": to_global_id("ImportJob", waiting.pk), "score": 80})
    # then both are answered and the job is validated again
    assert result["importSiteMatchDecideAll"]["decided"] == 2
    waiting.refresh_from_db()
    assert waiting.status == Status.READY and ResolutionDecision.objects.count() == 2


def test_a_bulk_decision_for_a_site_that_is_not_a_candidate_changes_nothing(api, analyst, waiting):
    stranger = add_site(analyst, "Unrelated", country="IN")
    result = api(analyst).data(DECIDE_ALL, {"job": to_global_id("ImportJob", waiting.pk), "decisions": [
        {"siteRef": "S-1", "siteId": None}, {"siteRef": "S-2", "siteId": to_global_id("Site", stranger.pk)}]})
    assert result["importSiteMatchDecideAll"]["errors"] == [{"field": "siteId", "code": "NOT_A_CANDIDATE"}]
    assert not ResolutionDecision.objects.exists() and waiting.candidates.count() == 2


def test_bulk_decisions_need_the_import_permission_and_the_job_of_ones_organization(api, viewer_user, other_analyst,
                                                                                  waiting):
    variables = {"job": to_global_id("ImportJob", waiting.pk), "score": 0}
    denied = api(viewer_user)(DECIDE_ALL, variables)
    assert denied["errors"] and denied["data"]["importSiteMatchDecideAll"] is None
    foreign = api(other_analyst).data(DECIDE_ALL, variables)["importSiteMatchDecideAll"]
    assert foreign["errors"] == [{"field": "jobId", "code": "NOT_FOUND"}]
    assert waiting.candidates.count() == 2


def test_review_decisions_from_a_csv_in_the_import_command(analyst, company, tmp_path):
    add_site(analyst, "Sunrise Garments", country="IN", address="Plot 4, Tiruppur", internal_ref="OLD-1")
    path = tmp_path / "map.csv"
    path.write_text(csv_text(["Site reference", "Site name", "Address", "Country"],
                             [["S-1", "Sunrise Garment", "Plot 4 Tirupur", "IN"]]))
    decisions = tmp_path / "decisions.csv"
    decisions.write_text("site_ref,site_id\nS-1,new\n")
    out = StringIO()
    call_command("import_file", "supply_map", str(path), "--org", company.name, "--decisions", str(decisions),
                 stdout=out, stderr=StringIO())
    assert "1 review decisions given" in out.getvalue() and "committed" in out.getvalue()
    assert Site.objects.count() == 2


LINKS = ["Site reference", "Site name", "Country", "Buyer site reference", "Commodity supplied", "Share of buyer's supply"]


def test_shares_over_one_by_rounding_are_accepted_with_a_warning_naming_the_total_and_rows(analyst):
    rows = [["M", "Mill", "IN", "", "", ""], ["A", "Gin A", "IN", "M", "cotton", "0.34"],
            ["B", "Gin B", "IN", "M", "cotton", "0.33"], ["C", "Gin C", "IN", "M", "cotton", "0.34"]]
    job = run(analyst, LINKS, rows)
    assert job.status == Status.COMMITTED, problems(job)
    warning = job.problems.filter(code="share_rounding").first()
    assert "1.0100 (rows 3, 4, 5)" in warning.message
    # and beyond the tolerance the total and the rows are named in the refusal
    rows[3][5] = "0.40"
    refused = run(analyst, LINKS, [[*row[:1], row[1] + " 2", *row[2:]] if row[0] else row for row in rows])
    assert refused.status == Status.INVALID
    assert "1.0700 (rows 3, 4, 5)" in refused.problems.filter(code="share_total").first().message


def test_shares_written_as_percentages_without_a_sign_are_read_as_percentages(analyst):
    rows = [["M", "Mill", "IN", "", "", ""], ["A", "Gin A", "IN", "M", "cotton", "35"],
            ["B", "Gin B", "IN", "M", "cotton", "65 %"]]
    job = run(analyst, LINKS, rows)
    assert job.status == Status.INVALID  # "65 %" is already 0.65: a mixed column is not guessed at
    rows[2][5] = "65"
    job = run(analyst, LINKS, rows)
    assert job.status == Status.COMMITTED, problems(job)
    assert sorted(SupplyLink.objects.values_list("share", flat=True)) == [Decimal("0.35"), Decimal("0.65")]
    assert job.problems.filter(code="share_percent").exists()


def test_columns_no_import_knows_are_kept_as_the_sites_extra_data(analyst, company):
    job = run(analyst, ["name", "address", "country", "Brand notes"], [["Mill", "Road 1", "IN", "audited 2024"]])
    assert job.status == Status.COMMITTED, problems(job)
    assert "kept as each site's extra data" in job.problems.get(code="unknown_column").message
    assert NetworkSite.objects.get(company=company).extra == {"Brand notes": ["audited 2024"]}
