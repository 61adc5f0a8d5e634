"""siteCreate, siteUpdate, siteDelete."""

import graphene

from backend.graphql.inputs import given_fields
from graph import services
from graph.graphql.enums import SiteKindEnum
from graph.graphql.mutations.common import NetworkMutation, commodities_by_code, visible_site, visible_supplier
from graph.graphql.types import SiteType


class SiteInput(graphene.InputObjectType):
    name = graphene.String(description="Name of the site (required on create, at most 300 characters).")
    kind = SiteKindEnum(description="Facility or farm (default facility).")
    address = graphene.String(description="Street address.")
    country = graphene.String(description="ISO 3166-1 alpha-2 country code (required on create).")
    subdivision = graphene.String(description="ISO 3166-2 subdivision of the country, e.g. IN-TN.")
    latitude = graphene.Float(description="Latitude, -90 to 90 (give with longitude).")
    longitude = graphene.Float(description="Longitude, -180 to 180 (give with latitude).")
    os_id = graphene.String(description="Open Supply Hub ID; an existing one resolves to the registry's entry.")
    workers = graphene.Int(description="Number of workers (≥ 0).")
    migrant_share = graphene.Float(description="Share of migrant workers, 0–1.")
    supplier_id = graphene.ID(description="ID of the supplier operating the site.")
    commodities = graphene.List(graphene.NonNull(graphene.String), description="Codes of the commodities handled.")
    is_public = graphene.Boolean(description="Make the registry entry public.")
    internal_ref = graphene.String(description="Your own reference (unique among your sites).")


def site_data(viewer, input) -> tuple[dict, list | None]:
    """Split a SiteInput into registry attributes and commodities, resolving the supplier ID."""
    data = given_fields(input, exclude=("internal_ref", "commodities", "supplier_id"))
    supplier_id = input.get("supplier_id")
    if supplier_id:
        data["supplier"] = visible_supplier(viewer, supplier_id, "supplier_id")
    elif "supplier_id" in given_fields(input):
        data["supplier"] = None
    codes = input.get("commodities")
    return data, (commodities_by_code(codes) if codes is not None else None)


class SiteCreate(NetworkMutation):
    """Add a site to your network. An existing Open Supply Hub ID resolves to the registry's entry."""

    site = graphene.Field(SiteType, description="The site, when the mutation succeeded.")

    class Arguments:
        input = SiteInput(required=True, description="The site's details.")

    @classmethod
    def perform(cls, info, viewer, input):
        data, commodities = site_data(viewer, input)
        data.setdefault("name", "")
        data.setdefault("country", "")
        site = services.register_site(viewer, data, commodities=commodities, internal_ref=input.get("internal_ref"))
        return cls(site=site, errors=[])


class SiteUpdate(NetworkMutation):
    """Change a site: registry details (registrant only) and your own reference."""

    site = graphene.Field(SiteType, description="The site after the change.")

    class Arguments:
        id = graphene.ID(required=True, description="ID of the site.")
        input = SiteInput(required=True, description="Fields to change; fields left out stay as they are.")

    @classmethod
    def perform(cls, info, viewer, id, input):
        site = visible_site(viewer, id, "id")
        data, commodities = site_data(viewer, input)
        internal_ref = input.get("internal_ref") if "internal_ref" in given_fields(input) else ...
        site = services.update_site(viewer, site, data, commodities=commodities, internal_ref=internal_ref)
        return cls(site=site, errors=[])


class SiteDelete(NetworkMutation):
    """Remove a site from your network; refused while your supply links use it."""

    deleted_id = graphene.ID(description="ID of the site removed from your network.")

    class Arguments:
        id = graphene.ID(required=True, description="ID of the site.")

    @classmethod
    def perform(cls, info, viewer, id):
        services.remove_site(viewer, visible_site(viewer, id, "id"))
        return cls(deleted_id=id, errors=[])
