"""The demo: realistic, deterministic, safe to load twice; the printed example query returns data."""

import pytest
from django.core.management import call_command

from backend.management.commands.demo_token import EXAMPLE_QUERY
from backend.models import Organization, User
from graph.models import NetworkSite, Site, SupplyLink


@pytest.fixture
def demo(db):
    call_command("seed_demo")
    return {org.name: org for org in Organization.objects.all()}


def test_seed_demo_twice_changes_nothing(demo):
    counts = (Site.objects.count(), SupplyLink.objects.count(), User.objects.count())
    call_command("seed_demo")
    assert (Site.objects.count(), SupplyLink.objects.count(), User.objects.count()) == counts


def test_demo_networks_are_five_tiers_deep_share_sites_and_hold_a_cycle(demo):
    northwind, harbor = demo["Northwind Apparel"], demo["Harbor Retail Group"]
    for company in (northwind, harbor):
        assert company.network_sites.count() >= 250
    assert max(NetworkSite.objects.filter(company=northwind).values_list("tier", flat=True)) == 5
    shared = set(northwind.network_sites.values_list("site", flat=True)) & set(harbor.network_sites.values_list("site", flat=True))
    assert len(shared) >= 4
    edges = set(SupplyLink.objects.filter(company=harbor, upstream__name__contains="Trad", downstream__name__contains="Trad")
                .values_list("upstream_id", "downstream_id"))
    assert len(edges) == 3, "three traders buying from each other in a cycle"
    assert Site.objects.exclude(subdivision="").count() == Site.objects.count()


def test_example_query_returns_data(demo, api):
    data = api(User.objects.get(username="northwind-analyst")).data(EXAMPLE_QUERY)
    assert data["me"]["organization"]["name"] == "Northwind Apparel"
    assert data["sites"]["totalCount"] >= 250
    assert data["sites"]["edges"][0]["node"]["tier"] == 5


def test_demo_token_command_prints_a_working_token(demo, capsys, client):
    call_command("demo_token")
    output = capsys.readouterr().out
    token = next(word for word in output.split() if word.startswith("trb_"))
    response = client.post("/graphql/", {"query": EXAMPLE_QUERY}, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.json()["data"]["sites"]["edges"]
