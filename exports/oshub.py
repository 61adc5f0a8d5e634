"""A company's facilities as an Open Supply Hub list upload (CSV), so that it can publish its list to OS Hub.

One row per site of the company's network, in OS Hub's list columns: `name`, `address`, `country` (ISO alpha-2,
which OS Hub accepts), `lat`, `lng`, `sector`, `product_type` (what the company's files said, kept as the site's extra data,
values joined by |; else the site's commodities, as a sector OS Hub reads), `facility_type`,
`processing_type`, `number_of_workers`, `native_language_name`, `parent_company` (the operating supplier),
`duns_id` and `lei_id` (the supplier's), and the site's `os_id` when it has one. Importing the file again
(`import_file supply_map PATH --org ORG`) finds every site again: by its OS ID, else its name, address and country.
Read through the tenancy chokepoint in three queries, whatever the network's size.
"""

import csv
from collections import defaultdict
from dataclasses import dataclass
from typing import TextIO

from backend.errors import field_error
from backend.tenancy import Viewer, visible
from backend.xlsx import csv_cell
from graph.models import NetworkSite, Site

COLUMNS = ("name", "address", "country", "lat", "lng", "sector", "product_type", "facility_type", "processing_type",
           "number_of_workers", "native_language_name", "parent_company", "duns_id", "lei_id", "os_id")
FROM_EXTRA = ("sector", "product_type", "facility_type", "processing_type", "native_language_name")
SITE_VALUES = ("id", "name", "address", "country", "latitude", "longitude", "workers", "os_id", "supplier__name",
               "supplier__duns", "supplier__lei")


@dataclass(frozen=True)
class OsHubExport:
    """What was written, for the caller to report."""

    facilities: int


def write_oshub_list(viewer: Viewer, out: TextIO) -> OsHubExport:
    """Write the viewer's company's facilities to `out` (a text file) as an OS Hub list."""
    if not viewer.organization.is_company:
        raise field_error(None, "Only companies have facilities to publish to Open Supply Hub.", "not_a_company")
    entries = visible(NetworkSite, viewer)
    extra = dict(entries.values_list("site_id", "extra"))
    sites = visible(Site, viewer).filter(pk__in=entries.values("site_id")).order_by("country", "name", "id")
    commodities = defaultdict(list)
    for site_id, name in Site.commodities.through.objects.filter(site__in=sites).order_by("commodity__name").values_list(
        "site_id", "commodity__name"
    ):
        commodities[site_id].append(name)
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    count = 0
    for site in sites.values(*SITE_VALUES):
        said = extra.get(site["id"]) or {}
        values = {key: "|".join(said.get(key, ())) for key in FROM_EXTRA}
        if not said:  # a site the company mapped without OS Hub's columns: its commodities say what it makes
            values["sector"] = "|".join(commodities[site["id"]])
        writer.writerow([csv_cell(value) for value in (
            site["name"], site["address"], site["country"], site["latitude"], site["longitude"], values["sector"],
            values["product_type"], values["facility_type"], values["processing_type"], site["workers"],
            values["native_language_name"], site["supplier__name"], site["supplier__duns"], site["supplier__lei"],
            site["os_id"],
        )])
        count += 1
    return OsHubExport(count)
