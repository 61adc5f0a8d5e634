"""The mutation base class: permission check, one transaction, typed errors."""

import graphene
from django.core.exceptions import ValidationError
from django.db import transaction
from graphene.types.mutation import MutationOptions

from backend.graphql.errors import validation_errors
from backend.graphql.inputs import plain
from backend.graphql.list_bounds import BoundedList
from backend.graphql.permissions import check_permissions, require_viewer

MAX_ERRORS = 100  # problems a mutation reports at most (one input has far fewer fields)


class BaseMutationOptions(MutationOptions):
    permissions = ()
    error_type_class = None


class BaseMutation(graphene.Mutation):
    """Subclasses declare `Meta.permissions` and `Meta.error_type_class` and implement `perform(info, viewer, **input)`.

    `perform` receives plain values: enum members, also inside input objects, arrive as their values, so services
    never see a graphene enum. Authorisation failures are top-level GraphQL errors. Domain code raises Django
    `ValidationError`, which is converted into `errors` here, after the transaction has been rolled back: a failing
    mutation changes nothing.
    """

    class Meta:
        abstract = True

    @classmethod
    def __init_subclass_with_meta__(cls, permissions=(), error_type_class=None, _meta=None, **options):
        if _meta is None:
            _meta = BaseMutationOptions(cls)
        _meta.permissions = tuple(permissions)
        _meta.error_type_class = error_type_class
        cls.errors = BoundedList(
            graphene.NonNull(error_type_class), MAX_ERRORS, required=True,
            description=f"Problems with the input; empty when the mutation succeeded (at most {MAX_ERRORS}).",
        )
        super().__init_subclass_with_meta__(_meta=_meta, **options)

    @classmethod
    def mutate(cls, root, info, **data):
        viewer = require_viewer(info)
        check_permissions(viewer, cls._meta.permissions)
        code_enum = cls._meta.error_type_class._meta.fields["code"].type.of_type
        try:
            with transaction.atomic():
                return cls.perform(info, viewer, **plain(data))
        except ValidationError as error:
            return cls(errors=validation_errors(error, code_enum))

    @classmethod
    def perform(cls, info, viewer, **data):
        raise NotImplementedError
