"""List fields that say how many items they return at most: the bound the cost estimate multiplies by.

Every list of objects in the schema is declared with one of these, so a query's cost is known before it runs
(`tests/backend/test_list_bounds.py` walks the schema to hold it to that). The field enforces its bound itself,
so the estimate can trust it:
- `BoundedList(T, maximum)`: never more than `maximum` items: a real maximum (a path has at most 11 sites) or a
  cap; `arguments` name the field's own arguments that ask for fewer (`first`, `limit`), checked by its resolver.
- `PagedList(T, maximum=100, default=20)`: adds `first` (1–maximum) and returns the first `first` items of its
  resolver's ordered list.
A connection (`FilteredConnectionField`) is bounded by its page, `first`/`last` ≤ 100, its `edges` by the same.
"""

from dataclasses import dataclass
from functools import lru_cache

import graphene
from graphene import relay
from graphene.utils.str_converters import to_camel_case
from graphql import GraphQLError, GraphQLSchema

MAX_PAGE_SIZE = 100
NESTED_PAGE_DEFAULT = 20  # a page of 20 rows with two levels of nested lists stays under the cost limit


@dataclass(frozen=True)
class ListBound:
    """At most `maximum` items; when one of `arguments` is given (or has a default), that many, capped."""

    maximum: int
    arguments: tuple[str, ...] = ()


PAGE_OF_A_CONNECTION = ListBound(MAX_PAGE_SIZE, ("first", "last"))
EDGES_OF_A_PAGE = ListBound(1)  # the page's size is already counted at the connection field


class BoundedList(graphene.Field):
    """A list of `of_type` that returns at most `maximum` items (any beyond are cut: the bound is a promise)."""

    def __init__(self, of_type, maximum: int, *, arguments: tuple[str, ...] = (), **kwargs):
        super().__init__(graphene.List(of_type), **kwargs)
        self.bound = ListBound(maximum, arguments)

    def wrap_resolve(self, parent_resolver):
        resolve = super().wrap_resolve(parent_resolver)
        maximum = self.bound.maximum

        def resolve_at_most(root, info, **args):
            items = resolve(root, info, **args)
            return None if items is None else items[:maximum]

        return resolve_at_most


class PagedList(graphene.Field):
    """A list of `of_type` with a `first` argument: the first `first` items (1–maximum) of its ordered list."""

    def __init__(self, of_type, *, maximum: int = MAX_PAGE_SIZE, default: int = NESTED_PAGE_DEFAULT, **kwargs):
        kwargs["first"] = graphene.Int(
            default_value=default, description=f"At most this many items, 1–{maximum} (default {default})."
        )
        super().__init__(graphene.List(of_type), **kwargs)
        self.bound = ListBound(maximum, ("first",))

    def wrap_resolve(self, parent_resolver):
        resolve = super().wrap_resolve(parent_resolver)
        maximum = self.bound.maximum

        def resolve_first(root, info, first, **args):
            if not 1 <= first <= maximum:
                raise GraphQLError(
                    f"first must be between 1 and {maximum}, got {first}.", extensions={"code": "OUT_OF_RANGE"}
                )
            items = resolve(root, info, **args)
            return None if items is None else items[:first]

        return resolve_first


@lru_cache(maxsize=4)
def bounds_of(schema: GraphQLSchema) -> dict[tuple[str, str], ListBound]:
    """(type name, field name) → the field's bound, for every bounded field of the schema's graphene types."""
    bounds = {}
    for type_name, graphql_type in schema.type_map.items():
        graphene_type = getattr(graphql_type, "graphene_type", None)
        fields = getattr(getattr(graphene_type, "_meta", None), "fields", None) or {}
        for python_name, field in fields.items():
            name = getattr(field, "name", None) or to_camel_case(python_name)
            bound = getattr(field, "bound", None)
            if bound is None and name == "edges" and issubclass(graphene_type, relay.Connection):
                bound = EDGES_OF_A_PAGE
            if bound is not None:
                bounds[(type_name, name)] = bound
    return bounds
