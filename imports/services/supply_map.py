"""Supply-map imports: compare an upload's suppliers, sites and links with what is stored, then write the difference.

`plan(read, viewer, progress)` resolves every uploaded site (imports/services/resolution.py) and supplier,
compares each with the stored rows and returns a SupplyMapPlan: the dry run reports it, the commit writes it.
What a file says is added or updated, never removed: an empty cell leaves the stored value as it is. Shared
registry entries registered by another organization are joined, not edited (a warning says so).
Idempotency: sites are found again by the company's reference (`site_ref`), suppliers by theirs or by an
identifier, links by the reference derived from site, buyer and commodity, so a second import of the same
file finds everything unchanged and writes nothing. Identifiers resolve, and clash, as in the API
(graph/services/registry.py): only entries the company may already see are matched or named.
"""

from collections import defaultdict
from decimal import Decimal

from graph.models import Commodity, EvidenceLevel, NetworkSite, NetworkSupplier, Site, Supplier, SupplyLink
from graph.services.registry import (
    IDENTIFIER_LABELS,
    identifier_keys,
    matching_supplier,
    supplier_clash,
    suppliers_by_identifier,
)
from graph.services.risk_jobs import schedule_recompute
from graph.services.tiers import refresh_tiers
from imports.models import Phase
from imports.services.commit import CREATED, REVIEW, UNCHANGED, UPDATED, Plan, Writer
from imports.services.resolution import UploadedSite, normalize_name, resolve_sites
from imports.services.supply_map_rows import SupplyMap, describe
from imports.services.validation import ReadRows

SITE_COLUMNS = ("name", "kind", "address", "country", "subdivision", "latitude", "longitude", "os_id", "workers",
                "migrant_share", "supplier_id", "registered_by_id")
SUPPLIER_COLUMNS = ("name", "country", "tax_id", "lei", "duns", "is_public", "registered_by_id")
COLUMN_OF_SUPPLIER_FIELD = {"name": "supplier_name", "country": "supplier_country", "tax_id": "supplier_tax_id",
                            "lei": "supplier_lei", "duns": "supplier_duns"}
LINK_COLUMNS = ("upstream_id", "downstream_id", "commodity_id", "share", "volume", "volume_unit", "evidence_level",
                "valid_from", "valid_to")
COLUMN_OF_SITE_FIELD = {"name": "site_name", "kind": "site_kind", "supplier_id": "supplier_ref"}


class SupplyMapPlan(Plan):
    def __init__(self, viewer) -> None:
        super().__init__()
        self.organization = viewer.organization
        self.new_suppliers: dict[tuple, dict] = {}
        self.supplier_ids: dict[tuple, int] = {}
        self.supplier_changes: dict[int, dict] = {}
        self.new_network_suppliers: dict[tuple, str | None] = {}
        self.supplier_ref_changes: dict[int, str] = {}
        self.new_sites: dict[str, dict] = {}
        self.site_ids: dict[str, int] = {}
        self.site_changes: dict[int, dict] = {}
        self.site_supplier: dict[str, tuple] = {}
        self.commodities_to_add: dict[str, set[int]] = {}
        self.new_network_sites: set[str] = set()
        self.site_ref_changes: dict[int, str] = {}
        self.new_links: list[tuple] = []  # (upstream ref, buyer ref or None, values)
        self.link_changes: dict[int, dict] = {}
        self.review_refs: set[str] = set()

    @property
    def records(self) -> int:
        return sum(map(len, (
            self.new_suppliers, self.supplier_changes, self.new_network_suppliers, self.supplier_ref_changes,
            self.new_sites, self.site_changes, self.new_network_sites, self.site_ref_changes, self.new_links,
            self.link_changes,
        ))) + sum(map(len, self.commodities_to_add.values()))

    def write(self, writer: Writer) -> None:
        org = self.organization
        created = writer.create(Supplier, [Supplier(registered_by=org, **values) for values in self.new_suppliers.values()])
        self.supplier_ids.update(zip(self.new_suppliers, (supplier.pk for supplier in created)))
        apply_changes(writer, Supplier, self.supplier_changes)
        writer.create(NetworkSupplier, [
            NetworkSupplier(company=org, supplier_id=self.supplier_ids[key], internal_ref=ref)
            for key, ref in self.new_network_suppliers.items()
        ])
        apply_changes(writer, NetworkSupplier, {}, by_supplier=self.supplier_ref_changes, company=org)
        for ref, key in self.site_supplier.items():
            if ref in self.new_sites:
                self.new_sites[ref]["supplier_id"] = self.supplier_ids[key]
            else:
                self.site_changes.setdefault(self.site_ids[ref], {})["supplier_id"] = self.supplier_ids[key]
        sites = writer.create(Site, [Site(registered_by=org, **values) for values in self.new_sites.values()])
        self.site_ids.update(zip(self.new_sites, (site.pk for site in sites)))
        apply_changes(writer, Site, self.site_changes)
        through = Site.commodities.through
        writer.create_ignoring_conflicts(through, [
            through(site_id=self.site_ids[ref], commodity_id=commodity_id)
            for ref, commodity_ids in self.commodities_to_add.items() for commodity_id in sorted(commodity_ids)
        ])
        entries = writer.create(NetworkSite, [
            NetworkSite(company=org, site_id=self.site_ids[ref], internal_ref=ref) for ref in sorted(self.new_network_sites)
        ])
        apply_changes(writer, NetworkSite, {}, by_site=self.site_ref_changes, company=org)
        writer.create(SupplyLink, [
            SupplyLink(company=org, upstream_id=self.site_ids[up], downstream_id=self.site_ids[down] if down else None,
                       **values)
            for up, down, values in self.new_links
        ])
        apply_changes(writer, SupplyLink, self.link_changes)
        refresh_tiers(org)
        schedule_recompute(company_ids=[org.pk])
        joined_network(org, [entry.site_id for entry in entries])


def apply_changes(writer: Writer, model, changes: dict[int, dict], by_site=None, by_supplier=None, company=None) -> None:
    """Update rows by primary key (or network entries by site or supplier) with per-row changes."""
    if by_site or by_supplier:
        attribute, refs = ("site_id", by_site) if by_site else ("supplier_id", by_supplier)
        objects = list(model.objects.filter(company=company, **{f"{attribute}__in": list(refs)}))
        for entry in objects:
            entry.internal_ref = refs[getattr(entry, attribute)]
        writer.update(model, objects, ["internal_ref"])
        return
    if not changes:
        return
    objects = list(model.objects.filter(pk__in=list(changes)))
    fields = sorted({name for change in changes.values() for name in change})
    for obj in objects:
        for name, value in changes[obj.pk].items():
            setattr(obj, name, value)
    writer.update(model, objects, fields + (["updated_at"] if hasattr(model, "updated_at") else []))


def joined_network(org, site_ids: list[int]) -> None:
    """Sites that joined the company's network (bulk inserts send no post_save) receive their open grievances."""
    from audits.services.grievances import route_grievances

    if site_ids:
        route_grievances(site_ids=site_ids)


def plan(read: ReadRows, viewer, progress) -> SupplyMapPlan:
    """Resolve and compare everything the upload describes; problems found here go to `read.log`."""
    org = viewer.organization
    network_refs = set(
        NetworkSite.objects.filter(company=org, internal_ref__isnull=False).values_list("internal_ref", flat=True)
    )
    supply_map = describe(read, network_refs)
    progress.start(Phase.RESOLVING, len(supply_map.sites))
    uploads = [
        UploadedSite(ref, spec.row, spec.values["name"], spec.values.get("address", ""), spec.values["country"],
                     spec.values.get("os_id"))
        for ref, spec in supply_map.sites.items() if "name" in spec.values and "country" in spec.values
    ]
    resolution = resolve_sites(uploads, viewer)
    progress.start(Phase.PLANNING, len(read.rows))
    result = SupplyMapPlan(viewer)
    result.review = [(upload, resolution.ambiguous[upload.ref]) for upload in uploads if upload.ref in resolution.ambiguous]
    result.review_refs = set(resolution.ambiguous)
    plan_suppliers(read, supply_map, result, viewer)
    plan_sites(read, supply_map, resolution, result)
    plan_links(read, supply_map, result)
    return result


def plan_suppliers(read: ReadRows, supply_map: SupplyMap, result: SupplyMapPlan, viewer) -> None:
    """Find each uploaded supplier by the company's reference, an identifier (among the suppliers the company may
    see, graph/services/registry.py) or its name in the network; compare the found ones with the file."""
    org = result.organization
    specs = supply_map.suppliers
    in_network = dict(NetworkSupplier.objects.filter(company=org).values_list("supplier_id", "internal_ref"))
    by_ref = {ref: supplier_id for supplier_id, ref in in_network.items() if ref}
    by_identifier = suppliers_by_identifier(viewer, [spec.values | {"country": spec.country} for spec in specs.values()])
    by_name = {
        (country, normalize_name(name)): supplier_id
        for supplier_id, name, country in Supplier.objects.filter(pk__in=list(in_network)).values_list("id", "name", "country")
    }
    claimed: dict[tuple, int] = {}
    for key, spec in specs.items():
        values = spec.values | {"country": spec.country}
        supplier_id = by_ref.get(spec.ref) or matching_supplier(by_identifier, values)
        if supplier_id is None and values.get("name"):
            supplier_id = by_name.get((spec.country, normalize_name(values["name"])))
        if supplier_id is None:
            if not values.get("name") or not spec.country:
                read.log.error(spec.row, read.label("supplier_ref"), spec.ref, "unknown_reference",
                               f"No supplier of your network has the reference '{spec.ref}'; give its name to add it.")
                continue
            if not claim_identifiers(read, spec.row, identifier_keys(values), claimed):
                continue
            result.new_suppliers[key] = {k: values.get(k) for k in ("name", "country", "tax_id", "lei", "duns")}
            result.new_network_suppliers[key] = spec.ref
            result.credit(spec.row, "suppliers", CREATED)
            continue
        result.supplier_ids[key] = supplier_id
        outcome = UNCHANGED
        if supplier_id not in in_network:
            result.new_network_suppliers[key] = spec.ref
            outcome = CREATED
        elif spec.ref and in_network[supplier_id] != spec.ref:
            result.supplier_ref_changes[supplier_id] = spec.ref
            outcome = UPDATED
        result.credit(spec.row, "suppliers", outcome)
    stored_suppliers = Supplier.objects.filter(pk__in=list(result.supplier_ids.values())).values("id", *SUPPLIER_COLUMNS)
    keys_of = defaultdict(list)
    for key, supplier_id in result.supplier_ids.items():
        keys_of[supplier_id].append(key)
    for stored in stored_suppliers:
        for key in keys_of[stored["id"]]:
            spec = specs[key]
            changes = {name: value for name, value in spec.values.items() if stored[name] != value}
            if not changes:
                continue
            if stored["registered_by_id"] != org.pk:
                not_editable(read, spec.row, "supplier", changes, {"name": "supplier_name"})
                continue
            saved = Supplier(**stored | changes)
            clash = supplier_clash(saved)
            if clash is not None:
                column = COLUMN_OF_SUPPLIER_FIELD[clash.field]
                read.log.error(spec.row, read.label(column), getattr(clash.holder, clash.field), "unique",
                               clash.message("supplier"))
                continue
            given = identifier_keys({name: getattr(saved, name) for name in changes} | {"country": saved.country})
            if not claim_identifiers(read, spec.row, given, claimed):
                continue
            result.supplier_changes[stored["id"]] = changes
            result.credit(spec.row, "suppliers", UPDATED)


def claim_identifiers(read: ReadRows, row: int, keys: list[tuple], claimed: dict[tuple, int]) -> bool:
    """Claim for the supplier of `row` the identifiers (keys of graph/services/registry.py) that this file gives a
    supplier of the company's; refused, with an error on that cell, when an earlier row gave one to another
    supplier (both would be the company's entries with one DUNS or tax id, which the registry refuses)."""
    for key in keys:
        if key in claimed:
            label = IDENTIFIER_LABELS[key[0]]
            read.log.error(row, read.label(COLUMN_OF_SUPPLIER_FIELD[key[0]]), key[-1], "conflict",
                           f"Row {claimed[key]} gives this {label} to another supplier; a {label} names one supplier "
                           "(give it the same reference, or the same identifiers, on every row).")
            return False
    claimed.update(dict.fromkeys(keys, row))
    return True


def not_editable(read: ReadRows, row: int, noun: str, changes: dict, column_of: dict) -> None:
    columns = ", ".join(read.label(column_of.get(name, name)) for name in changes)
    read.log.warning(row, None, None, "not_editable",
                     f"This {noun} is a shared registry entry registered by another organization: it joins your "
                     f"network as it is, and its {columns} from this file were not applied.")


def plan_sites(read: ReadRows, supply_map: SupplyMap, resolution, result: SupplyMapPlan) -> None:
    org = result.organization
    commodity_ids = dict(Commodity.objects.values_list("code", "id"))
    matched = {ref: match.site_id for ref, match in resolution.matched.items()}
    first_ref: dict[int, str] = {}
    for ref, site_id in matched.items():
        if site_id in first_ref:
            spec = supply_map.sites[ref]
            read.log.error(spec.row, read.label("site_ref"), ref, "duplicate_site",
                           f"{ref} and {first_ref[site_id]} are the same registry site; describe it under one reference.")
        first_ref.setdefault(site_id, ref)
    new_os_ids: dict[str, str] = {}
    stored = {row["id"]: row for row in Site.objects.filter(pk__in=list(matched.values())).values("id", *SITE_COLUMNS)}
    stored_commodities = defaultdict(set)
    for site_id, commodity_id in Site.commodities.through.objects.filter(site_id__in=list(matched.values())).values_list(
        "site_id", "commodity_id"
    ):
        stored_commodities[site_id].add(commodity_id)
    network = dict(NetworkSite.objects.filter(company=org, site_id__in=list(matched.values())).values_list("site_id", "internal_ref"))
    known_suppliers = set(result.supplier_ids) | set(result.new_suppliers)
    for ref, spec in supply_map.sites.items():
        if spec.supplier_key in known_suppliers:
            result.site_supplier[ref] = spec.supplier_key
        wanted = {commodity_ids[code] for code in spec.commodities or ()}
        if ref in resolution.ambiguous:
            for row in spec.rows:
                result.credit(row, "sites", REVIEW)
            continue
        site_id = matched.get(ref)
        if site_id is None:
            if "name" in spec.values and "country" in spec.values:
                plan_new_site(read, spec, wanted, new_os_ids, result)
            continue
        result.site_ids[ref] = site_id
        site = stored[site_id]
        outcome = UNCHANGED
        changes = {name: value for name, value in spec.values.items() if site[name] != value}
        missing_commodities = wanted - stored_commodities[site_id]
        new_supplier = ref in result.site_supplier and result.supplier_ids.get(spec.supplier_key, "new") != site["supplier_id"]
        if site["registered_by_id"] != org.pk and (changes or missing_commodities or new_supplier):
            not_editable(read, spec.row, "site", {**changes, **({"supplier_id": 1} if new_supplier else {}),
                                                   **({"commodities": 1} if missing_commodities else {})},
                         COLUMN_OF_SITE_FIELD)
            result.site_supplier.pop(ref, None)
        else:
            if changes:
                result.site_changes[site_id] = changes
            if missing_commodities:
                result.commodities_to_add[ref] = missing_commodities
            if not new_supplier:
                result.site_supplier.pop(ref, None)
            if changes or missing_commodities or new_supplier:
                outcome = UPDATED
        if site_id not in network:
            result.new_network_sites.add(ref)
            outcome = CREATED
        elif network[site_id] != ref:
            result.site_ref_changes[site_id] = ref
            outcome = CREATED if outcome == CREATED else UPDATED
        result.credit(spec.row, "sites", outcome)


def plan_new_site(read: ReadRows, spec, commodity_ids: set[int], new_os_ids: dict, result: SupplyMapPlan) -> None:
    os_id = spec.values.get("os_id")
    if os_id and os_id in new_os_ids:
        read.log.error(spec.row, read.label("os_id"), os_id, "duplicate_site",
                       f"Site {new_os_ids[os_id]} has the same Open Supply Hub ID.")
    if os_id:
        new_os_ids.setdefault(os_id, spec.ref)
    result.new_sites[spec.ref] = {"kind": "facility", "address": "", "subdivision": "", **spec.values}
    result.commodities_to_add[spec.ref] = commodity_ids
    result.new_network_sites.add(spec.ref)
    result.credit(spec.row, "sites", CREATED)


def plan_links(read: ReadRows, supply_map: SupplyMap, result: SupplyMapPlan) -> None:
    org = result.organization
    commodity_ids = dict(Commodity.objects.values_list("code", "id"))
    network_sites = dict(NetworkSite.objects.filter(company=org, internal_ref__isnull=False).values_list("internal_ref", "site_id"))
    site_of = {**network_sites, **result.site_ids}
    stored_links = {row["id"]: row for row in SupplyLink.objects.filter(company=org).values("id", "external_ref", *LINK_COLUMNS)}
    by_ref = {row["external_ref"]: row for row in stored_links.values() if row["external_ref"]}
    claimed = {by_ref[link.external_ref]["id"] for link in supply_map.links if link.external_ref in by_ref}
    # A row not found by its reference is the stored link between the same sites for the same commodity, whatever
    # reference that link has, unless another row's reference names it.
    by_ends = {(row["upstream_id"], row["downstream_id"], row["commodity_id"]): row
               for row in stored_links.values() if row["id"] not in claimed}
    touched: set[int] = set()
    totals: dict[tuple, list] = defaultdict(list)  # (downstream, commodity) → [(row, share)]
    for link in supply_map.links:
        if link.upstream_ref in result.review_refs or link.buyer_ref in result.review_refs:
            result.credit(link.row, "links", REVIEW)
            continue
        values = {**link.values, "commodity_id": commodity_ids[link.commodity], "external_ref": link.external_ref}
        up, down = site_of.get(link.upstream_ref), site_of.get(link.buyer_ref) if link.buyer_ref else None
        stored = by_ref.get(link.external_ref)
        if stored is None and up is not None and (down is not None or not link.buyer_ref):
            stored = by_ends.get((up, down, values["commodity_id"]))
            if stored is not None and not link.own_ref:
                values["external_ref"] = stored["external_ref"]  # a row without a reference keeps the link's own
        downstream_key = down if down is not None else (link.buyer_ref and f"new:{link.buyer_ref}")
        if stored is None:
            values.setdefault("evidence_level", EvidenceLevel.DECLARED)
            result.new_links.append((link.upstream_ref, link.buyer_ref, values))
            result.credit(link.row, "links", CREATED)
            totals[downstream_key, values["commodity_id"]].append((link.row, values.get("share") or Decimal(0)))
            continue
        touched.add(stored["id"])
        changes = {name: value for name, value in values.items() if stored[name] != value}
        if changes:
            result.link_changes[stored["id"]] = changes
        result.credit(link.row, "links", UPDATED if changes else UNCHANGED)
        share = values.get("share", stored["share"])
        totals[downstream_key, values["commodity_id"]].append((link.row, share or Decimal(0)))
    for row in stored_links.values():
        key = (row["downstream_id"], row["commodity_id"])
        if row["id"] not in touched and row["share"] is not None and key in totals:
            totals[key].append((None, row["share"]))
    for (downstream, _commodity), shares in totals.items():
        total = sum(share for _row, share in shares)
        if total > 1:
            for row, share in shares:
                if row is not None and share:
                    read.log.error(row, read.label("share"), share, "share_total",
                                   f"The shares of this buyer's supply of this commodity add up to {total:.4f}; "
                                   "they cannot exceed 1 (100%).")
