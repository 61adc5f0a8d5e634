"""Domain errors: what services raise when input breaks a rule. Plain Django ValidationErrors, so that services know
nothing of GraphQL; the GraphQL layer converts them into typed `errors` (backend/graphql/errors.py)."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def field_error(field: str | None, message: str, code: str) -> ValidationError:
    """A ValidationError about one input field (None for the whole input)."""
    return ValidationError({field or NON_FIELD_ERRORS: ValidationError(message, code=code)})
