"""supplyLinkCreate, supplyLinkUpdate, supplyLinkDelete."""

import graphene

from backend.errors import field_error
from backend.graphql.ids import get_visible
from backend.graphql.inputs import given_fields
from graph import services
from graph.graphql.enums import EvidenceLevelEnum
from graph.graphql.mutations.common import NetworkMutation, commodities_by_code, visible_site
from graph.graphql.types import SupplyLinkType
from graph.models import SupplyLink


class SupplyLinkInput(graphene.InputObjectType):
    upstream_id = graphene.ID(description="ID of the supplying site (required on create).")
    downstream_id = graphene.ID(description="ID of the receiving site; null or left out: your company itself.")
    commodity = graphene.String(description="Code of the commodity flowing along the link (required on create).")
    share = graphene.Float(description="Share of the downstream node's input of this commodity, 0–1; the shares into "
                           "one node for one commodity may not exceed 1 in total.")
    volume = graphene.Float(description="Volume per year (≥ 0).")
    volume_unit = graphene.String(description="Unit of the volume, e.g. t.")
    valid_from = graphene.Date(description="First day the link is valid.")
    valid_to = graphene.Date(description="Last day the link is valid (not before validFrom).")
    evidence_level = EvidenceLevelEnum(description="How the link is known (default declared).")
    external_ref = graphene.String(description="Your own reference (unique among your links).")


def link_data(viewer, input) -> dict:
    """Turn a SupplyLinkInput into service data: IDs become visible sites, the code a commodity."""
    data = given_fields(input, exclude=("upstream_id", "downstream_id", "commodity"))
    given = given_fields(input)
    if "upstream_id" in given:
        data["upstream"] = visible_site(viewer, input["upstream_id"] or "", "upstream_id")
    if "downstream_id" in given:
        downstream_id = input["downstream_id"]
        data["downstream"] = visible_site(viewer, downstream_id, "downstream_id") if downstream_id else None
    if "commodity" in given:
        data["commodity"] = commodities_by_code([input["commodity"] or ""], field="commodity")[0]
    for key in ("share", "volume"):
        if data.get(key) is not None:
            data[key] = round(data[key], 6)
    return data


class SupplyLinkCreate(NetworkMutation):
    """Record that one site supplies another (or your company) with a commodity."""

    supply_link = graphene.Field(SupplyLinkType, description="The link, when the mutation succeeded.")

    class Arguments:
        input = SupplyLinkInput(required=True, description="The link's details.")

    @classmethod
    def perform(cls, info, viewer, input):
        given = given_fields(input)
        for required in ("upstream_id", "commodity"):
            if not given.get(required):
                raise field_error(required, f"{required} is required.", "required")
        data = link_data(viewer, input)
        data.setdefault("downstream", None)
        data.setdefault("evidence_level", "declared")
        return cls(supply_link=services.create_link(viewer, data), errors=[])


class SupplyLinkUpdate(NetworkMutation):
    """Change one of your supply links."""

    supply_link = graphene.Field(SupplyLinkType, description="The link after the change.")

    class Arguments:
        id = graphene.ID(required=True, description="ID of the link.")
        input = SupplyLinkInput(required=True, description="Fields to change; fields left out stay as they are.")

    @classmethod
    def perform(cls, info, viewer, id, input):
        link = get_visible(SupplyLink, viewer, id, "SupplyLink", "id")
        return cls(supply_link=services.update_link(viewer, link, link_data(viewer, input)), errors=[])


class SupplyLinkDelete(NetworkMutation):
    """Delete one of your supply links."""

    deleted_id = graphene.ID(description="ID of the deleted link.")

    class Arguments:
        id = graphene.ID(required=True, description="ID of the link.")

    @classmethod
    def perform(cls, info, viewer, id):
        services.delete_link(viewer, get_visible(SupplyLink, viewer, id, "SupplyLink", "id"))
        return cls(deleted_id=id, errors=[])
