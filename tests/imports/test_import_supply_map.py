"""Supply-map imports: the dry run, the all-or-nothing commit, idempotency and every problem reported where it is."""

from decimal import Decimal

import pytest

from backend.tenancy import Viewer
from factories import add_site
from graph.models import NetworkSite, NetworkSupplier, Site, Supplier, SupplyLink
from imports.models import Status
from support.import_helpers import SUPPLY_MAP_HEADER, commit, csv_text, dry_run, problems, xlsx_bytes

MAP_ROWS = [
    ["S-1", "Usine Nord", "facility", "1 rue des Lilas, Lille", "FR", "garments", "V-1", "Acme SA", "", "garments", "50%"],
    ["S-1", "Usine Nord", "facility", "1 rue des Lilas, Lille", "FR", "fabric", "V-1", "Acme SA", "", "fabric", "0.25"],
    ["S-2", "Ferme Sud", "farm", "Route 2", "France", "cotton", "", "", "S-1", "cotton", "0,3"],
    ["S-3", "Gin Est", "facility", "", "IN", "cotton", "", "", "S-1", "cotton", "0.2"],
    ["S-4", "Field Four", "farm", "", "IN", "cotton", "", "", "S-3", "cotton", ""],
]
MAP = csv_text(SUPPLY_MAP_HEADER, MAP_ROWS)


def stored(company) -> dict:
    """Every row the import may write for a company, to compare before and after."""
    return {
        "sites": list(Site.objects.filter(registered_by=company).order_by("pk").values()),
        "suppliers": list(Supplier.objects.filter(registered_by=company).order_by("pk").values()),
        "network": list(NetworkSite.objects.filter(company=company).order_by("pk").values()),
        "network_suppliers": list(NetworkSupplier.objects.filter(company=company).order_by("pk").values()),
        "links": list(SupplyLink.objects.filter(company=company).order_by("pk").values()),
        "commodities": list(Site.commodities.through.objects.filter(site__registered_by=company).order_by("pk").values()),
    }


def test_dry_run_reports_what_would_be_created_and_writes_nothing(analyst, company):
    # given a clean supply map of four sites, one supplier and five links
    # when it is only validated
    job = dry_run(analyst, "supply_map", MAP)
    # then every row would create something, the counts by entity are given, and nothing is written
    assert job.status == Status.READY, problems(job)
    assert (job.created_count, job.updated_count, job.unchanged_count, job.rejected_count) == (5, 0, 0, 0)
    assert job.summary["entities"] == {
        "sites": {"created": 4, "updated": 0, "unchanged": 0},
        "suppliers": {"created": 1, "updated": 0, "unchanged": 0},
        "links": {"created": 5, "updated": 0, "unchanged": 0},
    }
    assert len(job.sha256) == 64
    assert not Site.objects.exists() and not SupplyLink.objects.exists()


def test_commit_writes_the_network_with_references_and_tiers(analyst, company):
    # given the supply map; when it is committed
    job = commit(analyst, "supply_map", MAP)
    # then the sites join the network under the file's references, with tiers derived from the links
    assert job.status == Status.COMMITTED, list(job.problems.values_list("message", flat=True))
    tiers = dict(NetworkSite.objects.filter(company=company).values_list("internal_ref", "tier"))
    assert tiers == {"S-1": 1, "S-2": 2, "S-3": 2, "S-4": 3}
    shares = dict(SupplyLink.objects.filter(company=company).values_list("external_ref", "share"))
    assert shares == {
        "S-1>*>garments": Decimal("0.5"), "S-1>*>fabric": Decimal("0.25"), "S-2>S-1>cotton": Decimal("0.3"),
        "S-3>S-1>cotton": Decimal("0.2"), "S-4>S-3>cotton": None,
    }
    mill = Site.objects.get(network_entries__internal_ref="S-1")
    assert mill.supplier.name == "Acme SA" and mill.address == "1 rue des Lilas, Lille"
    assert sorted(mill.commodities.values_list("code", flat=True)) == ["fabric", "garments"]
    assert Site.objects.get(network_entries__internal_ref="S-2").country == "FR"


def test_the_same_file_twice_changes_nothing_the_second_time(analyst, company):
    # given the supply map committed once
    first = commit(analyst, "supply_map", MAP)
    before = stored(company)
    # when the very same file is committed again
    second = commit(analyst, "supply_map", MAP)
    # then every row is unchanged, no row of the database changed (not even a timestamp), and the file is known
    assert second.status == Status.COMMITTED
    assert (second.created_count, second.updated_count, second.unchanged_count) == (0, 0, 5)
    assert second.sha256 == first.sha256
    assert stored(company) == before


def test_a_changed_row_updates_only_what_it_changes(analyst, company):
    # given the supply map committed once
    commit(analyst, "supply_map", MAP)
    # when the farm's share and the gin's address change
    rows = [list(row) for row in MAP_ROWS]
    rows[2][10] = "0.35"
    rows[3][3] = "NH 44, Adilabad"
    job = commit(analyst, "supply_map", csv_text(SUPPLY_MAP_HEADER, rows))
    # then exactly those two rows are updated
    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 2, 3)
    assert SupplyLink.objects.get(external_ref="S-2>S-1>cotton").share == Decimal("0.35")
    assert Site.objects.get(network_entries__internal_ref="S-3").address == "NH 44, Adilabad"


BAD_ROWS = [
    ["S-1", "Usine Nord", "factory", "", "FR", "cotton", "", "", "", "cotton", "0.5"],           # 2: bad site type
    ["S-2", "Ferme", "farm", "", "Atlantis", "cotton", "", "", "S-1", "cotton", "0.2"],         # 3: bad country
    ["S-3", "Gin", "facility", "", "IN", "cotton, plutonium", "", "", "S-1", "cotton", "x"],    # 4: commodity, share
    ["S-4", "", "farm", "", "IN", "cotton", "", "", "S-9", "cotton", "0.1"],                    # 5: name, unknown buyer
    ["S-5", "Loop", "farm", "", "IN", "cotton", "", "", "S-5", "cotton", ""],                   # 6: supplies itself
    ["S-1", "Usine Sud", "facility", "", "FR", "cotton", "", "", "", "fabric", "0.5"],          # 7: contradicts row 2
    ["S-6", "Big", "farm", "", "IN", "cotton", "", "", "S-1", "cotton", "0.9"],                 # 8: S-1 > 1 with row 3
    ["S-7", "Dup", "farm", "", "IN", "cotton", "", "", "", "", "0.1"],                          # 9: share without commodity
]


def test_every_problem_is_reported_with_its_row_column_and_code_and_nothing_is_written(analyst, company):
    # given a file with one problem (or two) on each row
    # when it is committed
    job = commit(analyst, "supply_map", csv_text(SUPPLY_MAP_HEADER, BAD_ROWS))
    # then nothing is written and each problem names its cell
    assert job.status == Status.INVALID
    assert not Site.objects.exists() and not SupplyLink.objects.exists()
    assert problems(job) == [
        (2, "Site type", "invalid_choice"),
        (3, "Country", "invalid_country"),  # held back on its own: its share no longer counts in S-1's total
        (4, "Commodities", "invalid_choice"),
        (4, "Share of buyer's supply", "invalid_number"),
        (5, "Site name", "required"),
        (5, "Buyer site reference", "unknown_reference"),
        (6, "Buyer site reference", "self_loop"),
        (7, "Site name", "conflict"),
        (9, "Commodity supplied", "required"),
    ]
    # row 8's 0.9 of S-1 was over 1 only with the 0.2 of row 3, which is not imported (its country is unknown)
    assert job.rejected_count == 7


@pytest.mark.parametrize("name", ["upload.xlsx", "upload.csv"])
def test_a_cell_showing_an_excel_error_is_a_problem_not_a_value(analyst, company, name):
    # given a map whose site name and share are formulas that failed (openpyxl stores "#N/A" as an error cell)
    rows = [list(row) for row in MAP_ROWS]
    rows[0][1], rows[2][10] = "#N/A", "#DIV/0!"
    content = xlsx_bytes(SUPPLY_MAP_HEADER, rows) if name.endswith(".xlsx") else csv_text(SUPPLY_MAP_HEADER, rows)
    # when it is committed
    job = commit(analyst, "supply_map", content, name)
    # then each error cell is reported with its value, and nothing is written
    assert job.status == Status.INVALID
    assert (2, "Site name", "excel_error") in problems(job)
    assert (4, "Share of buyer's supply", "excel_error") in problems(job)
    assert job.problems.get(code="excel_error", row=4).value == "#DIV/0!"
    assert not Site.objects.exists()


def test_one_bad_row_among_good_ones_blocks_the_whole_commit(analyst, company):
    # given the good supply map plus one row with an impossible date
    header = [*SUPPLY_MAP_HEADER, "Valid from"]
    rows = [[*row, ""] for row in MAP_ROWS] + [["S-9", "Late", "farm", "", "IN", "", "", "", "S-1", "cotton", "", "2024-02-30"]]
    # when it is committed
    job = commit(analyst, "supply_map", csv_text(header, rows))
    # then nothing at all is written: the dry-run counts show what the good rows would have done
    assert job.status == Status.INVALID
    assert problems(job) == [(7, "Valid from", "invalid_date")]
    assert (job.created_count, job.rejected_count) == (5, 1)
    assert not Site.objects.exists()


def test_an_unknown_column_is_reported_but_the_rest_imports(analyst, company):
    # given the supply map with an extra "Notes" column nobody maps
    header = [*SUPPLY_MAP_HEADER, "Notes"]
    rows = [[*row, "check"] for row in MAP_ROWS]
    # when it is validated
    job = dry_run(analyst, "supply_map", csv_text(header, rows))
    # then the column is reported as a warning (never silently dropped) and the file can still be committed
    assert job.status == Status.READY, problems(job)
    assert list(job.problems.values_list("column", "code", "severity")) == [("Notes", "unknown_column", "warning")]


def test_a_user_mapping_reads_an_odd_header_and_silences_another(analyst, company):
    # given headers nobody could guess
    header = ["Code usine", "Nom", "Pays", "Remarques"]
    rows = [["S-1", "Usine Nord", "FR", "x"]]
    # when the user maps them
    job = dry_run(analyst, "supply_map", csv_text(header, rows),
                  mapping={"code usine": "site_ref", "NOM": "site_name", "Remarques": None})
    # then the file validates with no problem at all
    assert job.status == Status.READY and problems(job) == []


def test_a_missing_required_column_is_one_clear_problem(analyst, company):
    job = dry_run(analyst, "supply_map", csv_text(["Site reference", "Country"], [["S-1", "FR"], ["S-2", "IN"]]))
    assert job.status == Status.INVALID
    assert list(job.problems.values_list("row", "column", "code")) == [(None, "Site name", "missing_column")]
    assert job.rejected_count == 2


def test_french_headers_in_an_xlsx_workbook(analyst, company):
    # given a French workbook with numbers and dates typed as such
    header = ["Référence du site", "Nom du site", "Pays", "Nombre de travailleurs", "Référence de l'acheteur",
              "Matière livrée", "Pourcentage"]
    rows = [["S-1", "Usine Nord", "France", 120, None, "Cotton (raw)", None],
            ["S-2", "Ferme", "FR", 12.0, "S-1", "cotton", 0.4]]
    # when it is committed
    job = commit(analyst, "supply_map", xlsx_bytes(header, rows), name="carte.xlsx")
    # then the headers are understood and the values typed
    assert job.status == Status.COMMITTED, problems(job)
    assert Site.objects.get(name="Usine Nord").workers == 120
    assert SupplyLink.objects.get(external_ref="S-2>S-1>cotton").share == Decimal("0.4")


def test_a_site_already_in_the_network_is_found_by_its_reference(analyst, company):
    # given a site added through the API with the company's reference S-1
    existing = add_site(analyst, "Usine Nord (API)", country="FR", internal_ref="S-1")
    # when the supply map names S-1
    job = commit(analyst, "supply_map", MAP)
    # then it describes that site (updated from the file), no duplicate is created
    assert job.status == Status.COMMITTED
    assert Site.objects.filter(network_entries__company=company, network_entries__internal_ref="S-1").get() == existing
    existing.refresh_from_db()
    assert existing.name == "Usine Nord"
    assert job.summary["entities"]["sites"] == {"created": 3, "updated": 1, "unchanged": 0}


def test_a_shared_registry_site_is_joined_but_not_edited(analyst, other_analyst, company):
    # given a public site (with an Open Supply Hub ID) registered by another company
    shared = add_site(other_analyst, "Shared Mill", country="IN", os_id="IN2019067X1K87E")
    header = ["Site reference", "Site name", "Country", "Open Supply Hub ID", "Commodity supplied"]
    # when company A imports it under its own name
    job = commit(analyst, "supply_map", csv_text(header, [["M-1", "Our mill", "IN", "in2019067x1k87e", "cotton"]]))
    # then A's network gains the registry site, whose name stays; a warning says the name was not applied
    assert job.status == Status.COMMITTED
    assert NetworkSite.objects.get(company=company, internal_ref="M-1").site == shared
    shared.refresh_from_db()
    assert shared.name == "Shared Mill"
    assert list(job.problems.values_list("row", "code", "severity")) == [(2, "not_editable", "warning")]


def test_suppliers_are_found_again_by_identifier(analyst, company):
    # given a supplier registered with an LEI
    header = ["Site reference", "Site name", "Country", "Supplier name", "Supplier LEI"]
    commit(analyst, "supply_map", csv_text(header, [["S-1", "Mill", "IN", "Acme", "5493001KJTIIGC8Y1R12"]]))
    # when another file names a second site run by the same LEI
    job = commit(analyst, "supply_map", csv_text(header, [["S-2", "Gin", "IN", "Acme", "5493001kjtiigc8y1r12"]]))
    # then both sites share the one supplier
    assert job.summary["entities"]["suppliers"] == {"created": 0, "updated": 0, "unchanged": 1}
    assert Supplier.objects.count() == 1
    assert set(Site.objects.values_list("supplier__lei", flat=True)) == {"5493001KJTIIGC8Y1R12"}


@pytest.mark.parametrize("kind", ["findings", "grievances"])
def test_a_company_cannot_import_another_organizations_kind(analyst, kind):
    from imports.services import jobs
    from support.import_helpers import upload

    with pytest.raises(Exception) as refused:
        jobs.create_job(Viewer.of(analyst), kind, upload(MAP), queue=False)
    assert refused.value.error_dict["kind"][0].code in ("kind_not_allowed", "invalid")


LINK_HEADER = ["Site reference", "Site name", "Country", "Buyer site reference", "Commodity supplied",
               "Share of buyer's supply", "Link reference"]


def test_a_link_reference_names_the_link_and_finds_it_again(analyst, company):
    # given a map whose link carries the company's contract number
    commit(analyst, "supply_map", csv_text(LINK_HEADER, [["S-1", "Mill", "IN", "", "cotton", "0.5", "PO-123"]]))
    assert list(SupplyLink.objects.values_list("external_ref", "share")) == [("PO-123", Decimal("0.5"))]
    # when the next file gives the same contract another share
    job = commit(analyst, "supply_map", csv_text(LINK_HEADER, [["S-1", "Mill", "IN", "", "cotton", "0.7", "PO-123"]]))
    # then the one link is updated
    assert job.summary["entities"]["links"] == {"created": 0, "updated": 1, "unchanged": 0}
    assert list(SupplyLink.objects.values_list("external_ref", "share")) == [("PO-123", Decimal("0.7"))]


def test_a_row_without_a_reference_finds_a_referenced_link_by_its_sites_and_keeps_its_reference(analyst, company):
    # given a link made through the API with the company's own reference
    from graph import services
    from factories import commodity

    site = add_site(analyst, "Mill", country="IN", internal_ref="S-1")
    services.create_link(Viewer.of(analyst), {"upstream": site, "downstream": None, "commodity": commodity(),
                                              "share": Decimal("0.5"), "evidence_level": "declared", "external_ref": "PO-9"})
    # when a file describes the same link without a reference
    job = commit(analyst, "supply_map", csv_text(LINK_HEADER, [["S-1", "Mill", "IN", "", "cotton", "0.5", ""]]))
    # then it is that link, unchanged, still under its reference: no second link whose shares would add up past 1
    assert job.status == Status.COMMITTED, problems(job)
    assert job.summary["entities"]["links"] == {"created": 0, "updated": 0, "unchanged": 1}
    assert list(SupplyLink.objects.values_list("external_ref", flat=True)) == ["PO-9"]


def test_a_link_reference_used_twice_in_a_file_is_refused(analyst, company):
    rows = [["S-1", "Mill", "IN", "", "cotton", "0.5", "PO-1"], ["S-2", "Gin", "IN", "S-1", "cotton", "0.5", "PO-1"]]
    job = commit(analyst, "supply_map", csv_text(LINK_HEADER, rows))
    assert job.status != Status.COMMITTED
    assert problems(job) == [(3, "Link reference", "duplicate_ref")]
    assert not SupplyLink.objects.exists()


def test_an_unknown_country_holds_back_only_its_row(analyst, company):
    """Given a list whose second site names a country no one knows, when it is committed, then the other sites
    and their links are imported and the unknown one is reported on its row, with the nearest country named."""
    rows = [
        ["S-1", "Usine Nord", "facility", "", "FR", "cotton", "", "", "", "cotton", "0.5"],
        ["S-2", "Ferme", "farm", "", "Bangladsh", "cotton", "", "", "S-1", "cotton", "0.2"],
        ["S-3", "Gin", "facility", "", "IN", "cotton", "", "", "S-1", "cotton", "0.3"],
    ]
    job = commit(analyst, "supply_map", csv_text(SUPPLY_MAP_HEADER, rows))
    assert job.status == Status.COMMITTED
    assert (job.created_count, job.rejected_count) == (2, 1)
    assert sorted(NetworkSite.objects.filter(company=company).values_list("internal_ref", flat=True)) == ["S-1", "S-3"]
    assert SupplyLink.objects.filter(company=company).count() == 2
    [problem] = job.problems.all()
    assert (problem.row, problem.code, problem.severity) == (3, "invalid_country", "error")
    assert "Did you mean Bangladesh" in problem.message and "This row is not imported" in problem.message


def test_a_row_whose_buyer_is_held_back_blocks_the_file_and_says_why(analyst, company):
    rows = [
        ["S-1", "Usine Nord", "facility", "", "Atlantis", "cotton", "", "", "", "cotton", "0.5"],
        ["S-2", "Ferme", "farm", "", "FR", "cotton", "", "", "S-1", "cotton", "0.2"],
    ]
    job = commit(analyst, "supply_map", csv_text(SUPPLY_MAP_HEADER, rows))
    assert job.status == Status.INVALID and not Site.objects.exists()
    assert problems(job) == [(2, "Country", "invalid_country"), (3, "Buyer site reference", "unknown_reference")]
    assert "row 2, which is not imported" in job.problems.get(code="unknown_reference").message
