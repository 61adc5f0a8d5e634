"""Shared fixtures: organizations of each kind, users of each role, and authenticated GraphQL clients."""

import json

import pytest
from celery.signals import task_failure
from django.db import connection
from django.test import Client

from backend.models import ApiToken, Organization, OrganizationKind, Role, User
from support.services import require_service

FAILING_TASKS_EXPECTED = "failing_tasks_expected"


def pytest_configure(config):
    config.addinivalue_line("markers", f"{FAILING_TASKS_EXPECTED}: a task failing in this test is what it tests")


@pytest.fixture(autouse=True)
def failing_tasks_fail_the_test(request):
    """A task that fails here is only logged, its outbox message kept for a retry (backend/dispatch.py), so no
    test would notice a recomputation or an import failing after its mutation: any task failing in this process
    fails the test instead, unless the test is marked failing_tasks_expected. Yields the failures seen."""
    failures = []

    def record(sender=None, exception=None, **kwargs):
        failures.append(f"{sender.name}: {type(exception).__name__}: {exception}")

    task_failure.connect(record, weak=False)
    try:
        yield failures
    finally:
        task_failure.disconnect(record)
    if failures and not request.node.get_closest_marker(FAILING_TASKS_EXPECTED):
        pytest.fail(f"A task failed during this test (mark it {FAILING_TASKS_EXPECTED} if it should):\n"
                    + "\n".join(failures), pytrace=False)


@pytest.fixture(scope="session", autouse=True)
def eager_runner_stops_before_the_test_database_goes(django_db_setup):
    """The eager-mode runner thread (backend/dispatch.py) sweeps the outbox every minute; it is stopped while the
    test database still exists (this fixture's teardown runs before django_db_setup's)."""
    yield
    from backend.dispatch import background

    background.stop()


@pytest.fixture
def postgres(db):
    require_service(connection.vendor == "postgresql", "this test needs PostgreSQL (set DATABASE_URL=postgres://…)")


@pytest.fixture(autouse=True)
def empty_in_process_cache():
    """Each test starts with an empty in-process cache: counts of failed authentication (backend/throttle.py) and
    import progress never carry over from one test to another. A shared cache (Redis) is left alone."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    if isinstance(caches["default"], LocMemCache):
        caches["default"].clear()


class GraphQLClient:
    """Posts GraphQL to /graphql/ with a bearer token and returns the decoded JSON response."""

    def __init__(self, user: User | None):
        self.user = user
        self.client = Client()
        self.headers = {}
        if user is not None:
            _, raw = ApiToken.issue(user, "test")
            self.headers["HTTP_AUTHORIZATION"] = f"Bearer {raw}"

    def __call__(self, query: str, variables: dict | None = None, **extra) -> dict:
        response = self.client.post(
            "/graphql/", json.dumps({"query": query, "variables": variables or {}}),
            content_type="application/json", **self.headers, **extra,
        )
        return response.json()

    def data(self, query: str, variables: dict | None = None) -> dict:
        """The `data` of a response that must have no errors."""
        result = self(query, variables)
        assert not result.get("errors"), result.get("errors")
        return result["data"]


@pytest.fixture
def make_org(db):
    def make(name: str, kind: str = OrganizationKind.COMPANY) -> Organization:
        return Organization.objects.create(name=name, kind=kind)

    return make


@pytest.fixture
def make_user(db):
    def make(org: Organization, role: str = Role.ANALYST) -> User:
        return User.objects.create_user(f"{org.name.lower().replace(' ', '-')}-{role}", organization=org, role=role)

    return make


@pytest.fixture
def api(db):
    """`api(user)` → a GraphQLClient authenticated as that user (None: anonymous)."""
    return GraphQLClient


@pytest.fixture
def company(make_org):
    return make_org("Company A")


@pytest.fixture
def other_company(make_org):
    return make_org("Company B")


@pytest.fixture
def audit_firm(make_org):
    return make_org("Audit Firm", OrganizationKind.AUDIT_FIRM)


@pytest.fixture
def workers_org(make_org):
    return make_org("Workers Org", OrganizationKind.WORKERS_ORG)


@pytest.fixture
def analyst(company, make_user):
    return make_user(company, Role.ANALYST)


@pytest.fixture
def viewer_user(company, make_user):
    return make_user(company, Role.VIEWER)


@pytest.fixture
def other_analyst(other_company, make_user):
    return make_user(other_company, Role.ANALYST)
