"""supplierCreate, supplierUpdate, supplierDelete."""

import graphene

from backend.graphql.inputs import given_fields
from graph import services
from graph.graphql.mutations.common import NetworkMutation, visible_supplier
from graph.graphql.types import SupplierType


class SupplierInput(graphene.InputObjectType):
    name = graphene.String(description="Legal name (required on create, at most 300 characters).")
    country = graphene.String(description="Country of registration, ISO 3166-1 alpha-2 (required on create).")
    tax_id = graphene.String(description="Tax identifier; with the country, resolves to an entry you can see.")
    lei = graphene.String(description="Legal Entity Identifier (20 characters); resolves to the public entry holding it.")
    duns = graphene.String(description="D-U-N-S number (9 digits); resolves to an entry you can see.")
    is_public = graphene.Boolean(description="Make the registry entry public.")
    internal_ref = graphene.String(description="Your own reference (unique among your suppliers).")


class SupplierCreate(NetworkMutation):
    """Add a supplier to your network. An exact LEI, DUNS or country + tax id resolves to an entry you can see."""

    supplier = graphene.Field(SupplierType, description="The supplier, when the mutation succeeded.")

    class Arguments:
        input = SupplierInput(required=True, description="The supplier's details.")

    @classmethod
    def perform(cls, info, viewer, input):
        data = given_fields(input, exclude=("internal_ref",))
        data.setdefault("name", "")
        data.setdefault("country", "")
        supplier = services.register_supplier(viewer, data, internal_ref=input.get("internal_ref"))
        return cls(supplier=supplier, errors=[])


class SupplierUpdate(NetworkMutation):
    """Change a supplier: registry details (registrant only) and your own reference."""

    supplier = graphene.Field(SupplierType, description="The supplier after the change.")

    class Arguments:
        id = graphene.ID(required=True, description="ID of the supplier.")
        input = SupplierInput(required=True, description="Fields to change; fields left out stay as they are.")

    @classmethod
    def perform(cls, info, viewer, id, input):
        supplier = visible_supplier(viewer, id, "id")
        data = given_fields(input)
        internal_ref = data.pop("internal_ref", ...)
        return cls(supplier=services.update_supplier(viewer, supplier, data, internal_ref=internal_ref), errors=[])


class SupplierDelete(NetworkMutation):
    """Remove a supplier from your network; refused while your sites name it as their operator."""

    deleted_id = graphene.ID(description="ID of the supplier removed from your network.")

    class Arguments:
        id = graphene.ID(required=True, description="ID of the supplier.")

    @classmethod
    def perform(cls, info, viewer, id):
        supplier = visible_supplier(viewer, id, "id")
        services.remove_supplier(viewer, supplier)
        return cls(deleted_id=id, errors=[])
