"""Global IDs: decoded with their expected type checked; foreign, unknown and malformed IDs look the same."""

from django.core.exceptions import ValidationError
from graphql_relay import from_global_id

from backend.errors import field_error
from backend.tenancy import Viewer, visible


def decode_id(global_id: str, expected_type: str, field: str) -> int:
    """The primary key inside a global ID of `expected_type`, or a NOT_FOUND error on `field`."""
    try:
        type_name, pk = from_global_id(global_id)
        if type_name == expected_type and pk.isdigit():
            return int(pk)
    except (TypeError, ValueError, UnicodeDecodeError):
        pass
    raise not_found(field, expected_type, global_id)


def not_found(field: str, expected_type: str, global_id: str):
    return field_error(field, f"No {expected_type} with ID '{global_id}' exists or it is not visible to you.", "not_found")


def get_visible(model, viewer: Viewer, global_id: str, expected_type: str, field: str, queryset=None):
    """The visible object behind a global ID; NOT_FOUND (never 'forbidden') when it is missing or foreign."""
    pk = decode_id(global_id, expected_type, field)
    obj = visible(queryset if queryset is not None else model, viewer).filter(pk=pk).first()
    if obj is None:
        raise not_found(field, expected_type, global_id)
    return obj


def visible_or_none(model, viewer: Viewer, global_id: str, expected_type: str):
    """A single visible object, or null for a missing, foreign or malformed ID (no existence oracle): what a
    query for one object by its ID returns."""
    try:
        return get_visible(model, viewer, global_id, expected_type, "id")
    except ValidationError:
        return None
