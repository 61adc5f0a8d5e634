"""The root GraphQL schema: composes every app's queries and mutations."""

import graphene
from graphene import relay

from audits.graphql.schema import AuditMutations, AuditQueries
from backend.graphql.me import AccountQueries
from backend.graphql.people import PeopleMutations, PeopleQueries
from exports.graphql.schema import ExportMutations, ExportQueries
from graph.graphql.schema import GraphMutations, GraphQueries
from imports.graphql.schema import ImportMutations, ImportQueries


class Query(AccountQueries, PeopleQueries, GraphQueries, AuditQueries, ImportQueries, ExportQueries, graphene.ObjectType):
    node = relay.Node.Field(description="Any object by its global ID; null when it is not visible to you.")


class Mutation(GraphMutations, AuditMutations, ImportMutations, PeopleMutations, ExportMutations, graphene.ObjectType):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)
