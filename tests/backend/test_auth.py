"""Bearer tokens: hashed at rest, shown once, revocable; anonymous requests get an error and no data."""

import subprocess
import sys

from django.core.management import call_command
from django.test import Client

from backend.models import ApiToken, hash_token

ME = "{ me { username role organization { name kind } } }"


def test_anonymous_request_gets_error_and_no_data(api, analyst):
    result = api(None)(ME)
    assert result["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert "data" not in result


def test_bad_token_is_anonymous(api, analyst, client):
    response = client.post("/graphql/", {"query": ME}, content_type="application/json", HTTP_AUTHORIZATION="Bearer trb_nope")
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_token_authenticates_its_user(api, analyst):
    assert api(analyst).data(ME)["me"] == {
        "username": analyst.username, "role": "analyst", "organization": {"name": "Company A", "kind": "company"}
    }


def test_create_token_command_prints_a_token_stored_only_hashed(analyst, capsys, client):
    call_command("create_token", analyst.username)
    raw = capsys.readouterr().out.strip()
    stored = ApiToken.objects.get(user=analyst)
    assert raw.startswith("trb_") and stored.key_hash == hash_token(raw)
    assert raw not in str(list(ApiToken.objects.values()))
    response = client.post("/graphql/", {"query": ME}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.json()["data"]["me"]["username"] == analyst.username


def test_revoked_token_stops_working(analyst, capsys, client):
    call_command("create_token", analyst.username)
    raw = capsys.readouterr().out.strip()
    call_command("revoke_token", raw)
    response = client.post("/graphql/", {"query": ME}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401


def test_session_login_works_for_graphiql(analyst):
    client = Client(enforce_csrf_checks=True)
    analyst.set_password("pw-for-test")
    analyst.save()
    assert client.login(username=analyst.username, password="pw-for-test")
    response = client.post("/graphql/", {"query": ME}, content_type="application/json")
    assert response.status_code == 403  # a session POST without the CSRF token is refused
    client.get("/graphql/", HTTP_ACCEPT="text/html")
    csrf = client.cookies["csrftoken"].value
    response = client.post("/graphql/", {"query": ME}, content_type="application/json", HTTP_X_CSRFTOKEN=csrf)
    assert response.json()["data"]["me"]["username"] == analyst.username


def test_graphiql_page_loads_without_login(client, db):
    response = client.get("/graphql/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200 and b"graphiql" in response.content.lower()


def test_secret_key_is_required_without_debug():
    env = {"PATH": "/usr/bin:/bin", "DEBUG": "0", "DJANGO_SETTINGS_MODULE": "backend.settings"}
    result = subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_healthz_reports_database_and_broker(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert response.json()["broker"] in ("ok", "eager (no broker configured)")
