"""Relay connections: `first`/`last` required and capped at 100, `totalCount`, deterministic sorting."""

import graphene
from graphene import relay
from graphene_django.filter import DjangoFilterConnectionField

from backend.graphql.inputs import plain
from backend.graphql.list_bounds import PAGE_OF_A_CONNECTION
from backend.graphql.loaders import mark_peers


class OrderDirection(graphene.Enum):
    """Sort direction."""

    ASC = "asc"
    DESC = "desc"

    @property
    def description(self):
        return "Ascending." if self == OrderDirection.ASC else "Descending."


class CountableConnection(relay.Connection):
    """A page of results with the total number of matching rows."""

    class Meta:
        abstract = True

    total_count = graphene.Int(required=True, description="Number of rows matching the filter, over all pages.")

    def resolve_total_count(root, info):
        return root.length


def sorting_input(name: str, field_enum: type[graphene.Enum]) -> type[graphene.InputObjectType]:
    """Build a `XSortingInput {field, direction}` input type."""
    return type(
        name,
        (graphene.InputObjectType,),
        {
            "__doc__": "How to sort a list; ties are broken by ID so pages are stable.",
            "field": graphene.Field(field_enum, required=True, description="Field to sort by."),
            "direction": graphene.Field(
                OrderDirection, default_value=OrderDirection.ASC.value, description="Sort direction (default ASC)."
            ),
        },
    )


class FilteredConnectionField(DjangoFilterConnectionField):
    """A tenant-scoped, filtered and sorted connection (at most 100 rows a page).

    `sort_fields` maps each value of the sort enum to the ORM expression(s) to order by; the primary key is
    always the last key, so the order is total and cursors are stable. Without `sortBy`, rows come in
    `default_order` (keys ending with the primary key; by default the primary key alone).
    """

    bound = PAGE_OF_A_CONNECTION

    def __init__(self, type_, *args, sort_input=None, sort_fields=None, default_order=("pk",), **kwargs):
        self.sort_fields = sort_fields or {}
        self.default_order = default_order
        if sort_input is not None:
            kwargs["sort_by"] = graphene.Argument(sort_input, description="Sort order; default by ID.")
        kwargs.setdefault("description", f"A page of {type_._meta.name} rows (first or last required, at most 100).")
        kwargs.setdefault("first", graphene.Int(description="Return the first n rows after `after` (1–100)."))
        kwargs.setdefault("last", graphene.Int(description="Return the last n rows before `before` (1–100)."))
        kwargs.setdefault("after", graphene.String(description="Cursor: return rows after this one."))
        kwargs.setdefault("before", graphene.String(description="Cursor: return rows before this one."))
        kwargs.setdefault("offset", graphene.Int(description="Skip this many rows (with `first`)."))
        super().__init__(type_, *args, **kwargs)

    def get_queryset_resolver(self):
        base = super().get_queryset_resolver()
        sort_fields, default_order = self.sort_fields, self.default_order

        def resolve(connection, iterable, info, args):
            queryset = base(connection, iterable, info, args)
            return order_queryset(queryset, args.get("sort_by"), sort_fields, default_order)

        return resolve

    @classmethod
    def resolve_connection(cls, connection, args, iterable, max_limit=None):
        result = super().resolve_connection(connection, args, iterable, max_limit=max_limit)
        mark_peers(edge.node for edge in result.edges)
        return result


def order_queryset(queryset, sort_by, sort_fields: dict, default_order):
    """Order by the requested field (expressions from `sort_fields`), then by primary key; unsorted, by default_order."""
    if not sort_by:
        return queryset.order_by(*default_order)
    sort_by = plain(sort_by)
    descending = sort_by.direction == OrderDirection.DESC.value
    field_value = sort_by.field
    keys = [] if field_value is None else list(sort_fields[field_value])
    ordered = [
        (key.desc(nulls_last=True) if descending else key.asc(nulls_last=True)) if hasattr(key, "asc")
        else (f"-{key}" if descending else key)
        for key in keys
    ]
    return queryset.order_by(*ordered, "-pk" if descending else "pk")
