"""Shared pieces of the plain HTTP endpoints (uploads and downloads for `curl` and browsers): JSON errors shaped
like the GraphQL ones, and authentication by bearer token or session."""

from functools import wraps

from django.http import JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.views.decorators.csrf import csrf_exempt

from backend.tenancy import viewer_of_request


def error(status: int, code: str, message: str, field: str | None = None) -> JsonResponse:
    return JsonResponse({"errors": [{"field": field, "code": code, "message": message}]}, status=status)


def authenticated(view):
    """Bearer token or session; session POSTs must carry the CSRF token. The view gets the viewer."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "POST" and not getattr(request, "token_authenticated", False):
            rejection = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
            if rejection is not None:
                return rejection
        viewer = viewer_of_request(request)
        if viewer is None:
            return error(401, "UNAUTHENTICATED", "Send 'Authorization: Bearer <token>' or log in at /accounts/login/.")
        return view(request, viewer, *args, **kwargs)

    return wrapper
