"""Turning GraphQL arguments and input objects into plain data for the services."""

import enum

from graphene.utils.str_converters import to_snake_case
from graphql import Undefined


def plain(value):
    """The value with every enum member replaced by its value, through input objects and lists: graphene hands
    resolvers enum members, services take the plain values the models store."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict):
        return type(value)({key: plain(item) for key, item in value.items()})
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def given_fields(input_object, exclude=()) -> dict:
    """The fields the client actually sent (snake_case), leaving out those it did not mention."""
    if input_object is None:
        return {}
    return {
        to_snake_case(key): value
        for key, value in dict(input_object).items()
        if value is not Undefined and key not in exclude
    }
