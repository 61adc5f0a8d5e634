"""Turning GraphQL input objects into plain dicts for the services."""

from graphene.utils.str_converters import to_snake_case
from graphql import Undefined


def given_fields(input_object, exclude=()) -> dict:
    """The fields the client actually sent (snake_case), leaving out those it did not mention."""
    if input_object is None:
        return {}
    return {
        to_snake_case(key): value
        for key, value in dict(input_object).items()
        if value is not Undefined and key not in exclude
    }
