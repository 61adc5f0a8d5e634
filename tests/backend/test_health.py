"""A database that accepts connections and never answers: /healthz says so with 503 within 2 s, and the API answers
a JSON error within seconds, instead of both hanging until gunicorn kills the worker. A real gunicorn process with
the production settings, whose database is a socket that never answers; and the statement timeout on PostgreSQL."""

import json
import subprocess
import sys

import pytest
from django.db import connection

from support.servers import PRODUCTION_ENV, ROOT, current_database_url, gunicorn, silent_database, timed

ME = json.dumps({"query": "{ me { username } }"}).encode()


@pytest.fixture
def api_over_a_silent_database(tmp_path):
    """gunicorn whose database never answers, its URL configuration loaded (the GraphiQL page needs no database;
    the first request of a worker imports the schema, which has nothing to do with the database)."""
    with silent_database() as port:
        with gunicorn(tmp_path, {"DATABASE_URL": f"postgres://tributary@127.0.0.1:{port}/tributary"}) as server:
            assert timed("GET", f"{server.url}/graphql/", headers={"Accept": "text/html"}).status == 200
            yield server


def test_healthz_answers_503_within_2_s_when_the_database_never_answers(api_over_a_silent_database):
    for _ in range(2):  # the second call while the first one's check may still be waiting on the driver
        answer = timed("GET", f"{api_over_a_silent_database.url}/healthz")
        assert answer.seconds < 2, answer
        assert answer.status == 503
        assert json.loads(answer.body)["database"].startswith("error")


def test_graphql_answers_a_json_error_within_seconds_when_the_database_never_answers(api_over_a_silent_database):
    answer = timed("POST", f"{api_over_a_silent_database.url}/graphql/", body=ME,
                   headers={"Content-Type": "application/json", "Authorization": "Bearer trb_anything"})
    assert answer.seconds < 8, answer
    assert answer.status == 503
    assert json.loads(answer.body)["errors"][0]["code"] == "DATABASE_UNAVAILABLE"


def test_healthz_answers_200_when_the_database_answers(postgres, tmp_path):
    with gunicorn(tmp_path, {"DATABASE_URL": current_database_url()}) as server:
        answer = timed("GET", f"{server.url}/healthz")
    assert answer.status == 200, answer
    assert json.loads(answer.body) == {"status": "ok", "database": "ok", "broker": "eager (no broker configured)"}


def test_a_statement_running_past_the_statement_timeout_is_cancelled(postgres):
    script = (
        "import django, time; django.setup()\n"
        "from django.db import connection, OperationalError\n"
        "started = time.monotonic()\n"
        "try:\n"
        "    connection.cursor().execute('SELECT pg_sleep(5)')\n"
        "    print('finished')\n"
        "except OperationalError as error:\n"
        "    print('cancelled after', round(time.monotonic() - started, 1), type(error.__cause__).__name__)\n"
    )
    env = {**PRODUCTION_ENV, "PATH": "/usr/bin:/bin", "DATABASE_URL": current_database_url(),
           "DATABASE_STATEMENT_TIMEOUT": "0.5"}
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=30)
    assert result.stdout.startswith("cancelled after"), result.stdout + result.stderr
    assert float(result.stdout.split()[2]) < 2
    assert "QueryCanceled" in result.stdout


@pytest.mark.parametrize("value", ["soon", "0", "-3"])
def test_a_timeout_that_is_not_a_positive_number_of_seconds_is_refused_at_start_up(value):
    env = {**PRODUCTION_ENV, "PATH": "/usr/bin:/bin", "DATABASE_CONNECT_TIMEOUT": value}
    result = subprocess.run([sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=30)
    assert result.returncode != 0
    assert f"DATABASE_CONNECT_TIMEOUT must be a positive number of seconds, not '{value}'" in result.stderr


def test_a_connection_of_the_test_database_has_the_configured_statement_timeout(postgres):
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "1min"
