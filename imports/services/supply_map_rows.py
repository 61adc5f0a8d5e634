"""Reading a supply map's rows into the batch of suppliers, sites and links they describe (graph's
`NetworkBatch`), checking each cell and the rules between rows.

A row describes a site (its `site_ref`, repeated on every row about the same site), optionally the supplier
operating it, and optionally one link: this site supplies `link_commodity` to the site `buyer_ref` (or to
the company itself when `buyer_ref` is empty). Repeated rows of a site complete each other; a value that
contradicts an earlier row is an error. The registry's own field rules (graph/validation.py) are applied to
every row, so an import accepts exactly what the API accepts.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError

from graph import validation as rules
from graph.models import NetworkSite, NetworkSupplier, Site, Supplier, SupplyLink
from graph.services.network_rows import LinkRow, NetworkBatch, SiteRow, SupplierKey, SupplierRow
from graph.services.registry import well_formed_duns, well_formed_lei
from imports.services.resolution import normalize_name
from imports.services.validation import ReadRows

SITE_FIELDS = {
    "site_name": "name", "site_kind": "kind", "address": "address", "country": "country",
    "subdivision": "subdivision", "latitude": "latitude", "longitude": "longitude", "os_id": "os_id",
    "workers": "workers", "migrant_share": "migrant_share",
}
SUPPLIER_FIELDS = {
    "supplier_name": "name", "supplier_country": "country", "supplier_tax_id": "tax_id", "supplier_lei": "lei",
    "supplier_duns": "duns",
}
LINK_FIELDS = ("share", "volume", "volume_unit", "evidence_level", "valid_from", "valid_to")
# Each text column's limit is its model field's.
MAX_LENGTHS = {column: model._meta.get_field(name).max_length for column, (model, name) in {
    "site_ref": (NetworkSite, "internal_ref"), "site_name": (Site, "name"), "address": (Site, "address"),
    "supplier_ref": (NetworkSupplier, "internal_ref"), "supplier_name": (Supplier, "name"),
    "supplier_tax_id": (Supplier, "tax_id"), "buyer_ref": (NetworkSite, "internal_ref"),
    "volume_unit": (SupplyLink, "volume_unit"), "link_ref": (SupplyLink, "external_ref"),
}.items()}
SHARE_STEP, VOLUME_STEP = Decimal("0.000001"), Decimal("0.001")
FLOAT_FIELDS = ("latitude", "longitude", "migrant_share")


def describe(read: ReadRows, network_refs: set[str]) -> NetworkBatch:
    """Gather the rows into sites, suppliers and links, checking each row and the rules between rows.

    `network_refs` are the company's existing site references, which `buyer_ref` may also name.
    """
    log = read.log
    batch = NetworkBatch()
    seen_links: dict[tuple, int] = {}
    seen_refs: dict[str, int] = {}
    for row in read.rows:
        values = row._asdict()
        check_row(read, values)
        site = site_of(read, batch, values)
        supplier_key = supplier_of(read, batch, values)
        if site is not None and supplier_key is not None:
            if site.supplier_key is None:
                site.supplier_key = supplier_key
            elif site.supplier_key != supplier_key:
                column = "supplier_ref" if values["supplier_ref"] else "supplier_name"
                log.error(row.row, read.label(column), values[column], "conflict",
                          f"Site {site.ref} is operated by another supplier on an earlier row.")
        link = link_of(read, values)
        if link is not None:
            key = (link.upstream_ref, link.buyer_ref, link.commodity)
            if key in seen_links:
                log.error(row.row, read.label("link_commodity"), link.commodity, "duplicate_link",
                          f"Row {seen_links[key]} already describes the link from {link.upstream_ref} to "
                          f"{link.buyer_ref or 'your company'} for {link.commodity}.")
            elif link.own_ref in seen_refs:
                log.error(row.row, read.label("link_ref"), link.own_ref, "duplicate_ref",
                          f"Row {seen_refs[link.own_ref]} already has the link reference {link.own_ref}.")
            else:
                seen_links[key] = row.row
                if link.own_ref:
                    seen_refs[link.own_ref] = row.row
                batch.links.append(link)
    known = set(batch.sites) | network_refs
    for link in batch.links:
        if link.buyer_ref and link.buyer_ref not in known:
            log.error(link.index, read.label("buyer_ref"), link.buyer_ref, "unknown_reference",
                      f"No site has the reference '{link.buyer_ref}': it is neither a site reference in this file "
                      "nor one of your network's sites.")
    return batch


def check_row(read: ReadRows, values: dict) -> None:
    """The registry's field rules, applied to one row (values of bad cells are already None)."""
    number, log = values["row"], read.log
    for key, limit in MAX_LENGTHS.items():
        if values[key] is not None and len(values[key]) > limit:
            log.error(number, read.label(key), values[key], "too_long", f"At most {limit} characters.")
            values[key] = None
    for key in FLOAT_FIELDS:
        if values[key] is not None:
            values[key] = float(values[key])
    checks = {
        "os_id": lambda: values.__setitem__("os_id", rules.os_id(values["os_id"], "os_id")),
        "subdivision": lambda: values.__setitem__(
            "subdivision", rules.subdivision_code(values["country"], values["subdivision"], "subdivision")),
        "migrant_share": lambda: rules.unit_interval(values["migrant_share"], "migrant_share"),
        "share": lambda: rules.unit_interval(values["share"], "share"),
        "workers": lambda: rules.non_negative(values["workers"], "workers"),
        "volume": lambda: rules.non_negative(values["volume"], "volume"),
        "latitude": lambda: rules.coordinates(values["latitude"], values["longitude"]),
        "valid_to": lambda: rules.date_range(values["valid_from"], values["valid_to"]),
    }
    for key, check in checks.items():
        if values[key] is not None and (key != "subdivision" or values["country"]):
            registry_rule(read, number, key, values, check)
    if values["latitude"] is None and values["longitude"] is not None:
        registry_rule(read, number, "latitude", values, checks["latitude"])
    if values["supplier_lei"] and not well_formed_lei(values["supplier_lei"]):
        read.log.error(number, read.label("supplier_lei"), values["supplier_lei"], "invalid", "An LEI has 20 characters.")
        values["supplier_lei"] = None
    duns = values["supplier_duns"]
    if duns and not well_formed_duns(duns):
        read.log.error(number, read.label("supplier_duns"), duns, "invalid", "A DUNS number has 9 digits.")
        values["supplier_duns"] = None
    if values["buyer_ref"] and values["buyer_ref"] == values["site_ref"]:
        log.error(number, read.label("buyer_ref"), values["buyer_ref"], "self_loop", "A site cannot supply itself.")
        values["buyer_ref"] = None
    for key in ("share", "volume"):
        if values[key] is not None:
            values[key] = values[key].quantize(SHARE_STEP if key == "share" else VOLUME_STEP)


def registry_rule(read: ReadRows, number: int, key: str, values: dict, check) -> None:
    """Run one of graph/validation.py's checks; its ValidationError becomes a problem on the cell it names
    (`key` unless the error names another column, as the coordinates and date-range checks do)."""
    try:
        check()
    except ValidationError as error:
        named, items = next(iter(error.error_dict.items())) if hasattr(error, "error_dict") else (key, error.error_list)
        named = {"validTo": "valid_to", "osId": "os_id"}.get(named, named)
        key = named if named in values else key
        read.log.error(number, read.label(key), values.get(key), items[0].code or "invalid", str(items[0].message))
        values[key] = None


def site_of(read: ReadRows, batch: NetworkBatch, values: dict) -> SiteRow | None:
    ref = values["site_ref"]
    if ref is None:
        return None
    fields = {SITE_FIELDS[key]: values[key] for key in SITE_FIELDS if values[key] is not None}
    site = batch.sites.get(ref)
    if site is None:
        site = batch.sites[ref] = SiteRow(ref, values["row"], fields)
    else:
        merge(read, values["row"], site.values, fields, f"Site {ref}", {v: k for k, v in SITE_FIELDS.items()})
    site.indexes.append(values["row"])
    if values["commodities"]:
        site.commodities = (site.commodities or set()) | set(values["commodities"])
    return site


def supplier_of(read: ReadRows, batch: NetworkBatch, values: dict) -> SupplierKey | None:
    fields = {SUPPLIER_FIELDS[key]: values[key] for key in SUPPLIER_FIELDS if values[key] is not None}
    for identifier in ("tax_id", "lei", "duns"):
        if identifier in fields:
            fields[identifier] = fields[identifier].upper()
    ref = values["supplier_ref"]
    if ref is None and not fields:
        return None
    key = supplier_key(ref, {"country": values["country"], **fields})
    if key is None:
        read.log.error(values["row"], read.label("supplier_name"), None, "required",
                       "A supplier needs a reference, an identifier (LEI, DUNS, tax ID) or a name.")
        return None
    supplier = batch.suppliers.get(key)
    if supplier is None:
        batch.suppliers[key] = SupplierRow(key, values["row"], ref, fields, values["country"])
    else:
        merge(read, values["row"], supplier.values, fields, f"Supplier {key.value}",
              {v: k for k, v in SUPPLIER_FIELDS.items()})
    return key


def supplier_key(ref: str | None, fields: dict) -> SupplierKey | None:
    """How rows about the same supplier are recognised: its reference, an identifier, or its name and country."""
    if ref:
        return SupplierKey("ref", ref)
    if fields.get("lei"):
        return SupplierKey("lei", fields["lei"].upper())
    if fields.get("duns"):
        return SupplierKey("duns", fields["duns"])
    if fields.get("tax_id") and fields.get("country"):
        return SupplierKey("tax_id", fields["tax_id"].upper(), fields["country"])
    if fields.get("name") and fields.get("country"):
        return SupplierKey("name", normalize_name(fields["name"]), fields["country"])
    return None


def link_of(read: ReadRows, values: dict) -> LinkRow | None:
    fields = {key: values[key] for key in LINK_FIELDS if values[key] is not None}
    commodity = values["link_commodity"]
    if commodity is None:
        given = next((key for key in ("buyer_ref", "link_ref", *fields) if values[key] is not None), None)
        if given is not None:
            read.log.error(values["row"], read.label("link_commodity"), None, "required",
                           f"{read.label('link_commodity')} is required to describe a link ({read.label(given)} is filled in).")
        return None
    if values["site_ref"] is None:
        return None
    return LinkRow(values["row"], values["site_ref"], values["buyer_ref"], commodity, fields, values["link_ref"])


def merge(read: ReadRows, number: int, known: dict, new: dict, subject: str, column_of: dict) -> None:
    """Complete `known` with `new`; a value contradicting an earlier row is an error on that cell."""
    for key, value in new.items():
        if key not in known:
            known[key] = value
        elif known[key] != value:
            column = column_of.get(key, key)
            earlier = known[key][-1] if isinstance(known[key], tuple) else known[key]
            read.log.error(number, read.label(column), value if not isinstance(value, tuple) else value[-1], "conflict",
                           f"{subject} is described with a different {read.label(column)} on an earlier row ({earlier}).")
