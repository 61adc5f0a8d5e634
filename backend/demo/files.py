"""The demo networks as the spreadsheets a company uploads: one supply-map row (imports/columns.py) per link.

`seed_demo` imports these files through the import pipeline, so the demo exercises reading, validation, entity
resolution and the commit. Northwind's map is a workbook and Harbor's a CSV file, so that both readers are used.
They are committed in backend/demo/data/ and written from the deterministic generator (backend/demo/network.py) by
`python manage.py seed_demo --write-files`; a test checks that the committed files are still what it writes.

Each row describes the supplying site in full (repeated on every row about it, as an ERP export does), the
supplier operating it, and one link: to the buyer site, or to the company itself when the buyer is empty.
References are the generator's, in capitals (GIN-004, SUP-GIN-004); the import keeps them as the company's
references for its sites and suppliers.
"""

import csv
from pathlib import Path

from openpyxl import Workbook

from backend.xlsx import header_cell, safe_cell
from backend.demo.network import DemoLink, DemoNetwork, DemoSite, build_demo_network
from imports.columns import SUPPLY_MAP

DEMO_DIR = Path(__file__).resolve().parent / "data"
DEMO_FILES = {"northwind": "northwind_supply_map.xlsx", "harbor": "harbor_supply_map.csv"}
COLUMNS = (
    "site_ref", "site_name", "site_kind", "address", "country", "subdivision", "latitude", "longitude", "os_id",
    "workers", "migrant_share", "commodities", "supplier_ref", "supplier_name", "supplier_tax_id",
    "buyer_ref", "link_commodity", "share", "evidence_level",
)
HEADER = [SUPPLY_MAP.column(key).label for key in COLUMNS]
LIMITED_COMPANY_COUNTRIES = ("IN", "BD", "PK", "GH", "NG")  # where the demo's suppliers are "Ltd", elsewhere "Co"

Cell = str | int | float | None


def supply_map_rows(net: DemoNetwork, company: str) -> list[list[Cell]]:
    """The rows of `company`'s supply map, in the generator's order of links (tier 1 first)."""
    rows = []
    for link in net.links[company]:
        cells = site_cells(net.sites[link.upstream]) | link_cells(link)
        rows.append([cells[key] for key in COLUMNS])
    return rows


def site_cells(site: DemoSite) -> dict[str, Cell]:
    """What a row says about the supplying site and the supplier operating it (facilities only)."""
    supplier = dict.fromkeys(("supplier_ref", "supplier_name", "supplier_tax_id"))
    if site.supplier_ref:
        supplier = {
            "supplier_ref": site.supplier_ref.upper(),
            "supplier_name": f"{site.name} {'Ltd' if site.country in LIMITED_COMPANY_COUNTRIES else 'Co'}",
            "supplier_tax_id": f"{site.country}-{site.supplier_ref}".upper(),
        }
    return {
        "site_ref": site.ref.upper(), "site_name": site.name, "site_kind": site.kind,
        "address": f"{site.subdivision} region", "country": site.country, "subdivision": site.subdivision,
        "latitude": site.latitude, "longitude": site.longitude, "os_id": site.os_id, "workers": site.workers,
        "migrant_share": site.migrant_share, "commodities": site.commodity, **supplier,
    }


def link_cells(link: DemoLink) -> dict[str, Cell]:
    """What a row says about the link: the buyer site (empty: the company), commodity, share, evidence."""
    return {
        "buyer_ref": link.downstream.upper() if link.downstream else None, "link_commodity": link.commodity,
        "share": link.share, "evidence_level": link.evidence_level,
    }


def write_xlsx(path: Path, rows: list[list[Cell]]) -> None:
    """One sheet named after the kind of import, with Tributary's safe cells (backend/xlsx.py): text stays text,
    numbers stay numbers, empty cells stay empty."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SUPPLY_MAP.label)
    sheet.append([header_cell(sheet, label) for label in HEADER])
    for row in rows:
        sheet.append([safe_cell(sheet, value) for value in row])
    workbook.save(path)


def write_csv(path: Path, rows: list[list[Cell]]) -> None:
    """UTF-8, comma-separated; numbers written as Python prints them (0.1234), empty cells as nothing."""
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADER)
        writer.writerows(["" if value is None else str(value) for value in row] for row in rows)


def write_demo_files(directory: Path = DEMO_DIR) -> list[Path]:
    """Write both companies' supply maps from the generator into `directory`; returns the paths written."""
    net = build_demo_network()
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for company, filename in DEMO_FILES.items():
        path = directory / filename
        writer = write_xlsx if path.suffix == ".xlsx" else write_csv
        writer(path, supply_map_rows(net, company))
        paths.append(path)
    return paths
