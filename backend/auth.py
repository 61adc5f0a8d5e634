"""Bearer-token authentication for the API (`Authorization: Bearer trb_…`)."""

from django.utils.functional import SimpleLazyObject

from backend import throttle
from backend.models import ApiToken

BEARER = "bearer "


def bearer_token(request) -> str | None:
    """The raw token of an `Authorization: Bearer …` header, or None."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header[: len(BEARER)].lower() != BEARER:
        return None
    return header[len(BEARER) :].strip() or None


class BearerTokenMiddleware:
    """Authenticate a request by its bearer token; a request with a bad token is anonymous, and once its client
    has sent too many bad tokens it is answered 429 (backend/throttle.py).

    Sets `request.token_authenticated` so the GraphQL view can skip the CSRF check, which only
    protects cookie-based sessions.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raw = bearer_token(request)
        request.token_authenticated = False
        if raw is not None:
            from django.contrib.auth.models import AnonymousUser

            user = ApiToken.authenticate(raw)
            refusal = throttle.count_failure(request) if user is None else None
            if refusal is not None:
                return throttle.api_refusal(request, refusal)
            request.user = SimpleLazyObject(lambda: user or AnonymousUser())
            request.token_authenticated = user is not None
            request.bearer_token_rejected = user is None
        return self.get_response(request)
