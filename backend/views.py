"""HTTP endpoints: the GraphQL API (bearer token or session). The health check is in backend/health.py."""

from django.conf import settings
from django.db import transaction
from django.http import HttpResponseBadRequest, HttpResponseNotAllowed, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from graphene_django.constants import MUTATION_ERRORS_FLAG
from graphene_django.settings import graphene_settings
from graphene_django.views import GraphQLView, HttpError
from graphql import ExecutionResult, GraphQLError, OperationType, execute, get_operation_ast

from backend.graphql.execution import DeadlineExecutionContext, ResponseTooLarge, timed_out
from backend.graphql.limits import checked_document
from backend.graphql.uploads import MultipartError, multipart_operations
from backend.graphql.permissions import NotAuthenticated
from backend.tenancy import viewer_of_request


@method_decorator(csrf_exempt, name="dispatch")
class ApiView(GraphQLView):
    """GraphQL over HTTP. Token requests skip CSRF (no cookies involved); session requests are CSRF-checked.

    A request without a valid identity gets one UNAUTHENTICATED error and no data (the GraphiQL page itself
    still loads, so a person can paste a token into its headers). A document is checked by `limits` before it
    runs and runs within the bounds of `execution`; "did you mean" suggestions only when DEBUG is on.
    """

    graphiql = True
    execution_context_class = DeadlineExecutionContext

    def dispatch(self, request, *args, **kwargs):
        if request.method == "POST" and not request.token_authenticated:
            rejection = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
            if rejection is not None and request.user.is_authenticated:
                return rejection
        wants_page = request.method == "GET" and self.can_display_graphiql(request, {}) and "query" not in request.GET
        if not wants_page and viewer_of_request(request) is None:
            error = NotAuthenticated()
            return JsonResponse({"errors": [self.format_error(error)]}, status=401)
        return super().dispatch(request, *args, **kwargs)

    def parse_body(self, request):
        """JSON and GraphQL bodies as usual; multipart requests carrying files per the GraphQL multipart spec."""
        try:
            operations = multipart_operations(request)
        except MultipartError as error:
            raise HttpError(HttpResponseBadRequest(str(error))) from None
        return operations if operations is not None else super().parse_body(request)

    def execute_graphql_request(self, request, data, query, variables, operation_name, show_graphiql=False):
        """graphene-django's steps with our checks (`limits.checked_document`) and our execution options."""
        if not query:
            if show_graphiql:
                return None
            raise HttpError(HttpResponseBadRequest("Must provide query string."))
        schema = self.schema.graphql_schema
        document, errors = checked_document(schema, query, operation_name, variables)
        if errors:
            return ExecutionResult(data=None, errors=errors)
        operation = get_operation_ast(document, operation_name)
        kind = operation.operation if operation is not None else None
        if request.method == "GET" and kind not in (None, OperationType.QUERY):
            if show_graphiql:
                return None
            message = f"Can only perform a {kind.value} operation from a POST request."
            raise HttpError(HttpResponseNotAllowed(["POST"], message))
        options = {
            "root_value": self.get_root_value(request), "context_value": self.get_context(request),
            "variable_values": variables, "operation_name": operation_name, "middleware": self.get_middleware(request),
            "execution_context_class": self.execution_context_class, "hide_suggestions": not settings.DEBUG,
        }
        try:
            if kind == OperationType.MUTATION and graphene_settings.ATOMIC_MUTATIONS:
                with transaction.atomic():
                    result = execute(schema, document, **options)
                    if getattr(request, MUTATION_ERRORS_FLAG, False) or timed_out(result):
                        transaction.set_rollback(True)
                return result
            return execute(schema, document, **options)
        except Exception as error:  # e.g. variables that are not an object: answered as an error, as graphene-django does
            return ExecutionResult(errors=[error])

    def json_encode(self, request, d, pretty=False):
        """The response's JSON; past GRAPHQL_MAX_RESPONSE_BYTES, one RESPONSE_TOO_LARGE error in its place."""
        encoded = super().json_encode(request, d, pretty)
        if len(encoded) > settings.GRAPHQL_MAX_RESPONSE_BYTES:  # json escapes non-ASCII: characters are bytes
            refusal = {"errors": [self.format_error(ResponseTooLarge(len(encoded)))], "data": None}
            return super().json_encode(request, refusal, pretty)
        return encoded

    @staticmethod
    def format_error(error):
        return error.formatted if isinstance(error, GraphQLError) else {"message": str(error)}
