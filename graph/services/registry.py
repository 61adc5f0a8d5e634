"""Registering, editing and removing suppliers and sites in a company's network.

A new entry whose exact identifier (OS ID for sites; LEI, DUNS or country + tax id for suppliers) is already
in the registry resolves to the existing entry and joins the company's network: the registry keeps one row
per real-world entity. Registry attributes are edited only by the organization that registered the entry;
the company's own reference lives in its network entry.
"""

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from backend.graphql.errors import field_error
from backend.tenancy import Viewer
from graph import validation
from graph.services.risk_jobs import schedule_recompute
from graph.models import NetworkSite, NetworkSupplier, Site, SiteKind, Supplier, SupplyLink

SUPPLIER_FIELDS = ("name", "country", "tax_id", "lei", "duns", "is_public")
SITE_FIELDS = (
    "name", "kind", "address", "country", "subdivision", "latitude", "longitude", "os_id",
    "workers", "migrant_share", "supplier", "is_public",
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
    if cleaned.get("lei") and len(cleaned["lei"]) != 20:
        raise field_error("lei", f"An LEI has 20 characters; '{cleaned['lei']}' has {len(cleaned['lei'])}.", "invalid")
    if cleaned.get("duns") and not (cleaned["duns"].isdigit() and len(cleaned["duns"]) == 9):
        raise field_error("duns", f"A DUNS number has 9 digits; got '{cleaned['duns']}'.", "invalid")
    return cleaned


def find_supplier_by_identifier(data: dict) -> Supplier | None:
    """The registry supplier with the same LEI, DUNS or (country, tax id), if any."""
    for key in ("lei", "duns"):
        if data.get(key):
            found = Supplier.objects.filter(**{key: data[key]}).first()
            if found:
                return found
    if data.get("tax_id") and data.get("country"):
        return Supplier.objects.filter(country=data["country"], tax_id=data["tax_id"]).first()
    return None


def register_supplier(viewer: Viewer, data: dict, internal_ref: str | None = None) -> Supplier:
    """Add a supplier to the viewer's network, resolving exact identifiers to the existing registry entry."""
    cleaned = clean_supplier(data)
    supplier = find_supplier_by_identifier(cleaned)
    if supplier is None:
        supplier = Supplier(registered_by=viewer.organization, **cleaned)
        save_unique(supplier)
    join_network(NetworkSupplier, viewer, "supplier", supplier, internal_ref)
    return supplier


def update_supplier(viewer: Viewer, supplier: Supplier, data: dict, internal_ref=...) -> Supplier:
    registry_changes = {k: v for k, v in clean_supplier(data).items() if k in SUPPLIER_FIELDS}
    if registry_changes:
        ensure_registrant(viewer, supplier, "supplier")
        for key, value in registry_changes.items():
            setattr(supplier, key, value)
        save_unique(supplier)
    if internal_ref is not ...:
        set_internal_ref(NetworkSupplier, viewer, "supplier", supplier, internal_ref)
    return supplier


def remove_supplier(viewer: Viewer, supplier: Supplier) -> None:
    """Take a supplier out of the viewer's network; refused while sites of the network still name it."""
    in_use = NetworkSite.objects.filter(company=viewer.organization, site__supplier=supplier).count()
    if in_use:
        raise field_error(
            "id", f"Supplier '{supplier.name}' operates {in_use} site(s) of your network; reassign or remove them first.", "in_use"
        )
    NetworkSupplier.objects.filter(company=viewer.organization, supplier=supplier).delete()
    unreferenced = not supplier.network_entries.exists() and not supplier.sites.exists()
    if unreferenced and supplier.registered_by_id == viewer.organization.id and not supplier.is_public:
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
    """Add a site to the viewer's network; an existing OS ID resolves to the registry's entry."""
    cleaned = clean_site(data)
    site = Site.objects.filter(os_id=cleaned["os_id"]).first() if cleaned.get("os_id") else None
    if site is None:
        site = Site.objects.create(registered_by=viewer.organization, **cleaned)
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
        save_unique(site)
        if commodities is not None:
            site.commodities.set(commodities)
        schedule_recompute(site_ids=[site.pk])
    if internal_ref is not ...:
        set_internal_ref(NetworkSite, viewer, "site", site, internal_ref)
    return site


def remove_site(viewer: Viewer, site: Site) -> None:
    """Take a site out of the viewer's network; refused while the viewer's links still use it."""
    links = SupplyLink.objects.filter(company=viewer.organization).filter(upstream=site) | SupplyLink.objects.filter(
        company=viewer.organization, downstream=site
    )
    count = links.count()
    if count:
        raise field_error("id", f"Site '{site.name}' is used by {count} supply link(s) of yours; delete them first.", "in_use")
    NetworkSite.objects.filter(company=viewer.organization, site=site).delete()
    orphaned = not site.network_entries.exists() and not site.outgoing_links.exists() and not site.incoming_links.exists()
    if orphaned and site.registered_by_id == viewer.organization.id and not site.os_id and not site.is_public:
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
    clash = model.objects.filter(company=viewer.organization, internal_ref=ref).exclude(**{attribute: entity})
    if ref and clash.exists():
        raise field_error("internal_ref", f"Your reference '{ref}' is already used by another {attribute}.", "unique")
    model.objects.filter(company=viewer.organization, **{attribute: entity}).update(internal_ref=ref)


def ensure_registrant(viewer: Viewer, entity, noun: str) -> None:
    if entity.registered_by_id != viewer.organization.id:
        raise field_error(
            None,
            f"This {noun} is shared in the registry; only the organization that registered it can change its "
            "registry details (your own reference can still be changed).",
            "not_editable",
        )


def save_unique(entity) -> None:
    """Save, turning a clash on a unique identifier into a typed UNIQUE error."""
    try:
        with transaction.atomic():
            entity.save()
    except IntegrityError:
        raise field_error(
            None, "Another registry entry already has one of these identifiers (OS ID, LEI, DUNS or tax id).", "unique"
        )
