"""Base object type: tenant-scoped `get_queryset`, so `node(id)` and every list go through the chokepoint."""

from graphene import relay
from graphene_django import DjangoObjectType

from backend.graphql.connections import CountableConnection
from backend.tenancy import viewer_of_request, visible


class ScopedObjectType(DjangoObjectType):
    """A model type whose rows are always filtered by `visible()` for the requesting viewer."""

    class Meta:
        abstract = True

    @classmethod
    def __init_subclass_with_meta__(cls, **options):
        options.setdefault("interfaces", (relay.Node,))
        options.setdefault("connection_class", CountableConnection)
        super().__init_subclass_with_meta__(**options)

    @classmethod
    def get_queryset(cls, queryset, info):
        return visible(queryset, viewer_of_request(info.context))
