"""Running a validated document within bounds: a deadline checked at every field, and a response size limit.

The deadline (GRAPHQL_TIMEOUT_SECONDS from the start of execution) is checked before each field is resolved; past
it, the whole operation stops with one QUERY_TIMEOUT error and no data, instead of every remaining field
reporting its own. It cannot interrupt one slow resolver: SQL is bounded by the database's statement timeout,
and the list bounds keep any one resolver's work small. A response whose JSON exceeds
GRAPHQL_MAX_RESPONSE_BYTES is replaced by one RESPONSE_TOO_LARGE error.
"""

import time

from django.conf import settings
from graphql import ExecutionContext, GraphQLError


class QueryTimeout(GraphQLError):
    """The operation ran past its deadline."""

    def __init__(self, seconds: float):
        super().__init__(
            f"The query ran longer than {seconds:g} s and was stopped; ask for less (smaller pages, fewer nested "
            "lists) or split it.",
            extensions={"code": "QUERY_TIMEOUT"},
        )


class ResponseTooLarge(GraphQLError):
    """The response would exceed the size limit."""

    def __init__(self, size: int):
        super().__init__(
            f"The response would be {size:,} bytes, more than the limit of {settings.GRAPHQL_MAX_RESPONSE_BYTES:,}; "
            "ask for smaller pages or fewer fields.",
            extensions={"code": "RESPONSE_TOO_LARGE"},
        )


class DeadlineExecutionContext(ExecutionContext):
    """Synchronous execution (the Django ORM: no result is awaited) that stops at GRAPHQL_TIMEOUT_SECONDS."""

    is_awaitable = staticmethod(lambda value: False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.seconds = settings.GRAPHQL_TIMEOUT_SECONDS
        self.deadline = time.monotonic() + self.seconds

    def execute_field(self, parent_type, source, field_nodes, path):
        if time.monotonic() > self.deadline:
            raise QueryTimeout(self.seconds)
        return super().execute_field(parent_type, source, field_nodes, path)

    def handle_field_error(self, error: GraphQLError, return_type, path) -> None:
        if isinstance(error.original_error, QueryTimeout):
            raise error  # up to the operation: the whole response is the one timeout error
        super().handle_field_error(error, return_type, path)


def timed_out(result) -> bool:
    """Whether an execution result is a stopped operation."""
    return any(isinstance(error.original_error or error, QueryTimeout) for error in result.errors or ())
