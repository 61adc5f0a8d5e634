"""Recording a batch of suppliers, sites and links in a company's network: the plan, compared with what is stored.

`plan_network(viewer, batch, resolution)` finds each supplier, site and link of the batch among the stored ones,
checks the network's rules on the whole batch at once and returns a NetworkPlan: credits (created, updated,
unchanged per "supplier", "site", "link"), refusals keyed by row index, and the writes; planning writes nothing
(an import's dry run stops there), `graph/services/network_write.py` writes the plan.

What a batch says is added or updated, never removed: an absent value leaves the stored one as it is. A shared
registry entry registered by another organization is joined, not edited (a `Kept` notice says so; the rule is
registry.py's `is_registrant`). Sites are found by the resolution the caller made, suppliers by the company's
reference, an identifier (registry.py's `suppliers_by_identifier`: only entries the company may already see are
matched or named) or their name in the network, links by their reference or their ends and commodity: a second
batch of the same rows finds everything unchanged.

A site keeps every reference the company gave it: a site found under a new reference takes it as its reference and
keeps the earlier one as an alias (NetworkSiteAlias); a batch naming it by an alias leaves it as it is. A value
differing from the stored one only in form (names.py: a site's name in legal form, case or punctuation…) is no change, and what the company says of a
site beyond the registry (`SiteRow.extra`) only ever adds values: re-sending any earlier batch changes nothing.
"""

from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal

from backend.batch import Outcome
from backend.tenancy import Viewer, owned
from graph.models import (
    Commodity,
    EvidenceLevel,
    NetworkSite,
    NetworkSiteAlias,
    NetworkSupplier,
    Site,
    Supplier,
    SupplyLink,
)
from graph.services.links import ShareClaim, StoredShare, over_full_shares
from graph.services.names import SITE_FORMS, SUPPLIER_FORMS, same_value
from graph.services.network_rows import NetworkBatch, NetworkResult, SiteResolution, SiteRow
from graph.services.network_write import NetworkChanges, NetworkPlan, NewLink
from graph.services.registry import (
    IDENTIFIER_LABELS,
    identifier_keys,
    is_registrant,
    matching_supplier,
    supplier_clash,
    suppliers_by_identifier,
)

SITE_COLUMNS = ("name", "kind", "address", "country", "subdivision", "latitude", "longitude", "os_id", "workers",
                "migrant_share", "supplier_id", "registered_by_id")
SUPPLIER_COLUMNS = ("name", "country", "tax_id", "lei", "duns", "is_public", "registered_by_id")
# Shares of a buyer's supply adding up to at most 1 + SHARE_ROUNDING are taken as rounding (0.34 + 0.33 + 0.34,
# 0.9999 + 0.0002): accepted with a notice, since the methodology normalises a buyer's shares to 1 anyway
# (docs/methodology.md, section 6). Beyond it, a total over 1 is a mistake and refused.
SHARE_ROUNDING = Decimal("0.01")
LINK_COLUMNS = ("upstream_id", "downstream_id", "commodity_id", "share", "volume", "volume_unit", "evidence_level",
                "valid_from", "valid_to")


def network_site_refs(viewer: Viewer) -> dict[str, int]:
    """The viewer's own references of the sites of its network (each site's reference and its aliases), with the
    sites' IDs."""
    refs = dict(owned(NetworkSiteAlias, viewer).values_list("ref", "site_id"))
    refs.update(owned(NetworkSite, viewer).filter(internal_ref__isnull=False).values_list("internal_ref", "site_id"))
    return refs


def plan_network(viewer: Viewer, batch: NetworkBatch, resolution: SiteResolution,
                 name_key: Callable[[str], str]) -> NetworkPlan:
    """Compare the batch with what is stored and check its rules; `name_key` is how the caller compares supplier
    names (an import's entity resolution normalises legal forms and accents)."""
    plan = NetworkPlan(viewer, NetworkResult(), NetworkChanges(), resolution.awaiting_review)
    plan_suppliers(plan, batch, name_key)
    plan_sites(plan, batch, resolution)
    plan_links(plan, batch)
    return plan


def plan_suppliers(plan: NetworkPlan, batch: NetworkBatch, name_key: Callable[[str], str]) -> None:
    """Find each supplier by the company's reference, an identifier or its name in the network; compare the
    found ones with the batch."""
    viewer, result, changes, rows = plan.viewer, plan.result, plan.changes, batch.suppliers
    in_network = dict(owned(NetworkSupplier, viewer).values_list("supplier_id", "internal_ref"))
    by_ref = {ref: supplier_id for supplier_id, ref in in_network.items() if ref}
    by_identifier = suppliers_by_identifier(viewer, [row.values | {"country": row.country} for row in rows.values()])
    by_name = {
        (country, name_key(name)): supplier_id
        for supplier_id, name, country in Supplier.objects.filter(pk__in=list(in_network)).values_list("id", "name", "country")
    }
    claimed: dict[tuple, int] = {}
    for key, row in rows.items():
        values = row.values | {"country": row.country}
        supplier_id = by_ref.get(row.ref) or matching_supplier(by_identifier, values)
        if supplier_id is None and values.get("name"):
            supplier_id = by_name.get((row.country, name_key(values["name"])))
        if supplier_id is None:
            if not values.get("name") or not row.country:
                result.refuse(row.index, "supplier_ref", "unknown_reference",
                              f"No supplier of your network has the reference '{row.ref}'; give its name to add it.",
                              row.ref)
                continue
            if not claim_identifiers(result, row.index, identifier_keys(values), claimed):
                continue
            changes.new_suppliers[key] = {k: values.get(k) for k in ("name", "country", "tax_id", "lei", "duns")}
            changes.new_network_suppliers[key] = row.ref
            result.credit(row.index, "supplier", Outcome.CREATED)
            continue
        changes.supplier_ids[key] = supplier_id
        outcome = Outcome.UNCHANGED
        if supplier_id not in in_network:
            changes.new_network_suppliers[key] = row.ref
            outcome = Outcome.CREATED
        elif row.ref and in_network[supplier_id] != row.ref:
            changes.supplier_ref_changes[supplier_id] = row.ref
            outcome = Outcome.UPDATED
        result.credit(row.index, "supplier", outcome)
    compare_suppliers(plan, batch, claimed)


def compare_suppliers(plan: NetworkPlan, batch: NetworkBatch, claimed: dict[tuple, int]) -> None:
    """The found suppliers' registry attributes the batch changes: applied when the company registered the
    supplier and no other entry holds the new identifiers (registry.py's `supplier_clash`), else kept or refused."""
    result, changes = plan.result, plan.changes
    stored_suppliers = Supplier.objects.filter(pk__in=list(changes.supplier_ids.values())).values("id", *SUPPLIER_COLUMNS)
    keys_of = defaultdict(list)
    for key, supplier_id in changes.supplier_ids.items():
        keys_of[supplier_id].append(key)
    for stored in stored_suppliers:
        for key in keys_of[stored["id"]]:
            row = batch.suppliers[key]
            changed = {name: value for name, value in row.values.items()
                       if not same_value(name, stored[name], value, SUPPLIER_FORMS)}
            if not changed:
                continue
            if not is_registrant(plan.viewer, stored["registered_by_id"]):
                result.keep(row.index, "supplier", changed)
                continue
            saved = Supplier(**stored | changed)
            clash = supplier_clash(saved)
            if clash is not None:
                result.refuse(row.index, f"supplier_{clash.field}", "unique", clash.message("supplier"),
                              getattr(clash.holder, clash.field))
                continue
            given = identifier_keys({name: getattr(saved, name) for name in changed} | {"country": saved.country})
            if not claim_identifiers(result, row.index, given, claimed):
                continue
            changes.supplier_changes[stored["id"]] = changed
            result.credit(row.index, "supplier", Outcome.UPDATED)


def claim_identifiers(result: NetworkResult, index: int, keys: list[tuple], claimed: dict[tuple, int]) -> bool:
    """Claim for the supplier of row `index` the identifiers (keys of registry.py) the batch gives a supplier of
    the company's; refused when an earlier row gave one to another supplier (both would be the company's entries
    with one DUNS or tax id, which the registry refuses)."""
    for key in keys:
        if key in claimed:
            label = IDENTIFIER_LABELS[key[0]]
            result.refuse(index, f"supplier_{key[0]}", "conflict",
                          f"Row {claimed[key]} gives this {label} to another supplier; a {label} names one supplier "
                          "(give it the same reference, or the same identifiers, on every row).", key[-1])
            return False
    claimed.update(dict.fromkeys(keys, index))
    return True


def plan_sites(plan: NetworkPlan, batch: NetworkBatch, resolution: SiteResolution) -> None:
    """Compare each resolved site with the stored one; a site no resolution matched is new."""
    viewer, result, changes = plan.viewer, plan.result, plan.changes
    commodity_ids = dict(Commodity.objects.values_list("code", "id"))
    matched = resolution.matched
    first_ref: dict[int, str] = {}
    for ref, site_id in matched.items():
        if site_id in first_ref:
            result.refuse(batch.sites[ref].index, "site_ref", "duplicate_site",
                          f"{ref} and {first_ref[site_id]} are the same registry site; describe it under one reference.",
                          ref)
        first_ref.setdefault(site_id, ref)
    new_os_ids: dict[str, str] = {}
    stored = {row["id"]: row for row in Site.objects.filter(pk__in=list(matched.values())).values("id", *SITE_COLUMNS)}
    stored_commodities = defaultdict(set)
    for site_id, commodity_id in Site.commodities.through.objects.filter(site_id__in=list(matched.values())).values_list(
        "site_id", "commodity_id"
    ):
        stored_commodities[site_id].add(commodity_id)
    entries = owned(NetworkSite, viewer).filter(site_id__in=list(matched.values()))
    network = {site_id: (ref, extra) for site_id, ref, extra in entries.values_list("site_id", "internal_ref", "extra")}
    aliases = dict(owned(NetworkSiteAlias, viewer).filter(site_id__in=list(matched.values())).values_list("ref", "site_id"))
    known_suppliers = set(changes.supplier_ids) | set(changes.new_suppliers)
    for ref, row in batch.sites.items():
        if ref in resolution.awaiting_review:
            continue
        if row.supplier_key in known_suppliers:
            changes.site_supplier[ref] = row.supplier_key
        wanted = {commodity_ids[code] for code in row.commodities or ()}
        site_id = matched.get(ref)
        if site_id is None:
            if "name" in row.values and "country" in row.values:
                plan_new_site(plan, row, wanted, new_os_ids)
            continue
        changes.site_ids[ref] = site_id
        outcome = compare_site(plan, row, stored[site_id], wanted - stored_commodities[site_id])
        if site_id not in network:
            changes.new_network_sites.add(ref)
            if row.extra:
                changes.site_extra[ref] = row.extra
            result.credit(row.index, "site", Outcome.CREATED)
            continue
        known_ref, extra = network[site_id]
        if known_ref != ref and aliases.get(ref) != site_id:
            changes.site_ref_changes[site_id] = ref
            if known_ref:
                changes.new_site_aliases[known_ref] = ref
            outcome = Outcome.UPDATED
        merged = merged_extra(extra, row.extra)
        if merged != extra:
            changes.site_extra[ref] = merged
            outcome = Outcome.UPDATED
        result.credit(row.index, "site", outcome)


def merged_extra(stored: dict[str, list[str]], given: dict[str, list[str]]) -> dict[str, list[str]]:
    """The stored extra data of a site with the values a batch gives that it does not hold yet (none is removed)."""
    merged = {name: list(values) for name, values in stored.items()}
    for name, values in given.items():
        held = merged.setdefault(name, [])
        held.extend(value for value in values if value not in held)
    return merged


def compare_site(plan: NetworkPlan, row: SiteRow, site: dict, missing_commodities: set[int]) -> Outcome:
    """The registry changes the batch makes to a stored site: applied when the company registered it, else kept."""
    changes = plan.changes
    changed = {name: value for name, value in row.values.items() if not same_value(name, site[name], value, SITE_FORMS)}
    new_supplier = (row.ref in changes.site_supplier
                    and changes.supplier_ids.get(row.supplier_key, "new") != site["supplier_id"])
    if not (changed or missing_commodities or new_supplier):
        changes.site_supplier.pop(row.ref, None)
        return Outcome.UNCHANGED
    if not is_registrant(plan.viewer, site["registered_by_id"]):
        plan.result.keep(row.index, "site", [*changed, *(["supplier_id"] if new_supplier else []),
                                             *(["commodities"] if missing_commodities else [])])
        changes.site_supplier.pop(row.ref, None)
        return Outcome.UNCHANGED
    if changed:
        changes.site_changes[site["id"]] = changed
    if missing_commodities:
        changes.commodities_to_add[row.ref] = missing_commodities
    if not new_supplier:
        changes.site_supplier.pop(row.ref, None)
    return Outcome.UPDATED


def plan_new_site(plan: NetworkPlan, row: SiteRow, commodity_ids: set[int], new_os_ids: dict[str, str]) -> None:
    """A site to register; two new sites may not share an Open Supply Hub ID."""
    os_id = row.values.get("os_id")
    if os_id and os_id in new_os_ids:
        plan.result.refuse(row.index, "os_id", "duplicate_site", f"Site {new_os_ids[os_id]} has the same Open Supply Hub ID.",
                           os_id)
    if os_id:
        new_os_ids.setdefault(os_id, row.ref)
    changes = plan.changes
    changes.new_sites[row.ref] = {"kind": "facility", "address": "", "subdivision": "", **row.values}
    changes.commodities_to_add[row.ref] = commodity_ids
    changes.new_network_sites.add(row.ref)
    if row.extra:
        changes.site_extra[row.ref] = row.extra
    plan.result.credit(row.index, "site", Outcome.CREATED)


def plan_links(plan: NetworkPlan, batch: NetworkBatch) -> None:
    """Find each link by its reference, else by its ends and commodity; then the shares of every buyer's
    commodity, the batch's and the stored links' it leaves as they are, may not exceed 1 (links.py)."""
    viewer, result, changes = plan.viewer, plan.result, plan.changes
    commodity_ids = dict(Commodity.objects.values_list("code", "id"))
    site_of = {**network_site_refs(viewer), **changes.site_ids}
    stored_links = {row["id"]: row for row in owned(SupplyLink, viewer).values("id", "external_ref", *LINK_COLUMNS)}
    by_ref = {row["external_ref"]: row for row in stored_links.values() if row["external_ref"]}
    claimed = {by_ref[link.external_ref]["id"] for link in batch.links if link.external_ref in by_ref}
    # A row not found by its reference is the stored link between the same sites for the same commodity, whatever
    # reference that link has, unless another row's reference names it.
    by_ends = {(row["upstream_id"], row["downstream_id"], row["commodity_id"]): row
               for row in stored_links.values() if row["id"] not in claimed}
    touched: set[int] = set()
    claims: list[ShareClaim] = []
    for link in batch.links:
        if link.upstream_ref in plan.awaiting_review or link.buyer_ref in plan.awaiting_review:
            continue
        values = {**link.values, "commodity_id": commodity_ids[link.commodity], "external_ref": link.external_ref}
        up, down = site_of.get(link.upstream_ref), site_of.get(link.buyer_ref) if link.buyer_ref else None
        stored = by_ref.get(link.external_ref)
        if stored is None and up is not None and (down is not None or not link.buyer_ref):
            stored = by_ends.get((up, down, values["commodity_id"]))
            if stored is not None and not link.own_ref:
                values["external_ref"] = stored["external_ref"]  # a row without a reference keeps the link's own
        # A buyer site the batch adds has no ID yet: its shares are summed under its reference.
        downstream = down if down is not None else (link.buyer_ref and f"new:{link.buyer_ref}")
        if stored is None:
            values.setdefault("evidence_level", EvidenceLevel.DECLARED)
            changes.new_links.append(NewLink(link.upstream_ref, link.buyer_ref, values))
            result.credit(link.index, "link", Outcome.CREATED)
            claims.append(ShareClaim(link.index, downstream, values["commodity_id"], values.get("share") or Decimal(0)))
            continue
        touched.add(stored["id"])
        changed = {name: value for name, value in values.items() if stored[name] != value}
        if changed:
            changes.link_changes[stored["id"]] = changed
        result.credit(link.index, "link", Outcome.UPDATED if changed else Outcome.UNCHANGED)
        claims.append(ShareClaim(link.index, downstream, values["commodity_id"],
                                 values.get("share", stored["share"]) or Decimal(0)))
    untouched = [StoredShare(row["downstream_id"], row["commodity_id"], row["share"])
                 for row in stored_links.values() if row["id"] not in touched and row["share"] is not None]
    for excess in over_full_shares(claims, untouched):
        giving = [claim for claim in excess.claims if claim.share]
        if not giving:
            continue
        rows = sorted({claim.index for claim in giving})
        named = f"rows {', '.join(map(str, rows))}" if len(rows) > 1 else f"row {rows[0]}"
        stored = f", with {excess.others:.4f} from your stored links" if excess.others else ""
        for claim in giving:
            if excess.total <= 1 + SHARE_ROUNDING:
                result.round_off(claim.index, excess.total, rows)
            else:
                result.refuse(claim.index, "share", "share_total",
                              f"The shares of this buyer's supply of this commodity add up to {excess.total:.4f} "
                              f"({named}{stored}); they cannot exceed 1 (100%) by more than the rounding tolerance "
                              f"of {SHARE_ROUNDING}.", claim.share)
