"""The supply network as an XLSX export: it imports back unchanged, holds the company's own data only, keeps text
that looks like a formula as text, and costs the same few queries whatever the size of the network."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from export_helpers import data_rows, export, reimport, snapshot
from openpyxl import load_workbook

from backend.tenancy import Viewer
from exports.services import write_network
from factories import add_link, add_site, chain, commodity
from graph import services
from imports.models import Status

SHARED_OS_ID = "IN2019067X1K87E"
REFERENCES = ("internal_ref", "external_ref", "updated_at")


@pytest.fixture
def network(analyst, other_analyst):
    """Company A's network, built through the API: farm → spinner → A (two tiers), the spinner run by a supplier,
    a mill shared with company B (OS ID, registered by B), a warehouse with no link, the farm without A's reference,
    the spinner's link to A with A's own reference."""
    viewer = Viewer.of(analyst)
    add_site(other_analyst, "Shared Mill", country="IN", os_id=SHARED_OS_ID)
    mill = add_site(analyst, "Our name for it", country="IN", os_id=SHARED_OS_ID.lower(), internal_ref="A-MILL")
    supplier = services.register_supplier(
        viewer, {"name": "Acme Spinning", "country": "IN", "lei": "5493001KJTIIGC8Y1R12"}, internal_ref="V-1"
    )
    spinner = add_site(analyst, "Spinner", country="IN", subdivision="IN-TN", address="12 Mill Road", latitude=11.1,
                       longitude=77.25, workers=250, migrant_share=0.35, supplier=supplier, internal_ref="A-SPIN")
    farm = add_site(analyst, "Cotton Farm", kind="farm", internal_ref=None)
    add_site(analyst, "Warehouse", internal_ref="A-WH")
    add_link(analyst, farm, spinner, share=Decimal("0.6"))
    services.create_link(viewer, {
        "upstream": spinner, "downstream": None, "commodity": commodity(), "share": Decimal("0.5"),
        "volume": Decimal("1200.5"), "volume_unit": "t", "evidence_level": "documented",
        "valid_from": date(2024, 1, 1), "valid_to": date(2026, 12, 31), "external_ref": "PO-123",
    })
    add_link(analyst, mill, None, share=Decimal("0.4"))
    return {"farm": farm}


def test_the_export_imports_back_creating_nothing_and_a_second_round_changes_nothing(analyst, company, network):
    # given company A's network built through the API
    before = snapshot(company)
    # when it is exported and the file imported back
    first_file = export(analyst)
    first = reimport(analyst, first_file)
    # then nothing is created and no value changes: the import only adopts SITE-<id> as the reference of the farm,
    # which had none; the links, one of them with its own reference (PO-123), are found again as they are
    assert first.status == Status.COMMITTED, list(first.problems.values_list("row", "column", "message"))
    assert list(first.problems.all()) == []
    assert first.summary["entities"] == {
        "sites": {"created": 0, "updated": 1, "unchanged": 3},
        "suppliers": {"created": 0, "updated": 0, "unchanged": 1},
        "links": {"created": 0, "updated": 0, "unchanged": 3},
    }
    assert snapshot(company, ignore=REFERENCES) == {
        name: [{k: v for k, v in row.items() if k not in REFERENCES} for row in rows] for name, rows in before.items()
    }
    # and when the network is exported and imported again, every row is unchanged and nothing is written
    settled = snapshot(company)
    second_file = export(analyst)
    second = reimport(analyst, second_file)
    assert second.status == Status.COMMITTED
    assert (second.created_count, second.updated_count, second.unchanged_count, second.rejected_count) == (0, 0, 4, 0)
    assert snapshot(company) == settled
    assert data_rows(second_file) == data_rows(first_file)


def test_one_row_per_link_and_a_site_without_links_has_its_link_columns_empty(analyst, network):
    # given the network; when it is exported
    rows = {(row["site_ref"], row["buyer_ref"]): row for row in data_rows(export(analyst))}
    farm_ref = f"SITE-{network['farm'].pk}"
    # then there is one row per link, the tier-1 sites supplying the company with an empty buyer
    assert set(rows) == {("A-SPIN", None), ("A-MILL", None), (farm_ref, "A-SPIN"), ("A-WH", None)}
    spinner = rows["A-SPIN", None]
    assert (spinner["site_name"], spinner["subdivision"], spinner["latitude"], spinner["workers"]) == (
        "Spinner", "IN-TN", 11.1, 250)
    assert (spinner["supplier_ref"], spinner["supplier_name"], spinner["supplier_lei"]) == (
        "V-1", "Acme Spinning", "5493001KJTIIGC8Y1R12")
    assert (spinner["link_commodity"], spinner["share"], spinner["volume"], spinner["volume_unit"]) == (
        "cotton", 0.5, 1200.5, "t")
    assert (spinner["evidence_level"], spinner["valid_from"].date(), spinner["valid_to"].date()) == (
        "documented", date(2024, 1, 1), date(2026, 12, 31))
    # the shared site is described by its registry entry, under A's reference
    assert (rows["A-MILL", None]["site_name"], rows["A-MILL", None]["os_id"]) == ("Shared Mill", SHARED_OS_ID)
    # and the warehouse, which supplies nobody, does not claim to supply the company: its link columns are empty
    link_columns = ("buyer_ref", "link_commodity", "share", "volume", "volume_unit", "evidence_level", "valid_from",
                    "valid_to")
    assert [rows["A-WH", None][key] for key in link_columns] == [None] * len(link_columns)


def test_the_about_sheet_says_what_whose_and_when(analyst):
    out = io.BytesIO()
    exported = write_network(Viewer.of(analyst), out)
    about = dict(load_workbook(io.BytesIO(out.getvalue())).worksheets[1].iter_rows(min_row=2, values_only=True))
    assert about["Organization"] == "Company A" and about["Exported by"] == analyst.username
    assert about["Exported at"] == exported.exported_at.strftime("%Y-%m-%d %H:%M:%S UTC")


def test_a_company_never_gets_another_companys_sites_links_or_references(analyst, other_analyst, network):
    # given company B, which shares the mill with A under its own references and has its own chain
    other = Viewer.of(other_analyst)
    vendor = services.register_supplier(other, {"name": "B Vendor", "country": "IN", "duns": "123456789"},
                                        internal_ref="B-SECRET-VENDOR")
    shared = add_site(other_analyst, "ignored", os_id=SHARED_OS_ID, internal_ref="B-SECRET-MILL")
    services.update_site(other, shared, {"supplier": vendor})
    b_sites = chain(other_analyst, ["B secret farm", "B secret gin"])
    add_link(other_analyst, shared, b_sites[-1], share=0.3)
    # when A exports its network
    rows = data_rows(export(analyst))
    # then it holds A's four rows only: no site, link or reference of B, though the shared mill's registry
    # supplier (visible to everyone who sees the site) comes without B's reference for it
    text = repr(rows)
    assert "B secret" not in text and "B-SECRET" not in text
    assert sorted(row["site_ref"] for row in rows) == sorted(["A-MILL", "A-SPIN", "A-WH", f"SITE-{network['farm'].pk}"])
    mill = next(row for row in rows if row["site_ref"] == "A-MILL")
    assert (mill["supplier_name"], mill["supplier_ref"], mill["buyer_ref"]) == ("B Vendor", None, None)
    # and B's export holds none of A's
    assert "A-" not in repr([row["site_ref"] for row in data_rows(export(other_analyst))])


@pytest.mark.parametrize("name", ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+2", "-3", "@SUM(1)"])
def test_text_that_looks_like_a_formula_stays_text(analyst, company, name):
    # given a site whose name begins with = + - or @
    add_site(analyst, name, internal_ref="F-1")
    # when the network is exported
    content = export(analyst)
    # then the cell is a text cell (with Excel's quote prefix), never a formula, holding the name as it is
    cell = load_workbook(io.BytesIO(content)).worksheets[0]["B2"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (name, "s", True)
    # and importing the file back reads the same text: the site is unchanged
    job = reimport(analyst, content)
    assert (job.status, job.created_count, job.updated_count, job.unchanged_count) == (Status.COMMITTED, 0, 0, 1)


def grow(user, start: int, stop: int) -> None:
    """Sites number `start` to `stop` - 1, each supplying the company, with a supplier, a commodity and references."""
    viewer = Viewer.of(user)
    for index in range(start, stop):
        supplier = services.register_supplier(viewer, {"name": f"Supplier {index}", "country": "IN"}, f"V-{index}")
        site = add_site(user, f"Site {index}", supplier=supplier, internal_ref=f"S-{index}")
        add_link(user, site, None, share=Decimal("0.01"))


def test_the_query_count_does_not_grow_with_the_network(analyst, django_assert_num_queries):
    # given a network of three links, exported in five queries
    grow(analyst, 0, 3)
    viewer = Viewer.of(analyst)
    with django_assert_num_queries(5):
        small = write_network(viewer, io.BytesIO())
    # when it grows to thirty links
    grow(analyst, 3, 30)
    # then the export still takes five queries
    with django_assert_num_queries(5):
        large = write_network(viewer, io.BytesIO())
    assert (small.links, large.links) == (3, 30)


def test_a_generated_reference_never_takes_one_the_company_uses(analyst, company):
    # given a site without a reference, and another to which the company gave the text SITE-<that site's id>
    unnamed = add_site(analyst, "Unnamed Gin")
    add_site(analyst, "Named Mill", internal_ref=f"SITE-{unnamed.pk}")
    # when the network is exported; then the generated reference steps aside
    content = export(analyst)
    assert sorted(row["site_ref"] for row in data_rows(content)) == [f"SITE-{unnamed.pk}", f"SITE-{unnamed.pk}-2"]
    # and importing the file gives the site that reference, creating nothing
    job = reimport(analyst, content)
    assert (job.status, job.created_count, job.updated_count, job.unchanged_count) == (Status.COMMITTED, 0, 1, 1)
    assert unnamed.network_entries.get(company=company).internal_ref == f"SITE-{unnamed.pk}-2"


def test_only_a_company_has_a_network_to_export(make_user, audit_firm):
    with pytest.raises(ValidationError) as refused:
        write_network(Viewer.of(make_user(audit_firm)), io.BytesIO())
    assert refused.value.error_dict["__all__"][0].code == "not_a_company"
