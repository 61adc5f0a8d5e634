"""Shared GraphQL machinery. Input fields left out of a request stay `Undefined` (not None), so an update
mutation can tell "not given" from "set to null"."""

from graphene.types.inputobjecttype import set_input_object_type_default_value
from graphql import Undefined

set_input_object_type_default_value(Undefined)
