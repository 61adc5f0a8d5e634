"""Errors of query resolvers."""

from django.core.exceptions import ValidationError
from graphql import GraphQLError


def as_graphql_error(resolver):
    """Report a ValidationError from a query resolver as a top-level error with its code."""

    def wrapper(root, info, **kwargs):
        try:
            return resolver(root, info, **kwargs)
        except ValidationError as error:
            item = next(iter(error.error_dict.values()))[0] if hasattr(error, "error_dict") else error.error_list[0]
            raise GraphQLError(item.message, extensions={"code": (item.code or "invalid").upper()})

    wrapper.__wrapped__ = resolver
    return wrapper
