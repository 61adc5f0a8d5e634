"""HTTP endpoints: the GraphQL API (bearer token or session). The health check is in backend/health.py."""

import re

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView, HttpError
from graphql import ExecutionContext, GraphQLError

from backend.graphql.limits import validation_rules
from backend.graphql.uploads import MultipartError, multipart_operations
from backend.graphql.permissions import NotAuthenticated
from backend.tenancy import viewer_of_request

SUGGESTION = re.compile(r" Did you mean .*\?$")


class SyncExecutionContext(ExecutionContext):
    """Execution for synchronous resolvers (the Django ORM): no result is awaited, so none is checked for it."""

    is_awaitable = staticmethod(lambda value: False)


@method_decorator(csrf_exempt, name="dispatch")
class ApiView(GraphQLView):
    """GraphQL over HTTP. Token requests skip CSRF (no cookies involved); session requests are CSRF-checked.

    A request without a valid identity gets one UNAUTHENTICATED error and no data (the GraphiQL page itself
    still loads, so a person can paste a token into its headers).
    """

    graphiql = True
    execution_context_class = SyncExecutionContext

    def __init__(self, **kwargs):
        kwargs.setdefault("validation_rules", validation_rules())
        super().__init__(**kwargs)

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

    @staticmethod
    def format_error(error):
        formatted = error.formatted if isinstance(error, GraphQLError) else {"message": str(error)}
        if not settings.DEBUG:
            formatted["message"] = SUGGESTION.sub("", formatted["message"])
        return formatted
