"""Loading the demo: organizations, users and the two companies' networks, in one transaction, once."""

from django.db import transaction

from backend.models import Organization, OrganizationKind, Role, User
from graph.demo import DemoNetwork, build_demo_network
from graph.models import Commodity, NetworkSite, NetworkSupplier, Site, Supplier, SupplyLink
from graph.services.tiers import refresh_tiers

ORGANIZATIONS = {
    "northwind": ("Northwind Apparel", OrganizationKind.COMPANY, "DE"),
    "harbor": ("Harbor Retail Group", OrganizationKind.COMPANY, "GB"),
    "clearwater": ("Clearwater Social Audits", OrganizationKind.AUDIT_FIRM, "NL"),
    "voice": ("Workers' Voice Network", OrganizationKind.WORKERS_ORG, "BD"),
}
DEMO_PASSWORD = "tributary-demo"


def demo_loaded() -> bool:
    return Organization.objects.filter(name=ORGANIZATIONS["northwind"][0]).exists()


@transaction.atomic
def load_demo(seed: int = 87) -> dict[str, Organization]:
    """Create the demo once; a second call finds it and changes nothing."""
    if demo_loaded():
        return {key: Organization.objects.get(name=name) for key, (name, *_rest) in ORGANIZATIONS.items()}
    orgs = create_organizations()
    store_network(build_demo_network(seed), orgs)
    return orgs


def create_organizations() -> dict[str, Organization]:
    """Each organization with an admin, an analyst and a viewer (`<key>-<role>`, password DEMO_PASSWORD)."""
    orgs = {}
    for key, (name, kind, country) in ORGANIZATIONS.items():
        orgs[key] = Organization.objects.create(name=name, kind=kind, country=country)
        for role in Role:
            user = User(username=f"{key}-{role.value}", organization=orgs[key], role=role.value,
                        email=f"{key}-{role.value}@example.org")
            user.set_password(DEMO_PASSWORD)
            user.save()
    return orgs


def store_network(net: DemoNetwork, orgs: dict[str, Organization]) -> None:
    used = {link.upstream for links in net.links.values() for link in links} | {
        link.downstream for links in net.links.values() for link in links if link.downstream
    }
    first_company = {}
    for company, links in net.links.items():
        for link in links:
            for ref in (link.upstream, link.downstream):
                if ref:
                    first_company.setdefault(ref, company)
    commodities = {c.code: c for c in Commodity.objects.all()}
    suppliers = {}
    for ref in sorted(used):
        site = net.sites[ref]
        if site.supplier_ref:
            suppliers[site.supplier_ref] = Supplier(
                name=f"{site.name} {'Ltd' if site.country in ('IN', 'BD', 'PK', 'GH', 'NG') else 'Co'}",
                country=site.country, tax_id=f"{site.country}-{site.supplier_ref}", registered_by=orgs[first_company[ref]],
            )
    Supplier.objects.bulk_create(suppliers.values())
    sites = {}
    for ref in sorted(used):
        d = net.sites[ref]
        sites[ref] = Site(
            name=d.name, kind=d.kind, country=d.country, subdivision=d.subdivision, latitude=d.latitude,
            longitude=d.longitude, os_id=d.os_id, workers=d.workers, migrant_share=d.migrant_share,
            supplier=suppliers.get(d.supplier_ref), registered_by=orgs[first_company[ref]],
            address=f"{d.subdivision} region", is_public=d.os_id is not None,
        )
    Site.objects.bulk_create(sites.values())
    Site.commodities.through.objects.bulk_create(
        Site.commodities.through(site_id=sites[ref].pk, commodity_id=commodities[net.sites[ref].commodity].pk)
        for ref in sorted(used)
    )
    for company, links in net.links.items():
        org = orgs[company]
        refs = sorted({link.upstream for link in links})
        NetworkSite.objects.bulk_create(NetworkSite(company=org, site=sites[ref], internal_ref=ref.upper()) for ref in refs)
        NetworkSupplier.objects.bulk_create(
            NetworkSupplier(company=org, supplier=suppliers[net.sites[ref].supplier_ref])
            for ref in refs if net.sites[ref].supplier_ref
        )
        SupplyLink.objects.bulk_create(
            SupplyLink(
                company=org, upstream=sites[link.upstream], downstream=sites.get(link.downstream),
                commodity=commodities[link.commodity], share=link.share, evidence_level=link.evidence_level,
                external_ref=f"{company.upper()}-L{index + 1:04d}",
            )
            for index, link in enumerate(links)
        )
        refresh_tiers(org)
