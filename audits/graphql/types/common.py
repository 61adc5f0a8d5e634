"""Types shared by the audits API: organizations (parties), the taxonomy, history entries."""

import graphene

from audits.graphql.enums import FindingCategoryEnum
from audits.models import Party, StateChange
from audits.taxonomy import CHILD_LABOUR, Category, dimensions_of, group_of
from backend.graphql.list_bounds import PagedList
from backend.graphql.types import ScopedObjectType
from backend.tenancy import viewer_of_request
from graph.graphql.risk.enums import RiskDimension


DIMENSION_NAMES = {CHILD_LABOUR: "child_labour"}


def dimension_names(category: str) -> list[str]:
    return sorted(DIMENSION_NAMES.get(d, "forced_labour") for d in dimensions_of(category))


def viewer_org_id(info) -> int | None:
    viewer = viewer_of_request(info.context)
    return viewer.organization.pk if viewer else None


def history_field(what: str):
    return PagedList(
        graphene.NonNull(lambda: HistoryEntryType), required=True,
        description=f"Every state change of the {what}, oldest first: who, when, from, to.",
    )


class PartyType(ScopedObjectType):
    """An organization taking part in audits, grievances or remediation (name and kind only)."""

    class Meta:
        model = Party
        name = "Party"
        fields = ("name", "country")

    name = graphene.String(required=True, description="Name of the organization.")
    kind = graphene.String(required=True, description="company, audit_firm or workers_org.")
    country = graphene.String(required=True, description="Country, ISO 3166-1 alpha-2 (may be empty).")


class CategoryInfoType(graphene.ObjectType):
    """One category of the taxonomy and the risk dimensions it evidences."""

    class Meta:
        name = "FindingCategoryInfo"

    code = graphene.Field(FindingCategoryEnum, required=True, description="The category.")
    label = graphene.String(required=True, description="Its name (for the ILO indicators, as the ILO names them).")
    group = graphene.String(required=True, description="forced_labour, child_labour or other.")
    dimensions = graphene.List(
        graphene.NonNull(RiskDimension), required=True, description="Risk dimensions it evidences (may be empty)."
    )

    @staticmethod
    def all():
        return [
            CategoryInfoType(code=c.value, label=c.label, group=group_of(c), dimensions=dimension_names(c))
            for c in Category
        ]


class HistoryEntryType(ScopedObjectType):
    """One state change: from, to, when and by whom. The person is named only to their own organization."""

    class Meta:
        model = StateChange
        name = "HistoryEntry"
        fields = ("from_state", "to_state", "at", "actor_kind")

    from_state = graphene.String(required=True, description="State before the change (empty when created).")
    to_state = graphene.String(required=True, description="State after the change.")
    at = graphene.DateTime(required=True, description="When it changed.")
    actor_kind = graphene.String(
        required=True, description="Kind of organization that made the change: company, audit_firm, workers_org or system."
    )
    actor = graphene.String(description="Username of the person who made it; null unless they are of your organization.")
    actor_organization = graphene.String(
        description="Name of the organization that made it; null unless it is your organization."
    )

    def resolve_actor(root, info):
        if root.actor_organization_id == viewer_org_id(info) and root.actor is not None:
            return root.actor.username
        return None

    def resolve_actor_organization(root, info):
        if root.actor_organization_id == viewer_org_id(info):
            return root.actor_organization.name
        return None


class CategoryResolvers:
    """Resolvers of the category's label and risk dimensions, shared by findings and grievances."""

    def resolve_category_label(root, info):
        return Category(root.category).label

    def resolve_dimensions(root, info):
        return dimension_names(root.category)
