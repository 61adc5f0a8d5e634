"""Registering, editing and removing suppliers and sites in a company's network.

Resolution by identifier (an OS ID for sites; an LEI, a DUNS or a country + tax id for suppliers) considers only
the entries the requesting organization may already see (`visible()`, graph/models/network.py):
- a public entry (marked public, or carrying an LEI or an OS ID) is kept once per real-world entity: whoever
  gives its identifier joins it and sees its public description;
- another organization's private entry is never matched: the requester gets an entry of its own, and the answer
  and the queries run are the same whether or not the hidden entry exists.
The uniqueness rules make that hold for saves as well: LEIs and OS IDs are unique in the registry; a DUNS and a
country + tax id are unique among public entries and among one registrant's entries. Every entry a save can
clash with is therefore public or the registrant's own, and a clash names it on the identifier's field.

A registry entry's attributes (name, country, identifiers, address, position, kind, workers, operator,
commodities, and whether it is public) are set by the organization that registered it and by no one else; what
a company says about the entry (its own reference, its links) lives in its network entry.
"""

import operator
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce

from django.db import IntegrityError, transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, ProtectedError, Q

from backend.errors import field_error
from backend.tenancy import Viewer, owned, visible
from graph import validation
from graph.services.risk_jobs import schedule_recompute
from graph.models import NetworkSite, NetworkSupplier, Site, SiteKind, Supplier, SupplyLink
from graph.models.network import PUBLIC_SUPPLIER

SUPPLIER_FIELDS = ("name", "country", "tax_id", "lei", "duns", "is_public")
SITE_FIELDS = (
    "name", "kind", "address", "country", "subdivision", "latitude", "longitude", "os_id",
    "workers", "migrant_share", "supplier", "is_public",
)
IDENTIFIER_LABELS = {"lei": "LEI", "duns": "DUNS number", "tax_id": "tax id", "os_id": "Open Supply Hub ID"}


@dataclass(frozen=True)
class IdentifierClash:
    """An identifier an entry cannot take: `holder` (public, or its registrant's own) already has it."""

    field: str
    holder: Supplier | Site

    def message(self, noun: str) -> str:
        label = IDENTIFIER_LABELS[self.field]
        return (
            f"The {noun} '{self.holder.name}' already has this {label} ({getattr(self.holder, self.field)}). A new "
            f"{noun} given this {label} is that one, joining your network; otherwise correct the {label}."
        )


def clean_supplier(data: dict) -> dict:
    """Validate and normalise supplier attributes (only those present in `data`)."""
    cleaned = dict(data)
    if "name" in data:
        cleaned["name"] = validation.required_text(data["name"], "name", 300)
    if "country" in data:
        cleaned["country"] = validation.country_code(data["country"])
    for key in ("tax_id", "lei", "duns"):
        if key in data:
            cleaned[key] = (data[key] or "").strip().upper() or None
    if cleaned.get("lei") and not well_formed_lei(cleaned["lei"]):
        raise field_error("lei", f"An LEI has 20 characters; '{cleaned['lei']}' has {len(cleaned['lei'])}.", "invalid")
    if cleaned.get("duns") and not well_formed_duns(cleaned["duns"]):
        raise field_error("duns", f"A DUNS number has 9 digits; got '{cleaned['duns']}'.", "invalid")
    return cleaned


def well_formed_lei(lei: str) -> bool:
    """An LEI (ISO 17442) has 20 characters."""
    return len(lei) == 20


def well_formed_duns(duns: str) -> bool:
    """A DUNS number has 9 digits."""
    return duns.isdigit() and len(duns) == 9


def identifier_keys(values: dict) -> list[tuple]:
    """A supplier's identifiers as lookup keys, in the order resolution tries them:
    ("lei", LEI), ("duns", DUNS), ("tax_id", country, tax id)."""
    keys = [(name, values[name]) for name in ("lei", "duns") if values.get(name)]
    if values.get("tax_id") and values.get("country"):
        keys.append(("tax_id", values["country"], values["tax_id"]))
    return keys


def suppliers_by_identifier(viewer: Viewer, values_list: Iterable[dict]) -> dict[tuple, int]:
    """The IDs of the suppliers visible to the viewer that hold an identifier of `values_list`, by identifier key.

    Only visible entries are looked at, so a hidden one is never matched, and the query is the same whether or
    not one exists. Where two visible entries share an identifier (a company's private twin of an entry that
    another organization made public later), the one in the viewer's network wins, then a public one, then
    the older one.
    """
    keys = {key for values in values_list for key in identifier_keys(values)}
    if not keys:
        return {}
    # One IN list per kind of identifier, the tax id's country being part of the index's key: as an OR of one
    # condition per identifier, 5,000 uploaded suppliers' DUNS and tax ids took PostgreSQL 35 s instead of 0.8 s.
    held = [Q(**{f"{name}__in": {key[-1] for key in keys if key[0] == name}}) for name in ("lei", "duns", "tax_id")]
    in_network = owned(NetworkSupplier, viewer).filter(supplier=OuterRef("pk"))
    holders = (
        visible(Supplier, viewer).filter(reduce(operator.or_, held))
        .annotate(in_network=Exists(in_network), public=ExpressionWrapper(PUBLIC_SUPPLIER, BooleanField()))
        .order_by("-in_network", "-public", "pk")
        .values("id", "lei", "duns", "country", "tax_id")
    )
    index: dict[tuple, int] = {}
    for holder in holders:
        for key in identifier_keys(holder):
            index.setdefault(key, holder["id"])
    return index


def matching_supplier(index: dict[tuple, int], values: dict) -> int | None:
    """The ID of the supplier `values` resolves to in an index of `suppliers_by_identifier`, if any."""
    return next((index[key] for key in identifier_keys(values) if key in index), None)


def register_supplier(viewer: Viewer, data: dict, internal_ref: str | None = None) -> Supplier:
    """Add a supplier to the viewer's network: the visible entry its identifiers resolve to, else a new one."""
    cleaned = clean_supplier(data)
    supplier_id = matching_supplier(suppliers_by_identifier(viewer, [cleaned]), cleaned)
    if supplier_id is None:
        supplier = Supplier(registered_by=viewer.organization, **cleaned)
        save_unique(supplier)
    else:
        supplier = Supplier.objects.get(pk=supplier_id)
    join_network(NetworkSupplier, viewer, "supplier", supplier, internal_ref)
    return supplier


def update_supplier(viewer: Viewer, supplier: Supplier, data: dict, internal_ref=...) -> Supplier:
    registry_changes = {k: v for k, v in clean_supplier(data).items() if k in SUPPLIER_FIELDS}
    if registry_changes:
        ensure_registrant(viewer, supplier, "supplier")
        for key, value in registry_changes.items():
            setattr(supplier, key, value)
        refuse_clash(supplier_clash(supplier), "supplier")
        save_unique(supplier)
    if internal_ref is not ...:
        set_internal_ref(NetworkSupplier, viewer, "supplier", supplier, internal_ref)
    return supplier


def remove_supplier(viewer: Viewer, supplier: Supplier) -> None:
    """Take a supplier out of the viewer's network; refused while sites of the network still name it."""
    in_use = owned(NetworkSite, viewer).filter(site__supplier=supplier).count()
    if in_use:
        raise field_error(
            "id", f"Supplier '{supplier.name}' operates {in_use} site(s) of your network; reassign or remove them first.", "in_use"
        )
    owned(NetworkSupplier, viewer).filter(supplier=supplier).delete()
    unreferenced = not supplier.network_entries.exists() and not supplier.sites.exists()
    if unreferenced and is_registrant(viewer, supplier.registered_by_id) and not supplier.is_public:
        supplier.delete()


def clean_site(data: dict, current: Site | None = None) -> dict:
    """Validate and normalise site attributes (only those present in `data`)."""
    cleaned = dict(data)
    if "name" in data:
        cleaned["name"] = validation.required_text(data["name"], "name", 300)
    if "kind" in data and data["kind"] not in SiteKind.values:
        raise field_error("kind", f"'{data['kind']}' is not a site kind ({', '.join(SiteKind.values)}).", "invalid")
    country = current.country if current else None
    if "country" in data:
        country = cleaned["country"] = validation.country_code(data["country"])
    if "subdivision" in data or "country" in data:
        subdivision = data.get("subdivision", current.subdivision if current else "")
        cleaned["subdivision"] = validation.subdivision_code(country, subdivision)
    if "os_id" in data:
        cleaned["os_id"] = validation.os_id(data["os_id"])
    if "latitude" in data or "longitude" in data:
        validation.coordinates(
            data.get("latitude", current.latitude if current else None),
            data.get("longitude", current.longitude if current else None),
        )
    if "migrant_share" in data:
        validation.unit_interval(data["migrant_share"], "migrant_share")
    if "workers" in data:
        validation.non_negative(data["workers"], "workers")
    if "address" in data:
        cleaned["address"] = (data["address"] or "").strip()
    return cleaned


def register_site(viewer: Viewer, data: dict, commodities=None, internal_ref: str | None = None) -> Site:
    """Add a site to the viewer's network: the visible (thus public) entry with its OS ID, else a new one."""
    cleaned = clean_site(data)
    site = visible(Site, viewer).filter(os_id=cleaned["os_id"]).first() if cleaned.get("os_id") else None
    if site is None:
        site = Site(registered_by=viewer.organization, **cleaned)
        save_unique(site)
        if commodities:
            site.commodities.set(commodities)
    join_network(NetworkSite, viewer, "site", site, internal_ref)
    return site


def update_site(viewer: Viewer, site: Site, data: dict, commodities=None, internal_ref=...) -> Site:
    registry_changes = {k: v for k, v in clean_site(data, current=site).items() if k in SITE_FIELDS}
    if registry_changes or commodities is not None:
        ensure_registrant(viewer, site, "site")
        for key, value in registry_changes.items():
            setattr(site, key, value)
        refuse_clash(site_clash(site), "site")
        save_unique(site)
        if commodities is not None:
            site.commodities.set(commodities)
        schedule_recompute(site_ids=[site.pk])
    if internal_ref is not ...:
        set_internal_ref(NetworkSite, viewer, "site", site, internal_ref)
    return site


def remove_site(viewer: Viewer, site: Site) -> None:
    """Take a site out of the viewer's network; refused while the viewer's links still use it."""
    count = owned(SupplyLink, viewer).filter(Q(upstream=site) | Q(downstream=site)).count()
    if count:
        raise field_error("id", f"Site '{site.name}' is used by {count} supply link(s) of yours; delete them first.", "in_use")
    owned(NetworkSite, viewer).filter(site=site).delete()
    orphaned = not site.network_entries.exists() and not site.outgoing_links.exists() and not site.incoming_links.exists()
    if orphaned and is_registrant(viewer, site.registered_by_id) and not site.os_id and not site.is_public:
        try:
            with transaction.atomic():
                site.delete()
        except ProtectedError:
            pass  # audits or grievances about the site keep it in the registry


def join_network(model, viewer: Viewer, attribute: str, entity, internal_ref: str | None) -> None:
    entry, _ = model.objects.get_or_create(company=viewer.organization, **{attribute: entity})
    if internal_ref is not None and entry.internal_ref != internal_ref:
        set_internal_ref(model, viewer, attribute, entity, internal_ref)


def set_internal_ref(model, viewer: Viewer, attribute: str, entity, internal_ref: str | None) -> None:
    ref = (internal_ref or "").strip() or None
    clash = owned(model, viewer).filter(internal_ref=ref).exclude(**{attribute: entity})
    if ref and clash.exists():
        raise field_error("internal_ref", f"Your reference '{ref}' is already used by another {attribute}.", "unique")
    owned(model, viewer).filter(**{attribute: entity}).update(internal_ref=ref)


def is_registrant(viewer: Viewer, registered_by_id: int) -> bool:
    """Whether the viewer's organization registered the entry, and so may change its registry attributes."""
    return registered_by_id == viewer.organization.id


def ensure_registrant(viewer: Viewer, entity, noun: str) -> None:
    if not is_registrant(viewer, entity.registered_by_id):
        raise field_error(
            None,
            f"This {noun} is shared in the registry; only the organization that registered it can change its "
            "registry details (your own reference can still be changed).",
            "not_editable",
        )


def supplier_clash(supplier: Supplier) -> IdentifierClash | None:
    """The first identifier of `supplier`, as it is about to be saved, that another entry holds where the two may
    not share it: an LEI anywhere; a DUNS or a country + tax id in an entry of the same registrant, or in a
    public entry when this one is public too."""
    sharing = Q(registered_by=supplier.registered_by_id)
    if supplier.is_public or supplier.lei:
        sharing |= PUBLIC_SUPPLIER
    conditions = {}
    if supplier.lei:
        conditions["lei"] = Q(lei=supplier.lei)
    if supplier.duns:
        conditions["duns"] = Q(duns=supplier.duns) & sharing
    if supplier.tax_id:
        conditions["tax_id"] = Q(country=supplier.country, tax_id=supplier.tax_id) & sharing
    return first_clash(Supplier.objects.exclude(pk=supplier.pk), conditions)


def site_clash(site: Site) -> IdentifierClash | None:
    """Another site with the OS ID `site` is about to be saved with (an OS ID makes a site public)."""
    return first_clash(Site.objects.exclude(pk=site.pk), {"os_id": Q(os_id=site.os_id)} if site.os_id else {})


def first_clash(others, conditions: dict[str, Q]) -> IdentifierClash | None:
    """Of `others`, the holder of the first identifier whose condition one of them meets (one query)."""
    if not conditions:
        return None
    flags = {f"holds_{name}": ExpressionWrapper(condition, BooleanField()) for name, condition in conditions.items()}
    holders = list(others.filter(reduce(operator.or_, conditions.values())).annotate(**flags).order_by("pk"))
    for name in conditions:
        holder = next((holder for holder in holders if getattr(holder, f"holds_{name}")), None)
        if holder is not None:
            return IdentifierClash(name, holder)
    return None


def refuse_clash(clash: IdentifierClash | None, noun: str) -> None:
    if clash is not None:
        raise field_error(clash.field, clash.message(noun), "unique")


def save_unique(entity) -> None:
    """Save, turning a clash on a unique identifier (two requests racing for it) into a typed UNIQUE error."""
    try:
        with transaction.atomic():
            entity.save()
    except IntegrityError:
        raise field_error(
            None, "Another registry entry already has one of these identifiers (OS ID, LEI, DUNS or tax id).", "unique"
        )
