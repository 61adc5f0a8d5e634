"""The hostile-query corpus (tests/fixtures/hostile_queries/): every document is refused with its own code, or runs.
Any token will do, a viewer's too. Then the same from outside: a real gunicorn worker, three fragment fan-outs at
once, and /healthz still answers (it took 31 s when the fan-out ran for 31 s). bench/api.py prints the times."""

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from backend.models import ApiToken
from support.servers import current_database_url, gunicorn, timed

CORPUS = Path(__file__).parents[1] / "fixtures" / "hostile_queries"
MANIFEST = json.loads((CORPUS / "MANIFEST.json").read_text())


def test_the_corpus_is_what_the_generator_writes(tmp_path):
    subprocess.run([sys.executable, str(CORPUS / "make_hostile_queries.py"), str(tmp_path)], check=True)
    written = sorted(path.name for path in tmp_path.iterdir())
    assert written == sorted(path.name for path in CORPUS.iterdir() if path.suffix in (".graphql", ".json"))
    assert all((tmp_path / name).read_bytes() == (CORPUS / name).read_bytes() for name in written)


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_every_hostile_document_is_refused_with_its_code(api, viewer_user, name):
    expected = MANIFEST[name]
    result = api(viewer_user)((CORPUS / name).read_text(), expected["variables"])
    codes = {error.get("extensions", {}).get("code") for error in result.get("errors", ())}
    if expected["code"] == "ok":
        assert not codes, result["errors"]
        assert result["data"]
    else:
        assert codes == {expected["code"]}, result["errors"]
        assert result.get("data") is None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_fan_outs_in_parallel_leave_a_gunicorn_worker_free(postgres, viewer_user, tmp_path):
    token = ApiToken.issue(viewer_user, "hostile queries test")[1]
    body = json.dumps({"query": (CORPUS / "fragment_fan_out_10_by_10.graphql").read_text()}).encode()
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    with gunicorn(tmp_path, {"DATABASE_URL": current_database_url()}) as server:
        with ThreadPoolExecutor(3) as pool:
            answers = list(pool.map(lambda _: timed("POST", f"{server.url}/graphql/", body, headers), range(3)))
        health = timed("GET", f"{server.url}/healthz")
    for answer in answers:
        assert answer.status == 400, answer
        assert json.loads(answer.body)["errors"][0]["extensions"]["code"] == "QUERY_TOO_COSTLY"
    assert health.status == 200 and health.seconds < 5, health
