"""A company's supply network as an XLSX workbook in the supply-map import layout, to edit and upload again.

The first sheet has the columns of the supply-map import (imports.columns.SUPPLY_MAP: their labels as headers,
in that order) and one row per supply link of the company: the upstream site and the supplier operating it,
then the link to the buyer site (an empty buyer means the site supplies the company itself). A site with no
outgoing link gets one row with every link column empty, which the importer reads as the site alone: an empty
buyer with a commodity would describe a link to the company that does not exist. The "About" sheet says what
the file is, for which organization and when.

Sites are named by the company's own references; a site without one gets SITE-<id>, which importing the file
then sets as the company's reference. Links carry their own reference (a contract, or the one an import gave
them), by which the importer finds them again. Suppliers carry the company's reference when it has one, else their
identifiers and name, by which the importer finds them again. Everything is read through the tenancy
chokepoint in a fixed number of queries, whatever the size of the network, and written in openpyxl's
write-only mode, so that a large network streams to the file.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import BinaryIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from backend.errors import field_error
from backend.tenancy import Viewer, visible
from backend.xlsx import header_cell, safe_cell
from graph.models import NetworkSite, NetworkSupplier, Site, SupplyLink
from imports.columns import SUPPLY_MAP
from imports.services.supply_map_rows import LINK_FIELDS, SITE_FIELDS, SUPPLIER_FIELDS

ABOUT_SHEET = "About"
GENERATED_REF = "SITE-{id}"


@dataclass
class Network:
    """What the export writes, read once: sites in order, their references, commodities and outgoing links."""

    sites: list[dict]
    refs: dict[int, str]
    commodities: dict[int, list[str]]
    supplier_refs: dict[int, str]
    outgoing: dict[int, list[dict]]

    @property
    def links(self) -> int:
        return sum(len(self.outgoing.get(site["id"], ())) for site in self.sites)

    @property
    def rows(self) -> int:
        return sum(max(1, len(self.outgoing.get(site["id"], ()))) for site in self.sites)


@dataclass(frozen=True)
class NetworkExport:
    """What was written, for the caller to report."""

    organization: str
    exported_at: datetime
    rows: int
    sites: int
    links: int


def write_network(viewer: Viewer, out: str | BinaryIO) -> NetworkExport:
    """Write the viewer's company's supply network to `out` (a path or a binary file) as an XLSX workbook."""
    if not viewer.organization.is_company:
        raise field_error(None, "Only companies have a supply network to export.", "not_a_company")
    network = load_network(viewer)
    summary = NetworkExport(
        organization=viewer.organization.name, exported_at=timezone.now(), rows=network.rows,
        sites=len(network.sites), links=network.links,
    )
    workbook = Workbook(write_only=True)
    data = workbook.create_sheet(SUPPLY_MAP.label)  # first, so that the importer reads it
    data.freeze_panes = "A2"
    for index, column in enumerate(SUPPLY_MAP.columns, 1):
        data.column_dimensions[get_column_letter(index)].width = max(12, len(column.label) + 2)
    data.append([header_cell(data, column.label) for column in SUPPLY_MAP.columns])
    for row in network_rows(network):
        data.append([safe_cell(data, row.get(column.key)) for column in SUPPLY_MAP.columns])
    write_about(workbook.create_sheet(ABOUT_SHEET), summary, viewer)
    workbook.save(out)
    return summary


def load_network(viewer: Viewer) -> Network:
    """Read the company's network entries, links, sites (with their suppliers and commodities) and supplier
    references: five queries, all through `visible()`. Both ends of every link of the company are sites of its
    network (a link adds its sites to it, and a site leaves it only when no link uses it)."""
    entries = visible(NetworkSite, viewer)
    sites = visible(Site, viewer).filter(pk__in=entries.values("site_id"))
    own_refs, tiers = {}, {}
    for site_id, ref, tier in entries.values_list("site_id", "internal_ref", "tier"):
        own_refs[site_id], tiers[site_id] = ref, tier
    site_rows = list(sites.values(
        "id", "supplier_id", *SITE_FIELDS.values(), *(f"supplier__{name}" for name in SUPPLIER_FIELDS.values())
    ))
    site_rows.sort(key=lambda site: tier_order(tiers.get(site["id"])) + (site["name"], site["id"]))
    commodities = defaultdict(list)
    for site_id, code in Site.commodities.through.objects.filter(site__in=sites).order_by("commodity__code").values_list(
        "site_id", "commodity__code"
    ):
        commodities[site_id].append(code)
    outgoing = defaultdict(list)
    links = visible(SupplyLink, viewer).order_by("id")
    for link in links.values("upstream_id", "downstream_id", "commodity__code", "external_ref", *LINK_FIELDS):
        outgoing[link["upstream_id"]].append(link)
    refs = site_references(own_refs, [site["id"] for site in site_rows])
    supplier_refs = dict(
        visible(NetworkSupplier, viewer).exclude(internal_ref=None).values_list("supplier_id", "internal_ref")
    )
    return Network(site_rows, refs, commodities, supplier_refs, outgoing)


def tier_order(tier: int | None) -> tuple:
    """Nearest tiers first; sites without a tier (not linked to the company) last."""
    return (tier is None, tier or 0)


def site_references(own: dict[int, str | None], site_ids: list[int]) -> dict[int, str]:
    """Each site's reference: the company's own, else SITE-<id>, suffixed -2, -3… in the unlikely case that
    the company already uses that text for another site (two sites under one reference would merge on import)."""
    taken = {ref for ref in own.values() if ref}
    refs: dict[int, str] = {}
    for site_id in site_ids:
        ref = own.get(site_id)
        if not ref:
            ref = base = GENERATED_REF.format(id=site_id)
            suffix = 1
            while ref in taken:
                suffix += 1
                ref = f"{base}-{suffix}"
            taken.add(ref)
        refs[site_id] = ref
    return refs


def network_rows(network: Network):
    """The rows of the data sheet as {column key: value}, empty text as None: a site's links one per row, or
    the site alone."""
    for site in network.sites:
        described = site_columns(network, site)
        links = network.outgoing.get(site["id"], ())
        if not links:
            yield without_blanks(described)
        for link in links:
            yield without_blanks(described | {
                "buyer_ref": buyer_ref(network, link["downstream_id"]), "link_commodity": link["commodity__code"],
                "link_ref": link["external_ref"], **{name: link[name] for name in LINK_FIELDS},
            })


def buyer_ref(network: Network, downstream_id: int | None) -> str | None:
    """The buyer site's reference; None (the company) only for a link to the company, never for a missing site."""
    return None if downstream_id is None else network.refs[downstream_id]


def site_columns(network: Network, site: dict) -> dict:
    """The site and supplier columns of a site's rows."""
    columns = {"site_ref": network.refs[site["id"]], "commodities": "; ".join(network.commodities[site["id"]])}
    columns |= {column: site[name] for column, name in SITE_FIELDS.items()}
    if site["supplier_id"] is not None:
        columns["supplier_ref"] = network.supplier_refs.get(site["supplier_id"])
        columns |= {column: site[f"supplier__{name}"] for column, name in SUPPLIER_FIELDS.items()}
    return columns


def without_blanks(row: dict) -> dict:
    """Empty text as an empty cell (None), as the importer reads it."""
    return {key: None if value == "" else value for key, value in row.items()}


def write_about(sheet, summary: NetworkExport, viewer: Viewer) -> None:
    """The About sheet: what the file is, whose network, when and by whom, and how to upload it again."""
    exported_by = viewer.user.username if viewer.user is not None else "the export_network command"
    lines = [
        ("What", f"The supply network of {summary.organization}: one row per supply link, in the layout of the "
                 "supply-map import."),
        ("Organization", summary.organization),
        ("Exported at", summary.exported_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")),
        ("Exported by", exported_by),
        ("Sites", summary.sites),
        ("Supply links", summary.links),
        ("Rows", summary.rows),
        ("Upload it again", f"Edit the '{SUPPLY_MAP.label}' sheet and import it as a supply map. An import adds "
                            "and updates; it never deletes, so removing a row does not remove its site or link."),
        ("Buyer site reference", "Empty on a link row: the site supplies your company directly. A site with no "
                                 "outgoing link has one row with every link column empty."),
        ("Site reference", "Your own reference of each site; SITE-<number> where you had none (importing this "
                           "file makes it your reference)."),
    ]
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 100
    sheet.append([header_cell(sheet, "Tributary supply network export")])
    for label, value in lines:
        sheet.append([header_cell(sheet, label), safe_cell(sheet, value)])
