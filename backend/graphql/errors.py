"""Typed errors, converted in one place: `{field, message, code}` with a code enum per domain for mutations, and
a top-level error with its code for query resolvers."""

import graphene
from django.core.exceptions import ValidationError
from graphql import GraphQLError

from backend.errors import flatten_validation_error


def error_type(name: str, code_enum: type[graphene.Enum], domain: str) -> type[graphene.ObjectType]:
    """Build the GraphQL error type of one domain, e.g. `GraphError` with `code: GraphErrorCode!`."""

    return type(
        name,
        (graphene.ObjectType,),
        {
            "__doc__": f"A problem with the input of a {domain} mutation; nothing was changed.",
            "field": graphene.String(
                description="Name of the input field (camelCase) the problem is about; null when it is about the "
                "whole input."
            ),
            "message": graphene.String(required=True, description="What is wrong, in plain English."),
            "code": graphene.Field(code_enum, required=True, description="Machine-readable error code."),
        },
    )


def validation_errors(error: ValidationError, code_enum: type[graphene.Enum]) -> list[dict]:
    """A Django ValidationError as the `errors` of a mutation; codes the domain's enum lacks become INVALID."""
    known = {member.name for member in code_enum}
    return [
        {**item, "code": item["code"] if item["code"] in known else "INVALID"}
        for item in flatten_validation_error(error)
    ]


def as_graphql_error(resolver):
    """Report a ValidationError from a query resolver as a top-level error with its code."""

    def wrapper(root, info, **kwargs):
        try:
            return resolver(root, info, **kwargs)
        except ValidationError as error:
            first = flatten_validation_error(error)[0]
            raise GraphQLError(first["message"], extensions={"code": first["code"]})

    wrapper.__wrapped__ = resolver
    return wrapper
