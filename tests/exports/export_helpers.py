"""Helpers of the export tests: exporting in memory, reading the file back, re-importing it, and snapshots."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from backend.tenancy import Viewer
from exports.services import write_network
from graph.models import NetworkSite, NetworkSupplier, Site, Supplier, SupplyLink
from imports.columns import SUPPLY_MAP
from imports.services import jobs


def export(user) -> bytes:
    out = io.BytesIO()
    write_network(Viewer.of(user), out)
    return out.getvalue()


def data_rows(content: bytes) -> list[dict]:
    """The data sheet's rows as {column key: value}, after checking that its header is the import's labels."""
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    header, *rows = sheet.iter_rows(values_only=True)
    assert list(header) == [column.label for column in SUPPLY_MAP.columns]
    return [dict(zip((column.key for column in SUPPLY_MAP.columns), row)) for row in rows]


def reimport(user, content: bytes):
    """Import an export back for the user's company through the real pipeline, committing it here."""
    upload = SimpleUploadedFile("network.xlsx", content)
    job = jobs.create_job(Viewer.of(user), "supply_map", upload, commit=True, queue=False)
    return jobs.commit(job)


def snapshot(company, ignore: tuple[str, ...] = ()) -> dict:
    """Every stored row a supply-map import of the company may touch, without the fields in `ignore`."""
    sites = Site.objects.filter(network_entries__company=company)
    tables = {
        "sites": sites,
        "suppliers": Supplier.objects.filter(sites__in=sites).distinct(),
        "network": NetworkSite.objects.filter(company=company),
        "network_suppliers": NetworkSupplier.objects.filter(company=company),
        "links": SupplyLink.objects.filter(company=company),
        "commodities": Site.commodities.through.objects.filter(site__in=sites),
    }
    return {
        name: [{key: value for key, value in row.items() if key not in ignore} for row in rows.order_by("pk").values()]
        for name, rows in tables.items()
    }
