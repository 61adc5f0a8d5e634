"""Failed authentication is throttled per client and per account, in the real Redis shared by every process:
bad bearer tokens get 429 once over the limit, wrong passwords then the right one are still refused, other clients
and accounts are not affected, and a count made by another process is seen here. Also: the start-up check that
refuses a per-process cache where a broker says there are several processes."""

import json
import logging
import os
import subprocess
import sys
import textwrap
import uuid

import pytest
import redis
from django.test import Client

from backend.models import ApiToken
from support.servers import PRODUCTION_ENV, ROOT, current_database_url, free_port
from support.services import require_service

REDIS_URL = os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")  # the Redis of this test run
ME = json.dumps({"query": "{ me { username } }"})
PASSWORD = "the-right-password"
CLIENT_LIMIT = 20
ACCOUNT_LIMIT = 5


@pytest.fixture
def shared_cache(settings):
    """The default cache on the real Redis, under a key prefix of this test's own (removed afterwards); rates with a
    day's window, so that no window ends in the middle of a test."""
    url = REDIS_URL
    server = redis.Redis.from_url(url)
    try:
        reachable = server.ping()
    except redis.RedisError:
        reachable = False
    require_service(reachable, f"this test needs Redis at {url}")
    prefix = f"throttle-test-{uuid.uuid4().hex}"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url,
                                   "KEY_PREFIX": prefix}}
    settings.AUTH_THROTTLE_CLIENT_RATE = f"{CLIENT_LIMIT}/1d"
    settings.AUTH_THROTTLE_ACCOUNT_RATE = f"{ACCOUNT_LIMIT}/1d"
    yield {"url": url, "prefix": prefix}
    for key in server.scan_iter(match=f"{prefix}:*"):
        server.delete(key)


def from_address(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def ask_with_token(client: Client, token: str):
    return client.post("/graphql/", ME, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")


def sign_in(client: Client, username: str, password: str, path: str = "/accounts/login/"):
    return client.post(path, {"username": username, "password": password})


@pytest.fixture
def account(analyst):
    analyst.set_password(PASSWORD)
    analyst.save()
    return analyst


def test_bad_tokens_are_answered_429_once_the_client_is_over_its_limit(shared_cache, analyst, caplog):
    client = from_address("10.0.0.1")
    bad_token = "trb_" + "guess" * 8
    with caplog.at_level(logging.WARNING, logger="backend.throttle"):
        answers = [ask_with_token(client, bad_token) for _ in range(100)]
    assert [answer.status_code for answer in answers] == [401] * CLIENT_LIMIT + [429] * (100 - CLIENT_LIMIT)
    refused = answers[-1]
    assert refused.json()["errors"][0]["code"] == "THROTTLED"
    assert 0 < int(refused["Retry-After"]) <= 24 * 3600
    refusals = [record.getMessage() for record in caplog.records if record.name == "backend.throttle"]
    assert len(refusals) == 100 - CLIENT_LIMIT
    assert all("10.0.0.1" in message and bad_token not in message for message in refusals)

    _, good_token = ApiToken.issue(analyst, "still works")
    assert ask_with_token(client, good_token).json()["data"]["me"]["username"] == analyst.username
    assert ask_with_token(from_address("10.0.0.2"), bad_token).status_code == 401


def test_wrong_passwords_then_the_right_one_are_refused_for_the_account_from_any_client(shared_cache, account,
                                                                                        make_user, other_company):
    client = from_address("10.0.1.1")
    statuses = [sign_in(client, account.username, f"wrong-{attempt}").status_code for attempt in range(99)]
    assert statuses == [200] * ACCOUNT_LIMIT + [429] * (99 - ACCOUNT_LIMIT)

    refused = sign_in(client, account.username, PASSWORD)
    assert refused.status_code == 429
    assert "too many failed sign-in attempts" in refused.content.decode().lower()
    assert 0 < int(refused["Retry-After"]) <= 24 * 3600
    assert "_auth_user_id" not in client.session
    assert sign_in(from_address("10.0.1.2"), account.username, PASSWORD).status_code == 429

    someone_else = make_user(other_company)
    someone_else.set_password(PASSWORD)
    someone_else.save()
    assert sign_in(client, someone_else.username, PASSWORD).status_code == 302


def test_a_client_trying_many_accounts_is_refused_and_other_clients_are_not(shared_cache, account):
    client = from_address("10.0.2.1")
    statuses = [sign_in(client, f"nobody-{attempt}", "wrong").status_code for attempt in range(CLIENT_LIMIT + 3)]
    assert statuses == [200] * CLIENT_LIMIT + [429] * 3
    assert sign_in(client, account.username, PASSWORD).status_code == 429
    assert sign_in(from_address("10.0.2.2"), account.username, PASSWORD).status_code == 302


def test_the_admin_sign_in_is_throttled_too(shared_cache, account):
    account.is_staff = True
    account.save()
    client = from_address("10.0.3.1")
    for attempt in range(ACCOUNT_LIMIT):
        assert sign_in(client, account.username, "wrong", "/admin/login/").status_code == 200
    assert sign_in(client, account.username, PASSWORD, "/admin/login/").status_code == 429


def test_bad_tokens_and_wrong_passwords_count_against_the_same_client(shared_cache, account):
    client = from_address("10.0.4.1")
    for _ in range(CLIENT_LIMIT):
        assert ask_with_token(client, "trb_nope").status_code == 401
    assert sign_in(client, account.username, PASSWORD).status_code == 429


def test_failures_counted_by_another_process_are_seen_here(shared_cache, db):
    """Another process (its own Redis connection, its own Django) sends the bad tokens; this one then refuses."""
    script = textwrap.dedent(f"""
        import django
        django.setup()
        from django.test import Client, override_settings
        with override_settings(CACHES={{"default": {{"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                                     "LOCATION": {shared_cache["url"]!r},
                                                     "KEY_PREFIX": {shared_cache["prefix"]!r}}}}},
                               AUTH_THROTTLE_CLIENT_RATE="{CLIENT_LIMIT}/1d"):
            client = Client(REMOTE_ADDR="10.0.5.1")
            for _ in range({CLIENT_LIMIT}):
                assert client.post("/graphql/", "{{}}", content_type="application/json",
                                   HTTP_AUTHORIZATION="Bearer trb_nope").status_code == 401
        print("sent")
    """)
    env = {**PRODUCTION_ENV, "PATH": "/usr/bin:/bin", "DATABASE_URL": current_database_url(),
           "ALLOWED_HOSTS": "testserver"}
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.stdout.strip() == "sent", result.stderr
    assert ask_with_token(from_address("10.0.5.1"), "trb_nope").status_code == 429
    assert ask_with_token(from_address("10.0.5.2"), "trb_nope").status_code == 401


def test_an_unreachable_cache_lets_attempts_through_and_says_so(settings, account, caplog):
    closed = free_port()
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": f"redis://127.0.0.1:{closed}/0"}}
    client = from_address("10.0.8.1")
    with caplog.at_level(logging.ERROR, logger="backend.throttle"):
        assert ask_with_token(client, "trb_nope").status_code == 401
        assert sign_in(client, account.username, PASSWORD).status_code == 302
    assert "could not reach its cache" in caplog.text


def test_x_forwarded_for_is_ignored_unless_proxies_are_declared(shared_cache, settings, db):
    settings.AUTH_THROTTLE_PROXY_HOPS = 0
    forging = [Client(REMOTE_ADDR="10.0.6.1", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}") for n in range(CLIENT_LIMIT + 1)]
    statuses = [ask_with_token(client, "trb_nope").status_code for client in forging]
    assert statuses[-1] == 429


def test_behind_a_declared_proxy_the_client_is_the_address_the_proxy_appended(shared_cache, settings, db):
    settings.AUTH_THROTTLE_PROXY_HOPS = 1
    proxy = "10.0.7.1"
    attacker = [Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 198.51.100.7")
                for n in range(CLIENT_LIMIT + 1)]
    assert [ask_with_token(client, "trb_nope").status_code for client in attacker][-1] == 429
    neighbour = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert ask_with_token(neighbour, "trb_nope").status_code == 401


def start_up(**env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "import django; django.setup()"], cwd=ROOT,
                          env={**PRODUCTION_ENV, "PATH": "/usr/bin:/bin", **env}, capture_output=True, text=True,
                          timeout=60)


def test_a_broker_without_a_shared_cache_is_refused_at_start_up():
    refused = start_up(CELERY_BROKER_URL="amqp://tributary:broker-secret@rabbit:5672//")
    assert refused.returncode != 0
    assert "CACHE_URL is not set and the broker is not Redis (amqp)" in refused.stderr
    assert "broker-secret" not in refused.stderr
    assert start_up(CELERY_BROKER_URL="amqp://rabbit//", CACHE_URL="redis://127.0.0.1:6379/6").returncode == 0
    assert start_up(CELERY_BROKER_URL="redis://127.0.0.1:6379/6").returncode == 0
    assert start_up(CELERY_BROKER_URL="amqp://rabbit//", DEBUG="1").returncode == 0


@pytest.mark.parametrize(("variable", "value", "message"), [
    ("CACHE_URL", "memcached://cache:11211", "CACHE_URL must be a Redis URL (redis://host:6379/1), not memcached."),
    ("AUTH_THROTTLE_CLIENT_RATE", "lots", "AUTH_THROTTLE_CLIENT_RATE must be a rate such as 10/15m"),
    ("AUTH_THROTTLE_ACCOUNT_RATE", "0/1m", "AUTH_THROTTLE_ACCOUNT_RATE must be a rate such as 10/15m"),
    ("AUTH_THROTTLE_PROXY_HOPS", "-1", "AUTH_THROTTLE_PROXY_HOPS must be a whole number (0 or more), not '-1'."),
])
def test_a_cache_or_rate_that_cannot_work_is_refused_at_start_up(variable, value, message):
    refused = start_up(**{variable: value})
    assert refused.returncode != 0
    assert message in refused.stderr
