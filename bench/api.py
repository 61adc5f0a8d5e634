"""API latency: a GraphQL page of 100 sites (with supplier and links) against a plain Django JSON view, and the
server time of the worst document of the hostile-query corpus.

Both pages return the same fields for the same 100 sites of the demo network; the plain view is hand-optimised
(two queries, no GraphQL) and served through the same middleware and token authentication. Prints the median latency of each and their ratio (goal: GraphQL ≤ 2×).
Every document of tests/fixtures/hostile_queries/ that must be refused is sent too, with DEBUG off as in
production; the slowest refusal's median is printed next to the page (goal: ≤ 50 ms).

    DEBUG=1 .venv/bin/python bench/api.py [--runs 30]
"""

import argparse
import json
import logging
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.http import JsonResponse  # noqa: E402
from django.conf import settings  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import include, path  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from backend.demo.loading import load_demo  # noqa: E402
from backend.models import ApiToken, User  # noqa: E402
from backend.tenancy import Viewer, visible  # noqa: E402
from graph.models import Site, SupplyLink  # noqa: E402

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "hostile_queries"
HOSTILE_GOAL_MS = 50
QUERY = """{ sites(first: 100, sortBy: {field: NAME}) { edges { node {
  id name country kind supplier { name }
  linksOut { share commodity { code } downstream { name } }
} } } }"""


def plain_view(request):
    """The same 100 sites and fields as the GraphQL query, written by hand with the ORM."""
    viewer = Viewer.of(request.user)
    sites = list(visible(Site, viewer).select_related("supplier").order_by("name", "pk")[:100])
    links = SupplyLink.objects.filter(company=viewer.organization, upstream__in=sites).select_related("commodity", "downstream")
    by_site = {}
    for link in links.order_by("pk"):
        by_site.setdefault(link.upstream_id, []).append(
            {"share": float(link.share) if link.share is not None else None, "commodity": {"code": link.commodity.code},
             "downstream": {"name": link.downstream.name} if link.downstream else None}
        )
    return JsonResponse({"sites": [
        {"id": site.pk, "name": site.name, "country": site.country, "kind": site.kind,
         "supplier": {"name": site.supplier.name} if site.supplier else None, "linksOut": by_site.get(site.pk, [])}
        for site in sites
    ]})


urlpatterns = [path("plain/", plain_view), path("", include("backend.urls"))]


def median_ms(call, runs: int) -> float:
    call()  # warm-up
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    from django.core.management import call_command

    settings.ROOT_URLCONF = __name__
    call_command("migrate", verbosity=0)
    setup_test_environment()
    load_demo()
    user = User.objects.get(username="northwind-analyst")
    _, raw = ApiToken.issue(user, "bench")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    body = json.dumps({"query": QUERY})

    def graphql():
        response = client.post("/graphql/", body, content_type="application/json")
        assert response.status_code == 200 and "errors" not in response.json(), response.content[:300]

    def plain():
        assert client.get("/plain/").status_code == 200

    graphql_ms, plain_ms = median_ms(graphql, args.runs), median_ms(plain, args.runs)
    logging.getLogger("django.request").setLevel(logging.ERROR)  # not one "Bad Request" line per refusal
    with override_settings(DEBUG=False):
        refusals = {name: median_ms(refusal(client, name, case), args.runs) for name, case in hostile_cases().items()}
    slowest = sorted(refusals, key=refusals.get, reverse=True)
    print(f"database: {django.db.connection.vendor}; {args.runs} runs each; page of 100 sites with supplier and links")
    print(f"GraphQL /graphql/ (HTTP stack, token auth)  median {graphql_ms:8.1f} ms")
    print(f"plain Django JSON view (same HTTP stack)     median {plain_ms:8.1f} ms")
    print(f"ratio GraphQL / plain                       {graphql_ms / plain_ms:8.2f}x   (goal <= 2x)")
    print(f"worst of {len(refusals)} hostile documents (refused)  median {refusals[slowest[0]]:8.1f} ms   "
          f"{refusals[slowest[0]] / HOSTILE_GOAL_MS:.2f}x the goal of <= {HOSTILE_GOAL_MS} ms")
    for name in slowest[:4]:
        print(f"  {name:<45} {(CORPUS / name).stat().st_size:>7,} B  median {refusals[name]:8.1f} ms")


def hostile_cases() -> dict:
    """The corpus's documents that must be refused, by file name: {"code", "variables"}."""
    manifest = json.loads((CORPUS / "MANIFEST.json").read_text())
    return {name: case for name, case in manifest.items() if case["code"] != "ok"}


def refusal(client, name: str, case: dict):
    body = json.dumps({"query": (CORPUS / name).read_text(), "variables": case["variables"]})

    def send():
        response = client.post("/graphql/", body, content_type="application/json")
        assert response.json()["errors"][0]["extensions"]["code"] == case["code"], (name, response.content[:300])

    return send


if __name__ == "__main__":
    main()
