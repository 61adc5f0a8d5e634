"""Throttling of failed authentication, per client and per account, shared by every process through the cache.

Failures are counted with django-ratelimit's counters (fixed windows of the rate's period, each key's window offset
by a hash of the key, in the default cache: Redis in production, so every web worker sees the same counts):
- per client, every failure: a wrong password at any login form, a bad bearer token
  (settings.AUTH_THROTTLE_CLIENT_RATE);
- per account, a wrong password for that username, from any client (settings.AUTH_THROTTLE_ACCOUNT_RATE).
A rate "N/P" allows N failures per period P; then attempts are refused with 429 until the window ends. A password
sign-in is refused before the password is checked, so the right password is refused too until then; a valid
bearer token is never refused (it cannot be guessed, and a neighbour's failures behind the same address must not
lock a working client out), so only bad tokens count and are answered 429 once over the limit.

The client is REMOTE_ADDR (IPv6 addresses by their /64), unless settings.AUTH_THROTTLE_PROXY_HOPS says how many
reverse proxies of ours stand in front and append to X-Forwarded-For: then it is that many entries from the right.
Anything a client writes itself into X-Forwarded-For is left of those entries, so it is never trusted.

A cache that cannot be reached lets the attempt through (logged): an outage of Redis must not lock everyone out.
"""

import ipaddress
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.shortcuts import render
from django_ratelimit.core import get_usage
from redis import RedisError

from backend.http import error

logger = logging.getLogger(__name__)

CLIENT = "client"
ACCOUNT = "account"


@dataclass(frozen=True)
class Refusal:
    """Why an authentication attempt is refused: which counter is over its limit, and for how long."""

    scope: str  # CLIENT or ACCOUNT
    retry_after: int  # seconds until the counter's window ends

    @property
    def retry_after_minutes(self) -> int:
        return -(-self.retry_after // 60)

    @property
    def message(self) -> str:
        whose = "from this address" if self.scope == CLIENT else "for this account"
        return f"Too many failed sign-in attempts {whose}; try again in {self.retry_after} seconds."


class AuthenticationThrottled(Exception):
    """Raised by ThrottledModelBackend instead of checking a password; ThrottledSignInMiddleware answers it."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.message)
        self.refusal = refusal


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or the AUTH_THROTTLE_PROXY_HOPS-th X-Forwarded-For entry from the right."""
    hops = settings.AUTH_THROTTLE_PROXY_HOPS
    forwarded = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if entry.strip()]
    if hops and len(forwarded) >= hops:
        try:
            return str(ipaddress.ip_address(forwarded[-hops]))
        except ValueError:
            pass  # not written by a proxy of ours: count it against the address that sent it
    return request.META["REMOTE_ADDR"]


def usage(request, scope: str, value: str | None, increment: bool) -> dict | None:
    """django-ratelimit's count of failures in the current window for one client or account (None: not counted)."""
    rate = settings.AUTH_THROTTLE_CLIENT_RATE if scope == CLIENT else settings.AUTH_THROTTLE_ACCOUNT_RATE
    key = "ip" if scope == CLIENT else (lambda group, request: value)
    try:
        return get_usage(request, group=f"auth-failures-{scope}", key=key, rate=rate, increment=increment)
    except (RedisError, OSError):  # the cache is unreachable: let the attempt through rather than lock everyone out
        logger.exception("The authentication throttle could not reach its cache; the attempt is let through")
        return None


def scopes(request, username: str | None) -> list[tuple[str, str | None]]:
    """The counters an attempt belongs to: its client's (when there is a request) and its account's (a username)."""
    counted = [(CLIENT, None)] if request is not None else []
    if username:
        counted.append((ACCOUNT, username))
    return counted


def refusal_before(request, username: str | None) -> Refusal | None:
    """Refuse an attempt whose client or account has already failed as often as its rate allows."""
    for scope, value in scopes(request, username):
        counted = usage(request, scope, value, increment=False)
        if counted is not None and counted["count"] >= counted["limit"]:
            return Refusal(scope, max(1, counted["time_left"]))
    return None


def count_failure(request, username: str | None = None) -> Refusal | None:
    """Count one failed attempt for its client and account; the refusal if it went over a limit."""
    refusal = None
    for scope, value in scopes(request, username):
        counted = usage(request, scope, value, increment=True)
        if counted is not None and counted["should_limit"] and refusal is None:
            refusal = Refusal(scope, max(1, counted["time_left"]))
    return refusal


def log_refusal(request, refusal: Refusal, username: str | None = None) -> None:
    """One warning per refused attempt: who and why, never the password or token."""
    logger.warning(
        "Authentication refused: too many failures %s; client %s, account %r, path %s, retry after %d s",
        "from this client" if refusal.scope == CLIENT else "for this account",
        client_address(request), username, request.path, refusal.retry_after,
    )


def api_refusal(request, refusal: Refusal):
    """429 for a bearer-token client, as a JSON error shaped like the API's others, with Retry-After."""
    log_refusal(request, refusal)
    response = error(429, "THROTTLED", refusal.message)
    response["Retry-After"] = str(refusal.retry_after)
    return response


class ThrottledModelBackend(ModelBackend):
    """Django's username and password check, refused while the client or the account is over its failure limit
    (before the password is even checked), and counting each failure."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        username = username if username is not None else kwargs.get(get_user_model().USERNAME_FIELD)
        refusal = refusal_before(request, username)
        if refusal is not None:
            raise AuthenticationThrottled(refusal)
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None and username is not None:
            count_failure(request, username)
        return user


class ThrottledSignInMiddleware:
    """Answers a sign-in refused by the throttle (the login page, the admin's) with 429 and a readable page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, AuthenticationThrottled):
            return None
        log_refusal(request, exception.refusal, request.POST.get("username"))
        response = render(request, "backend/throttled.html", {"refusal": exception.refusal}, status=429)
        response["Retry-After"] = str(exception.refusal.retry_after)
        return response
