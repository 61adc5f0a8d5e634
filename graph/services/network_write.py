"""Writing a planned network batch (graph/services/network_batch.py) with the bulk writer (backend/db/writer.py).

Suppliers first, then their network entries, sites (which name their operator), the sites' commodities and
network entries, then links (which name their sites): each step knows the IDs the earlier ones drew. Bulk
inserts send no post_save, so the sites that joined the network are announced by `network_sites_joined`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from backend.tenancy import Viewer, owned
from graph.models import NetworkSite, NetworkSiteAlias, NetworkSupplier, Site, Supplier, SupplyLink
from graph.services.network_rows import NetworkResult, SupplierKey
from graph.services.risk_jobs import schedule_recompute
from graph.services.tiers import refresh_tiers
from graph.signals import network_sites_joined

if TYPE_CHECKING:
    from backend.db.writer import Writer


@dataclass(frozen=True)
class NewLink:
    """A link to add between two sites named by the company's references (`buyer_ref` None: to the company)."""

    upstream_ref: str
    buyer_ref: str | None
    values: dict


@dataclass
class NetworkChanges:
    """What writing the plan inserts and updates. Suppliers are keyed by SupplierKey, sites by reference, stored
    rows by ID; `supplier_ids` and `site_ids` are the stored (later also the new) IDs of the batch's keys."""

    new_suppliers: dict[SupplierKey, dict] = field(default_factory=dict)
    supplier_ids: dict[SupplierKey, int] = field(default_factory=dict)
    supplier_changes: dict[int, dict] = field(default_factory=dict)
    new_network_suppliers: dict[SupplierKey, str | None] = field(default_factory=dict)
    supplier_ref_changes: dict[int, str] = field(default_factory=dict)
    new_sites: dict[str, dict] = field(default_factory=dict)
    site_ids: dict[str, int] = field(default_factory=dict)
    site_changes: dict[int, dict] = field(default_factory=dict)
    site_supplier: dict[str, SupplierKey] = field(default_factory=dict)
    commodities_to_add: dict[str, set[int]] = field(default_factory=dict)
    new_network_sites: set[str] = field(default_factory=set)
    site_ref_changes: dict[int, str] = field(default_factory=dict)
    new_site_aliases: dict[str, str] = field(default_factory=dict)  # an earlier reference → the site's batch ref
    site_extra: dict[str, dict] = field(default_factory=dict)  # the network entry's extra data, by batch ref
    new_links: list[NewLink] = field(default_factory=list)
    link_changes: dict[int, dict] = field(default_factory=dict)

    @property
    def records(self) -> int:
        """How many rows writing inserts or updates."""
        return sum(map(len, (
            self.new_suppliers, self.supplier_changes, self.new_network_suppliers, self.supplier_ref_changes,
            self.new_sites, self.site_changes, self.new_network_sites, self.site_ref_changes, self.new_links,
            self.link_changes, self.new_site_aliases, self.site_extra,
        ))) + sum(map(len, self.commodities_to_add.values()))


@dataclass
class NetworkPlan:
    """A planned batch: the viewer's, its result (credits, refusals, notices), the writes, and the site
    references left out while they await review."""

    viewer: Viewer
    result: NetworkResult
    changes: NetworkChanges
    awaiting_review: frozenset[str]


def write_network(plan: NetworkPlan, writer: Writer) -> None:
    """Write the plan (all of it: the caller writes only a plan nothing was refused in), then refresh the tiers,
    schedule the risk recomputation and announce the sites that joined the network."""
    viewer, changes = plan.viewer, plan.changes
    org = viewer.organization
    created = writer.create(Supplier, [Supplier(registered_by=org, **values) for values in changes.new_suppliers.values()])
    changes.supplier_ids.update(zip(changes.new_suppliers, (supplier.pk for supplier in created)))
    writer.update_by_pk(Supplier, changes.supplier_changes)
    writer.create(NetworkSupplier, [
        NetworkSupplier(company=org, supplier_id=changes.supplier_ids[key], internal_ref=ref)
        for key, ref in changes.new_network_suppliers.items()
    ])
    update_internal_refs(writer, owned(NetworkSupplier, viewer), "supplier_id", changes.supplier_ref_changes)
    for ref, key in changes.site_supplier.items():
        if ref in changes.new_sites:
            changes.new_sites[ref]["supplier_id"] = changes.supplier_ids[key]
        else:
            changes.site_changes.setdefault(changes.site_ids[ref], {})["supplier_id"] = changes.supplier_ids[key]
    sites = writer.create(Site, [Site(registered_by=org, **values) for values in changes.new_sites.values()])
    changes.site_ids.update(zip(changes.new_sites, (site.pk for site in sites)))
    writer.update_by_pk(Site, changes.site_changes)
    through = Site.commodities.through
    writer.create_ignoring_conflicts(through, [
        through(site_id=changes.site_ids[ref], commodity_id=commodity_id)
        for ref, commodity_ids in changes.commodities_to_add.items() for commodity_id in sorted(commodity_ids)
    ])
    entries = writer.create(NetworkSite, [
        NetworkSite(company=org, site_id=changes.site_ids[ref], internal_ref=ref, extra=changes.site_extra.get(ref, {}))
        for ref in sorted(changes.new_network_sites)
    ])
    update_internal_refs(writer, owned(NetworkSite, viewer), "site_id", changes.site_ref_changes)
    writer.create(NetworkSiteAlias, [
        NetworkSiteAlias(company=org, site_id=changes.site_ids[ref], ref=alias)
        for alias, ref in changes.new_site_aliases.items()
    ])
    update_extra(writer, owned(NetworkSite, viewer), {
        changes.site_ids[ref]: extra for ref, extra in changes.site_extra.items() if ref not in changes.new_network_sites
    })
    writer.create(SupplyLink, [
        SupplyLink(company=org, upstream_id=changes.site_ids[link.upstream_ref],
                   downstream_id=changes.site_ids[link.buyer_ref] if link.buyer_ref else None, **link.values)
        for link in changes.new_links
    ])
    writer.update_by_pk(SupplyLink, changes.link_changes)
    refresh_tiers(org)
    schedule_recompute(company_ids=[org.pk])
    if entries:
        network_sites_joined.send(sender=NetworkSite, company=org, site_ids=[entry.site_id for entry in entries])


def update_internal_refs(writer: Writer, entries, attribute: str, refs: dict[int, str]) -> None:
    """Give the company's network entries (of `entries`, by their `attribute`: site or supplier ID) new references."""
    if not refs:
        return
    objects = list(entries.filter(**{f"{attribute}__in": list(refs)}))
    for entry in objects:
        entry.internal_ref = refs[getattr(entry, attribute)]
    writer.update(entries.model, objects, ["internal_ref"])


def update_extra(writer: Writer, entries, extra_by_site: dict[int, dict]) -> None:
    """Give the company's network entries of these sites (by site ID) their new extra data."""
    if not extra_by_site:
        return
    objects = list(entries.filter(site_id__in=list(extra_by_site)))
    for entry in objects:
        entry.extra = extra_by_site[entry.site_id]
    writer.update(entries.model, objects, ["extra"])
