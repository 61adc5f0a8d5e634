"""The `me` query: the requester and their organization (composed into the root schema, backend/schema.py)."""

import graphene

from backend.graphql.permissions import require_viewer


class OrganizationType(graphene.ObjectType):
    """An organization using Tributary."""

    class Meta:
        name = "Organization"

    name = graphene.String(required=True, description="Name of the organization.")
    kind = graphene.String(required=True, description="company, audit_firm or workers_org.")
    country = graphene.String(required=True, description="Country, ISO 3166-1 alpha-2 (may be empty).")


class MeType(graphene.ObjectType):
    """The authenticated user."""

    class Meta:
        name = "Me"

    username = graphene.String(required=True, description="Login name.")
    email = graphene.String(required=True, description="E-mail address (may be empty).")
    role = graphene.String(required=True, description="admin, analyst or viewer.")
    organization = graphene.Field(OrganizationType, required=True, description="The organization the user belongs to.")


class AccountQueries(graphene.ObjectType):
    me = graphene.Field(MeType, required=True, description="The authenticated user and their organization.")

    @staticmethod
    def resolve_me(root, info):
        viewer = require_viewer(info)
        return MeType(
            username=viewer.user.username, email=viewer.user.email, role=viewer.user.role,
            organization=OrganizationType(
                name=viewer.organization.name, kind=viewer.organization.kind, country=viewer.organization.country
            ),
        )
