"""Reading a supply map's rows into the batch of suppliers, sites and links they describe (graph's
`NetworkBatch`), checking each cell and the rules between rows.

A row describes a site (its `site_ref`, repeated on every row about the same site), optionally the supplier
operating it, and optionally one link: this site supplies `link_commodity` to the site `buyer_ref` (or to
the company itself when `buyer_ref` is empty). Repeated rows of a site complete each other; a value that
contradicts an earlier row is an error. The registry's own field rules (graph/validation.py) are applied to
every row, so an import accepts exactly what the API accepts.

A list of sites without links (Open Supply Hub's facility lists) may have no `site_ref` column: each row's
reference is then derived (resolution.py's `derived_ref`: its OS ID, else its normalized name, address and
country; a row without an OS ID takes the OS ID another row gives the same facility), so rows repeating a facility
describe one site, and a value contradicting an earlier row is only a warning (the earlier value is kept). Open
Supply Hub's descriptive columns are kept as the site's extra data, and its sectors and product types name the
site's commodities through graph's alias table (graph/services/commodity_aliases.py).
"""

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError

from graph import validation as rules
from graph.models import NetworkSite, NetworkSupplier, Site, Supplier, SupplyLink
from graph.services.network_rows import LinkRow, NetworkBatch, SiteRow, SupplierKey, SupplierRow
from graph.services.commodity_aliases import CommodityNames
from graph.services.registry import well_formed_duns, well_formed_lei
from imports.services.resolution import derived_ref, normalize_name, row_key
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
# Columns kept as the site's extra data; those of MULTI_VALUED hold several values separated by |.
EXTRA_COLUMNS = ("sector", "product_type", "sector_product_type", "facility_type", "processing_type",
                 "native_language_name", "parent_company_os_id", "rba_id", "isic_4")
MULTI_VALUED = ("sector", "product_type", "sector_product_type", "facility_type", "processing_type")


def describe(read: ReadRows, network_refs: set[str], commodities: CommodityNames) -> NetworkBatch:
    """Gather the rows into sites, suppliers and links, checking each row and the rules between rows.

    `network_refs` are the company's existing site references, which `buyer_ref` may also name; `commodities`
    reads the sectors and product types.
    """
    log = read.log
    batch = NetworkBatch()
    seen_links: dict[tuple, int] = {}
    seen_refs: dict[str, int] = {}
    derive = not read.has("site_ref")
    os_ids_of = facility_os_ids(read) if derive else {}
    extras = ExtraReader(read, commodities)
    in_percent = shares_in_percent(read)
    held: dict[str, int] = {}  # site reference → row held back (an unknown country): the rest goes on without it
    for row in read.rows:
        if row.row in log.held_rows:
            if row.site_ref:
                held.setdefault(row.site_ref, row.row)
            continue
        values = row._asdict()
        if in_percent and values["share"] is not None:
            values["share"] = values["share"] / 100
        check_row(read, values)
        if derive and values["site_name"] and values["country"]:
            values["site_ref"] = derived_ref(values["site_name"], values["address"], values["country"],
                                             values["os_id"] or os_ids_of.get(row_key(values["site_name"],
                                                                                      values["address"],
                                                                                      values["country"])))
        extras.describe(values)
        site = site_of(read, batch, values, tolerant=derive)
        supplier_key = supplier_of(read, batch, values, named_after_site=derive)
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
        if link.buyer_ref and link.buyer_ref not in known and link.buyer_ref in held:
            log.error(link.index, read.label("buyer_ref"), link.buyer_ref, "unknown_reference",
                      f"Site '{link.buyer_ref}' is on row {held[link.buyer_ref]}, which is not imported (see its "
                      "problem): correct that row and this one can be imported too.")
        elif link.buyer_ref and link.buyer_ref not in known:
            log.error(link.index, read.label("buyer_ref"), link.buyer_ref, "unknown_reference",
                      f"No site has the reference '{link.buyer_ref}': it is neither a site reference in this file "
                      "nor one of your network's sites.")
    return batch


def shares_in_percent(read: ReadRows) -> bool:
    """Whether the share column is written in percent without a % sign ("35" for 35 %): one share is over 1, which
    no share is, and every share is 0 or within 1 and 100 (a fraction such as 0.65 beside it says the column mixes
    units, and nothing is guessed). Said in a warning, since every share is then divided by 100."""
    shares = [row.share for row in read.rows if row.share is not None]
    if not (shares and max(shares) > 1 and all(share == 0 or 1 <= share <= 100 for share in shares)):
        return False
    read.log.warning(None, read.label("share"), None, "share_percent",
                     f"The shares go up to {max(shares)}: they are read as percentages ({max(shares)} is "
                     f"{max(shares) / 100}).")
    return True


def facility_os_ids(read: ReadRows) -> dict[str, str]:
    """The OS ID that rows give each facility (by row_key), for the rows of the same facility that give none;
    a facility given two OS IDs is two facilities, and rows without one cannot say which: they get none."""
    found: dict[str, set[str]] = defaultdict(set)
    for row in read.rows:
        if row.os_id and row.site_name and row.country:
            found[row_key(row.site_name, row.address, row.country)].add(row.os_id.strip().upper())
    return {key: next(iter(os_ids)) for key, os_ids in found.items() if len(os_ids) == 1}


class ExtraReader:
    """Reads Open Supply Hub's descriptive columns of a row, and the columns the kind does not know (`unknown`),
    into `values["extra"]`, and adds the commodities its sectors and product types name to `values["commodities"]`.
    A sector that names no commodity and is not in the alias table is a warning (once per value) naming the nearest
    commodities; a product type is free text."""

    def __init__(self, read: ReadRows, commodities: CommodityNames) -> None:
        self.read, self.commodities = read, commodities
        self.columns = [key for key in EXTRA_COLUMNS if read.has(key)]
        self.warned: set[str] = set()

    def describe(self, values: dict) -> None:
        extra, found = {}, []
        for key in self.columns:
            if values[key] is None:
                continue
            parts = values[key].split("|") if key in MULTI_VALUED else [values[key]]
            given = list(dict.fromkeys(part.strip() for part in parts if part.strip()))
            if given:
                extra[key] = given
            if key in ("sector", "product_type", "sector_product_type"):
                found += [self.commodity(values["row"], key, value) for value in given]
        for header, text in (values.get("unknown") or {}).items():
            extra.setdefault(header, [text])
        values["extra"] = extra
        codes = tuple(code for code in found if code)
        if codes:
            values["commodities"] = tuple(dict.fromkeys((*(values["commodities"] or ()), *codes)))

    def commodity(self, number: int, key: str, value: str) -> str | None:
        reading = self.commodities.read(value)
        if not reading.known and key == "sector" and value not in self.warned:
            self.warned.add(value)
            suggestions = self.commodities.suggestions(value)
            nearest = f" Nearest commodities: {', '.join(suggestions)}." if suggestions else ""
            self.read.log.warning(number, self.read.label(key), value, "unknown_sector",
                                  f"The sector '{value}' names no commodity: it is kept as the site's sector and no "
                                  f"commodity is added.{nearest}")
        return reading.code


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


def site_of(read: ReadRows, batch: NetworkBatch, values: dict, tolerant: bool = False) -> SiteRow | None:
    """The site the row describes, completed with its values (`tolerant`: a contradiction is a warning)."""
    ref = values["site_ref"]
    if ref is None:
        return None
    fields = {SITE_FIELDS[key]: values[key] for key in SITE_FIELDS if values[key] is not None}
    site = batch.sites.get(ref)
    if site is None:
        site = batch.sites[ref] = SiteRow(ref, values["row"], fields)
    else:
        merge(read, values["row"], site.values, fields, f"Site {ref}", {v: k for k, v in SITE_FIELDS.items()},
              tolerant)
    for key, given in values.get("extra", {}).items():
        held = site.extra.setdefault(key, [])
        held.extend(value for value in given if value not in held)
    site.indexes.append(values["row"])
    if values["commodities"]:
        site.commodities = (site.commodities or set()) | set(values["commodities"])
    return site


def supplier_of(read: ReadRows, batch: NetworkBatch, values: dict, named_after_site: bool = False) -> SupplierKey | None:
    """The supplier the row names; `named_after_site`: a supplier given by identifiers alone (an OS Hub list's
    duns_id or lei_id without a parent company) is the company running the site, named after it."""
    fields = {SUPPLIER_FIELDS[key]: values[key] for key in SUPPLIER_FIELDS if values[key] is not None}
    if named_after_site and fields and "name" not in fields and values["site_name"]:
        fields["name"] = values["site_name"]
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


def merge(read: ReadRows, number: int, known: dict, new: dict, subject: str, column_of: dict,
          tolerant: bool = False) -> None:
    """Complete `known` with `new`; a value contradicting an earlier row is an error on that cell (`tolerant`: a
    warning, the earlier value kept)."""
    for key, value in new.items():
        if key not in known:
            known[key] = value
        elif known[key] != value:
            column = column_of.get(key, key)
            earlier = known[key][-1] if isinstance(known[key], tuple) else known[key]
            given = value if not isinstance(value, tuple) else value[-1]
            message = f"{subject} is described with a different {read.label(column)} on an earlier row ({earlier})"
            if tolerant:
                read.log.warning(number, read.label(column), given, "conflict", f"{message}: that value is kept.")
            else:
                read.log.error(number, read.label(column), given, "conflict", f"{message}.")
