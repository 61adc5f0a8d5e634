"""A mutation sent by GET is refused (405), and no log keeps its query string: not gunicorn's access or error log
with the shipped configuration, not runserver's request log, not Django's own loggers. Real server processes."""

import json
import urllib.parse

import pytest

from backend.logs import without_query_strings
from backend.models import ApiToken
from support.servers import current_database_url, gunicorn, runserver, timed

REPORTER = "Reporter Ravi Kumar"
MUTATION = """mutation($name: String) {
  grievanceFile(siteId: "U2l0ZTox", input: {channel: HOTLINE, category: DEBT_BONDAGE, description: "fees",
                                            reporter: {name: $name}}) { errors { code } }
}"""


@pytest.fixture
def token(analyst):
    return ApiToken.issue(analyst, "access log test")[1]


def mutation_by_get(server_url: str, token: str):
    """The mutation with the reporter in its variables, by GET, from a GraphiQL page whose address holds it too."""
    query = urllib.parse.urlencode({"query": MUTATION, "variables": json.dumps({"name": REPORTER})})
    return timed("GET", f"{server_url}/graphql/?{query}", headers={
        "Authorization": f"Bearer {token}", "Accept": "application/json",
        "Referer": f"{server_url}/graphql/?{query}", "User-Agent": "access-log-test",
    })


def reporter_in(text: str) -> bool:
    return any(form in text for form in (REPORTER, urllib.parse.quote(REPORTER), urllib.parse.quote_plus(REPORTER)))


def logged_while_refusing_a_mutation_by_get(serving, token: str) -> str:
    """Everything a server printed, stopped once it has refused the mutation by GET (405)."""
    with serving as server:
        assert mutation_by_get(server.url, token).status == 405
        server.process.terminate()
        server.process.wait(timeout=10)
    return server.output


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_gunicorn_with_the_shipped_configuration_logs_the_path_without_its_query_string(postgres, token, tmp_path):
    server = gunicorn(tmp_path, {"DATABASE_URL": current_database_url()}, "-c", "backend/gunicorn.conf.py")
    log = logged_while_refusing_a_mutation_by_get(server, token)
    assert '"GET /graphql/ HTTP/1.1" 405' in log, log
    assert not reporter_in(log), log


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_runserver_and_django_loggers_log_the_path_without_its_query_string(postgres, token, tmp_path):
    log = logged_while_refusing_a_mutation_by_get(runserver(tmp_path, {"DATABASE_URL": current_database_url()}), token)
    assert '"GET /graphql/ HTTP/1.1" 405' in log, log
    assert "Method Not Allowed" in log, log
    assert not reporter_in(log), log


@pytest.mark.parametrize(("line", "written"), [
    ("GET /graphql/?query=mutation%7B%7D HTTP/1.1", "GET /graphql/ HTTP/1.1"),
    ('"http://127.0.0.1:8000/graphql/?variables=%7B%7D" "curl/8"', '"http://127.0.0.1:8000/graphql/" "curl/8"'),
    ("Did you mean 'me'?", "Did you mean 'me'?"),
])
def test_only_query_strings_are_cut(line, written):
    assert without_query_strings(line) == written
