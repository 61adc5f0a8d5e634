"""Domain errors: what services raise when input breaks a rule. Plain Django ValidationErrors, so that services know
nothing of GraphQL; the GraphQL layer converts them into typed `errors` (backend/graphql/errors.py)."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def field_error(field: str | None, message: str, code: str) -> ValidationError:
    """A ValidationError about one input field (None for the whole input)."""
    return ValidationError({field or NON_FIELD_ERRORS: ValidationError(message, code=code)})


def camel_case(name: str) -> str:
    """`supplier_id` → `supplierId`: field names as the API spells them (graphene's rule, without importing it)."""
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() if part else "_" for part in rest)


def flatten_validation_error(error: ValidationError) -> list[dict]:
    """A ValidationError as `{field, message, code}` dicts, the shape of the API's errors (GraphQL and HTTP):
    `field` camelCase, null for the whole input; `code` upper case, INVALID when the error has none."""
    mapping = error.error_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.error_list}
    return [
        {
            "field": None if field == NON_FIELD_ERRORS else camel_case(field),
            "message": str(item.message % item.params if item.params else item.message),
            "code": (item.code or "invalid").upper(),
        }
        for field, items in mapping.items()
        for item in items
    ]
