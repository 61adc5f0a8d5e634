"""Typed mutation errors: `{field, message, code}` with a code enum per domain, converted in one place."""

import graphene
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from graphene.utils.str_converters import to_camel_case


def error_type(name: str, code_enum: type[graphene.Enum], domain: str) -> type[graphene.ObjectType]:
    """Build the GraphQL error type of one domain, e.g. `GraphError` with `code: GraphErrorCode!`."""

    return type(
        name,
        (graphene.ObjectType,),
        {
            "__doc__": f"A problem with the input of a {domain} mutation; nothing was changed.",
            "field": graphene.String(
                description="Name of the input field (camelCase) the problem is about; null when it is about the "
                "whole input."
            ),
            "message": graphene.String(required=True, description="What is wrong, in plain English."),
            "code": graphene.Field(code_enum, required=True, description="Machine-readable error code."),
        },
    )


def validation_errors(error: ValidationError, code_enum: type[graphene.Enum]) -> list[dict]:
    """Flatten a Django ValidationError into `{field, message, code}` dicts; unknown codes become INVALID."""
    known = {member.name for member in code_enum}
    mapping = error.error_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.error_list}
    result = []
    for field, errors in mapping.items():
        field_name = None if field == NON_FIELD_ERRORS else to_camel_case(field)
        for item in errors:
            message = item.message % item.params if item.params else item.message
            code = (item.code or "invalid").upper()
            result.append({"field": field_name, "message": str(message), "code": code if code in known else "INVALID"})
    return result
